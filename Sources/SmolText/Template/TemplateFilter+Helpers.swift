import Foundation

/// The parts of Jinja's filters that several filters share or that need
/// Python's exact rules: attribute paths, stable sorting, `map`/`select`,
/// `indent`, `int()`/`float()` parsing and `round()`.
extension TemplateFilter {
    /// Jinja's attribute getter for `attribute=` arguments: dotted paths, with
    /// integer parts used as indices.
    static func lookup(_ item: TemplateValue, _ attribute: TemplateValue) throws(ValueError) -> TemplateValue {
        guard case let .string(path) = attribute else { return try item.item(attribute) }
        var value = item
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            value = try value.item(Int(part).map(TemplateValue.int) ?? .string(String(part)))
        }
        return value
    }

    static func ignoringCase(_ value: TemplateValue) -> TemplateValue {
        if case let .string(text) = value { return .string(text.lowercased()) }
        return value
    }

    /// A stable sort by key, with Python's ordering; ties keep input order.
    static func sorted(
        _ items: [TemplateValue], reverse: Bool, key: (TemplateValue) throws(ValueError) -> TemplateValue
    ) throws(ValueError) -> [TemplateValue] {
        var keys: [TemplateValue] = []
        for item in items { keys.append(try key(item)) }
        var failure: ValueError?
        let order = keys.indices.sorted { a, b in
            do throws(ValueError) {
                if try TemplateValue.order(.less, keys[a], keys[b]) { return !reverse }
                if try TemplateValue.order(.less, keys[b], keys[a]) { return reverse }
            } catch {
                failure = error
            }
            return a < b
        }
        if let failure { throw failure }
        return order.map { items[$0] }
    }

    static func map(_ items: [TemplateValue], _ arguments: TemplateArguments) throws(ValueError) -> [TemplateValue] {
        if arguments.positional.isEmpty, let attribute = arguments.keyword["attribute"] {
            let fallback = arguments.keyword["default"]
            return try items.map { item throws(ValueError) in
                let value = try lookup(item, attribute)
                if value.isUndefined, let fallback { return fallback }
                return value
            }
        }
        guard case let .string(filterName)? = arguments.positional.first else {
            throw ValueError("map requires a filter name or attribute=")
        }
        // Jinja looks the filter up when it first applies it.
        if items.isEmpty { return [] }
        guard let filter = TemplateFilter(named: filterName) else { throw ValueError("No filter named '\(filterName)'") }
        let rest = TemplateArguments(positional: Array(arguments.positional.dropFirst()), keyword: arguments.keyword)
        return try items.map { item throws(ValueError) in try filter.apply(item, rest) }
    }

    static func select(
        _ items: [TemplateValue], _ arguments: TemplateArguments, attribute: Bool, keep: Bool
    ) throws(ValueError) -> [TemplateValue] {
        var positional = arguments.positional
        var attributeName: TemplateValue?
        if attribute {
            guard !positional.isEmpty else { throw ValueError("selectattr/rejectattr need an attribute name") }
            attributeName = positional.removeFirst()
        }
        var test: TemplateTest?
        if !positional.isEmpty {
            guard case let .string(testName) = positional.removeFirst() else { throw ValueError("test name must be a string") }
            guard let found = TemplateTest(named: testName) else { throw ValueError("No test named '\(testName)'") }
            test = found
        }
        let testArguments = TemplateArguments(positional: positional, keyword: arguments.keyword)
        var result: [TemplateValue] = []
        for item in items {
            let subject = try attributeName.map { a throws(ValueError) in try lookup(item, a) } ?? item
            let passed = try test.map { t throws(ValueError) in try t.evaluate(subject, testArguments) } ?? subject.isTruthy
            if passed == keep { result.append(item) }
        }
        return result
    }

    /// Jinja's `indent`: every line after the first, skipping blank lines
    /// unless `blank`; the first too when `first`.
    static func indent(_ text: String, _ indentation: String, first: Bool, blank: Bool) -> String {
        // Jinja appends a newline before splitting so a trailing newline survives.
        let lines = PythonString.splitLines(text + "\n")
        var result: String
        if blank {
            result = lines.joined(separator: "\n" + indentation)
        } else {
            result = lines.first ?? ""
            let rest = lines.dropFirst()
            if !rest.isEmpty {
                result += "\n" + rest.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
            }
        }
        return first ? indentation + result : result
    }

    /// Python's `int(value)` then `int(float(value))`, as Jinja's `int` filter tries them.
    static func toInt(_ value: TemplateValue, base: Int) -> Int? {
        switch value {
        case let .string(text):
            if let parsed = parseInt(text, base: base) { return parsed }
            return toFloat(value).flatMap { Int(exactly: $0.rounded(.towardZero)) }
        case let .double(d):
            return d.isFinite ? Int(exactly: d.rounded(.towardZero)) : nil
        default:
            if case let .int(n)? = value.number { return n }
            return nil
        }
    }

    /// Python's `int(text, base)`: surrounding whitespace, a sign, `_`
    /// between digits, and a `0x`/`0o`/`0b` prefix matching the base (or any
    /// prefix with base 0).
    static func parseInt(_ text: String, base: Int) -> Int? {
        var body = PythonString.strip(text, nil)
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("+") {
            negative = body.hasPrefix("-")
            body.removeFirst()
        }
        var radix = base
        let lowered = body.lowercased()
        for (prefix, prefixRadix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lowered.hasPrefix(prefix) {
            if base == 0 || base == prefixRadix {
                radix = prefixRadix
                body.removeFirst(2)
                if body.hasPrefix("_") { body.removeFirst() }
            }
        }
        if radix == 0 { radix = 10 }
        guard (2...36).contains(radix), !body.isEmpty, !body.hasPrefix("_"), !body.hasSuffix("_"),
              !body.contains("__")
        else { return nil }
        guard let magnitude = Int(body.filter { $0 != "_" }, radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func toFloat(_ value: TemplateValue) -> Double? {
        switch value {
        case let .string(text):
            let trimmed = PythonString.strip(text, nil).filter { $0 != "_" }
            switch trimmed.lowercased() {
            case "inf", "+inf", "infinity", "+infinity": return .infinity
            case "-inf", "-infinity": return -.infinity
            case "nan", "+nan", "-nan": return .nan
            default: return Double(trimmed)
            }
        default:
            return value.number?.asDouble
        }
    }

    static func round(_ value: TemplateValue, precision: Int, method: String) throws(ValueError) -> TemplateValue {
        guard let number = value.number else { throw ValueError("round: expected a number, not \(value.typeName)") }
        switch method {
        case "common":
            // Python's round(): an int stays an int; a float rounds half to even
            // on its exact binary value, which printf's rounding matches.
            if case let .int(n) = number, precision >= 0 { return .int(n) }
            let d = number.asDouble
            guard d.isFinite else { return .double(d) }
            if precision >= 0 {
                return .double(Double(String(format: "%.\(precision)f", d)) ?? d)
            }
            let scale = Foundation.pow(10.0, Double(-precision))
            return .double((d / scale).rounded(.toNearestOrEven) * scale)
        case "ceil", "floor":
            let scale = Foundation.pow(10.0, Double(precision))
            let scaled = number.asDouble * scale
            return .double((method == "ceil" ? scaled.rounded(.up) : scaled.rounded(.down)) / scale)
        default:
            throw ValueError("method must be common, ceil or floor")
        }
    }
}
