import Foundation
import SmolTensor

/// The SigLIP vision tower of SmolVLM: transformers' `SmolVLMVisionTransformer`
/// (identical to `Idefics3VisionTransformer`), plus the frame and mask handling of
/// `SmolVLMModel.get_image_features` in front of it. Products run in float32 by
/// default, or with bfloat16 operands (``Precision``).
///
/// Per frame: a `P×P`-stride patch convolution with bias, plus learned position
/// embeddings (bucketized for partly padded frames); `layerCount` pre-LN layers of
/// bidirectional multi-head attention and a `gelu_pytorch_tanh` MLP; a final
/// LayerNorm. Input `[N, C, H, W]`, output `[K, (H/P)·(W/P), hidden]` for the `K`
/// frames that are not padding.
public final class VisionEncoder: Sendable {
    /// Where the tower's tensors live in a SmolVLM / SmolVLM2 checkpoint.
    public static let defaultPrefix = "model.vision_model."
    /// Frames encoded together: each batch's activations are freed before the next,
    /// so memory stays bounded by this many frames while BLAS still sees
    /// `framesPerBatch × patches` rows per product.
    public static let defaultFramesPerBatch = 2

    /// The configuration the weights were validated against.
    public let config: VisionConfig
    /// The arithmetic of the matrix products in effect: the requested one, or
    /// ``Precision/float32`` when ``Precision/bfloat16`` was asked for on a CPU
    /// without AVX512-BF16.
    public let precision: Precision
    let weights: VisionEncoderWeights
    /// The layers on the packed kernels, or nil for the SmolTensor ops.
    let packed: PackedVisionTower?

    /// Loads the tower from a model directory: `config.json` (its `vision_config`)
    /// and the safetensors checkpoint next to it.
    /// - Throws: ``ConfigError`` for the configuration, ``WeightsError`` for the weights.
    public convenience init(contentsOf directory: URL, prefix: String = VisionEncoder.defaultPrefix,
                            precision: Precision = .float32) throws {
        let config = try VisionConfig(contentsOf: directory)
        try self.init(config: config, weights: SafetensorsCheckpoint(url: directory), prefix: prefix, precision: precision)
    }

    /// A tower over HF-named weights under `prefix` (`embeddings.patch_embedding.weight`,
    /// `encoder.layers.{i}.self_attn.q_proj.weight`, `post_layernorm.bias`, …).
    ///
    /// float16/bfloat16 weights are widened to float32 once, here; on CPUs with
    /// AVX-512 the layer weights are also packed for the C kernels (a copy in the
    /// precision in effect).
    /// - Throws: ``ConfigError`` when `config` is inconsistent;
    ///   ``WeightsError/invalidWeights(source:problems:)`` listing every missing,
    ///   misshapen or unexpected tensor.
    public convenience init(config: VisionConfig, weights: some WeightSource, prefix: String = VisionEncoder.defaultPrefix,
                            precision: Precision = .float32) throws {
        let (effective, backend) = VisionEncoderBackend.best(for: precision)
        try self.init(config: config, weights: weights, prefix: prefix, precision: effective, backend: backend)
    }

    /// A tower on a chosen backend (tests compare the backends with this).
    /// - Precondition: `.tensorOps` only with ``Precision/float32``.
    package init(config: VisionConfig, weights: some WeightSource, prefix: String, precision: Precision,
                 backend: VisionEncoderBackend) throws {
        precondition(backend == .packed(.portable) || backend == .packed(.avx512) || precision == .float32,
                     "the tensor-op backend computes float32 only")
        try config.validate(source: "VisionConfig")
        let loaded = try VisionEncoderWeights(source: weights, config: config, prefix: prefix)
        self.config = config
        self.precision = precision
        self.weights = loaded
        switch backend {
        case .tensorOps: packed = nil
        case .packed(let isa): packed = try PackedVisionTower(weights: loaded, precision: precision.kernelPrecision, isa: isa)
        }
    }

    /// Encodes frames as `get_image_features` does up to (not including) the connector.
    ///
    /// - Parameters:
    ///   - pixelValues: `[N, C, H, W]` normalised pixels (float32, float16 or bfloat16),
    ///     or `[B, N, C, H, W]` as the processor returns them (flattened to `B·N` frames).
    ///   - pixelAttentionMask: `[N, H, W]` (or `[B, N, H, W]`), nonzero on real pixels,
    ///     of any numeric dtype; nil means every pixel is real.
    ///   - framesPerBatch: how many frames go through the layers together.
    /// - Returns: the hidden states of the kept frames and which frames those are.
    public func encode(
        pixelValues: Tensor, pixelAttentionMask: Tensor? = nil,
        framesPerBatch: Int = VisionEncoder.defaultFramesPerBatch
    ) throws(TensorError) -> VisionEncoderOutput {
        var output: Tensor? = nil
        let frames = try forEachBatch(pixelValues: pixelValues, pixelAttentionMask: pixelAttentionMask,
                                      framesPerBatch: framesPerBatch) { (states, range, frameCount) throws(TensorError) in
            let (patches, hidden) = (states.shape[1], states.shape[2])
            if output == nil { output = try Tensor(zeros: [frameCount, patches, hidden]) }
            output!.write(states, atElement: range.lowerBound * patches * hidden)
        }
        let mask = frames.grids.flatMap { $0.valid.map { UInt8($0 ? 1 : 0) } }
        let kept = frames.keptFrameIndices
        let states: Tensor
        if let output { states = output } else { states = try Tensor(zeros: [0, frames.patchRows * frames.patchColumns, config.hiddenSize]) }
        return VisionEncoderOutput(
            lastHiddenState: states, keptFrameIndices: kept,
            patchAttentionMask: try Tensor(shape: [kept.count, frames.patchRows, frames.patchColumns], dtype: .bool, copying: mask))
    }

    /// The frames ``forEachBatch(pixelValues:pixelAttentionMask:framesPerBatch:_:)`` encoded.
    package struct EncodedFrames {
        /// Indices (into the flattened input frames) of the frames that are not padding.
        package let keptFrameIndices: [Int]
        /// Each kept frame's valid patches.
        package let grids: [PatchGrid]
        package let patchRows: Int, patchColumns: Int
    }

    /// ``encode(pixelValues:pixelAttentionMask:framesPerBatch:)`` one batch at a time:
    /// `body` gets each batch's `last_hidden_state` `[n, patches, hidden]`, the range of
    /// kept frames it covers (in order) and the number of kept frames. A caller that reduces the states (the connector does, 16×)
    /// never holds every frame's states at once.
    package func forEachBatch(
        pixelValues: Tensor, pixelAttentionMask: Tensor?, framesPerBatch: Int = VisionEncoder.defaultFramesPerBatch,
        _ body: (_ states: Tensor, _ frames: Range<Int>, _ frameCount: Int) throws(TensorError) -> Void
    ) throws(TensorError) -> EncodedFrames {
        guard framesPerBatch > 0 else {
            throw .invalidArgument(operation: "VisionEncoder.encode", detail: "framesPerBatch must be positive, got \(framesPerBatch)")
        }
        let input = try EncoderInput(pixelValues: pixelValues, pixelAttentionMask: pixelAttentionMask, config: config)
        let kept = input.keptFrameIndices
        let grids = input.patchGrids(frames: kept)
        for start in stride(from: 0, to: kept.count, by: framesPerBatch) {
            let end = min(start + framesPerBatch, kept.count)
            let frames = try input.pixels(frames: Array(kept[start..<end]))
            let states = try hiddenStates(frames: frames, grids: Array(grids[start..<end]))
            try body(states, start..<end, kept.count)
        }
        return EncodedFrames(keptFrameIndices: kept, grids: grids, patchRows: input.patchRows, patchColumns: input.patchColumns)
    }

    /// Where ``hiddenStates(frames:grids:stage:)`` stops (the later stages exist for debugging).
    package enum Stage: Sendable, Equatable {
        /// Patch embeddings plus position embeddings.
        case embeddings
        /// The output of encoder layer `index` (0-based).
        case layer(Int)
        /// After `post_layernorm`: `last_hidden_state`.
        case output
    }

    /// Runs frames that are already selected through the tower.
    ///
    /// - Parameters:
    ///   - frames: `[B, C, H, W]`.
    ///   - grids: each frame's valid patches (``PatchGrid``), `B` of them.
    /// - Returns: `[B, (H/P)·(W/P), hidden]` at `stage`.
    package func hiddenStates(frames: Tensor, grids: [PatchGrid], stage: Stage = .output) throws(TensorError) -> Tensor {
        let c = config
        let batch = frames.shape[0]
        let patches = grids.first.map { $0.rows * $0.columns } ?? 0
        guard grids.count == batch else {
            throw .shapeMismatch(operation: "VisionEncoder", detail: "\(grids.count) patch grids for \(batch) frames")
        }
        let ids = grids.flatMap { $0.positionIDs(patchesPerSide: c.patchesPerSide) }
        let positions = try weights.positionEmbedding.embeddingRows(ids).reshaped([batch, patches, c.hiddenSize])
        var x: Tensor
        if let packed {
            x = try packed.embed(frames, positions: positions, config: c)
        } else {
            x = try frames.patchConv(weight: weights.patchWeight, bias: weights.patchBias).adding(positions)
        }
        if stage == .embeddings { return x }

        // Only padding patches are masked, and only as keys (`_prepare_4d_attention_mask`);
        // transformers passes no mask at all when nothing is padding.
        var keyMask: Tensor? = nil
        if grids.contains(where: \.hasPadding) {
            let blocked = -Float.greatestFiniteMagnitude  // torch.finfo(float32).min, not -inf
            let values = grids.flatMap { $0.valid.map { $0 ? 0 : blocked } }
            keyMask = try Tensor(shape: [batch, 1, 1, patches], floats: values)
        }
        if let packed {
            var count = c.layerCount
            if case .layer(let index) = stage { count = index + 1 }
            let mask: [Float]? = try keyMask?.floats()
            x = try packed.forward(x, keyMask: mask, layerCount: count, config: c)
            if case .layer = stage { return x }
        } else {
            for (index, layer) in weights.layers.enumerated() {
                x = try layer.forward(x, keyMask: keyMask, config: c)
                if stage == .layer(index) { return x }
            }
        }
        return try x.layerNorm(weight: weights.postLayerNormWeight, bias: weights.postLayerNormBias, eps: c.layerNormEpsilon)
    }
}
