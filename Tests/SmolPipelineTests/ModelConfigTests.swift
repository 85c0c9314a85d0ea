import Foundation
import SmolPipeline
import SmolTensor
import Testing

@Suite("ModelConfig: SmolVLM and SmolVLM2 config.json")
struct ModelConfigTests {
    static func write(_ json: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: directory.appendingPathComponent("config.json"))
        return directory
    }

    /// A SmolVLM2-500M-style config: the vision config omits keys equal to the
    /// class defaults (layers, MLP width, activation, eps), which must be filled in.
    @Test func fillsOmittedVisionKeysFromClassDefaults() throws {
        let directory = try Self.write("""
            {"model_type": "smolvlm", "scale_factor": 4, "image_token_id": 49190,
             "text_config": {"model_type": "llama", "hidden_size": 960, "intermediate_size": 2560,
                             "num_hidden_layers": 32, "num_attention_heads": 15, "num_key_value_heads": 5,
                             "rms_norm_eps": 1e-05, "rope_theta": 100000, "max_position_embeddings": 8192,
                             "vocab_size": 49280},
             "vision_config": {"hidden_size": 768, "num_attention_heads": 12, "image_size": 512, "patch_size": 16}}
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try ModelConfig(contentsOf: directory)
        #expect(config.architecture == .smolvlm)
        #expect(config.vision.layerCount == 12 && config.vision.intermediateSize == 3072)
        #expect(config.vision.layerNormEpsilon == 1e-6 && config.vision.patchesPerSide == 32)
        #expect(config.imageSequenceLength == 64 && config.imageTokenID == 49190)
        #expect(config.text.headDimension == 64 && config.text.keyValueHeads == 5)
        #expect(!config.tieWordEmbeddings)
    }

    /// The 2.2B shape: SigLIP so400m at 384/14 with scale 3 gives 81 tokens per tile.
    @Test func idefics3TwoPointTwoB() throws {
        let directory = try Self.write("""
            {"model_type": "idefics3", "scale_factor": 3, "image_token_id": 49153,
             "text_config": {"hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 24,
                             "rope_theta": 273768.0, "vocab_size": 49155},
             "vision_config": {"hidden_size": 1152, "intermediate_size": 4304, "num_hidden_layers": 27,
                               "num_attention_heads": 16, "image_size": 384, "patch_size": 14}}
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try ModelConfig(contentsOf: directory)
        #expect(config.architecture == .idefics3)
        #expect(config.vision.patchesPerSide == 27 && config.imageSequenceLength == 81)
        #expect(config.text.attentionHeads == 32 && config.text.ropeTheta == 273_768)
    }

    @Test func rejectsUnsupportedAndInconsistentConfigs() throws {
        let llava = try Self.write(#"{"model_type": "llava", "text_config": {}}"#)
        defer { try? FileManager.default.removeItem(at: llava) }
        #expect(throws: ConfigError.unsupportedModel(file: llava.appendingPathComponent("config.json").path, modelType: "llava")) {
            try ModelConfig(contentsOf: llava)
        }
        let noText = try Self.write(#"{"model_type": "smolvlm"}"#)
        defer { try? FileManager.default.removeItem(at: noText) }
        #expect(throws: ConfigError.invalidValue(file: noText.appendingPathComponent("config.json").path, key: "text_config", reason: "missing")) {
            try ModelConfig(contentsOf: noText)
        }
        let badScale = try Self.write(#"{"model_type": "smolvlm", "scale_factor": 5, "text_config": {}, "vision_config": {"image_size": 512, "patch_size": 16}}"#)
        defer { try? FileManager.default.removeItem(at: badScale) }
        #expect(throws: ConfigError.self) { try ModelConfig(contentsOf: badScale) }
        let badJSON = try Self.write(#"{"model_type": "smolvlm",}"#)
        defer { try? FileManager.default.removeItem(at: badJSON) }
        #expect(throws: ConfigError.self) { try ModelConfig(contentsOf: badJSON) }
    }
}
