import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `datetime.now().strftime(format)` as transformers' `strftime_now` calls
/// it: a naive local time formatted by the C library (Python hands the
/// format to `strftime`), with Python's own `%f`, and `%z`/`%Z` empty
/// because the datetime has no time zone.
enum Strftime {
    static func format(_ format: String, date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second, .nanosecond, .weekday], from: date)
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1

        // Python expands these before the C library sees the format.
        var prepared = ""
        var scalars = format.unicodeScalars.makeIterator()
        while let ch = scalars.next() {
            guard ch == "%" else {
                prepared.unicodeScalars.append(ch)
                continue
            }
            guard let directive = scalars.next() else {
                prepared += "%"
                break
            }
            switch directive {
            case "f":
                let micro = (c.nanosecond ?? 0) / 1000
                let digits = String(micro)
                prepared += String(repeating: "0", count: 6 - digits.count) + digits
            case "z", "Z": break
            case ":":
                if let next = scalars.next(), next != "z" {
                    prepared += "%:"
                    prepared.unicodeScalars.append(next)
                }
            default:
                prepared += "%"
                prepared.unicodeScalars.append(directive)
            }
        }

        var time = tm()
        time.tm_year = Int32((c.year ?? 1900) - 1900)
        time.tm_mon = Int32((c.month ?? 1) - 1)
        time.tm_mday = Int32(c.day ?? 1)
        time.tm_hour = Int32(c.hour ?? 0)
        time.tm_min = Int32(c.minute ?? 0)
        time.tm_sec = Int32(c.second ?? 0)
        time.tm_wday = Int32((c.weekday ?? 1) - 1)
        time.tm_yday = Int32(dayOfYear - 1)
        time.tm_isdst = -1

        // strftime reports 0 both for an empty result and for a too-small
        // buffer; grow the buffer a few times before settling on empty.
        var capacity = 256
        while capacity <= 65_536 {
            var buffer = [CChar](repeating: 0, count: capacity)
            let written = strftime(&buffer, capacity, prepared, &time)
            if written > 0 || prepared.isEmpty {
                return String(decoding: buffer[..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity *= 8
        }
        return ""
    }
}

extension TemplateFunction {
    /// A `strftime_now` that formats a fixed instant, for reproducible
    /// renders. Pass it in the context under `"strftime_now"`; without it,
    /// templates see the current local time as in transformers.
    public static func strftimeNow(fixedDate date: Date, timeZone: TimeZone = .current) -> TemplateFunction {
        TemplateFunction(name: "strftime_now") { arguments throws(TemplateError) in
            guard case let .string(format)? = arguments.positional.first ?? arguments.keyword["format"] else {
                throw TemplateError.runtime(message: "strftime_now() needs a format string", location: .unknown)
            }
            return .string(Strftime.format(format, date: date, timeZone: timeZone))
        }
    }
}
