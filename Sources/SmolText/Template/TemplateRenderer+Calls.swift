/// Calls: methods on strings, lists and dicts, context functions, globals,
/// macros and `{% call %}` bodies.
extension TemplateRenderer {
    func evaluateCall(
        _ callee: Expression, _ arguments: CallArguments, at location: TemplateLocation
    ) throws(TemplateError) -> TemplateValue {
        // `x.method(...)` calls the method directly instead of binding it first.
        if case let .attribute(base, name) = callee.kind {
            let receiver = try evaluate(base)
            if receiver.isUndefined { throw undefinedError(base, at: location) }
            let evaluated = try evaluateArguments(arguments)
            if TemplateMethods.has(receiver, name) {
                return try located(location) { () throws(ValueError) in
                    try TemplateMethods.call(receiver, name, evaluated)
                }
            }
            let function = try located(location) { () throws(ValueError) in try receiver.attribute(name) }
            return try call(function, evaluated, callee: callee, at: location)
        }
        let function = try evaluate(callee)
        return try call(function, try evaluateArguments(arguments), callee: callee, at: location)
    }

    func call(
        _ function: TemplateValue, _ arguments: TemplateArguments, callee: Expression, at location: TemplateLocation
    ) throws(TemplateError) -> TemplateValue {
        guard case let .function(function) = function else {
            if function.isUndefined { throw undefinedError(callee, at: location) }
            throw .runtime(message: "'\(function.typeName)' object is not callable", location: location)
        }
        switch function.kind {
        case let .native(body):
            do {
                return try body(arguments)
            } catch {
                if case let .runtime(message, errorLocation) = error, errorLocation == .unknown {
                    throw .runtime(message: message, location: location)
                }
                throw error
            }
        case let .global(global):
            return try located(location) { () throws(ValueError) in try global.call(arguments) }
        case let .method(receiver, name):
            return try located(location) { () throws(ValueError) in try TemplateMethods.call(receiver, name, arguments) }
        case let .macro(macro):
            return try callMacro(macro, arguments, scope: nil, at: location)
        case let .caller(macro, captured):
            return try callMacro(macro, arguments, scope: captured, at: location)
        }
    }

    /// A macro runs in a scope of its parameters over the template's top
    /// level (a caller block: over the names visible where it was written)
    /// and returns what it rendered.
    func callMacro(
        _ macro: Macro, _ arguments: TemplateArguments, scope: [(name: String, value: TemplateValue)]?,
        at location: TemplateLocation
    ) throws(TemplateError) -> TemplateValue {
        let parameterCount = macro.parameters.count
        if arguments.positional.count > parameterCount, !macro.takesVarargs {
            throw .runtime(
                message: "macro '\(macro.name)' takes not more than \(parameterCount) argument(s)", location: location)
        }
        var extraKeywords = TemplateObject()
        var caller: TemplateValue?
        for (key, value) in zip(arguments.keyword.keys, arguments.keyword.values) {
            let name = key.pythonString
            if macro.parameters.contains(where: { $0.name == name }) { continue }
            if name == "caller", macro.takesCaller {
                caller = value
            } else if macro.takesKwargs {
                extraKeywords[key: key] = value
            } else {
                throw .runtime(message: "macro '\(macro.name)' takes no keyword argument '\(name)'", location: location)
            }
        }
        let savedBindings = bindings, savedStarts = scopeStarts
        if let scope {
            bindings = scope
        } else {
            let topLevelEnd = scopeStarts.count > 1 ? scopeStarts[1] : bindings.count
            bindings.removeSubrange(topLevelEnd...)
        }
        scopeStarts = [0]
        pushScope()
        for (index, parameter) in macro.parameters.enumerated() {
            let value: TemplateValue
            if index < arguments.positional.count {
                value = arguments.positional[index]
            } else if let given = arguments.keyword[parameter.name] {
                value = given
            } else if let defaultValue = parameter.defaultValue {
                value = try evaluate(defaultValue)
            } else {
                value = .undefined
            }
            bind(parameter.name, value)
        }
        if macro.takesVarargs { bind("varargs", .tuple(Array(arguments.positional.dropFirst(parameterCount)))) }
        if macro.takesKwargs { bind("kwargs", .object(extraKeywords)) }
        if let caller { bind("caller", caller) }
        let rendered = try capture(macro.body)
        bindings = savedBindings
        scopeStarts = savedStarts
        return .string(rendered)
    }
}
