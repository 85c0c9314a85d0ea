import Foundation
import SmolTensor
import SmolText
import Testing

@Suite("TextConfig: Llama config.json with transformers defaults")
struct TextConfigTests {
    static func write(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID()).json")
        try Data(json.utf8).write(to: url)
        return url
    }

    /// SmolLM2-135M-Instruct's shape, in the transformers 5 spelling (rope_parameters).
    @Test func readsSmolLM2() throws {
        let url = try Self.write("""
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 49152,
             "hidden_size": 576, "intermediate_size": 1536, "num_hidden_layers": 30,
             "num_attention_heads": 9, "num_key_value_heads": 3, "rms_norm_eps": 1e-05,
             "rope_parameters": {"rope_theta": 100000.0, "rope_type": "default"},
             "max_position_embeddings": 8192, "tie_word_embeddings": true,
             "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu"}
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let config = try TextConfig(contentsOf: url)
        #expect(config.hiddenSize == 576 && config.layerCount == 30)
        #expect(config.attentionHeads == 9 && config.keyValueHeads == 3 && config.headDimension == 64)
        #expect(config.ropeTheta == 100_000 && config.rmsNormEpsilon == 1e-5)
        #expect(config.tieWordEmbeddings && config.eosTokenIDs == [2] && config.bosTokenID == 1)
    }

    /// Absent keys take LlamaConfig's defaults (HF writes configs as a diff).
    @Test func absentKeysTakeLlamaDefaults() throws {
        let url = try Self.write(#"{"hidden_size": 2048, "num_attention_heads": 32, "rope_theta": 273768}"#)
        defer { try? FileManager.default.removeItem(at: url) }
        let config = try TextConfig(contentsOf: url)
        #expect(config.vocabularySize == 32000 && config.intermediateSize == 11008 && config.layerCount == 32)
        #expect(config.keyValueHeads == 32 && config.headDimension == 64)
        #expect(config.rmsNormEpsilon == 1e-6 && config.ropeTheta == 273_768 && config.maxPositionEmbeddings == 2048)
        #expect(!config.tieWordEmbeddings && config.eosTokenIDs.isEmpty)
    }

    @Test func wrongValuesNameTheKey() throws {
        let cases: [(String, String)] = [
            (#"{"hidden_size": "576"}"#, "hidden_size"),
            (#"{"num_key_value_heads": 0}"#, "num_key_value_heads"),
            (#"{"hidden_act": "gelu"}"#, "hidden_act"),
            (#"{"rope_scaling": {"rope_type": "yarn", "factor": 4}}"#, "rope_parameters"),
        ]
        for (json, key) in cases {
            let url = try Self.write(json)
            defer { try? FileManager.default.removeItem(at: url) }
            #expect(throws: ConfigError.self) { try TextConfig(contentsOf: url) }
            do { _ = try TextConfig(contentsOf: url) } catch {
                #expect(error.description.contains("'\(key)'"), "\(error)")
            }
        }
        let heads = try Self.write(#"{"num_attention_heads": 9, "num_key_value_heads": 2, "hidden_size": 576}"#)
        defer { try? FileManager.default.removeItem(at: heads) }
        #expect(throws: ConfigError.inconsistent(file: heads.path, reason: "num_attention_heads 9 is not a multiple of num_key_value_heads 2")) {
            try TextConfig(contentsOf: heads)
        }
        #expect(throws: ConfigError.fileNotFound(path: "/nonexistent/config.json")) {
            try TextConfig(contentsOf: URL(fileURLWithPath: "/nonexistent/config.json"))
        }
    }
}
