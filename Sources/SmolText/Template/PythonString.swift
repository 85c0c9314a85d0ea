import Foundation

/// Python `str` semantics over Swift strings. Python compares, indexes and
/// counts by code point where Swift uses grapheme clusters and canonical
/// equivalence, so template code goes through these helpers.
enum PythonString {
    /// Code-point equality (`"é" != "e\u{301}"`, as in Python).
    static func equal(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        // Native strings are contiguous UTF-8: compare the bytes in one go.
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// Code-point order; UTF-8 byte order is the same order.
    static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// `len(s)`.
    static func length(_ s: String) -> Int { s.unicodeScalars.count }

    /// `str.isspace()` for one code point.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
             0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// A line boundary for `str.splitlines()`.
    static func isLineBreak(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// `a in b` for strings.
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        firstByteOffset(of: needle, in: haystack, from: 0) != nil
    }

    /// The byte offset of the first occurrence of `needle` at or after `start`.
    static func firstByteOffset(of needle: String, in haystack: String, from start: Int) -> Int? {
        let h = Array(haystack.utf8), n = Array(needle.utf8)
        return firstByteOffset(of: n, in: h, from: start)
    }

    static func firstByteOffset(of n: [UInt8], in h: [UInt8], from start: Int) -> Int? {
        if n.isEmpty { return start <= h.count ? start : nil }
        guard h.count >= n.count, start <= h.count - n.count else { return nil }
        let first = n[0]
        var i = start
        let last = h.count - n.count
        while i <= last {
            if h[i] == first {
                var j = 1
                while j < n.count, h[i + j] == n[j] { j += 1 }
                if j == n.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        s.utf8.starts(with: prefix.utf8)
    }

    static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        s.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    // MARK: Stripping and splitting

    /// `str.strip(chars)`, `lstrip`, `rstrip`: with nil, Python whitespace.
    static func strip(_ s: String, _ chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let remove: (Unicode.Scalar) -> Bool = { c in set?.contains(c) ?? isSpace(c) }
        let scalars = s.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        if leading { while start < end, remove(scalars[start]) { start = scalars.index(after: start) } }
        if trailing {
            while end > start {
                let before = scalars.index(before: end)
                guard remove(scalars[before]) else { break }
                end = before
            }
        }
        return String(scalars[start..<end])
    }

    /// `str.split(sep, maxsplit)`; a nil separator splits on whitespace runs
    /// and drops empty pieces.
    static func split(_ s: String, separator: String?, maxSplit: Int) throws(ValueError) -> [String] {
        guard let separator else {
            // CPython's split_whitespace: take pieces while splits remain, then
            // the rest (leading whitespace skipped, trailing kept) is one piece.
            let c = Array(s.unicodeScalars)
            var parts: [String] = []
            var i = 0
            var remaining = maxSplit < 0 ? Int.max : maxSplit
            while remaining > 0 {
                while i < c.count, isSpace(c[i]) { i += 1 }
                if i == c.count { break }
                let j = i
                while i < c.count, !isSpace(c[i]) { i += 1 }
                parts.append(String(String.UnicodeScalarView(c[j..<i])))
                remaining -= 1
            }
            if i < c.count {
                while i < c.count, isSpace(c[i]) { i += 1 }
                if i < c.count { parts.append(String(String.UnicodeScalarView(c[i...]))) }
            }
            return parts
        }
        guard !separator.isEmpty else { throw ValueError("empty separator") }
        let h = Array(s.utf8), n = Array(separator.utf8)
        var parts: [String] = []
        var start = 0
        while maxSplit < 0 || parts.count < maxSplit, let found = firstByteOffset(of: n, in: h, from: start) {
            parts.append(String(decoding: h[start..<found], as: UTF8.self))
            start = found + n.count
        }
        parts.append(String(decoding: h[start...], as: UTF8.self))
        return parts
    }

    /// `str.rsplit(sep, maxsplit)`.
    static func rsplit(_ s: String, separator: String?, maxSplit: Int) throws(ValueError) -> [String] {
        if maxSplit < 0 { return try split(s, separator: separator, maxSplit: maxSplit) }
        // Splitting the reversed text from the left is splitting from the right.
        let reversed = String(String.UnicodeScalarView(s.unicodeScalars.reversed()))
        let reversedSeparator = separator.map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }
        return try split(reversed, separator: reversedSeparator, maxSplit: maxSplit)
            .reversed()
            .map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }
    }

    /// `str.splitlines(keepends)`.
    static func splitLines(_ s: String, keepEnds: Bool = false) -> [String] {
        var lines: [String] = []
        let scalars = Array(s.unicodeScalars)
        var start = 0, i = 0
        while i < scalars.count {
            let c = scalars[i]
            if isLineBreak(c) {
                var end = i + 1
                if c == "\r", end < scalars.count, scalars[end] == "\n" { end += 1 }
                let lineEnd = keepEnds ? end : i
                lines.append(String(String.UnicodeScalarView(scalars[start..<lineEnd])))
                start = end
                i = end
            } else {
                i += 1
            }
        }
        if start < scalars.count { lines.append(String(String.UnicodeScalarView(scalars[start...]))) }
        return lines
    }

    /// `str.replace(old, new, count)`; an empty `old` inserts `new` around
    /// every code point, as Python does.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if old.isEmpty {
            var result = ""
            var inserted = 0
            for c in s.unicodeScalars {
                if count < 0 || inserted < count { result += new; inserted += 1 }
                result.unicodeScalars.append(c)
            }
            if count < 0 || inserted < count { result += new }
            return result
        }
        let h = Array(s.utf8), n = Array(old.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(h.count)
        var start = 0, replaced = 0
        while count < 0 || replaced < count, let found = firstByteOffset(of: n, in: h, from: start) {
            result.append(contentsOf: h[start..<found])
            result.append(contentsOf: new.utf8)
            start = found + n.count
            replaced += 1
        }
        result.append(contentsOf: h[start...])
        return String(decoding: result, as: UTF8.self)
    }

    /// `str.count(sub)`: non-overlapping occurrences.
    static func count(_ s: String, _ sub: String) -> Int {
        if sub.isEmpty { return length(s) + 1 }
        let h = Array(s.utf8), n = Array(sub.utf8)
        var start = 0, found = 0
        while let offset = firstByteOffset(of: n, in: h, from: start) {
            found += 1
            start = offset + n.count
        }
        return found
    }

    /// `str.find(sub)` / `str.rfind(sub)` as code-point indices, -1 when absent.
    static func find(_ s: String, _ sub: String, fromEnd: Bool) -> Int {
        let h = Array(s.utf8), n = Array(sub.utf8)
        var byteOffset: Int?
        if fromEnd {
            var start = 0
            while let offset = firstByteOffset(of: n, in: h, from: start) {
                byteOffset = offset
                start = offset + 1
                if start > h.count { break }
            }
        } else {
            byteOffset = firstByteOffset(of: n, in: h, from: 0)
        }
        guard let byteOffset else { return -1 }
        // Count code points before the match: bytes that do not continue a sequence.
        return h[..<byteOffset].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    // MARK: Case

    static func lower(_ s: String) -> String { s.lowercased() }
    static func upper(_ s: String) -> String { s.uppercased() }

    private static func titlecase(_ c: Unicode.Scalar) -> String { c.properties.titlecaseMapping }

    /// `str.capitalize()`: the first code point title-cased, the rest lower-cased.
    static func capitalize(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(s.utf8)
            for i in bytes.indices {
                let b = bytes[i]
                if i == 0, b >= 0x61, b <= 0x7A { bytes[i] = b - 0x20 }
                if i > 0, b >= 0x41, b <= 0x5A { bytes[i] = b + 0x20 }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let first = s.unicodeScalars.first else { return s }
        return titlecase(first) + String(s.unicodeScalars.dropFirst()).lowercased()
    }

    /// `str.title()`: a code point after a cased one is lower-cased, any other
    /// is title-cased (so `1st` becomes `1St`, as in Python).
    static func title(_ s: String) -> String {
        var result = ""
        var previousIsCased = false
        for c in s.unicodeScalars {
            result += previousIsCased ? c.properties.lowercaseMapping : titlecase(c)
            previousIsCased = c.properties.isCased
        }
        return result
    }

    /// Jinja's `title` filter: a word starts after `-`, whitespace, `(`, `{`,
    /// `[` or `<`; its first code point is upper-cased and the rest lower-cased.
    static func jinjaTitle(_ s: String) -> String {
        var result = ""
        var atWordStart = true
        for c in s.unicodeScalars {
            let separator = isSpace(c) || c == "-" || c == "(" || c == "{" || c == "[" || c == "<"
            if separator {
                result.unicodeScalars.append(c)
                atWordStart = true
            } else {
                result += atWordStart ? c.properties.uppercaseMapping : c.properties.lowercaseMapping
                atWordStart = false
            }
        }
        return result
    }

    /// `str.center(width)`: Python puts the odd padding character on the left
    /// when the padding is odd and the width is odd.
    static func center(_ s: String, width: Int) -> String {
        let length = length(s)
        guard width > length else { return s }
        let padding = width - length
        let left = padding / 2 + (padding & width & 1)
        return String(repeating: " ", count: left) + s + String(repeating: " ", count: padding - left)
    }

    // MARK: repr

    /// `repr(s)`: single quotes unless the text holds a single quote and no
    /// double quote; non-printable code points escaped.
    static func repr(_ s: String) -> String {
        let quote: Unicode.Scalar = s.unicodeScalars.contains("'") && !s.unicodeScalars.contains("\"") ? "\"" : "'"
        var result = String.UnicodeScalarView()
        result.append(quote)
        for c in s.unicodeScalars {
            switch c {
            case quote, "\\":
                result.append("\\")
                result.append(c)
            case "\t": result.append(contentsOf: "\\t".unicodeScalars)
            case "\n": result.append(contentsOf: "\\n".unicodeScalars)
            case "\r": result.append(contentsOf: "\\r".unicodeScalars)
            default:
                if isPrintable(c) {
                    result.append(c)
                } else {
                    result.append(contentsOf: escaped(c).unicodeScalars)
                }
            }
        }
        result.append(quote)
        return String(result)
    }

    private static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        if c == " " { return true }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func escaped(_ c: Unicode.Scalar) -> String {
        let hex = String(c.value, radix: 16)
        if c.value < 0x100 { return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
        if c.value < 0x10000 { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
        return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
