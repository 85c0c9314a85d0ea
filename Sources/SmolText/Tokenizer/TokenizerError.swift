import Foundation

/// Errors from loading a tokenizer or using one.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case invalidJSON(file: String, reason: String)
    /// A required field is missing or malformed.
    case invalidField(file: String, field: String, reason: String)
    /// A component `type` this implementation does not run (named, never ignored).
    case unsupportedComponent(file: String, component: String, type: String)
    /// A merge names a token missing from the vocabulary.
    case invalidMerge(file: String, merge: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path): return "tokenizer file not found: \(path)"
        case let .invalidJSON(file, reason): return "\(file): invalid JSON: \(reason)"
        case let .invalidField(file, field, reason): return "\(file): '\(field)': \(reason)"
        case let .unsupportedComponent(file, component, type):
            return "\(file): unsupported \(component) type '\(type)'"
        case let .invalidMerge(file, merge): return "\(file): merge '\(merge)' uses a token outside the vocabulary"
        }
    }
}

extension TokenizerError: LocalizedError {
    public var errorDescription: String? { description }
}
