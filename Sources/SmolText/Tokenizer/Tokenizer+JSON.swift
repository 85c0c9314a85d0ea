import Foundation
import SmolTensor

extension Tokenizer {
    /// Loads `tokenizer.json` (and `tokenizer_config.json` when present) from a model directory.
    public convenience init(directory: URL) throws(TokenizerError) {
        let config = directory.appendingPathComponent("tokenizer_config.json")
        try self.init(tokenizerFile: directory.appendingPathComponent("tokenizer.json"),
                      configFile: FileManager.default.fileExists(atPath: config.path) ? config : nil)
    }

    /// Loads a `tokenizer.json`, with special-token strings from an optional `tokenizer_config.json`.
    public convenience init(tokenizerFile: URL, configFile: URL? = nil) throws(TokenizerError) {
        let file = tokenizerFile.path
        let json = try Self.readJSON(tokenizerFile)
        guard let model = json["model"], model.objectEntries != nil else {
            throw .invalidField(file: file, field: "model", reason: "missing")
        }
        let modelType = model["type"]?.stringValue ?? "BPE"
        guard modelType == "BPE" else { throw .unsupportedComponent(file: file, component: "model", type: modelType) }
        if model["byte_fallback"] == .bool(true) {
            throw .unsupportedComponent(file: file, component: "model", type: "BPE with byte_fallback")
        }
        if let prefix = model["continuing_subword_prefix"]?.stringValue, !prefix.isEmpty {
            throw .unsupportedComponent(file: file, component: "model", type: "BPE with continuing_subword_prefix")
        }
        guard let vocabEntries = model["vocab"]?.objectEntries else {
            throw .invalidField(file: file, field: "model.vocab", reason: "missing or not an object")
        }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(vocabEntries.count)
        for (token, value) in vocabEntries {
            guard let id = value.intValue, id >= 0 else {
                throw .invalidField(file: file, field: "model.vocab", reason: "id of '\(token)' is not a non-negative integer")
            }
            vocabulary[token] = id
        }
        let merges = try Self.parseMerges(model["merges"], file: file)

        var addedTokens: [AddedToken] = []
        for item in json["added_tokens"]?.arrayValue ?? [] {
            guard let id = item["id"]?.intValue, let content = item["content"]?.stringValue else {
                throw .invalidField(file: file, field: "added_tokens", reason: "entry without id or content")
            }
            addedTokens.append(AddedToken(
                id: id, content: content, special: item["special"] == .bool(true),
                lstrip: item["lstrip"] == .bool(true), rstrip: item["rstrip"] == .bool(true),
                singleWord: item["single_word"] == .bool(true)))
        }

        func component<T>(_ key: String, _ make: (JSONValue) throws(TokenizerError) -> T) throws(TokenizerError) -> T? {
            guard let value = json[key], value != .null else { return nil }
            return try make(value)
        }
        let normalizer = try component("normalizer") { (v) throws(TokenizerError) in try Normalizer(json: v, file: file) }
        let preTokenizer = try component("pre_tokenizer") { (v) throws(TokenizerError) in try PreTokenizer(json: v, file: file) }
        guard let decoder = try component("decoder", { (v) throws(TokenizerError) in try TokenDecoder(json: v, file: file) }) else {
            throw .invalidField(file: file, field: "decoder", reason: "missing (a byte-level BPE needs one)")
        }
        let postProcessor = try component("post_processor") { (v) throws(TokenizerError) in try PostProcessor(json: v, file: file) } ?? nil

        var specials: [String: String] = [:]
        if let configFile {
            let config = try Self.readJSON(configFile)
            for key in ["bos_token", "eos_token", "unk_token", "pad_token"] {
                // Either a plain string or an AddedToken-like object with "content".
                if let value = config[key]?.stringValue ?? config[key]?["content"]?.stringValue {
                    specials[key] = value
                }
            }
        }
        try self.init(vocabulary: vocabulary, merges: merges, addedTokens: addedTokens,
                      normalizer: normalizer, preTokenizer: preTokenizer, decoder: decoder,
                      postProcessor: postProcessor, unknownToken: model["unk_token"]?.stringValue,
                      specialTokenStrings: specials, source: file)
    }

    static func readJSON(_ url: URL) throws(TokenizerError) -> JSONValue {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .fileNotFound(path: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .invalidJSON(file: url.path, reason: error.localizedDescription)
        }
        do { return try JSONParser.parse(contentsOf: data) } catch {
            throw .invalidJSON(file: url.path, reason: error.description)
        }
    }

    /// Merges as `"a b"` strings (older files) or `["a", "b"]` pairs (newer ones).
    static func parseMerges(_ value: JSONValue?, file: String) throws(TokenizerError) -> [(String, String)] {
        guard let items = value?.arrayValue else { return [] }
        var merges: [(String, String)] = []
        merges.reserveCapacity(items.count)
        for item in items {
            if let text = item.stringValue {
                let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw .invalidMerge(file: file, merge: text) }
                merges.append((String(parts[0]), String(parts[1])))
            } else if let pair = item.arrayValue, pair.count == 2,
                      let a = pair[0].stringValue, let b = pair[1].stringValue {
                merges.append((a, b))
            } else {
                throw .invalidField(file: file, field: "model.merges", reason: "entries must be \"a b\" or [\"a\", \"b\"]")
            }
        }
        return merges
    }
}

extension Tokenizer {
    /// Loads the tokenizer of a model: a Hugging Face directory (`tokenizer.json`)
    /// or a llama.cpp `.gguf` file.
    public convenience init(contentsOf url: URL) throws {
        if url.pathExtension == "gguf" {
            try self.init(gguf: GGUFFile(url: url))
        } else {
            try self.init(directory: url)
        }
    }
}
