/// Matches a call's positional and keyword arguments to a Python-style
/// parameter list, as Python does for the filters, tests and methods.
struct BoundArguments {
    private var values: [TemplateValue?]
    private let callee: String
    private let names: [String]

    init(_ arguments: TemplateArguments, _ names: [String], callee: String) throws(ValueError) {
        self.callee = callee
        self.names = names
        values = Array(repeating: nil, count: names.count)
        guard arguments.positional.count <= names.count else {
            throw ValueError("\(callee)() takes at most \(names.count) argument(s) (\(arguments.positional.count) given)")
        }
        for (i, value) in arguments.positional.enumerated() { values[i] = value }
        for (key, value) in zip(arguments.keyword.keys, arguments.keyword.values) {
            let name = key.pythonString
            guard let index = names.firstIndex(of: name) else {
                throw ValueError("\(callee)() got an unexpected keyword argument '\(name)'")
            }
            guard values[index] == nil else {
                throw ValueError("\(callee)() got multiple values for argument '\(name)'")
            }
            values[index] = value
        }
    }

    /// The argument for parameter `index`, nil when not passed.
    subscript(_ index: Int) -> TemplateValue? { values[index] }

    func required(_ index: Int) throws(ValueError) -> TemplateValue {
        guard let value = values[index] else {
            throw ValueError("\(callee)() missing required argument '\(names[index])'")
        }
        return value
    }

    func bool(_ index: Int, default fallback: Bool) -> Bool {
        values[index]?.isTruthy ?? fallback
    }

    func int(_ index: Int, default fallback: Int) throws(ValueError) -> Int {
        guard let value = values[index] else { return fallback }
        guard case let .int(n)? = value.number else {
            throw ValueError("\(callee)(): '\(names[index])' must be an integer, not \(value.typeName)")
        }
        return n
    }

    /// A string argument, where None counts as not passed.
    func string(_ index: Int) throws(ValueError) -> String? {
        guard let value = values[index] else { return nil }
        switch value {
        case .none: return nil
        case let .string(text): return text
        default: throw ValueError("\(callee)(): '\(names[index])' must be a string, not \(value.typeName)")
        }
    }
}
