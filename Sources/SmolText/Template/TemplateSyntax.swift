/// An expression node of a parsed template, with where it starts.
struct Expression: Sendable {
    indirect enum Kind: Sendable {
        case literal(TemplateValue)
        case name(String)
        case list([Expression])
        /// `(a, b)` or a bare `a, b`; evaluates to a list.
        case tuple([Expression])
        case dict([(key: Expression, value: Expression)])
        /// `a.b` (Python attribute first, then item).
        case attribute(Expression, String)
        /// `a[b]` (item first, then attribute).
        case item(Expression, Expression)
        case slice(Expression, start: Expression?, stop: Expression?, step: Expression?)
        case call(Expression, CallArguments)
        case filter(Expression, TemplateFilter, CallArguments)
        case test(Expression, TemplateTest, CallArguments, negated: Bool)
        /// A filter or test this engine does not know, inside an `if` or a
        /// conditional expression: Jinja only fails there if it runs.
        case unknownFilter(Expression, name: String, CallArguments)
        case unknownTest(Expression, name: String, CallArguments)
        case negate(Expression)
        case plus(Expression)
        case not(Expression)
        case binary(BinaryOperator, Expression, Expression)
        /// `a < b <= c`, evaluated pairwise with short-circuit as in Python.
        case compare(Expression, [(CompareOperator, Expression)])
        case and(Expression, Expression)
        case or(Expression, Expression)
        /// `a ~ b ~ c`: string concatenation of each operand's `str()`.
        case concat([Expression])
        /// `then if condition else otherwise`; without `else`, undefined.
        case conditional(condition: Expression, then: Expression, otherwise: Expression?)
    }

    let kind: Kind
    let location: TemplateLocation
}

/// Positional and keyword arguments of a call, filter or test.
struct CallArguments: Sendable {
    var positional: [Expression] = []
    var keyword: [(name: String, value: Expression)] = []
    /// `*items`: more positional arguments.
    var splat: Expression?
    /// `**mapping`: more keyword arguments.
    var keywordSplat: Expression?

    static let none = CallArguments()
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//"
    case modulo = "%", power = "**"
}

enum CompareOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains = "in", notContains = "not in"
}

/// What `set` and `for` assign to.
enum AssignTarget: Sendable {
    case name(String)
    /// `a, b` unpacking.
    case tuple([AssignTarget])
    /// `ns.attribute`, which only works on a namespace.
    case namespaceAttribute(String, String)
}

/// A statement node of a parsed template.
indirect enum TemplateNode: Sendable {
    case text(String)
    case output(Expression)
    case ifChain([(condition: Expression, body: [TemplateNode])], otherwise: [TemplateNode])
    case forLoop(ForLoop)
    case set(AssignTarget, Expression, TemplateLocation)
    /// `{% set x %}…{% endset %}`, optionally piped through filters.
    case setBlock(AssignTarget, filters: [(TemplateFilter, CallArguments, TemplateLocation)], body: [TemplateNode], TemplateLocation)
    case macro(Macro)
    /// `{% filter upper %}…{% endfilter %}`.
    case filterBlock([(TemplateFilter, CallArguments, TemplateLocation)], body: [TemplateNode])
    /// `{% with a = 1 %}…{% endwith %}`: a scope with its own names.
    case with([(AssignTarget, Expression, TemplateLocation)], body: [TemplateNode])
    /// `{% call(params) macro(args) %}body{% endcall %}`: calls the macro
    /// with `caller` bound to the body.
    case callBlock(callee: Expression, CallArguments, caller: Macro, TemplateLocation)
    case breakLoop(TemplateLocation)
    case continueLoop(TemplateLocation)
}

struct ForLoop: Sendable {
    let target: AssignTarget
    let iterable: Expression
    /// `for x in xs if condition`: filters before `loop.length` is known.
    let condition: Expression?
    let body: [TemplateNode]
    let otherwise: [TemplateNode]
    let location: TemplateLocation
    /// Whether the body reads `loop` (most chat-template loops do not).
    let usesLoopVariable: Bool
}

/// `{% macro name(a, b=default) %}…{% endmacro %}`.
struct Macro: Sendable {
    let name: String
    let parameters: [(name: String, defaultValue: Expression?)]
    let body: [TemplateNode]
    let location: TemplateLocation
    /// Jinja lets a macro take extra positional arguments when its body
    /// reads `varargs`, extra keyword arguments when it reads `kwargs`, and
    /// a `caller` when it reads `caller`.
    let takesVarargs: Bool
    let takesKwargs: Bool
    let takesCaller: Bool

    init(name: String, parameters: [(name: String, defaultValue: Expression?)], body: [TemplateNode], location: TemplateLocation) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.location = location
        takesVarargs = body.reads("varargs", throughLoops: true)
        takesKwargs = body.reads("kwargs", throughLoops: true)
        takesCaller = body.reads("caller", throughLoops: true)
    }
}
