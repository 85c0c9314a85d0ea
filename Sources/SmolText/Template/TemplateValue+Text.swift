extension TemplateValue {
    /// Python's `str(value)`, which is how `{{ value }}` renders: undefined
    /// is empty, `None`/`True`/`False` spelled as Python does, floats as
    /// `repr(float)`, containers with their items in `repr` form.
    public var pythonString: String {
        switch self {
        case .undefined: return ""
        case let .string(value): return value
        default: return pythonRepr
        }
    }

    /// Python's `repr(value)`, used for items inside lists and dicts.
    public var pythonRepr: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "None"
        case let .bool(value): return value ? "True" : "False"
        case let .int(value): return String(value)
        case let .double(value): return PythonFloat.repr(value)
        case let .string(value): return PythonString.repr(value)
        case let .array(values):
            return "[" + values.map(\.pythonRepr).joined(separator: ", ") + "]"
        case let .tuple(values):
            if values.count == 1 { return "(" + values[0].pythonRepr + ",)" }
            return "(" + values.map(\.pythonRepr).joined(separator: ", ") + ")"
        case let .object(object):
            return Self.reprDict(object)
        case let .function(function): return "<function \(function.name)>"
        case let .namespace(namespace): return "<Namespace " + Self.reprDict(namespace.attributes) + ">"
        case let .iterator(iterator): return "<\(iterator.typeName) object>"
        }
    }

    private static func reprDict(_ object: TemplateObject) -> String {
        let items = zip(object.keys, object.values).map { $0.pythonRepr + ": " + $1.pythonRepr }
        return "{" + items.joined(separator: ", ") + "}"
    }
}
