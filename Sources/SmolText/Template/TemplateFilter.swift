/// The `|filters` this engine knows: Jinja's built-ins that chat templates
/// use, with `tojson` replaced by transformers' version. Unknown names fail
/// when the template is compiled, as in Jinja.
enum TemplateFilter: String, Sendable, CaseIterable {
    case abs, attr, capitalize, center, `default`, dictsort, escape, first, float, format
    case indent, int, items, join, last, length, list, lower, map, max, min
    case reject, rejectattr, replace, reverse, round, safe, select, selectattr
    case sort, string, sum, title, tojson, trim, unique, upper, wordcount

    private static let aliases: [String: TemplateFilter] = ["d": .default, "e": .escape, "count": .length]

    init?(named name: String) {
        if let filter = TemplateFilter(rawValue: name) ?? Self.aliases[name] {
            self = filter
        } else {
            return nil
        }
    }

    func apply(_ value: TemplateValue, _ arguments: TemplateArguments) throws(ValueError) -> TemplateValue {
        let name = rawValue
        switch self {
        case .abs:
            _ = try BoundArguments(arguments, [], callee: name)
            switch value.number {
            case let .int(n)?:
                guard n != .min else { throw ValueError("integer overflow") }
                return .int(Swift.abs(n))
            case let .double(d)?: return .double(Swift.abs(d))
            case nil: throw ValueError("bad operand type for abs(): '\(value.typeName)'")
            }
        case .attr:
            let bound = try BoundArguments(arguments, ["name"], callee: name)
            guard let attribute = try bound.string(0) else { throw ValueError("attr() needs a name") }
            return try value.attribute(attribute)
        case .capitalize:
            _ = try BoundArguments(arguments, [], callee: name)
            return .string(PythonString.capitalize(value.pythonString))
        case .center:
            let width = try BoundArguments(arguments, ["width"], callee: name).int(0, default: 80)
            return .string(PythonString.center(value.pythonString, width: width))
        case .default:
            let bound = try BoundArguments(arguments, ["default_value", "boolean"], callee: name)
            if value.isUndefined || (bound.bool(1, default: false) && !value.isTruthy) {
                return bound[0] ?? ""
            }
            return value
        case .dictsort:
            let bound = try BoundArguments(arguments, ["case_sensitive", "by", "reverse"], callee: name)
            guard case let .object(object) = value else { throw ValueError("dictsort: expected a dict") }
            let caseSensitive = bound.bool(0, default: false)
            let byValue: Bool
            switch try bound.string(1) ?? "key" {
            case "key": byValue = false
            case "value": byValue = true
            default: throw ValueError("You can only sort by either 'key' or 'value'")
            }
            let pairs: [TemplateValue] = zip(object.keys, object.values).map { .tuple([$0, $1]) }
            return .array(try Self.sorted(pairs, reverse: bound.bool(2, default: false)) { pair in
                let key = pair.elements?[byValue ? 1 : 0] ?? .undefined
                return caseSensitive ? key : Self.ignoringCase(key)
            })
        case .escape:
            _ = try BoundArguments(arguments, [], callee: name)
            var escaped = ""
            for c in value.pythonString.unicodeScalars {
                switch c {
                case "&": escaped += "&amp;"
                case "<": escaped += "&lt;"
                case ">": escaped += "&gt;"
                case "\"": escaped += "&#34;"
                case "'": escaped += "&#39;"
                default: escaped.unicodeScalars.append(c)
                }
            }
            return .string(escaped)
        case .first, .last:
            _ = try BoundArguments(arguments, [], callee: name)
            if case let .iterator(iterator) = value {
                // next(iter(seq)) takes one item; reversed() refuses an iterator.
                guard self == .first else { throw ValueError("'\(iterator.typeName)' object is not reversible") }
                return iterator.next() ?? .undefined
            }
            let items = try value.iterated()
            return (self == .first ? items.first : items.last) ?? .undefined
        case .float:
            let bound = try BoundArguments(arguments, ["default"], callee: name)
            if value.isUndefined { throw ValueError(TemplateValue.undefinedMessage) }
            return Self.toFloat(value).map(TemplateValue.double) ?? bound[0] ?? .double(0)
        case .format:
            if !arguments.positional.isEmpty && !arguments.keyword.isEmpty {
                throw ValueError("can't handle positional and keyword arguments at the same time")
            }
            let values: TemplateValue = arguments.keyword.isEmpty ? .tuple(arguments.positional) : .object(arguments.keyword)
            return .string(try PrintfFormat.format(value.pythonString, values))
        case .indent:
            let bound = try BoundArguments(arguments, ["width", "first", "blank"], callee: name)
            // Jinja appends "\n" to the value itself, which only a string survives.
            guard case let .string(text) = value else {
                throw ValueError("indent: expected a string, not \(value.typeName)")
            }
            let indentation: String
            if case let .string(text)? = bound[0] {
                indentation = text
            } else {
                indentation = String(repeating: " ", count: Swift.max(try bound.int(0, default: 4), 0))
            }
            return .string(Self.indent(text, indentation,
                                       first: bound.bool(1, default: false), blank: bound.bool(2, default: false)))
        case .int:
            let bound = try BoundArguments(arguments, ["default", "base"], callee: name)
            if value.isUndefined { throw ValueError(TemplateValue.undefinedMessage) }
            return Self.toInt(value, base: try bound.int(1, default: 10)).map(TemplateValue.int) ?? bound[0] ?? .int(0)
        case .items:
            _ = try BoundArguments(arguments, [], callee: name)
            switch value {
            case .undefined: return .iterator(TemplateIterator([]))
            case let .object(object):
                return .iterator(TemplateIterator(zip(object.keys, object.values).map { .tuple([$0, $1]) }))
            default: throw ValueError("Can only get item pairs from a mapping.")
            }
        case .join:
            let bound = try BoundArguments(arguments, ["d", "attribute"], callee: name)
            var items = try value.iterated()
            if let attribute = bound[1], attribute != .none { items = try items.map { item throws(ValueError) in try Self.lookup(item, attribute) } }
            return .string(items.map(\.pythonString).joined(separator: bound[0]?.pythonString ?? ""))
        case .length:
            _ = try BoundArguments(arguments, [], callee: name)
            return .int(try value.length())
        case .list:
            _ = try BoundArguments(arguments, [], callee: name)
            return .array(try value.iterated())
        case .lower:
            _ = try BoundArguments(arguments, [], callee: name)
            return .string(PythonString.lower(value.pythonString))
        case .upper:
            _ = try BoundArguments(arguments, [], callee: name)
            return .string(PythonString.upper(value.pythonString))
        case .title:
            _ = try BoundArguments(arguments, [], callee: name)
            return .string(PythonString.jinjaTitle(value.pythonString))
        case .map:
            return .iterator(TemplateIterator(try Self.map(try value.iterated(), arguments)))
        case .max, .min:
            let bound = try BoundArguments(arguments, ["case_sensitive", "attribute"], callee: name)
            let caseSensitive = bound.bool(0, default: false)
            let attribute = bound[1]
            let items = try value.iterated()
            guard var best = items.first else { return .undefined }
            func key(_ item: TemplateValue) throws(ValueError) -> TemplateValue {
                let keyed = try attribute.map { a throws(ValueError) in try Self.lookup(item, a) } ?? item
                return caseSensitive ? keyed : Self.ignoringCase(keyed)
            }
            var bestKey = try key(best)
            for item in items.dropFirst() {
                let itemKey = try key(item)
                if try TemplateValue.order(self == .max ? .greater : .less, itemKey, bestKey) {
                    best = item
                    bestKey = itemKey
                }
            }
            return best
        case .reject, .select:
            let kept = try Self.select(try value.iterated(), arguments, attribute: false, keep: self == .select)
            return .iterator(TemplateIterator(kept))
        case .rejectattr, .selectattr:
            let kept = try Self.select(try value.iterated(), arguments, attribute: true, keep: self == .selectattr)
            return .iterator(TemplateIterator(kept))
        case .replace:
            let bound = try BoundArguments(arguments, ["old", "new", "count"], callee: name)
            let old = try bound.required(0).pythonString, new = try bound.required(1).pythonString
            let count = bound[2] == nil || bound[2] == TemplateValue.none ? -1 : try bound.int(2, default: -1)
            return .string(PythonString.replace(value.pythonString, old, new, count: count))
        case .reverse:
            _ = try BoundArguments(arguments, [], callee: name)
            switch value {
            case let .string(text):
                return .string(String(String.UnicodeScalarView(text.unicodeScalars.reversed())))
            case let .array(values):
                return .iterator(TemplateIterator(values.reversed(), typeName: "list_reverseiterator"))
            case let .tuple(values):
                return .iterator(TemplateIterator(values.reversed(), typeName: "reversed"))
            case let .object(object):
                return .iterator(TemplateIterator(object.keys.reversed(), typeName: "dict_reversekeyiterator"))
            case .undefined:
                return .iterator(TemplateIterator([], typeName: "reversed"))
            default:
                // Jinja falls back to list(value) reversed for what reversed() refuses.
                return .array(try value.iterated().reversed())
            }
        case .round:
            let bound = try BoundArguments(arguments, ["precision", "method"], callee: name)
            return try Self.round(value, precision: try bound.int(0, default: 0), method: try bound.string(1) ?? "common")
        case .safe:
            _ = try BoundArguments(arguments, [], callee: name)
            return value
        case .sort:
            let bound = try BoundArguments(arguments, ["reverse", "case_sensitive", "attribute"], callee: name)
            let caseSensitive = bound.bool(1, default: false)
            let attribute = bound[2]
            return .array(try Self.sorted(try value.iterated(), reverse: bound.bool(0, default: false)) { item throws(ValueError) in
                let keyed = try attribute.map { a throws(ValueError) in try Self.lookup(item, a) } ?? item
                return caseSensitive ? keyed : Self.ignoringCase(keyed)
            })
        case .string:
            _ = try BoundArguments(arguments, [], callee: name)
            return .string(value.pythonString)
        case .sum:
            let bound = try BoundArguments(arguments, ["attribute", "start"], callee: name)
            var total = bound[1] ?? .int(0)
            for item in try value.iterated() {
                let term = try bound[0].map { a throws(ValueError) in try Self.lookup(item, a) } ?? item
                total = try TemplateValue.binary(.add, total, term)
            }
            return total
        case .tojson:
            let bound = try BoundArguments(arguments, ["ensure_ascii", "indent", "separators", "sort_keys"], callee: name)
            var indent: String?
            switch bound[1] {
            case nil, TemplateValue.none?: indent = nil
            case let .string(text)?: indent = text
            case let other?:
                guard case let .int(n)? = other.number else { throw ValueError("tojson(): indent must be an int or a string") }
                indent = String(repeating: " ", count: Swift.max(n, 0))
            }
            var separators: (String, String)?
            if let given = bound[2], given != .none {
                guard let pair = given.elements, pair.count == 2,
                      let item = pair[0].stringValue, let key = pair[1].stringValue
                else { throw ValueError("tojson(): separators must be a pair of strings") }
                separators = (item, key)
            }
            var options = JSONDumpOptions(indent: indent, separators: separators, sortKeys: bound.bool(3, default: false))
            options.ensureASCII = bound.bool(0, default: false)
            return .string(try value.jsonDump(options))
        case .trim:
            let chars = try BoundArguments(arguments, ["chars"], callee: name).string(0)
            return .string(PythonString.strip(value.pythonString, chars))
        case .unique:
            let bound = try BoundArguments(arguments, ["case_sensitive", "attribute"], callee: name)
            var seen: [TemplateValue] = []
            var result: [TemplateValue] = []
            for item in try value.iterated() {
                var key = try bound[1].map { a throws(ValueError) in try Self.lookup(item, a) } ?? item
                if !bound.bool(0, default: false) { key = Self.ignoringCase(key) }
                if !seen.contains(where: { $0.pythonEquals(key) }) {
                    seen.append(key)
                    result.append(item)
                }
            }
            return .iterator(TemplateIterator(result))
        case .wordcount:
            _ = try BoundArguments(arguments, [], callee: name)
            var words = 0, inWord = false
            for c in value.pythonString.unicodeScalars {
                let wordCharacter = c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
                if wordCharacter, !inWord { words += 1 }
                inWord = wordCharacter
            }
            return .int(words)
        }
    }
}
