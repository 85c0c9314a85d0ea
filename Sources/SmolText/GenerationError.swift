import Foundation

/// Errors from running generation.
public enum GenerationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The prompt (plus what it needs) does not fit in the context window.
    case promptTooLong(tokens: Int, limit: Int)
    /// More positions than the KV cache holds.
    case contextExceeded(needed: Int, capacity: Int)
    /// An empty prompt: there is nothing to continue.
    case emptyPrompt
    /// An option is out of range.
    case invalidOption(name: String, reason: String)

    public var description: String {
        switch self {
        case let .promptTooLong(tokens, limit): return "the prompt has \(tokens) tokens; the model's context is \(limit)"
        case let .contextExceeded(needed, capacity): return "\(needed) positions exceed the cache capacity of \(capacity)"
        case .emptyPrompt: return "the prompt is empty"
        case let .invalidOption(name, reason): return "option \(name): \(reason)"
        }
    }
}

extension GenerationError: LocalizedError {
    public var errorDescription: String? { description }
}
