/// The tower-level tensors of `SmolVLMVisionTransformer`, by their names under the
/// tower prefix, with the shapes a ``VisionConfig`` implies.
enum VisionTowerTensor: String, CaseIterable {
    case patchWeight = "embeddings.patch_embedding.weight"
    case patchBias = "embeddings.patch_embedding.bias"
    case positionEmbedding = "embeddings.position_embedding.weight"
    case postLayerNormWeight = "post_layernorm.weight"
    case postLayerNormBias = "post_layernorm.bias"

    func shape(_ c: VisionConfig) -> [Int] {
        switch self {
        case .patchWeight: return [c.hiddenSize, c.channelCount, c.patchSize, c.patchSize]
        case .positionEmbedding: return [c.patchesPerSide * c.patchesPerSide, c.hiddenSize]
        case .patchBias, .postLayerNormWeight, .postLayerNormBias: return [c.hiddenSize]
        }
    }
}

/// The tensors of one `SmolVLMEncoderLayer`, by their names under
/// `encoder.layers.{i}.`, with the shapes a ``VisionConfig`` implies.
enum VisionLayerTensor: String, CaseIterable {
    case layerNorm1Weight = "layer_norm1.weight"
    case layerNorm1Bias = "layer_norm1.bias"
    case queryWeight = "self_attn.q_proj.weight"
    case queryBias = "self_attn.q_proj.bias"
    case keyWeight = "self_attn.k_proj.weight"
    case keyBias = "self_attn.k_proj.bias"
    case valueWeight = "self_attn.v_proj.weight"
    case valueBias = "self_attn.v_proj.bias"
    case outputWeight = "self_attn.out_proj.weight"
    case outputBias = "self_attn.out_proj.bias"
    case layerNorm2Weight = "layer_norm2.weight"
    case layerNorm2Bias = "layer_norm2.bias"
    case fc1Weight = "mlp.fc1.weight"
    case fc1Bias = "mlp.fc1.bias"
    case fc2Weight = "mlp.fc2.weight"
    case fc2Bias = "mlp.fc2.bias"

    func shape(_ c: VisionConfig) -> [Int] {
        let (d, m) = (c.hiddenSize, c.intermediateSize)
        switch self {
        case .queryWeight, .keyWeight, .valueWeight, .outputWeight: return [d, d]
        case .fc1Weight: return [m, d]
        case .fc1Bias: return [m]
        case .fc2Weight: return [d, m]
        case .layerNorm1Weight, .layerNorm1Bias, .queryBias, .keyBias, .valueBias, .outputBias,
             .layerNorm2Weight, .layerNorm2Bias, .fc2Bias:
            return [d]
        }
    }

    /// The name under the tower prefix for layer `index`.
    func name(layer index: Int) -> String { "encoder.layers.\(index).\(rawValue)" }
}
