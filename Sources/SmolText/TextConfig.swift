import Foundation
import SmolTensor

/// The SmolLM2 (Llama) decoder configuration, read from `config.json` or from
/// the `text_config` of a SmolVLM configuration.
///
/// Absent keys take the defaults of transformers' `LlamaConfig`, because HF
/// writes configurations as a diff against those defaults.
public struct TextConfig: Sendable, Equatable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var attentionHeads: Int
    /// Key/value heads (grouped-query attention); equals `attentionHeads` when absent.
    public var keyValueHeads: Int
    /// Per-head width; `hiddenSize / attentionHeads` when absent.
    public var headDimension: Int
    public var rmsNormEpsilon: Float
    /// RoPE base θ, from `rope_theta` or `rope_parameters.rope_theta` (transformers 5).
    public var ropeTheta: Float
    public var maxPositionEmbeddings: Int
    public var tieWordEmbeddings: Bool
    public var attentionBias: Bool
    public var mlpBias: Bool
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int]

    /// Reads a Llama `config.json`.
    public init(contentsOf url: URL) throws(ConfigError) {
        try self.init(config: JSONConfig(contentsOf: url))
    }

    package init(config c: JSONConfig) throws(ConfigError) {
        vocabularySize = try c.positiveInt("vocab_size", default: 32000)
        hiddenSize = try c.positiveInt("hidden_size", default: 4096)
        intermediateSize = try c.positiveInt("intermediate_size", default: 11008)
        layerCount = try c.positiveInt("num_hidden_layers", default: 32)
        attentionHeads = try c.positiveInt("num_attention_heads", default: 32)
        keyValueHeads = try c.positiveInt("num_key_value_heads", default: attentionHeads)
        if c.has("head_dim") {
            headDimension = try c.positiveInt("head_dim", default: 0)
        } else {
            guard hiddenSize % attentionHeads == 0 else {
                throw .inconsistent(file: c.source, reason: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(attentionHeads)")
            }
            headDimension = hiddenSize / attentionHeads
        }
        guard attentionHeads % keyValueHeads == 0 else {
            throw .inconsistent(file: c.source, reason: "num_attention_heads \(attentionHeads) is not a multiple of num_key_value_heads \(keyValueHeads)")
        }
        guard headDimension % 2 == 0 else {
            throw c.invalid("head_dim", "rotary embeddings need an even head dimension, got \(headDimension)")
        }
        rmsNormEpsilon = Float(try c.double("rms_norm_eps", default: 1e-6))
        // transformers 5 writes rope_parameters; older files rope_theta (+ rope_scaling).
        let rope = try c.firstNested("rope_parameters", "rope_scaling")
        if let rope {
            let type = try rope.firstString("rope_type", "type") ?? "default"
            guard type == "default" else {
                throw .invalidValue(file: c.source, key: "rope_parameters", reason: "rope_type '\(type)' is not supported")
            }
        }
        if let theta = try c.double("rope_theta") {
            ropeTheta = Float(theta)
        } else if let rope {
            ropeTheta = Float(try rope.double("rope_theta", default: 10000))
        } else {
            ropeTheta = 10000
        }
        guard ropeTheta > 0 else { throw c.invalid("rope_theta", "must be positive") }
        maxPositionEmbeddings = try c.positiveInt("max_position_embeddings", default: 2048)
        tieWordEmbeddings = try c.bool("tie_word_embeddings", default: false)
        attentionBias = try c.bool("attention_bias", default: false)
        mlpBias = try c.bool("mlp_bias", default: false)
        let activation = try c.string("hidden_act", default: "silu")
        guard activation == "silu" else { throw c.invalid("hidden_act", "only silu is supported, got '\(activation)'") }
        bosTokenID = try c.int("bos_token_id")
        eosTokenIDs = try c.ints("eos_token_id") ?? []
    }
}
