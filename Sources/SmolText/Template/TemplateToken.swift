/// One lexical token of a template, with where it starts.
struct TemplateToken: Sendable {
    enum Kind: Equatable, Sendable {
        /// Literal template text between tags.
        case text(String)
        case variableBegin, variableEnd
        case blockBegin, blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        /// An operator or punctuation: `+`, `//`, `==`, `(`, `|`, `.`, …
        case op(String)
        case end
    }

    let kind: Kind
    let location: TemplateLocation

    var isEnd: Bool { kind == .end }

    /// Whether this is the name `word` (Jinja keywords are plain names).
    func isName(_ word: String) -> Bool { kind == .name(word) }

    func isOp(_ symbol: String) -> Bool { kind == .op(symbol) }

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case let .text(text): return "text '\(text.prefix(20))'"
        case .variableBegin: return "'{{'"
        case .variableEnd: return "'}}'"
        case .blockBegin: return "'{%'"
        case .blockEnd: return "'%}'"
        case let .name(name): return "'\(name)'"
        case let .string(value): return "string \(PythonString.repr(value))"
        case let .integer(value): return "integer \(value)"
        case let .float(value): return "number \(PythonFloat.repr(value))"
        case let .op(symbol): return "'\(symbol)'"
        case .end: return "end of template"
        }
    }
}
