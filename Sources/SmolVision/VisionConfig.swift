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

    /// A configuration from explicit values (`gelu_pytorch_tanh` is implied).
    ///
    /// The defaults are SigLIP-B/16 at 512 px, the tower of SmolVLM(2)-256M/500M.
    /// - Throws: ``ConfigError`` when a value is not positive or the values do not fit together.
    public init(
        hiddenSize: Int = 768, intermediateSize: Int = 3072, layerCount: Int = 12, attentionHeads: Int = 12,
        channelCount: Int = 3, imageSize: Int = 512, patchSize: Int = 16, layerNormEpsilon: Float = 1e-6
    ) throws(ConfigError) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.attentionHeads = attentionHeads
        self.channelCount = channelCount
        self.imageSize = imageSize
        self.patchSize = patchSize
        self.layerNormEpsilon = layerNormEpsilon
        try validate(source: "VisionConfig")
    }

    /// Reads the vision configuration from a model directory or a `config.json`.
    ///
    /// A SmolVLM configuration contributes its `vision_config` (all defaults when
    /// absent); any other file is read as a bare vision configuration.
    public init(contentsOf url: URL) throws(ConfigError) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let file = exists && isDirectory.boolValue ? url.appendingPathComponent("config.json") : url
        let top = try JSONConfig(contentsOf: file)
        if let nested = try top.nested("vision_config") {
            try self.init(config: nested)
        } else if ["smolvlm", "idefics3"].contains(try top.string("model_type", default: "")) {
            // HF omits a vision_config equal to the class defaults.
            try self.init(config: JSONConfig(source: "\(top.source): vision_config", object: .object([])))
        } else {
            try self.init(config: top)
        }
    }

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
        try validate(source: c.source)
    }

    /// Checks that the values are usable together (the properties are mutable,
    /// so the encoder checks again before building on them).
    package func validate(source: String) throws(ConfigError) {
        let sizes = [("hidden_size", hiddenSize), ("intermediate_size", intermediateSize),
                     ("num_hidden_layers", layerCount), ("num_attention_heads", attentionHeads),
                     ("num_channels", channelCount), ("image_size", imageSize), ("patch_size", patchSize)]
        for (key, value) in sizes where value <= 0 {
            throw .invalidValue(file: source, key: key, reason: "must be positive, got \(value)")
        }
        guard layerNormEpsilon.isFinite, layerNormEpsilon >= 0 else {
            throw .invalidValue(file: source, key: "layer_norm_eps", reason: "must be a non-negative number, got \(layerNormEpsilon)")
        }
        guard hiddenSize % attentionHeads == 0 else {
            throw .inconsistent(file: source, reason: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(attentionHeads)")
        }
        guard imageSize >= patchSize else {
            throw .inconsistent(file: source, reason: "image_size \(imageSize) is smaller than patch_size \(patchSize)")
        }
    }
}
