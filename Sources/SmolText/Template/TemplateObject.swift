/// A Python dict as templates see it: insertion-ordered, with string keys
/// for everything that comes from JSON or Swift, and the other hashable
/// scalars (`512`, `True`, `None`) for dicts a template builds itself.
///
/// Lookups scan the keys: template dicts hold a handful of entries, where a
/// scan beats hashing.
public struct TemplateObject: Sendable, Equatable {
    /// The keys in insertion order (strings, or for template-made dicts,
    /// integers, floats, booleans or `None`).
    public private(set) var keys: [TemplateValue] = []
    /// The values, parallel to `keys`.
    public private(set) var values: [TemplateValue] = []

    /// An empty dict.
    public init() {}

    /// Builds a dict from pairs; a repeated key keeps its first position and
    /// takes the last value, as a Python dict literal does.
    public init(_ pairs: some Sequence<(String, TemplateValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    /// Keys the caller knows are distinct, with one value each.
    init(uniqueKeys: [TemplateValue], values: [TemplateValue]) {
        keys = uniqueKeys
        self.values = values
    }

    /// The number of entries.
    public var count: Int { keys.count }
    /// Whether the dict has no entries (and so is false in a template).
    public var isEmpty: Bool { keys.isEmpty }

    /// The entries in insertion order.
    public var entries: [(key: TemplateValue, value: TemplateValue)] {
        Array(zip(keys, values).map { (key: $0, value: $1) })
    }

    /// The string keys, in order (what JSON-born dicts have).
    public var stringKeys: [String] { keys.compactMap(\.stringValue) }

    mutating func reserveCapacity(_ capacity: Int) {
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// Appends an entry whose key the caller knows is not present yet.
    mutating func appendNew(_ key: String, _ value: TemplateValue) {
        keys.append(.string(key))
        values.append(value)
    }

    func index(of key: String) -> Int? {
        keys.firstIndex { existing in
            if case let .string(text) = existing { return PythonString.equal(text, key) }
            return false
        }
    }

    /// Python key equality: `1`, `1.0` and `True` are the same key.
    func index(ofKey key: TemplateValue) -> Int? {
        if case let .string(text) = key { return index(of: text) }
        return keys.firstIndex { $0.pythonEquals(key) }
    }

    /// The value for a string key; assigning replaces in place or appends,
    /// and assigning nil removes the entry.
    public subscript(key: String) -> TemplateValue? {
        get {
            guard let index = index(of: key) else { return nil }
            return values[index]
        }
        set { self[key: .string(key)] = newValue }
    }

    /// The value for any hashable key.
    public subscript(key key: TemplateValue) -> TemplateValue? {
        get {
            guard let index = index(ofKey: key) else { return nil }
            return values[index]
        }
        set {
            if let index = index(ofKey: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Whether `value` can be a dict key (Python's hashable scalars).
    static func isHashable(_ value: TemplateValue) -> Bool {
        switch value {
        case .string, .int, .double, .bool, .none: return true
        default: return false
        }
    }

    /// Python dict equality ignores order.
    func pythonEquals(_ other: TemplateObject) -> Bool {
        guard count == other.count else { return false }
        for (key, value) in zip(keys, values) {
            guard let theirs = other[key: key], value.pythonEquals(theirs) else { return false }
        }
        return true
    }

    /// Structural equality, order included.
    public static func == (lhs: TemplateObject, rhs: TemplateObject) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.init(elements)
    }
}
