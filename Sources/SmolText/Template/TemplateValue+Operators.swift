import Foundation

/// Python's arithmetic and comparison rules over template values: `bool`
/// counts as an integer, `/` always gives a float, `//` and `%` round toward
/// negative infinity, `+` joins strings and lists, and using an undefined
/// value in arithmetic is an error (Jinja's default `Undefined`).
extension TemplateValue {
    /// An integer or float operand; `True`/`False` are `1`/`0`.
    enum Number {
        case int(Int)
        case double(Double)

        var asDouble: Double {
            switch self {
            case let .int(value): return Double(value)
            case let .double(value): return value
            }
        }
    }

    var number: Number? {
        switch self {
        case let .int(value): return .int(value)
        case let .bool(value): return .int(value ? 1 : 0)
        case let .double(value): return .double(value)
        default: return nil
        }
    }

    static let undefinedMessage = "an undefined value cannot be used here"

    /// Python `==`: numbers compare by value across int/float/bool, strings by
    /// code point, dicts regardless of order.
    func pythonEquals(_ other: TemplateValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case let (.string(a), .string(b)): return PythonString.equal(a, b)
        case let (.array(a), .array(b)), let (.tuple(a), .tuple(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.pythonEquals($1) }
        case let (.object(a), .object(b)): return a.pythonEquals(b)
        case let (.function(a), .function(b)): return a.name == b.name
        case let (.namespace(a), .namespace(b)): return a === b
        case let (.iterator(a), .iterator(b)): return a === b
        case (.iterator, _), (_, .iterator): return false
        default:
            guard let a = number, let b = other.number else { return false }
            switch (a, b) {
            case let (.int(x), .int(y)): return x == y
            default: return a.asDouble == b.asDouble
            }
        }
    }

    /// Python ordering for `<`, `<=`, `>`, `>=`: numbers, strings by code
    /// point, lists item by item; anything else is a type error.
    static func order(_ op: CompareOperator, _ a: TemplateValue, _ b: TemplateValue) throws(ValueError) -> Bool {
        if a.isUndefined || b.isUndefined { throw ValueError(undefinedMessage) }
        if let x = a.number, let y = b.number {
            switch (x, y) {
            case let (.int(l), .int(r)): return apply(op, l, r)
            default: return apply(op, x.asDouble, y.asDouble)
            }
        }
        switch (a, b) {
        case let (.string(l), .string(r)):
            switch op {
            case .less: return PythonString.less(l, r)
            case .lessOrEqual: return !PythonString.less(r, l)
            case .greater: return PythonString.less(r, l)
            default: return !PythonString.less(l, r)
            }
        case let (.array(l), .array(r)), let (.tuple(l), .tuple(r)):
            for (x, y) in zip(l, r) where !x.pythonEquals(y) {
                return try order(op, x, y)
            }
            return apply(op, l.count, r.count)
        default:
            throw ValueError("'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    private static func apply<T: Comparable>(_ op: CompareOperator, _ l: T, _ r: T) -> Bool {
        switch op {
        case .less: return l < r
        case .lessOrEqual: return l <= r
        case .greater: return l > r
        default: return l >= r
        }
    }

    /// Python's `item in container`.
    static func contains(_ container: TemplateValue, _ item: TemplateValue) throws(ValueError) -> Bool {
        switch container {
        case let .string(text):
            guard case let .string(needle) = item else {
                throw ValueError("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return PythonString.contains(text, needle)
        case let .array(values), let .tuple(values): return values.contains { $0.pythonEquals(item) }
        case let .object(object):
            if item.isUndefined { return false }
            guard TemplateObject.isHashable(item) else { throw ValueError("unhashable type: '\(item.typeName)'") }
            return object[key: item] != nil
        case .undefined: return false
        case let .iterator(iterator):
            // Like Python, membership consumes the iterator up to the match.
            while let next = iterator.next() {
                if next.pythonEquals(item) { return true }
            }
            return false
        default: throw ValueError("argument of type '\(container.typeName)' is not iterable")
        }
    }

    static func binary(_ op: BinaryOperator, _ a: TemplateValue, _ b: TemplateValue) throws(ValueError) -> TemplateValue {
        // `'%s' % undefined` formats it (as ''); other arithmetic on undefined fails.
        if case .modulo = op, case let .string(format) = a, b.isUndefined {
            return .string(try PrintfFormat.format(format, b))
        }
        if a.isUndefined || b.isUndefined { throw ValueError(undefinedMessage) }
        if let x = a.number, let y = b.number { return try arithmetic(op, x, y) }
        switch (op, a, b) {
        case let (.add, .string(l), .string(r)): return .string(l + r)
        case let (.add, .array(l), .array(r)): return .array(l + r)
        case let (.add, .tuple(l), .tuple(r)): return .tuple(l + r)
        case let (.multiply, .string(text), count), let (.multiply, count, .string(text)):
            guard case let .int(n)? = count.number else { break }
            return .string(String(repeating: text, count: max(n, 0)))
        case let (.multiply, .array(values), count), let (.multiply, count, .array(values)):
            guard case let .int(n)? = count.number else { break }
            return .array(Array([[TemplateValue]](repeating: values, count: max(n, 0)).joined()))
        case let (.multiply, .tuple(values), count), let (.multiply, count, .tuple(values)):
            guard case let .int(n)? = count.number else { break }
            return .tuple(Array([[TemplateValue]](repeating: values, count: max(n, 0)).joined()))
        case let (.modulo, .string(format), arguments):
            return .string(try PrintfFormat.format(format, arguments))
        default:
            break
        }
        throw ValueError("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
    }

    private static func arithmetic(_ op: BinaryOperator, _ x: Number, _ y: Number) throws(ValueError) -> TemplateValue {
        if case let .int(l) = x, case let .int(r) = y {
            let result: (Int, Bool)
            switch op {
            case .add: result = l.addingReportingOverflow(r)
            case .subtract: result = l.subtractingReportingOverflow(r)
            case .multiply: result = l.multipliedReportingOverflow(by: r)
            case .divide:
                guard r != 0 else { throw ValueError("division by zero") }
                return .double(Double(l) / Double(r))
            case .floorDivide:
                guard r != 0 else { throw ValueError("integer division or modulo by zero") }
                if l == .min && r == -1 { throw ValueError("integer overflow") }
                let quotient = l / r
                return .int((l % r != 0) && ((l < 0) != (r < 0)) ? quotient - 1 : quotient)
            case .modulo:
                guard r != 0 else { throw ValueError("integer division or modulo by zero") }
                if r == -1 { return .int(0) }
                let remainder = l % r
                return .int(remainder != 0 && ((remainder < 0) != (r < 0)) ? remainder + r : remainder)
            case .power:
                guard r >= 0 else {
                    if l == 0 { throw ValueError("0.0 cannot be raised to a negative power") }
                    return .double(Foundation.pow(Double(l), Double(r)))
                }
                var base = l, exponent = r, accumulator = 1
                while exponent > 0 {
                    if exponent & 1 == 1 {
                        let (next, overflow) = accumulator.multipliedReportingOverflow(by: base)
                        if overflow { throw ValueError("integer overflow") }
                        accumulator = next
                    }
                    exponent >>= 1
                    if exponent > 0 {
                        let (square, overflow) = base.multipliedReportingOverflow(by: base)
                        if overflow { throw ValueError("integer overflow") }
                        base = square
                    }
                }
                return .int(accumulator)
            }
            if result.1 { throw ValueError("integer overflow") }
            return .int(result.0)
        }
        let l = x.asDouble, r = y.asDouble
        switch op {
        case .add: return .double(l + r)
        case .subtract: return .double(l - r)
        case .multiply: return .double(l * r)
        case .divide:
            guard r != 0 else { throw ValueError("float division by zero") }
            return .double(l / r)
        case .floorDivide:
            guard r != 0 else { throw ValueError("float floor division by zero") }
            return .double(pythonFloatModulo(l, r).quotient)
        case .modulo:
            guard r != 0 else { throw ValueError("float modulo") }
            return .double(pythonFloatModulo(l, r).remainder)
        case .power:
            if l == 0, r < 0 { throw ValueError("0.0 cannot be raised to a negative power") }
            let result = Foundation.pow(l, r)
            // Python raises where C's pow overflows to infinity.
            if result.isInfinite, l.isFinite, r.isFinite { throw ValueError("(34, 'Numerical result out of range')") }
            return .double(result)
        }
    }

    /// CPython's float divmod: the remainder takes the divisor's sign.
    private static func pythonFloatModulo(_ l: Double, _ r: Double) -> (quotient: Double, remainder: Double) {
        var remainder = fmod(l, r)
        var quotient = (l - remainder) / r
        if remainder != 0 {
            if (r < 0) != (remainder < 0) {
                remainder += r
                quotient -= 1
            }
        } else {
            remainder = r < 0 ? -0.0 : 0.0
        }
        var floorQuotient: Double
        if quotient != 0 {
            floorQuotient = quotient.rounded(.down)
            if quotient - floorQuotient > 0.5 { floorQuotient += 1 }
        } else {
            floorQuotient = (l / r) < 0 ? -0.0 : 0.0
        }
        return (floorQuotient, remainder)
    }

    /// Unary minus and plus.
    func negated() throws(ValueError) -> TemplateValue {
        switch number {
        case let .int(value)?:
            guard value != .min else { throw ValueError("integer overflow") }
            return .int(-value)
        case let .double(value)?: return .double(-value)
        case nil:
            if isUndefined { throw ValueError(Self.undefinedMessage) }
            throw ValueError("bad operand type for unary -: '\(typeName)'")
        }
    }

    func unaryPlus() throws(ValueError) -> TemplateValue {
        switch number {
        case let .int(value)?: return .int(value)
        case let .double(value)?: return .double(value)
        case nil:
            if isUndefined { throw ValueError(Self.undefinedMessage) }
            throw ValueError("bad operand type for unary +: '\(typeName)'")
        }
    }
}
