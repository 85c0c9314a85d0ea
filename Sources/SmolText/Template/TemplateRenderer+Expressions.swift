/// Expression evaluation: names through the scopes, the context and the
/// globals; operators, filters and tests with Python's rules; errors
/// located at the expression.
extension TemplateRenderer {
    func lookup(_ name: String) -> TemplateValue {
        var i = bindings.count - 1
        while i >= 0 {
            if bindings[i].name == name { return bindings[i].value }
            i -= 1
        }
        if let value = context[name] { return value }
        if let global = GlobalFunction.byName[name] {
            return .function(TemplateFunction(name: name, kind: .global(global)))
        }
        return .undefined
    }

    func located<T>(_ location: TemplateLocation, _ body: () throws(ValueError) -> T) throws(TemplateError) -> T {
        do {
            return try body()
        } catch {
            throw error.located(at: location)
        }
    }

    /// How an expression reads in an "is undefined" message.
    static func describe(_ expression: Expression) -> String? {
        switch expression.kind {
        case let .name(name): return name
        case let .attribute(base, name): return describe(base).map { "\($0).\(name)" }
        case let .item(base, key):
            guard case let .literal(value) = key.kind else { return nil }
            return describe(base).map { "\($0)[\(value.pythonRepr)]" }
        default: return nil
        }
    }

    func undefinedError(_ expression: Expression, at location: TemplateLocation) -> TemplateError {
        let name = Self.describe(expression).map { "'\($0)'" } ?? "value"
        return .runtime(message: "\(name) is undefined", location: location)
    }

    func evaluateArguments(_ arguments: CallArguments) throws(TemplateError) -> TemplateArguments {
        var evaluated = TemplateArguments()
        evaluated.positional.reserveCapacity(arguments.positional.count)
        for expression in arguments.positional { evaluated.positional.append(try evaluate(expression)) }
        for (name, expression) in arguments.keyword { evaluated.keyword[name] = try evaluate(expression) }
        if let splat = arguments.splat {
            let items = try evaluate(splat)
            evaluated.positional += try located(splat.location) { () throws(ValueError) in try items.iterated() }
        }
        if let keywordSplat = arguments.keywordSplat {
            guard case let .object(object) = try evaluate(keywordSplat) else {
                throw .runtime(message: "argument after ** must be a mapping", location: keywordSplat.location)
            }
            for (key, value) in zip(object.keys, object.values) {
                guard case let .string(name) = key else {
                    throw .runtime(message: "keywords must be strings", location: keywordSplat.location)
                }
                evaluated.keyword[name] = value
            }
        }
        return evaluated
    }

    func evaluate(_ expression: Expression) throws(TemplateError) -> TemplateValue {
        let location = expression.location
        switch expression.kind {
        case let .literal(value):
            return value
        case let .name(name):
            return lookup(name)
        case let .list(items):
            var values: [TemplateValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case let .tuple(items):
            var values: [TemplateValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .tuple(values)
        case let .dict(entries):
            var object = TemplateObject()
            for (keyExpression, valueExpression) in entries {
                let key = try evaluate(keyExpression)
                guard TemplateObject.isHashable(key) else {
                    throw .runtime(message: "unhashable type: '\(key.typeName)'", location: keyExpression.location)
                }
                object[key: key] = try evaluate(valueExpression)
            }
            return .object(object)
        case let .attribute(base, name):
            let value = try evaluate(base)
            if value.isUndefined { throw undefinedError(base, at: location) }
            return try located(location) { () throws(ValueError) in try value.attribute(name) }
        case let .item(base, keyExpression):
            let value = try evaluate(base)
            if value.isUndefined { throw undefinedError(base, at: location) }
            let key = try evaluate(keyExpression)
            return try located(location) { () throws(ValueError) in try value.item(key) }
        case let .slice(base, start, stop, step):
            let value = try evaluate(base)
            if value.isUndefined { throw undefinedError(base, at: location) }
            let bounds = (try start.map(evaluate), try stop.map(evaluate), try step.map(evaluate))
            return try located(location) { () throws(ValueError) in
                try value.slice(start: bounds.0, stop: bounds.1, step: bounds.2)
            }
        case let .call(callee, arguments):
            return try evaluateCall(callee, arguments, at: location)
        case let .filter(base, filter, arguments):
            let value = try evaluate(base)
            let evaluated = try evaluateArguments(arguments)
            return try located(location) { () throws(ValueError) in try filter.apply(value, evaluated) }
        case let .test(base, test, arguments, negated):
            let value = try evaluate(base)
            let evaluated = try evaluateArguments(arguments)
            let passed = try located(location) { () throws(ValueError) in try test.evaluate(value, evaluated) }
            return .bool(passed != negated)
        case let .unknownFilter(_, name, _):
            throw .unknownFilter(name: name, location: location)
        case let .unknownTest(_, name, _):
            throw .unknownTest(name: name, location: location)
        case let .negate(operand):
            let value = try evaluate(operand)
            if value.isUndefined { throw undefinedError(operand, at: location) }
            return try located(location) { () throws(ValueError) in try value.negated() }
        case let .plus(operand):
            let value = try evaluate(operand)
            if value.isUndefined { throw undefinedError(operand, at: location) }
            return try located(location) { () throws(ValueError) in try value.unaryPlus() }
        case let .not(operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case let .binary(op, leftExpression, rightExpression):
            let left = try evaluate(leftExpression)
            if left.isUndefined { throw undefinedError(leftExpression, at: location) }
            let right = try evaluate(rightExpression)
            if right.isUndefined, !(op == .modulo && left.stringValue != nil) {
                throw undefinedError(rightExpression, at: location)
            }
            return try located(location) { () throws(ValueError) in try TemplateValue.binary(op, left, right) }
        case let .compare(first, operations):
            var left = try evaluate(first)
            for (op, rightExpression) in operations {
                let right = try evaluate(rightExpression)
                let lhs = left
                let holds = try located(location) { () throws(ValueError) -> Bool in
                    switch op {
                    case .equal: return lhs.pythonEquals(right)
                    case .notEqual: return !lhs.pythonEquals(right)
                    case .contains: return try TemplateValue.contains(right, lhs)
                    case .notContains: return !(try TemplateValue.contains(right, lhs))
                    default: return try TemplateValue.order(op, lhs, right)
                    }
                }
                if !holds { return .bool(false) }
                left = right
            }
            return .bool(true)
        case let .and(leftExpression, rightExpression):
            let left = try evaluate(leftExpression)
            return left.isTruthy ? try evaluate(rightExpression) : left
        case let .or(leftExpression, rightExpression):
            let left = try evaluate(leftExpression)
            return left.isTruthy ? left : try evaluate(rightExpression)
        case let .concat(operands):
            var text = ""
            for operand in operands { text += try evaluate(operand).pythonString }
            return .string(text)
        case let .conditional(condition, then, otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(then) }
            return try otherwise.map(evaluate) ?? .undefined
        }
    }
}
