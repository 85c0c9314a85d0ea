import Foundation

/// A position in a template's source: 1-based line and column (columns count
/// Unicode scalars, as Python counts string positions).
public struct TemplateLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line, after `\r\n` and `\r` are read as `\n`.
    public let line: Int
    /// 1-based column, in Unicode scalars from the start of the line.
    public let column: Int

    /// A position; `unknown` (line 0) stands for "not known".
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column)" }

    /// For errors thrown by a ``TemplateFunction``, which does not know where
    /// it was called: the renderer replaces it with the call's location.
    public static let unknown = TemplateLocation(line: 0, column: 0)
}

/// Everything that can go wrong compiling or rendering a chat template.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The source is malformed: an unterminated tag or string, an unexpected
    /// token, a block without its end tag.
    case syntax(message: String, location: TemplateLocation)
    /// A `|filter` that this engine does not know (Jinja also rejects these
    /// when it compiles the template).
    case unknownFilter(name: String, location: TemplateLocation)
    /// An `is test` that this engine does not know.
    case unknownTest(name: String, location: TemplateLocation)
    /// Evaluation failed: an undefined value used in arithmetic or indexed,
    /// operands of the wrong type, division by zero, a bad argument.
    case runtime(message: String, location: TemplateLocation)
    /// The template called `raise_exception(message)`; transformers raises
    /// `jinja2.TemplateError(message)` there.
    case raised(String)

    public var description: String {
        switch self {
        case let .syntax(message, location): return "template syntax error at \(location): \(message)"
        case let .unknownFilter(name, location): return "unknown filter '\(name)' at \(location)"
        case let .unknownTest(name, location): return "unknown test '\(name)' at \(location)"
        case let .runtime(message, location): return "template error at \(location): \(message)"
        case let .raised(message): return "template raised an exception: \(message)"
        }
    }

    /// Where the error happened, when the error has a position.
    public var location: TemplateLocation? {
        switch self {
        case let .syntax(_, location), let .unknownFilter(_, location),
             let .unknownTest(_, location), let .runtime(_, location):
            return location
        case .raised:
            return nil
        }
    }
}

extension TemplateError: LocalizedError {
    public var errorDescription: String? { description }
}

/// An evaluation failure raised by value helpers that do not know where in the
/// template they run; the renderer attaches the location of the expression.
struct ValueError: Error {
    let message: String
    /// Set when the failure is `raise_exception`, which must surface unchanged.
    var raised = false

    init(_ message: String) { self.message = message }

    func located(at location: TemplateLocation) -> TemplateError {
        raised ? .raised(message) : .runtime(message: message, location: location)
    }
}
