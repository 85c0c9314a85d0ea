/// The `is` tests of Jinja (`x is defined`, `x is string`, `n is
/// divisibleby 3`), with Python's type rules: `True` is a number, a string
/// is iterable, and Jinja's undefined is iterable and a sequence.
enum TemplateTest: String, Sendable, CaseIterable {
    case defined, undefined, none, boolean, `false`, `true`, integer, float, number, string
    case mapping, iterable, sequence, callable, odd, even, divisibleby
    case eq, ne, lt, le, gt, ge, `in`, sameas, lower, upper, escaped, filter, test

    private static let aliases: [String: TemplateTest] = [
        "equalto": .eq, "==": .eq, "!=": .ne, "lessthan": .lt, "<": .lt, "<=": .le,
        "greaterthan": .gt, ">": .gt, ">=": .ge,
    ]

    init?(named name: String) {
        if let test = TemplateTest(rawValue: name) ?? Self.aliases[name] {
            self = test
        } else {
            return nil
        }
    }

    func evaluate(_ value: TemplateValue, _ arguments: TemplateArguments) throws(ValueError) -> Bool {
        let name = rawValue
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge, .in, .sameas, .divisibleby, .filter, .test:
            let other = try BoundArguments(arguments, ["other"], callee: name).required(0)
            switch self {
            case .eq: return value.pythonEquals(other)
            case .ne: return !value.pythonEquals(other)
            case .lt: return try TemplateValue.order(.less, value, other)
            case .le: return try TemplateValue.order(.lessOrEqual, value, other)
            case .gt: return try TemplateValue.order(.greater, value, other)
            case .ge: return try TemplateValue.order(.greaterOrEqual, value, other)
            case .in: return try TemplateValue.contains(other, value)
            case .sameas: return Self.isSame(value, other)
            case .divisibleby:
                guard case let .int(divisor)? = other.number, case let .int(n)? = value.number else {
                    return try TemplateValue.binary(.modulo, value, other).pythonEquals(.int(0))
                }
                guard divisor != 0 else { throw ValueError("integer division or modulo by zero") }
                return divisor == -1 || n % divisor == 0
            case .filter: return other.stringValue.flatMap(TemplateFilter.init(named:)) != nil
            default: return other.stringValue.flatMap(TemplateTest.init(named:)) != nil
            }
        default:
            _ = try BoundArguments(arguments, [], callee: name)
        }
        switch self {
        case .defined: return !value.isUndefined
        case .undefined: return value.isUndefined
        case .none:
            if case .none = value { return true }
            return false
        case .boolean:
            if case .bool = value { return true }
            return false
        case .false: return value == .bool(false)
        case .true: return value == .bool(true)
        case .integer:
            if case .int = value { return true }
            return false
        case .float:
            if case .double = value { return true }
            return false
        case .number: return value.number != nil
        case .string: return value.stringValue != nil
        case .mapping: return value.objectValue != nil
        case .iterable, .sequence:
            switch value {
            case .string, .array, .tuple, .object, .undefined: return true
            case .iterator: return self == .iterable
            default: return false
            }
        case .callable:
            switch value {
            case .function, .undefined: return true
            default: return false
            }
        case .odd, .even:
            // Jinja computes `value % 2`, so floats work too (2.0 is even).
            let remainder = try TemplateValue.binary(.modulo, value, .int(2))
            return remainder.pythonEquals(.int(self == .odd ? 1 : 0))
        case .lower, .upper:
            let cased = value.pythonString.unicodeScalars.filter { $0.properties.isCased }
            guard !cased.isEmpty else { return false }
            return cased.allSatisfy { self == .lower ? !$0.properties.isUppercase : !$0.properties.isLowercase }
        case .escaped:
            return false
        default:
            return false
        }
    }

    /// Python's `is`: singletons compare by identity, everything else made
    /// by a template is a distinct object unless it is a small integer or
    /// the same string.
    private static func isSame(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.none, .none), (.undefined, .undefined): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y && (-5...256).contains(x)
        case let (.string(x), .string(y)): return PythonString.equal(x, y)
        case let (.namespace(x), .namespace(y)): return x === y
        case let (.iterator(x), .iterator(y)): return x === y
        default: return false
        }
    }
}
