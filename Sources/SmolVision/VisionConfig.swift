import Foundation
import SmolTensor

/// The SigLIP vision tower configuration (`vision_config` of a SmolVLM
/// configuration), with the defaults of transformers' `Idefics3VisionConfig`
/// / `SmolVLMVisionConfig` for absent keys.
public struct VisionConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var attentionHeads: Int
    public var channelCount: Int
    /// Side of the square tile the tower was trained on (512 or 384 for SmolVLM).
    public var imageSize: Int
    public var patchSize: Int
    public var layerNormEpsilon: Float

    /// Patches per side of a full tile (`imageSize / patchSize`).
    public var patchesPerSide: Int { imageSize / patchSize }
    public var headDimension: Int { hiddenSize / attentionHeads }

    package init(config c: JSONConfig) throws(ConfigError) {
        hiddenSize = try c.positiveInt("hidden_size", default: 1152)
        intermediateSize = try c.positiveInt("intermediate_size", default: 3072)
        layerCount = try c.positiveInt("num_hidden_layers", default: 12)
        attentionHeads = try c.positiveInt("num_attention_heads", default: 16)
        channelCount = try c.positiveInt("num_channels", default: 3)
        imageSize = try c.positiveInt("image_size", default: 224)
        patchSize = try c.positiveInt("patch_size", default: 32)
        layerNormEpsilon = Float(try c.double("layer_norm_eps", default: 1e-6))
        let activation = try c.string("hidden_act", default: "gelu_pytorch_tanh")
        guard activation == "gelu_pytorch_tanh" else {
            throw c.invalid("hidden_act", "only gelu_pytorch_tanh is supported, got '\(activation)'")
        }
        guard hiddenSize % attentionHeads == 0 else {
            throw .inconsistent(file: c.source, reason: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(attentionHeads)")
        }
        guard imageSize >= patchSize else {
            throw .inconsistent(file: c.source, reason: "image_size \(imageSize) is smaller than patch_size \(patchSize)")
        }
    }
}
