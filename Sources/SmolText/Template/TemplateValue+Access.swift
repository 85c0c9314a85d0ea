/// Attribute, item and slice access and iteration, as Jinja's sandboxed
/// environment does them: `a.b` tries a Python attribute (a method) before
/// the item, `a['b']` the item before the attribute, and a failed lookup
/// is undefined — except on an undefined value, where it is an error.
extension TemplateValue {
    /// `value.name`.
    func attribute(_ name: String) throws(ValueError) -> TemplateValue {
        switch self {
        case .undefined:
            throw ValueError("cannot read attribute '\(name)' of an undefined value")
        case let .object(object):
            if TemplateMethods.has(self, name) { return boundMethod(name) }
            return object[name] ?? .undefined
        case let .namespace(namespace):
            return namespace[name] ?? .undefined
        default:
            return TemplateMethods.has(self, name) ? boundMethod(name) : .undefined
        }
    }

    /// `value[key]`.
    func item(_ key: TemplateValue) throws(ValueError) -> TemplateValue {
        switch self {
        case .undefined:
            throw ValueError("cannot read item \(key.pythonRepr) of an undefined value")
        case let .array(values), let .tuple(values):
            if case let .int(index)? = key.number, key.isIndex {
                let resolved = index < 0 ? index + values.count : index
                return values.indices.contains(resolved) ? values[resolved] : .undefined
            }
        case let .string(text):
            if case let .int(index)? = key.number, key.isIndex {
                let scalars = text.unicodeScalars
                let count = scalars.count
                let resolved = index < 0 ? index + count : index
                guard resolved >= 0, resolved < count else { return .undefined }
                return .string(String(scalars[scalars.index(scalars.startIndex, offsetBy: resolved)]))
            }
        case let .object(object):
            if TemplateObject.isHashable(key), let value = object[key: key] { return value }
        case let .namespace(namespace):
            if case let .string(name) = key { return namespace[name] ?? .undefined }
        default:
            break
        }
        // Python's item lookup failed; Jinja falls back to the attribute.
        if case let .string(name) = key, TemplateMethods.has(self, name) { return boundMethod(name) }
        return .undefined
    }

    /// Integers and booleans index lists (floats do not).
    private var isIndex: Bool {
        switch self {
        case .int, .bool: return true
        default: return false
        }
    }

    private func boundMethod(_ name: String) -> TemplateValue {
        .function(TemplateFunction(name: name, kind: .method(receiver: self, name: name)))
    }

    /// `value[start:stop:step]` with Python's clamping of out-of-range bounds.
    func slice(start: TemplateValue?, stop: TemplateValue?, step: TemplateValue?) throws(ValueError) -> TemplateValue {
        func bound(_ value: TemplateValue?) throws(ValueError) -> Int? {
            guard let value else { return nil }
            switch value {
            case .none: return nil
            case .int, .bool:
                if case let .int(n)? = value.number { return n }
                return nil
            default: throw ValueError("slice indices must be integers or None")
            }
        }
        let stepValue = try bound(step) ?? 1
        guard stepValue != 0 else { throw ValueError("slice step cannot be zero") }
        let startValue = try bound(start), stopValue = try bound(stop)
        switch self {
        case .undefined:
            throw ValueError("cannot slice an undefined value")
        case let .array(values):
            let indices = Self.sliceIndices(count: values.count, startValue, stopValue, stepValue)
            return .array(indices.map { values[$0] })
        case let .tuple(values):
            let indices = Self.sliceIndices(count: values.count, startValue, stopValue, stepValue)
            return .tuple(indices.map { values[$0] })
        case let .string(text):
            let scalars = Array(text.unicodeScalars)
            let indices = Self.sliceIndices(count: scalars.count, startValue, stopValue, stepValue)
            return .string(String(String.UnicodeScalarView(indices.map { scalars[$0] })))
        case .object:
            throw ValueError("unhashable type: 'slice'")
        case .iterator:
            throw ValueError("'\(typeName)' object is not subscriptable")
        default:
            return .undefined
        }
    }

    /// CPython's PySlice_AdjustIndices, then the selected positions.
    private static func sliceIndices(count: Int, _ start: Int?, _ stop: Int?, _ step: Int) -> [Int] {
        func adjust(_ value: Int?, default fallback: Int, low: Int, high: Int) -> Int {
            guard var v = value else { return fallback }
            if v < 0 {
                v += count
                if v < 0 { v = low }
            } else if v >= count {
                v = high
            }
            return v
        }
        var indices: [Int] = []
        if step > 0 {
            var i = adjust(start, default: 0, low: 0, high: count)
            let end = adjust(stop, default: count, low: 0, high: count)
            while i < end {
                indices.append(i)
                i += step
            }
        } else {
            var i = adjust(start, default: count - 1, low: -1, high: count - 1)
            let end = adjust(stop, default: -1, low: -1, high: count - 1)
            while i > end {
                indices.append(i)
                i += step
            }
        }
        return indices
    }

    /// The items of `for x in value`: list elements, the code points of a
    /// string, the keys of a dict, nothing for undefined.
    func iterated() throws(ValueError) -> [TemplateValue] {
        switch self {
        case let .array(values), let .tuple(values): return values
        case let .string(text): return text.unicodeScalars.map { .string(String($0)) }
        case let .object(object): return object.keys
        case .undefined: return []
        case let .iterator(iterator): return iterator.drain()
        default: throw ValueError("'\(typeName)' object is not iterable")
        }
    }

    /// `len(value)`; undefined has length 0 in Jinja.
    func length() throws(ValueError) -> Int {
        switch self {
        case let .array(values), let .tuple(values): return values.count
        case let .string(text): return PythonString.length(text)
        case let .object(object): return object.count
        case .undefined: return 0
        default: throw ValueError("object of type '\(typeName)' has no len()")
        }
    }
}
