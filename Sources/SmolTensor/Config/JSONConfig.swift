import Foundation

/// Typed reads from one JSON configuration object, where an absent key takes
/// the Hugging Face class default (HF writes configs as a diff against those
/// defaults) and a present key of the wrong type is an error naming it.
package struct JSONConfig: Sendable {
    /// Where the object came from, for error messages (`config.json` or
    /// `config.json: vision_config`).
    package let source: String
    package let object: JSONValue

    package init(source: String, object: JSONValue) throws(ConfigError) {
        guard object.objectEntries != nil else {
            throw .invalidJSON(file: source, reason: "the top level is not an object")
        }
        self.source = source
        self.object = object
    }

    /// Reads and parses a JSON file.
    package init(contentsOf url: URL) throws(ConfigError) {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .fileNotFound(path: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        let value: JSONValue
        do { value = try JSONParser.parse(contentsOf: data) } catch {
            throw .invalidJSON(file: url.path, reason: error.description)
        }
        try self.init(source: url.path, object: value)
    }

    /// Whether `key` is present and not null.
    package func has(_ key: String) -> Bool {
        guard let value = object[key] else { return false }
        return value != .null
    }

    /// A nested object, or nil when absent.
    package func nested(_ key: String) throws(ConfigError) -> JSONConfig? {
        guard has(key) else { return nil }
        return try JSONConfig(source: "\(source): \(key)", object: object[key]!)
    }

    /// The first of `keys` that holds an object.
    package func firstNested(_ keys: String...) throws(ConfigError) -> JSONConfig? {
        for key in keys { if let found = try nested(key) { return found } }
        return nil
    }

    /// The first of `keys` that holds a string.
    package func firstString(_ keys: String...) throws(ConfigError) -> String? {
        for key in keys { if let found = try string(key) { return found } }
        return nil
    }

    package func int(_ key: String) throws(ConfigError) -> Int? {
        guard has(key) else { return nil }
        guard let value = object[key]?.intValue else { throw invalid(key, "expected an integer") }
        return value
    }

    package func int(_ key: String, default fallback: Int) throws(ConfigError) -> Int {
        try int(key) ?? fallback
    }

    package func double(_ key: String) throws(ConfigError) -> Double? {
        guard has(key) else { return nil }
        guard let value = object[key]?.doubleValue else { throw invalid(key, "expected a number") }
        return value
    }

    package func double(_ key: String, default fallback: Double) throws(ConfigError) -> Double {
        try double(key) ?? fallback
    }

    package func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard has(key) else { return fallback }
        guard case let .bool(value)? = object[key] else { throw invalid(key, "expected true or false") }
        return value
    }

    package func string(_ key: String) throws(ConfigError) -> String? {
        guard has(key) else { return nil }
        guard let value = object[key]?.stringValue else { throw invalid(key, "expected a string") }
        return value
    }

    package func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        try string(key) ?? fallback
    }

    /// An integer or a list of integers (as `eos_token_id` may be either).
    package func ints(_ key: String) throws(ConfigError) -> [Int]? {
        guard has(key) else { return nil }
        if let single = object[key]?.intValue { return [single] }
        guard let items = object[key]?.arrayValue else { throw invalid(key, "expected an integer or a list") }
        var result: [Int] = []
        for item in items {
            guard let value = item.intValue else { throw invalid(key, "expected integers") }
            result.append(value)
        }
        return result
    }

    /// A positive integer, defaulting when absent.
    package func positiveInt(_ key: String, default fallback: Int) throws(ConfigError) -> Int {
        let value = try int(key, default: fallback)
        guard value > 0 else { throw invalid(key, "must be positive, got \(value)") }
        return value
    }

    package func invalid(_ key: String, _ reason: String) -> ConfigError {
        .invalidValue(file: source, key: key, reason: reason)
    }
}
