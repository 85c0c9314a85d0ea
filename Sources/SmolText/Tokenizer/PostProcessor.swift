import SmolTensor

/// What `encode(addSpecialTokens: true)` adds around a single sequence
/// (`post_processor` of tokenizer.json).
struct PostProcessor: Sendable {
    var prefix: [Int] = []
    var suffix: [Int] = []

    /// Nil for components that add nothing (null, ByteLevel).
    init?(json: JSONValue, file: String) throws(TokenizerError) {
        guard let type = json["type"]?.stringValue else {
            throw .invalidField(file: file, field: "post_processor.type", reason: "missing")
        }
        switch type {
        case "ByteLevel":
            return nil  // only adjusts offsets
        case "TemplateProcessing":
            guard let single = json["single"]?.arrayValue, let specials = json["special_tokens"] else {
                throw .invalidField(file: file, field: "post_processor.single", reason: "missing")
            }
            var seenSequence = false
            for item in single {
                if item["Sequence"] != nil { seenSequence = true; continue }
                guard let name = item["SpecialToken"]?["id"]?.stringValue,
                      let ids = specials[name]?["ids"]?.arrayValue?.compactMap(\.intValue) else {
                    throw .invalidField(file: file, field: "post_processor.single", reason: "unknown item")
                }
                if seenSequence { suffix += ids } else { prefix += ids }
            }
        case "Sequence":
            guard let items = json["processors"]?.arrayValue else {
                throw .invalidField(file: file, field: "post_processor.processors", reason: "missing")
            }
            for item in items {
                if let part = try PostProcessor(json: item, file: file) {
                    prefix += part.prefix
                    suffix = part.suffix + suffix
                }
            }
        default:
            throw .unsupportedComponent(file: file, component: "post_processor", type: type)
        }
    }
}
