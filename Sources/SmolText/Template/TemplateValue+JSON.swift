import SmolTensor
/// How transformers' `tojson` filter calls `json.dumps`: `ensure_ascii=False`,
/// no sorting, and separators that default by whether `indent` is set.
struct JSONDumpOptions {
    /// Indentation per level; nil writes everything on one line.
    var indent: String?
    var itemSeparator: String
    var keySeparator: String
    var sortKeys = false
    /// `ensure_ascii=True` escapes every non-ASCII code point as `\uXXXX`.
    var ensureASCII = false

    init(indent: String? = nil, separators: (item: String, key: String)? = nil, sortKeys: Bool = false) {
        self.indent = indent
        // json.dumps: (', ', ': ') without indent, (',', ': ') with it.
        self.itemSeparator = separators?.item ?? (indent == nil ? ", " : ",")
        self.keySeparator = separators?.key ?? ": "
        self.sortKeys = sortKeys
    }
}

extension TemplateValue {
    /// `json.dumps(value, ensure_ascii=False, ...)` as transformers' `tojson`
    /// filter writes it.
    func jsonDump(_ options: JSONDumpOptions) throws(ValueError) -> String {
        var output = ""
        try writeJSON(into: &output, options: options, level: 0)
        return output
    }

    private func writeJSON(into output: inout String, options: JSONDumpOptions, level: Int) throws(ValueError) {
        switch self {
        case .none: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .int(value): output += String(value)
        case let .double(value):
            if value.isNaN {
                output += "NaN"
            } else if value.isInfinite {
                output += value < 0 ? "-Infinity" : "Infinity"
            } else {
                output += PythonFloat.repr(value)
            }
        case let .string(value): Self.writeJSONString(value, into: &output, ensureASCII: options.ensureASCII)
        case let .array(values), let .tuple(values):
            guard !values.isEmpty else { output += "[]"; return }
            output += "["
            let (separator, closing) = Self.layout(options, level: level)
            for (i, value) in values.enumerated() {
                output += i == 0 ? separator.first : separator.between
                try value.writeJSON(into: &output, options: options, level: level + 1)
            }
            output += closing
            output += "]"
        case let .object(object):
            guard !object.isEmpty else { output += "{}"; return }
            output += "{"
            let (separator, closing) = Self.layout(options, level: level)
            var order = Array(object.keys.indices)
            if options.sortKeys {
                var failure: ValueError?
                order.sort { a, b in
                    do throws(ValueError) {
                        return try TemplateValue.order(.less, object.keys[a], object.keys[b])
                    } catch {
                        failure = error
                        return false
                    }
                }
                if let failure { throw failure }
            }
            for (i, index) in order.enumerated() {
                output += i == 0 ? separator.first : separator.between
                Self.writeJSONString(try Self.jsonKey(object.keys[index]), into: &output, ensureASCII: options.ensureASCII)
                output += options.keySeparator
                try object.values[index].writeJSON(into: &output, options: options, level: level + 1)
            }
            output += closing
            output += "}"
        case .undefined, .function, .namespace, .iterator:
            throw ValueError("Object of type \(typeName) is not JSON serializable")
        }
    }

    /// json.dumps turns scalar keys into strings: `1` → "1", `True` → "true".
    private static func jsonKey(_ key: TemplateValue) throws(ValueError) -> String {
        switch key {
        case let .string(text): return text
        case .none: return "null"
        case let .bool(value): return value ? "true" : "false"
        case let .int(value): return String(value)
        case let .double(value):
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
            return PythonFloat.repr(value)
        default: throw ValueError("keys must be str, int, float, bool or None, not \(key.typeName)")
        }
    }

    /// What goes before the first item, between items, and before the
    /// closing bracket, at nesting `level`.
    private static func layout(
        _ options: JSONDumpOptions, level: Int
    ) -> (separator: (first: String, between: String), closing: String) {
        guard let indent = options.indent else {
            return (("", options.itemSeparator), "")
        }
        let inner = "\n" + String(repeating: indent, count: level + 1)
        let outer = "\n" + String(repeating: indent, count: level)
        return ((inner, options.itemSeparator + inner), outer)
    }

    /// A JSON string as Python's `json.dumps` writes it (see ``JSONStringWriter``).
    static func writeJSONString(_ value: String, into output: inout String, ensureASCII: Bool = false) {
        JSONStringWriter.write(value, into: &output, ensureASCII: ensureASCII)
    }
}
