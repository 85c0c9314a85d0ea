import Foundation

/// Errors from reading model configuration files (`config.json`,
/// `preprocessor_config.json`, …). Messages name the file and the key.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case invalidJSON(file: String, reason: String)
    /// A key holds a value of the wrong type or out of range.
    case invalidValue(file: String, key: String, reason: String)
    /// The configuration is for a model this SDK does not run.
    case unsupportedModel(file: String, modelType: String)
    /// Values that are each valid do not fit together.
    case inconsistent(file: String, reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path): return "configuration file not found: \(path)"
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .invalidJSON(file, reason): return "\(file): invalid JSON: \(reason)"
        case let .invalidValue(file, key, reason): return "\(file): key '\(key)': \(reason)"
        case let .unsupportedModel(file, modelType): return "\(file): unsupported model_type '\(modelType)'"
        case let .inconsistent(file, reason): return "\(file): \(reason)"
        }
    }
}

extension ConfigError: LocalizedError {
    public var errorDescription: String? { description }
}
