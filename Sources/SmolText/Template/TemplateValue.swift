import SmolTensor

/// A value as a chat template sees it: the JSON-like data of a conversation
/// plus Jinja's `undefined`, callables and namespaces.
///
/// Behaviour follows Python and Jinja rather than Swift: truthiness (empty
/// string, list and dict are false), `str()` rendering (`True`, `None`,
/// `1.0`, `['a', 1]`) and `tojson` are those of transformers' Jinja
/// environment. Swift's `==` is structural (`.int(1) != .double(1.0)`); the
/// template's own `==` compares the Python way (`1 == 1.0`).
public enum TemplateValue: Sendable {
    /// A missing variable, key or attribute: renders as an empty string, is
    /// false, and iterates as nothing (Jinja's default `Undefined`).
    case undefined
    /// Python's `None`.
    case none
    /// `True` / `False`.
    case bool(Bool)
    /// A Python `int` (this engine errors where Python would grow past 64 bits).
    case int(Int)
    /// A Python `float`.
    case double(Double)
    /// A Python `str`; indexing and `length` count Unicode scalars, as Python does.
    case string(String)
    /// A Python list.
    case array([TemplateValue])
    /// A Python tuple: `(a, b)`, `a, b`, the pairs of `dict.items()`.
    case tuple([TemplateValue])
    /// A Python dict with string keys, in insertion order.
    case object(TemplateObject)
    /// A callable: a function from the context (such as `strftime_now`), a
    /// built-in global, a bound method or a macro.
    case function(TemplateFunction)
    /// A mutable attribute holder made by `namespace(...)` inside a template.
    case namespace(TemplateNamespace)
    /// A one-shot sequence from filters such as `map` and `select` (Python
    /// generators): always true, no length, consumed by iteration.
    case iterator(TemplateIterator)
}

extension TemplateValue {
    /// Converts parsed JSON: `null` is `None`, numbers keep their integer or
    /// float nature, objects keep their key order (a repeated key keeps its
    /// first position and its last value, as Python's `json` does).
    package init(_ json: JSONValue) {
        switch json {
        case .null: self = .none
        case let .bool(value): self = .bool(value)
        case let .integer(value): self = .int(value)
        case let .number(value): self = .double(value)
        case let .string(value): self = .string(value)
        case let .array(values): self = .array(values.map(TemplateValue.init))
        case let .object(entries):
            var object = TemplateObject()
            object.reserveCapacity(entries.count)
            for (key, value) in entries { object[key] = TemplateValue(value) }
            self = .object(object)
        }
    }

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case let .bool(value): return value
        case let .int(value): return value != 0
        case let .double(value): return value != 0
        case let .string(value): return !value.isEmpty
        case let .array(values), let .tuple(values): return !values.isEmpty
        case let .object(object): return !object.isEmpty
        case .function, .namespace, .iterator: return true
        }
    }

    /// Whether this is Jinja's undefined.
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    /// The integer payload, if this is an integer (booleans are not).
    public var intValue: Int? {
        if case let .int(value) = self { return value }
        return nil
    }

    /// The elements, if this is a list.
    public var arrayValue: [TemplateValue]? {
        if case let .array(values) = self { return values }
        return nil
    }

    /// The elements of a list or a tuple.
    var elements: [TemplateValue]? {
        switch self {
        case let .array(values), let .tuple(values): return values
        default: return nil
        }
    }

    /// The dict, if this is one.
    public var objectValue: TemplateObject? {
        if case let .object(object) = self { return object }
        return nil
    }

    /// The value under `key` when this is a dict, else nil.
    public subscript(key: String) -> TemplateValue? {
        if case let .object(object) = self { return object[key] }
        return nil
    }

    /// The Python type name, for error messages.
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .tuple: return "tuple"
        case .object: return "dict"
        case .function: return "function"
        case .namespace: return "Namespace"
        case let .iterator(iterator): return iterator.typeName
        }
    }
}

extension TemplateValue: Equatable {
    /// Structural equality: same case and payload. Functions are equal when
    /// they have the same name; namespaces when they are the same object.
    public static func == (lhs: TemplateValue, rhs: TemplateValue) -> Bool {
        switch (lhs, rhs) {
        case (.undefined, .undefined), (.none, .none): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)), let (.tuple(a), .tuple(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        case let (.function(a), .function(b)): return a.name == b.name
        case let (.namespace(a), .namespace(b)): return a === b
        case let (.iterator(a), .iterator(b)): return a === b
        default: return false
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(TemplateObject(elements))
    }
    /// `nil` is Python's `None`.
    public init(nilLiteral: ()) { self = .none }
}
