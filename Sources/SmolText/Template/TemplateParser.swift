/// Builds the statement tree from tokens. Statements follow Jinja's parser
/// (`for`, `if`, `set`, `macro`, `filter`, `with`, plus the `break` and
/// `continue` of the loopcontrols extension and transformers' `generation`
/// block); expressions are in `TemplateParser+Expressions.swift`.
struct TemplateParser {
    let tokens: [TemplateToken]
    var index = 0
    /// How many `for` loops enclose the current position (for break/continue).
    var loopDepth = 0
    /// Whether the current position is inside an `if` (see `checkFiltersAndTests`).
    var soft = false

    static func parse(_ tokens: [TemplateToken]) throws(TemplateError) -> [TemplateNode] {
        var parser = TemplateParser(tokens: tokens)
        let (nodes, _) = try parser.parseBody(until: [], opening: nil)
        return nodes
    }

    private init(tokens: [TemplateToken]) {
        self.tokens = tokens
    }

    // MARK: Token helpers

    var current: TemplateToken { tokens[index] }

    func peek(_ offset: Int = 1) -> TemplateToken {
        tokens[min(index + offset, tokens.count - 1)]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    func unexpected(_ expected: String) -> TemplateError {
        .syntax(message: "expected \(expected), found \(current.display)", location: current.location)
    }

    mutating func expectOp(_ symbol: String) throws(TemplateError) {
        guard current.isOp(symbol) else { throw unexpected("'\(symbol)'") }
        advance()
    }

    mutating func expectName() throws(TemplateError) -> String {
        guard case let .name(name) = current.kind else { throw unexpected("a name") }
        advance()
        return name
    }

    mutating func expectBlockEnd() throws(TemplateError) {
        guard current.kind == .blockEnd else { throw unexpected("'%}'") }
        advance()
    }

    mutating func skipName(_ word: String) -> Bool {
        guard current.isName(word) else { return false }
        advance()
        return true
    }

    // MARK: Bodies

    /// `parseBody` in a frame that is soft (an `if`) or not (a loop, macro or block).
    mutating func parseBody(
        until endTags: [String], opening: (tag: String, location: TemplateLocation), soft bodyIsSoft: Bool
    ) throws(TemplateError) -> ([TemplateNode], String) {
        let saved = soft
        soft = bodyIsSoft
        defer { soft = saved }
        return try parseBody(until: endTags, opening: opening)
    }

    /// Parses nodes until a `{% tag %}` whose name is in `endTags`; returns the
    /// nodes and that name, leaving the parser just after the name.
    mutating func parseBody(
        until endTags: [String], opening: (tag: String, location: TemplateLocation)?
    ) throws(TemplateError) -> ([TemplateNode], String) {
        var nodes: [TemplateNode] = []
        while true {
            let token = current
            switch token.kind {
            case let .text(text):
                nodes.append(.text(text))
                advance()
            case .variableBegin:
                advance()
                let expression = try parseTuple()
                try Self.checkFiltersAndTests(expression, soft: soft)
                guard current.kind == .variableEnd else { throw unexpected("'}}'") }
                advance()
                nodes.append(.output(expression))
            case .blockBegin:
                advance()
                guard case let .name(tag) = current.kind else { throw unexpected("a tag name") }
                if endTags.contains(tag) {
                    advance()
                    return (nodes, tag)
                }
                nodes.append(contentsOf: try parseStatement(tag, at: token.location, expecting: endTags))
            case .end:
                if let opening {
                    let expected = endTags.map { "'\($0)'" }.joined(separator: " or ")
                    throw .syntax(
                        message: "unclosed '\(opening.tag)' block: reached the end of the template looking for \(expected)",
                        location: opening.location)
                }
                return (nodes, "")
            default:
                throw unexpected("text, '{{' or '{%'")
            }
        }
    }

    private mutating func parseStatement(
        _ tag: String, at location: TemplateLocation, expecting endTags: [String]
    ) throws(TemplateError) -> [TemplateNode] {
        advance()
        switch tag {
        case "for": return [try parseFor(at: location)]
        case "if": return [try parseIf(at: location)]
        case "set": return [try parseSet(at: location)]
        case "macro": return [try parseMacro(at: location)]
        case "filter":
            let filters = try parseFilterChain()
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endfilter"], opening: ("filter", location), soft: false)
            try expectBlockEnd()
            return [.filterBlock(filters, body: body)]
        case "with": return [try parseWith(at: location)]
        case "generation":
            // transformers' AssistantTracker block: renders its body unchanged.
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endgeneration"], opening: ("generation", location), soft: false)
            try expectBlockEnd()
            return body
        case "break", "continue":
            guard loopDepth > 0 else {
                throw .syntax(message: "'\(tag)' outside of a for loop", location: location)
            }
            try expectBlockEnd()
            return [tag == "break" ? .breakLoop(location) : .continueLoop(location)]
        case "call": return [try parseCallBlock(at: location)]
        case "include", "extends", "import", "from", "block", "autoescape", "do":
            throw .syntax(message: "the '\(tag)' tag is not supported in chat templates", location: location)
        default:
            var message = "unknown tag '\(tag)'"
            if !endTags.isEmpty {
                message += "; expected " + endTags.map { "'\($0)'" }.joined(separator: " or ")
            }
            throw .syntax(message: message, location: location)
        }
    }

    private mutating func parseFor(at location: TemplateLocation) throws(TemplateError) -> TemplateNode {
        let target = try parseAssignTarget(endingAt: "in")
        guard skipName("in") else { throw unexpected("'in'") }
        let iterable = try parseTuple(withConditional: false, endingAt: "recursive")
        try Self.checkFiltersAndTests(iterable, soft: soft)
        let condition = skipName("if") ? try parseExpression() : nil
        if let condition { try Self.checkFiltersAndTests(condition, soft: false) }
        if current.isName("recursive") {
            throw .syntax(message: "recursive for loops are not supported", location: current.location)
        }
        try expectBlockEnd()
        loopDepth += 1
        let (body, end) = try parseBody(until: ["endfor", "else"], opening: ("for", location), soft: false)
        loopDepth -= 1
        try expectBlockEnd()
        var otherwise: [TemplateNode] = []
        if end == "else" {
            (otherwise, _) = try parseBody(until: ["endfor"], opening: ("for", location), soft: false)
            try expectBlockEnd()
        }
        return .forLoop(ForLoop(
            target: target, iterable: iterable, condition: condition, body: body,
            otherwise: otherwise, location: location,
            usesLoopVariable: body.readsEnclosingLoop || (condition?.reads("loop") ?? false)))
    }

    private mutating func parseIf(at location: TemplateLocation) throws(TemplateError) -> TemplateNode {
        var branches: [(condition: Expression, body: [TemplateNode])] = []
        var otherwise: [TemplateNode] = []
        var condition = try parseTuple(withConditional: false)
        while true {
            try Self.checkFiltersAndTests(condition, soft: true)
            try expectBlockEnd()
            let (body, end) = try parseBody(until: ["elif", "else", "endif"], opening: ("if", location), soft: true)
            branches.append((condition, body))
            switch end {
            case "elif":
                condition = try parseTuple(withConditional: false)
            case "else":
                try expectBlockEnd()
                (otherwise, _) = try parseBody(until: ["endif"], opening: ("if", location), soft: true)
                try expectBlockEnd()
                return .ifChain(branches, otherwise: otherwise)
            default:
                try expectBlockEnd()
                return .ifChain(branches, otherwise: otherwise)
            }
        }
    }

    private mutating func parseSet(at location: TemplateLocation) throws(TemplateError) -> TemplateNode {
        let target: AssignTarget
        if case let .name(name) = current.kind, peek().isOp(".") {
            advance()
            advance()
            target = .namespaceAttribute(name, try expectName())
        } else {
            target = try parseAssignTarget(endingAt: nil)
        }
        if current.isOp("=") {
            advance()
            let value = try parseTuple()
            try Self.checkFiltersAndTests(value, soft: soft)
            try expectBlockEnd()
            return .set(target, value, location)
        }
        let filters = current.isOp("|") ? try parseFilterChain() : []
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endset"], opening: ("set", location), soft: false)
        try expectBlockEnd()
        return .setBlock(target, filters: filters, body: body, location)
    }

    private mutating func parseCallBlock(at location: TemplateLocation) throws(TemplateError) -> TemplateNode {
        let parameters = current.isOp("(") ? try parseSignature() : []
        let call = try parseExpression()
        try Self.checkFiltersAndTests(call, soft: soft)
        guard case let .call(callee, arguments) = call.kind else {
            throw .syntax(message: "expected a call after 'call'", location: call.location)
        }
        try expectBlockEnd()
        let savedDepth = loopDepth
        loopDepth = 0
        let (body, _) = try parseBody(until: ["endcall"], opening: ("call", location), soft: false)
        loopDepth = savedDepth
        try expectBlockEnd()
        let caller = Macro(name: "caller", parameters: parameters, body: body, location: location)
        return .callBlock(callee: callee, arguments, caller: caller, location)
    }

    private mutating func parseMacro(at location: TemplateLocation) throws(TemplateError) -> TemplateNode {
        let name = try expectName()
        let parameters = try parseSignature()
        try expectBlockEnd()
        let savedDepth = loopDepth
        loopDepth = 0
        let (body, _) = try parseBody(until: ["endmacro"], opening: ("macro", location), soft: false)
        loopDepth = savedDepth
        try expectBlockEnd()
        return .macro(Macro(name: name, parameters: parameters, body: body, location: location))
    }

    /// `(a, b=default)`: a macro's or caller's parameters.
    private mutating func parseSignature() throws(TemplateError) -> [(name: String, defaultValue: Expression?)] {
        try expectOp("(")
        var parameters: [(name: String, defaultValue: Expression?)] = []
        while !current.isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            if current.isOp(")") { break }
            let parameter = try expectName()
            var defaultValue: Expression?
            if current.isOp("=") {
                advance()
                let value = try parseExpression()
                try Self.checkFiltersAndTests(value, soft: false)
                defaultValue = value
            } else if parameters.contains(where: { $0.defaultValue != nil }) {
                throw .syntax(message: "non-default argument follows default argument", location: current.location)
            }
            parameters.append((parameter, defaultValue))
        }
        advance()
        return parameters
    }

    private mutating func parseWith(at location: TemplateLocation) throws(TemplateError) -> TemplateNode {
        var assignments: [(AssignTarget, Expression, TemplateLocation)] = []
        while current.kind != .blockEnd {
            if !assignments.isEmpty { try expectOp(",") }
            let targetLocation = current.location
            let target = try parseAssignTarget(endingAt: nil)
            try expectOp("=")
            let value = try parseExpression()
            try Self.checkFiltersAndTests(value, soft: soft)
            assignments.append((target, value, targetLocation))
        }
        advance()
        let (body, _) = try parseBody(until: ["endwith"], opening: ("with", location), soft: false)
        try expectBlockEnd()
        return .with(assignments, body: body)
    }

    /// `name`, `a, b` or `(a, b)`: what `for` and `set` assign to.
    private mutating func parseAssignTarget(endingAt endWord: String?) throws(TemplateError) -> AssignTarget {
        let expression = try parseTuple(simplified: true, endingAt: endWord)
        return try Self.assignTarget(expression)
    }

    private static func assignTarget(_ expression: Expression) throws(TemplateError) -> AssignTarget {
        switch expression.kind {
        case let .name(name):
            return .name(name)
        case let .tuple(items):
            var targets: [AssignTarget] = []
            for item in items { targets.append(try assignTarget(item)) }
            return .tuple(targets)
        default:
            throw .syntax(message: "cannot assign to this expression", location: expression.location)
        }
    }
}
