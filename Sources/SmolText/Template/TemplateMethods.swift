/// Python methods of `str`, `list` and `dict` that chat templates call
/// (`content.strip()`, `message.get('x')`, `text.split('\n')`).
///
/// transformers renders in an immutable sandbox, so methods that would change
/// a list or dict (`append`, `update`, `pop`, …) are refused, as there.
enum TemplateMethods {
    private static let stringMethods: Set<String> = [
        "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith",
        "upper", "lower", "title", "capitalize", "swapcase", "replace", "find", "rfind", "index",
        "rindex", "count", "join", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper",
        "isnumeric", "isdecimal", "zfill", "center", "ljust", "rjust", "format", "removeprefix",
        "removesuffix", "partition", "rpartition",
    ]
    private static let listMethods: Set<String> = ["index", "count", "copy"]
    private static let dictMethods: Set<String> = ["items", "keys", "values", "get", "copy"]
    private static let mutatingListMethods: Set<String> = [
        "append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear",
    ]
    private static let mutatingDictMethods: Set<String> = ["pop", "popitem", "setdefault", "update", "clear"]

    /// Whether `value.name` is a method (including refused mutators, so that
    /// calling one reports the sandbox error rather than "undefined").
    static func has(_ value: TemplateValue, _ name: String) -> Bool {
        switch value {
        case .string: return stringMethods.contains(name)
        case .array: return listMethods.contains(name) || mutatingListMethods.contains(name)
        case .tuple: return name == "index" || name == "count"
        case .object: return dictMethods.contains(name) || mutatingDictMethods.contains(name)
        default: return false
        }
    }

    static func call(_ receiver: TemplateValue, _ name: String, _ arguments: TemplateArguments) throws(ValueError) -> TemplateValue {
        switch receiver {
        case let .string(text): return try callString(text, name, arguments)
        case let .array(values):
            if mutatingListMethods.contains(name) { throw immutable("list", name) }
            return try callList(values, name, arguments)
        case let .tuple(values):
            return try callList(values, name, arguments)
        case let .object(object):
            if mutatingDictMethods.contains(name) { throw immutable("dict", name) }
            return try callDict(object, name, arguments)
        default:
            throw ValueError("'\(receiver.typeName)' object has no attribute '\(name)'")
        }
    }

    private static func immutable(_ type: String, _ name: String) -> ValueError {
        ValueError("access to attribute '\(name)' of '\(type)' object is unsafe: chat templates cannot modify values")
    }

    private static func callList(_ values: [TemplateValue], _ name: String, _ arguments: TemplateArguments) throws(ValueError) -> TemplateValue {
        switch name {
        case "index":
            let bound = try BoundArguments(arguments, ["value"], callee: "index")
            let target = try bound.required(0)
            guard let index = values.firstIndex(where: { $0.pythonEquals(target) }) else {
                throw ValueError("\(target.pythonRepr) is not in list")
            }
            return .int(index)
        case "count":
            let target = try BoundArguments(arguments, ["value"], callee: "count").required(0)
            return .int(values.filter { $0.pythonEquals(target) }.count)
        default:
            _ = try BoundArguments(arguments, [], callee: name)
            return .array(values)
        }
    }

    private static func callDict(_ object: TemplateObject, _ name: String, _ arguments: TemplateArguments) throws(ValueError) -> TemplateValue {
        switch name {
        case "get":
            let bound = try BoundArguments(arguments, ["key", "default"], callee: "get")
            let key = try bound.required(0)
            guard TemplateObject.isHashable(key) else { throw ValueError("unhashable type: '\(key.typeName)'") }
            return object[key: key] ?? bound[1] ?? .none
        case "items":
            _ = try BoundArguments(arguments, [], callee: name)
            return .array(zip(object.keys, object.values).map { .tuple([$0, $1]) })
        case "keys":
            _ = try BoundArguments(arguments, [], callee: name)
            return .array(object.keys)
        case "values":
            _ = try BoundArguments(arguments, [], callee: name)
            return .array(object.values)
        default:
            _ = try BoundArguments(arguments, [], callee: name)
            return .object(object)
        }
    }

    private static func callString(_ text: String, _ name: String, _ arguments: TemplateArguments) throws(ValueError) -> TemplateValue {
        switch name {
        case "strip", "lstrip", "rstrip":
            let chars = try BoundArguments(arguments, ["chars"], callee: name).string(0)
            return .string(PythonString.strip(text, chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "split", "rsplit":
            let bound = try BoundArguments(arguments, ["sep", "maxsplit"], callee: name)
            let separator = try bound.string(0)
            let maxSplit = try bound.int(1, default: -1)
            let parts = name == "split"
                ? try PythonString.split(text, separator: separator, maxSplit: maxSplit)
                : try PythonString.rsplit(text, separator: separator, maxSplit: maxSplit)
            return .array(parts.map { .string($0) })
        case "splitlines":
            let keepEnds = try BoundArguments(arguments, ["keepends"], callee: name).bool(0, default: false)
            return .array(PythonString.splitLines(text, keepEnds: keepEnds).map { .string($0) })
        case "startswith", "endswith":
            let bound = try BoundArguments(arguments, ["prefix", "start", "end"], callee: name)
            var subject = text
            if bound[1] != nil || bound[2] != nil {
                let sliced = try TemplateValue.string(text).slice(start: bound[1], stop: bound[2], step: nil)
                subject = sliced.stringValue ?? ""
            }
            let candidates: [TemplateValue]
            switch try bound.required(0) {
            case let .tuple(values): candidates = values
            case let value: candidates = [value]
            }
            for candidate in candidates {
                guard case let .string(affix) = candidate else {
                    throw ValueError("\(name) first arg must be str or a tuple of str, not \(candidate.typeName)")
                }
                let matched = name == "startswith"
                    ? PythonString.hasPrefix(subject, affix) : PythonString.hasSuffix(subject, affix)
                if matched { return .bool(true) }
            }
            return .bool(false)
        case "upper", "lower", "title", "capitalize", "swapcase":
            _ = try BoundArguments(arguments, [], callee: name)
            switch name {
            case "upper": return .string(PythonString.upper(text))
            case "lower": return .string(PythonString.lower(text))
            case "title": return .string(PythonString.title(text))
            case "capitalize": return .string(PythonString.capitalize(text))
            default:
                return .string(text.unicodeScalars.map { c in
                    c.properties.isLowercase ? c.properties.uppercaseMapping
                        : c.properties.isUppercase ? c.properties.lowercaseMapping : String(c)
                }.joined())
            }
        case "replace":
            guard arguments.keyword.isEmpty else { throw ValueError("str.replace() takes no keyword arguments") }
            let bound = try BoundArguments(arguments, ["old", "new", "count"], callee: name)
            guard let old = try bound.string(0), let new = try bound.string(1) else {
                throw ValueError("replace() arguments must be strings")
            }
            return .string(PythonString.replace(text, old, new, count: try bound.int(2, default: -1)))
        case "find", "rfind", "index", "rindex":
            guard let sub = try BoundArguments(arguments, ["sub"], callee: name).string(0) else {
                throw ValueError("\(name)() argument must be str")
            }
            let position = PythonString.find(text, sub, fromEnd: name.hasPrefix("r"))
            if position < 0, name.hasSuffix("index") { throw ValueError("substring not found") }
            return .int(position)
        case "count":
            guard let sub = try BoundArguments(arguments, ["sub"], callee: name).string(0) else {
                throw ValueError("count() argument must be str")
            }
            return .int(PythonString.count(text, sub))
        case "join":
            let items = try BoundArguments(arguments, ["iterable"], callee: name).required(0).iterated()
            var parts: [String] = []
            for (i, item) in items.enumerated() {
                guard case let .string(part) = item else {
                    throw ValueError("sequence item \(i): expected str instance, \(item.typeName) found")
                }
                parts.append(part)
            }
            return .string(parts.joined(separator: text))
        case "isdigit", "isdecimal", "isnumeric", "isalpha", "isalnum", "isspace":
            _ = try BoundArguments(arguments, [], callee: name)
            guard !text.isEmpty else { return .bool(false) }
            return .bool(text.unicodeScalars.allSatisfy { c in
                switch name {
                case "isdigit", "isdecimal": return c.properties.numericType == .decimal || (name == "isdigit" && c.properties.numericType == .digit)
                case "isnumeric": return c.properties.numericType != nil
                case "isalpha": return c.properties.isAlphabetic
                case "isalnum": return c.properties.isAlphabetic || c.properties.numericType != nil
                default: return PythonString.isSpace(c)
                }
            })
        case "islower", "isupper":
            _ = try BoundArguments(arguments, [], callee: name)
            let cased = text.unicodeScalars.filter { $0.properties.isCased }
            guard !cased.isEmpty else { return .bool(false) }
            return .bool(cased.allSatisfy { name == "islower" ? !$0.properties.isUppercase : !$0.properties.isLowercase })
        case "zfill":
            let width = try BoundArguments(arguments, ["width"], callee: name).int(0, default: 0)
            var scalars = Array(text.unicodeScalars)
            let padding = width - scalars.count
            guard padding > 0 else { return .string(text) }
            let signIndex = (scalars.first == "+" || scalars.first == "-") ? 1 : 0
            scalars.insert(contentsOf: Array(repeating: "0", count: padding), at: signIndex)
            return .string(String(String.UnicodeScalarView(scalars)))
        case "center", "ljust", "rjust":
            let bound = try BoundArguments(arguments, ["width", "fillchar"], callee: name)
            let width = try bound.int(0, default: 0)
            let fill = try bound.string(1) ?? " "
            guard fill.unicodeScalars.count == 1 else { throw ValueError("the fill character must be exactly one character long") }
            let padding = width - PythonString.length(text)
            guard padding > 0 else { return .string(text) }
            switch name {
            case "ljust": return .string(text + String(repeating: fill, count: padding))
            case "rjust": return .string(String(repeating: fill, count: padding) + text)
            default:
                let left = padding / 2 + (padding & width & 1)
                return .string(String(repeating: fill, count: left) + text + String(repeating: fill, count: padding - left))
            }
        case "removeprefix", "removesuffix":
            guard let affix = try BoundArguments(arguments, ["affix"], callee: name).string(0) else {
                throw ValueError("\(name)() argument must be str")
            }
            let utf8 = Array(text.utf8), affixCount = affix.utf8.count
            if name == "removeprefix", PythonString.hasPrefix(text, affix) {
                return .string(String(decoding: utf8[affixCount...], as: UTF8.self))
            }
            if name == "removesuffix", !affix.isEmpty, PythonString.hasSuffix(text, affix) {
                return .string(String(decoding: utf8[..<(utf8.count - affixCount)], as: UTF8.self))
            }
            return .string(text)
        case "partition", "rpartition":
            guard let separator = try BoundArguments(arguments, ["sep"], callee: name).string(0), !separator.isEmpty else {
                throw ValueError("empty separator")
            }
            let parts = name == "partition"
                ? try PythonString.split(text, separator: separator, maxSplit: 1)
                : try PythonString.rsplit(text, separator: separator, maxSplit: 1)
            if parts.count == 2 { return .tuple([.string(parts[0]), .string(separator), .string(parts[1])]) }
            return name == "partition" ? .tuple([.string(text), "", ""]) : .tuple(["", "", .string(text)])
        case "format":
            return .string(try StringFormat.format(text, arguments))
        default:
            throw ValueError("'str' object has no attribute '\(name)'")
        }
    }
}
