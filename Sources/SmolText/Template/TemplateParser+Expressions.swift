/// Expression grammar, with Jinja's precedence from loosest to tightest:
/// conditional `a if c else b`, `or`, `and`, `not`, comparisons and `in`,
/// `+ -`, `~`, `* / // %`, `**`, unary `- +`, then primaries with their
/// `.attr`, `[item]`, calls, `|filters` and `is tests`.
extension TemplateParser {
    /// A comma-separated list becomes a tuple; a single expression stays itself.
    /// `simplified` (assignment targets) only allows primaries.
    mutating func parseTuple(
        simplified: Bool = false, withConditional: Bool = true, endingAt endWord: String? = nil,
        explicitParentheses: Bool = false
    ) throws(TemplateError) -> Expression {
        let location = current.location
        var items: [Expression] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(endWord) { break }
            if simplified {
                items.append(try parsePrimary())
            } else {
                items.append(try parseExpression(withConditional: withConditional))
            }
            guard current.isOp(",") else { break }
            isTuple = true
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParentheses { throw unexpected("an expression") }
        }
        return Expression(kind: .tuple(items), location: location)
    }

    private func isTupleEnd(_ endWord: String?) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .op(")"): return true
        case let .name(name): return name == endWord
        default: return false
        }
    }

    mutating func parseExpression(withConditional: Bool = true) throws(TemplateError) -> Expression {
        withConditional ? try parseConditional() : try parseOr()
    }

    private mutating func parseConditional() throws(TemplateError) -> Expression {
        let location = current.location
        var expression = try parseOr()
        while skipName("if") {
            let condition = try parseOr()
            let otherwise = skipName("else") ? try parseConditional() : nil
            expression = Expression(
                kind: .conditional(condition: condition, then: expression, otherwise: otherwise), location: location)
        }
        return expression
    }

    private mutating func parseOr() throws(TemplateError) -> Expression {
        let location = current.location
        var left = try parseAnd()
        while skipName("or") {
            left = Expression(kind: .or(left, try parseAnd()), location: location)
        }
        return left
    }

    private mutating func parseAnd() throws(TemplateError) -> Expression {
        let location = current.location
        var left = try parseNot()
        while skipName("and") {
            left = Expression(kind: .and(left, try parseNot()), location: location)
        }
        return left
    }

    private mutating func parseNot() throws(TemplateError) -> Expression {
        let location = current.location
        if skipName("not") {
            return Expression(kind: .not(try parseNot()), location: location)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws(TemplateError) -> Expression {
        let location = current.location
        let first = try parseAdditive()
        var operations: [(CompareOperator, Expression)] = []
        while true {
            if case let .op(symbol) = current.kind, let op = CompareOperator(rawValue: symbol), op != .contains {
                advance()
                operations.append((op, try parseAdditive()))
            } else if skipName("in") {
                operations.append((.contains, try parseAdditive()))
            } else if current.isName("not"), peek().isName("in") {
                advance()
                advance()
                operations.append((.notContains, try parseAdditive()))
            } else {
                break
            }
        }
        if operations.isEmpty { return first }
        return Expression(kind: .compare(first, operations), location: location)
    }

    private mutating func parseAdditive() throws(TemplateError) -> Expression {
        let location = current.location
        var left = try parseConcat()
        while current.isOp("+") || current.isOp("-") {
            let op: BinaryOperator = current.isOp("+") ? .add : .subtract
            advance()
            left = Expression(kind: .binary(op, left, try parseConcat()), location: location)
        }
        return left
    }

    private mutating func parseConcat() throws(TemplateError) -> Expression {
        let location = current.location
        var operands = [try parseMultiplicative()]
        while current.isOp("~") {
            advance()
            operands.append(try parseMultiplicative())
        }
        return operands.count == 1 ? operands[0] : Expression(kind: .concat(operands), location: location)
    }

    private mutating func parseMultiplicative() throws(TemplateError) -> Expression {
        let location = current.location
        var left = try parsePower()
        while case let .op(symbol) = current.kind, ["*", "/", "//", "%"].contains(symbol),
              let op = BinaryOperator(rawValue: symbol)
        {
            advance()
            left = Expression(kind: .binary(op, left, try parsePower()), location: location)
        }
        return left
    }

    private mutating func parsePower() throws(TemplateError) -> Expression {
        let location = current.location
        var left = try parseUnary()
        while current.isOp("**") {
            advance()
            left = Expression(kind: .binary(.power, left, try parseUnary()), location: location)
        }
        return left
    }

    /// `-x|f` is `(-x)|f`: the operand of a sign takes no filters, the signed
    /// expression does (Jinja's parse_unary).
    private mutating func parseUnary(withFilters: Bool = true) throws(TemplateError) -> Expression {
        let location = current.location
        var expression: Expression
        if current.isOp("-") {
            advance()
            expression = Expression(kind: .negate(try parseUnary(withFilters: false)), location: location)
        } else if current.isOp("+") {
            advance()
            expression = Expression(kind: .plus(try parseUnary(withFilters: false)), location: location)
        } else {
            expression = try parsePrimary()
        }
        expression = try parsePostfix(expression)
        if withFilters { expression = try parseFilterExpression(expression) }
        return expression
    }

    mutating func parsePrimary() throws(TemplateError) -> Expression {
        let token = current
        let location = token.location
        switch token.kind {
        case let .name(name):
            advance()
            switch name {
            case "true", "True": return Expression(kind: .literal(.bool(true)), location: location)
            case "false", "False": return Expression(kind: .literal(.bool(false)), location: location)
            case "none", "None": return Expression(kind: .literal(.none), location: location)
            default: return Expression(kind: .name(name), location: location)
            }
        case var .string(text):
            advance()
            // Adjacent string literals concatenate, as in Python.
            while case let .string(more) = current.kind {
                text += more
                advance()
            }
            return Expression(kind: .literal(.string(text)), location: location)
        case let .integer(value):
            advance()
            return Expression(kind: .literal(.int(value)), location: location)
        case let .float(value):
            advance()
            return Expression(kind: .literal(.double(value)), location: location)
        case .op("("):
            advance()
            let expression = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return expression
        case .op("["):
            advance()
            var items: [Expression] = []
            while !current.isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if current.isOp("]") { break }
                items.append(try parseExpression())
            }
            advance()
            return Expression(kind: .list(items), location: location)
        case .op("{"):
            advance()
            var entries: [(key: Expression, value: Expression)] = []
            while !current.isOp("}") {
                if !entries.isEmpty { try expectOp(",") }
                if current.isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                entries.append((key, try parseExpression()))
            }
            advance()
            return Expression(kind: .dict(entries), location: location)
        default:
            throw unexpected("an expression")
        }
    }

    private mutating func parsePostfix(_ base: Expression) throws(TemplateError) -> Expression {
        var expression = base
        while true {
            if current.isOp(".") || current.isOp("[") {
                expression = try parseSubscript(expression)
            } else if current.isOp("(") {
                expression = Expression(kind: .call(expression, try parseCallArguments()), location: expression.location)
            } else {
                return expression
            }
        }
    }

    private mutating func parseSubscript(_ base: Expression) throws(TemplateError) -> Expression {
        let location = base.location
        if current.isOp(".") {
            advance()
            switch current.kind {
            case let .name(name):
                advance()
                return Expression(kind: .attribute(base, name), location: location)
            case let .integer(value):
                advance()
                let key = Expression(kind: .literal(.int(value)), location: current.location)
                return Expression(kind: .item(base, key), location: location)
            default:
                throw unexpected("an attribute name")
            }
        }
        advance()  // "["
        var arguments: [Expression] = []
        while !current.isOp("]") {
            if !arguments.isEmpty { try expectOp(",") }
            arguments.append(try parseSubscribed(base))
        }
        advance()
        if arguments.count == 1 {
            // A slice is parsed with its subject already in place.
            if case .slice = arguments[0].kind { return arguments[0] }
            return Expression(kind: .item(base, arguments[0]), location: location)
        }
        return Expression(kind: .item(base, Expression(kind: .tuple(arguments), location: location)), location: location)
    }

    /// One subscript: an expression, or a slice `start:stop:step` with any part omitted.
    private mutating func parseSubscribed(_ base: Expression) throws(TemplateError) -> Expression {
        let location = current.location
        var start: Expression?
        if current.isOp(":") {
            advance()
        } else {
            let expression = try parseExpression()
            guard current.isOp(":") else { return expression }
            advance()
            start = expression
        }
        var stop: Expression?
        if !current.isOp(":"), !current.isOp("]"), !current.isOp(",") {
            stop = try parseExpression()
        }
        var step: Expression?
        if current.isOp(":") {
            advance()
            if !current.isOp("]"), !current.isOp(",") { step = try parseExpression() }
        }
        return Expression(kind: .slice(base, start: start, stop: stop, step: step), location: location)
    }

    mutating func parseCallArguments() throws(TemplateError) -> CallArguments {
        try expectOp("(")
        var arguments = CallArguments()
        var first = true
        while !current.isOp(")") {
            if !first { try expectOp(",") }
            first = false
            if current.isOp(")") { break }
            let location = current.location
            if current.isOp("*") {
                advance()
                guard arguments.splat == nil, arguments.keywordSplat == nil else {
                    throw .syntax(message: "invalid syntax for function call expression", location: location)
                }
                arguments.splat = try parseExpression()
            } else if current.isOp("**") {
                advance()
                guard arguments.keywordSplat == nil else {
                    throw .syntax(message: "invalid syntax for function call expression", location: location)
                }
                arguments.keywordSplat = try parseExpression()
            } else if case let .name(name) = current.kind, peek().isOp("=") {
                guard arguments.keywordSplat == nil else {
                    throw .syntax(message: "invalid syntax for function call expression", location: location)
                }
                advance()
                advance()
                arguments.keyword.append((name, try parseExpression()))
            } else {
                guard arguments.keyword.isEmpty, arguments.splat == nil, arguments.keywordSplat == nil else {
                    throw .syntax(message: "positional argument follows keyword argument", location: location)
                }
                arguments.positional.append(try parseExpression())
            }
        }
        advance()
        return arguments
    }

    private mutating func parseFilterExpression(_ base: Expression) throws(TemplateError) -> Expression {
        var expression = base
        while true {
            if current.isOp("|") {
                advance()
                let location = current.location
                let name = try dottedName()
                let arguments = current.isOp("(") ? try parseCallArguments() : .none
                if let filter = TemplateFilter(named: name) {
                    expression = Expression(kind: .filter(expression, filter, arguments), location: location)
                } else {
                    expression = Expression(kind: .unknownFilter(expression, name: name, arguments), location: location)
                }
            } else if current.isName("is") {
                expression = try parseTest(expression)
            } else if current.isOp("(") {
                expression = Expression(kind: .call(expression, try parseCallArguments()), location: expression.location)
            } else {
                return expression
            }
        }
    }

    /// `| name(args) | name …` of a filter or set block; the first `|` is
    /// optional for `{% filter %}`. Unknown names fail here, as in Jinja.
    mutating func parseFilterChain() throws(TemplateError) -> [(TemplateFilter, CallArguments, TemplateLocation)] {
        var filters: [(TemplateFilter, CallArguments, TemplateLocation)] = []
        repeat {
            if current.isOp("|") { advance() }
            let location = current.location
            let name = try dottedName()
            guard let filter = TemplateFilter(named: name) else {
                throw .unknownFilter(name: name, location: location)
            }
            let arguments = current.isOp("(") ? try parseCallArguments() : .none
            for argument in arguments.positional { try Self.checkFiltersAndTests(argument, soft: false) }
            for argument in arguments.keyword { try Self.checkFiltersAndTests(argument.value, soft: false) }
            filters.append((filter, arguments, location))
        } while current.isOp("|")
        return filters
    }

    private mutating func dottedName() throws(TemplateError) -> String {
        var name = try expectName()
        while current.isOp(".") {
            advance()
            name += "." + (try expectName())
        }
        return name
    }

    private mutating func parseTest(_ subject: Expression) throws(TemplateError) -> Expression {
        advance()  // "is"
        let negated = skipName("not")
        let location = current.location
        let name = try dottedName()
        var arguments = CallArguments.none
        if current.isOp("(") {
            arguments = try parseCallArguments()
        } else if startsBareTestArgument {
            if current.isName("is") {
                throw .syntax(message: "tests cannot be chained with 'is'", location: current.location)
            }
            arguments.positional = [try parsePostfix(try parsePrimary())]
        }
        guard let test = TemplateTest(named: name) else {
            let unknown = Expression(kind: .unknownTest(subject, name: name, arguments), location: location)
            return negated ? Expression(kind: .not(unknown), location: location) : unknown
        }
        return Expression(kind: .test(subject, test, arguments, negated: negated), location: location)
    }

    /// `x is divisibleby 3`: a test takes one argument without parentheses,
    /// unless what follows continues the enclosing expression.
    private var startsBareTestArgument: Bool {
        switch current.kind {
        case let .name(name): return !["else", "or", "and"].contains(name)
        case .string, .integer, .float, .op("["), .op("{"): return true
        default: return false
        }
    }
}
