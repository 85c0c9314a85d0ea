import Foundation
import SmolTensor
import SmolText
import SmolVision

/// A SmolVLM (`model_type: idefics3`) or SmolVLM2 (`model_type: smolvlm`)
/// `config.json`, with the transformers class defaults for absent keys.
public struct ModelConfig: Sendable, Equatable {
    /// Which transformers class the checkpoint was written for.
    public enum Architecture: String, Sendable {
        /// SmolVLM (`Idefics3ForConditionalGeneration`).
        case idefics3
        /// SmolVLM2 (`SmolVLMForConditionalGeneration`).
        case smolvlm
    }

    public var architecture: Architecture
    public var text: TextConfig
    public var vision: VisionConfig
    /// Pixel-shuffle factor `s` of the connector.
    public var scaleFactor: Int
    /// The id of `<image>` as the config states it (checked against the tokenizer at load).
    public var imageTokenID: Int
    public var tieWordEmbeddings: Bool

    /// Image tokens per tile: `(imageSize / patchSize)² / s²` (64 for 256M/500M, 81 for 2.2B).
    public var imageSequenceLength: Int {
        vision.patchesPerSide * vision.patchesPerSide / (scaleFactor * scaleFactor)
    }

    /// Reads `config.json` from a model directory, or the file itself.
    public init(contentsOf url: URL) throws(ConfigError) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let file = exists && isDirectory.boolValue ? url.appendingPathComponent("config.json") : url
        try self.init(config: JSONConfig(contentsOf: file))
    }

    package init(config c: JSONConfig) throws(ConfigError) {
        let modelType = try c.string("model_type", default: "")
        guard let architecture = Architecture(rawValue: modelType) else {
            throw .unsupportedModel(file: c.source, modelType: modelType)
        }
        self.architecture = architecture
        guard let textConfig = try c.nested("text_config") else {
            throw .invalidValue(file: c.source, key: "text_config", reason: "missing")
        }
        text = try TextConfig(config: textConfig)
        // An absent vision_config means every vision key takes its class default.
        if let visionConfig = try c.nested("vision_config") {
            vision = try VisionConfig(config: visionConfig)
        } else {
            vision = try VisionConfig(config: JSONConfig(source: "\(c.source): vision_config", object: .object([])))
        }
        scaleFactor = try c.positiveInt("scale_factor", default: 2)
        imageTokenID = try c.int("image_token_id", default: 128257)
        tieWordEmbeddings = try c.bool("tie_word_embeddings", default: false)
        guard vision.patchesPerSide % scaleFactor == 0 else {
            throw .inconsistent(file: c.source, reason: "\(vision.patchesPerSide) patches per side is not a multiple of scale_factor \(scaleFactor)")
        }
    }
}
