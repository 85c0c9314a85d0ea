/// Runs a parsed template against a context. One renderer serves one
/// `render` call: it owns the output buffer and the scope stack.
///
/// Scopes follow Jinja: each `for` iteration, `with` block and macro call
/// gets a fresh scope, so a `set` inside a loop body is gone at the next
/// iteration and after the loop (templates use `namespace()` to carry values
/// out); `if` blocks share their enclosing scope.
final class TemplateRenderer {
    let context: [String: TemplateValue]
    /// Every bound name, innermost last: templates bind few names, so a
    /// scan beats a dictionary per scope.
    var bindings: [(name: String, value: TemplateValue)] = []
    /// Where each scope's bindings start; the first scope is the template's top level.
    var scopeStarts: [Int] = [0]
    var output = ""

    enum Flow { case normal, breakLoop, continueLoop }

    init(context: [String: TemplateValue]) {
        self.context = context
    }

    func render(_ nodes: [TemplateNode]) throws(TemplateError) -> String {
        output.reserveCapacity(1024)
        _ = try execute(nodes)
        return output
    }

    // MARK: Statements

    func execute(_ nodes: [TemplateNode]) throws(TemplateError) -> Flow {
        for node in nodes {
            switch node {
            case let .text(text):
                output += text
            case let .output(expression):
                let value = try evaluate(expression)
                if case let .string(text) = value { output += text } else { output += value.pythonString }
            case let .ifChain(branches, otherwise):
                var body = otherwise
                for branch in branches where try evaluate(branch.condition).isTruthy {
                    body = branch.body
                    break
                }
                let flow = try execute(body)
                if flow != .normal { return flow }
            case let .forLoop(loop):
                let flow = try runLoop(loop)
                if flow != .normal { return flow }
            case let .set(target, expression, location):
                try assign(target, try evaluate(expression), at: location)
            case let .setBlock(target, filters, body, location):
                try assign(target, try applyFilters(filters, to: .string(try capture(body))), at: location)
            case let .macro(macro):
                bind(macro.name, .function(TemplateFunction(name: macro.name, kind: .macro(macro))))
            case let .filterBlock(filters, body):
                output += try applyFilters(filters, to: .string(try capture(body))).pythonString
            case let .with(assignments, body):
                var values: [TemplateValue] = []
                for (_, expression, _) in assignments { values.append(try evaluate(expression)) }
                pushScope()
                for ((target, _, location), value) in zip(assignments, values) {
                    try assign(target, value, at: location)
                }
                let flow = try execute(body)
                popScope()
                if flow != .normal { return flow }
            case let .callBlock(callee, arguments, caller, location):
                var evaluated = try evaluateArguments(arguments)
                evaluated.keyword["caller"] = .function(
                    TemplateFunction(name: "caller", kind: .caller(caller, captured: bindings)))
                let function = try evaluate(callee)
                output += try call(function, evaluated, callee: callee, at: location).pythonString
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
        }
        return .normal
    }

    /// Renders `body` into a string of its own (set blocks, filter blocks, macros).
    func capture(_ body: [TemplateNode]) throws(TemplateError) -> String {
        let saved = output
        output = ""
        _ = try execute(body)
        let captured = output
        output = saved
        return captured
    }

    func applyFilters(
        _ filters: [(TemplateFilter, CallArguments, TemplateLocation)], to value: TemplateValue
    ) throws(TemplateError) -> TemplateValue {
        var result = value
        for (filter, arguments, location) in filters {
            let evaluated = try evaluateArguments(arguments)
            let input = result
            result = try located(location) { () throws(ValueError) in try filter.apply(input, evaluated) }
        }
        return result
    }

    func runLoop(_ loop: ForLoop) throws(TemplateError) -> Flow {
        let iterable = try evaluate(loop.iterable)
        var items = try located(loop.iterable.location) { () throws(ValueError) in try iterable.iterated() }
        if let condition = loop.condition {
            var kept: [TemplateValue] = []
            for item in items {
                pushScope()
                try assign(loop.target, item, at: loop.location)
                let keep = try evaluate(condition).isTruthy
                popScope()
                if keep { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty { return try execute(loop.otherwise) }
        for index in items.indices {
            pushScope()
            if loop.usesLoopVariable { bind("loop", Self.loopVariable(index: index, items: items)) }
            try assign(loop.target, items[index], at: loop.location)
            let flow = try execute(loop.body)
            popScope()
            if flow == .breakLoop { break }
        }
        return .normal
    }

    func pushScope() {
        scopeStarts.append(bindings.count)
    }

    func popScope() {
        let start = scopeStarts.removeLast()
        bindings.removeSubrange(start...)
    }

    /// Binds `name` in the innermost scope.
    func bind(_ name: String, _ value: TemplateValue) {
        let start = scopeStarts[scopeStarts.count - 1]
        var i = bindings.count - 1
        while i >= start {
            if bindings[i].name == name {
                bindings[i].value = value
                return
            }
            i -= 1
        }
        bindings.append((name, value))
    }

    private static let loopKeys: [TemplateValue] = [
        "index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
    ]
    private static let loopKeyVariants: [[TemplateValue]] = [
        loopKeys + ["cycle"],
        loopKeys + ["previtem", "cycle"],
        loopKeys + ["nextitem", "cycle"],
        loopKeys + ["previtem", "nextitem", "cycle"],
    ]

    /// Jinja's `loop`: position counters, neighbours and `cycle`.
    private static func loopVariable(index: Int, items: [TemplateValue]) -> TemplateValue {
        let count = items.count
        var values: [TemplateValue] = [
            .int(index + 1), .int(index), .int(count - index), .int(count - index - 1),
            .bool(index == 0), .bool(index == count - 1), .int(count), .int(1), .int(0),
        ]
        values.reserveCapacity(12)
        let hasPrevious = index > 0, hasNext = index + 1 < count
        if hasPrevious { values.append(items[index - 1]) }
        if hasNext { values.append(items[index + 1]) }
        values.append(.function(TemplateFunction(name: "cycle", kind: .global(.loopCycle(index: index)))))
        let keys = loopKeyVariants[(hasPrevious ? 1 : 0) + (hasNext ? 2 : 0)]
        return .object(TemplateObject(uniqueKeys: keys, values: values))
    }

    func assign(_ target: AssignTarget, _ value: TemplateValue, at location: TemplateLocation) throws(TemplateError) {
        switch target {
        case let .name(name):
            bind(name, value)
        case let .tuple(targets):
            let items = try located(location) { () throws(ValueError) in try value.iterated() }
            guard items.count == targets.count else {
                let problem = items.count > targets.count ? "too many values" : "not enough values"
                throw .runtime(
                    message: "\(problem) to unpack (expected \(targets.count), got \(items.count))", location: location)
            }
            for (target, item) in zip(targets, items) { try assign(target, item, at: location) }
        case let .namespaceAttribute(name, attribute):
            guard case let .namespace(namespace) = lookup(name) else {
                throw .runtime(message: "cannot assign attribute on non-namespace object '\(name)'", location: location)
            }
            if attribute.hasPrefix("_") {
                throw .runtime(
                    message: "chat templates cannot store underscore-prefixed attributes on a namespace, but got '\(attribute)'",
                    location: location)
            }
            namespace.set(attribute, to: value)
        }
    }
}
