import SmolTensor
import Synchronization

/// One encoder layer's weights for the packed kernels: the query, key and value
/// projections fused into one `[3D, D]` product, every product packed once in the
/// tower's precision, and the float32 vectors as plain arrays.
struct PackedVisionLayer: Sendable {
    let layerNorm1Weight: [Float], layerNorm1Bias: [Float]
    /// Rows: queries, then keys, then values.
    let qkv: PackedMatrix, qkvBias: [Float]
    let output: PackedMatrix, outputBias: [Float]
    let layerNorm2Weight: [Float], layerNorm2Bias: [Float]
    let fc1: PackedMatrix, fc1Bias: [Float]
    let fc2: PackedMatrix, fc2Bias: [Float]

    init(_ w: VisionLayerWeights, precision: KernelPrecision) throws(TensorError) {
        layerNorm1Weight = try w.layerNorm1Weight.floats()
        layerNorm1Bias = try w.layerNorm1Bias.floats()
        let fused = try Tensor.concatenate([w.queryWeight, w.keyWeight, w.valueWeight], axis: 0)
        qkv = try PackedMatrix(weight: fused, precision: precision)
        qkvBias = try w.queryBias.floats() + w.keyBias.floats() + w.valueBias.floats()
        output = try PackedMatrix(weight: w.outputWeight, precision: precision)
        outputBias = try w.outputBias.floats()
        layerNorm2Weight = try w.layerNorm2Weight.floats()
        layerNorm2Bias = try w.layerNorm2Bias.floats()
        fc1 = try PackedMatrix(weight: w.fc1Weight, precision: precision)
        fc1Bias = try w.fc1Bias.floats()
        fc2 = try PackedMatrix(weight: w.fc2Weight, precision: precision)
        fc2Bias = try w.fc2Bias.floats()
        // The packed copies are all that is read from now on: the file's pages of the
        // source matrices need not stay resident.
        for matrix in [w.queryWeight, w.keyWeight, w.valueWeight, w.outputWeight, w.fc1Weight, w.fc2Weight] {
            matrix.releaseMappedPages()
        }
    }
}

/// The encoder layers on the packed C kernels (`CSmolGEMM`): per layer one fused
/// QKV product, fused attention (no score matrix per head, no head transposes),
/// and products whose bias, GELU and residual sum happen as their outputs are
/// written. Activations stay float32 between the products.
struct PackedVisionTower: Sendable {
    let precision: KernelPrecision
    let isa: KernelISA
    /// The patch embedding as a float32 `[D, C·P·P]` product, in both precisions
    /// (it is 0.6% of the work).
    let patch: PackedMatrix, patchBias: [Float]
    let layers: [PackedVisionLayer]

    init(weights: VisionEncoderWeights, precision: KernelPrecision, isa: KernelISA) throws(TensorError) {
        self.precision = precision
        self.isa = isa
        let p = weights.patchWeight.shape
        patch = try PackedMatrix(weight: weights.patchWeight.reshaped([p[0], p[1] * p[2] * p[3]]), precision: .float32)
        patchBias = try weights.patchBias.floats()
        // Layers pack in parallel: loading is mostly this copy.
        let packed = Mutex<[Result<PackedVisionLayer, TensorError>?]>(Array(repeating: nil, count: weights.layers.count))
        ThreadPool.shared.parallelFor(weights.layers.count) { i in
            let layer = Result { () throws(TensorError) in try PackedVisionLayer(weights.layers[i], precision: precision) }
            packed.withLock { $0[i] = layer }
        }
        var layers: [PackedVisionLayer] = []
        for result in packed.withLock({ $0 }) { layers.append(try result!.get()) }
        self.layers = layers
    }

    /// Patch embeddings plus `positions`: `[B, S, D]` for frames `[B, C, H, W]` and
    /// position rows `[B·S, D]` (a float32 `P×P`-stride convolution as im2col and one product).
    func embed(_ frames: Tensor, positions: Tensor, config c: VisionConfig) throws(TensorError) -> Tensor {
        let pixels = try frames.asFloat32()
        let (batch, height, width) = (pixels.shape[0], pixels.shape[2], pixels.shape[3])
        let p = c.patchSize
        let tokens = (height / p) * (width / p), patchLength = c.channelCount * p * p
        let frameLength = c.channelCount * height * width
        var columns = [Float](repeating: 0, count: batch * tokens * patchLength)
        var result = try Tensor(zeros: [batch, tokens, c.hiddenSize])
        try pixels.withUnsafeFloats { (source) throws(TensorError) in
            try positions.withUnsafeFloats { (rows) throws(TensorError) in
                try columns.withUnsafeMutableBufferPointer { (buffer) throws(TensorError) in
                    for frame in 0..<batch {
                        Tensor.gatherPatches(source.baseAddress! + frame * frameLength, channels: c.channelCount,
                                             height: height, width: width, patchSize: p,
                                             into: buffer.baseAddress! + frame * tokens * patchLength)
                    }
                    try patchBias.withUnsafeBufferPointer { (bias) throws(TensorError) in
                        try result.withUnsafeMutableFloats { (out) throws(TensorError) in
                            try patch.multiply(buffer.baseAddress!, rows: batch * tokens, inputStride: patchLength,
                                               bias: bias.baseAddress, residual: rows.baseAddress!,
                                               residualStride: c.hiddenSize, into: out.baseAddress!,
                                               outputStride: c.hiddenSize, isa: isa == .portable ? .portable : .best(for: .float32))
                        }
                    }
                }
            }
        }
        return result
    }

    /// Runs layers `0..<layerCount` over `embeddings` `[B, S, D]`.
    ///
    /// - Parameter keyMask: `[B·S]` additive key mask, or nil when no patch is padding.
    /// - Returns: `[B, S, D]`, the output of the last layer run.
    func forward(_ embeddings: Tensor, keyMask: [Float]?, layerCount: Int, config c: VisionConfig) throws(TensorError) -> Tensor {
        let (frames, tokens) = (embeddings.shape[0], embeddings.shape[1])
        // The residual stream lives in the result; the other activations in a workspace.
        var result = try embeddings.asFloat32()
        try result.withUnsafeMutableFloats { (x) throws(TensorError) in
            try run(x, frames: frames, tokens: tokens, keyMask: keyMask, layerCount: layerCount, config: c)
        }
        return result
    }

    private func run(_ x: UnsafeMutableBufferPointer<Float>, frames: Int, tokens: Int, keyMask: [Float]?,
                     layerCount: Int, config c: VisionConfig) throws(TensorError) {
        let (rows, hidden) = (frames * tokens, c.hiddenSize)
        let workspace = Workspace(rows: rows, hidden: hidden, intermediate: c.intermediateSize)
        defer { workspace.deallocate() }
        let (h, normed, qkv, attended, mlp) =
            (workspace.h, workspace.normed, workspace.qkv, workspace.attended, workspace.mlp)

        let d = hidden, eps = c.layerNormEpsilon
        let scale = 1 / Float(c.headDimension).squareRoot()
        for layer in layers.prefix(layerCount) {
            Self.layerNorm(x.baseAddress!, into: normed.baseAddress!, rows: rows, dim: d,
                           weight: layer.layerNorm1Weight, bias: layer.layerNorm1Bias, eps: eps)
            try layer.qkvBias.withUnsafeBufferPointer { (bias) throws(TensorError) in
                try layer.qkv.multiply(normed.baseAddress!, rows: rows, inputStride: d, bias: bias.baseAddress,
                                       into: qkv.baseAddress!, outputStride: 3 * d, isa: isa)
            }
            try Self.withOptionalPointer(keyMask) { (mask) throws(TensorError) in
                try PackedKernels.attention(
                    qkv: qkv.baseAddress!, ldQKV: 3 * d, offsets: (0, d, 2 * d), frames: frames, tokens: tokens,
                    heads: c.attentionHeads, headDimension: c.headDimension, scale: scale, keyMask: mask,
                    output: attended.baseAddress!, ldOutput: d, precision: precision, isa: isa)
            }
            try layer.outputBias.withUnsafeBufferPointer { (bias) throws(TensorError) in
                try layer.output.multiply(attended.baseAddress!, rows: rows, inputStride: d, bias: bias.baseAddress,
                                          residual: x.baseAddress!, residualStride: d,
                                          into: h.baseAddress!, outputStride: d, isa: isa)
            }
            Self.layerNorm(h.baseAddress!, into: normed.baseAddress!, rows: rows, dim: d,
                           weight: layer.layerNorm2Weight, bias: layer.layerNorm2Bias, eps: eps)
            try layer.fc1Bias.withUnsafeBufferPointer { (bias) throws(TensorError) in
                try layer.fc1.multiply(normed.baseAddress!, rows: rows, inputStride: d, bias: bias.baseAddress,
                                       activation: .geluTanh, into: mlp.baseAddress!,
                                       outputStride: c.intermediateSize, isa: isa)
            }
            try layer.fc2Bias.withUnsafeBufferPointer { (bias) throws(TensorError) in
                try layer.fc2.multiply(mlp.baseAddress!, rows: rows, inputStride: c.intermediateSize,
                                       bias: bias.baseAddress, residual: h.baseAddress!, residualStride: d,
                                       into: x.baseAddress!, outputStride: d, isa: isa)
            }
        }
    }

    /// LayerNorm of every row, on the shared pool.
    static func layerNorm(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, dim: Int,
                          weight: [Float], bias: [Float], eps: Float) {
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                ThreadPool.shared.parallelChunks(rows, minimumChunk: 16) { range in
                    for row in range {
                        NormKernels.layerNormRow(input + row * dim, output + row * dim, dim: dim,
                                                 weight: w.baseAddress, bias: b.baseAddress, eps: eps)
                    }
                }
            }
        }
    }

    private static func withOptionalPointer<R>(
        _ values: [Float]?, _ body: (UnsafePointer<Float>?) throws(TensorError) -> R
    ) throws(TensorError) -> R {
        guard let values else { return try body(nil) }
        return try values.withUnsafeBufferPointer { (buffer) throws(TensorError) in try body(buffer.baseAddress) }
    }

    /// The activations of one forward pass, allocated together and freed after it
    /// (as whole pages, returned to the system: see `LargeBuffer`). Buffers whose
    /// values are dead by the time another is written share memory: the attention
    /// output takes the normed input's place (the QKV product has consumed it), and
    /// the MLP's hidden layer takes the QKV buffer's (the attention has consumed it).
    private struct Workspace {
        let h, normed, qkv, attended, mlp: UnsafeMutableBufferPointer<Float>
        private let buffers: [LargeBuffer]

        init(rows: Int, hidden: Int, intermediate: Int) {
            var buffers: [LargeBuffer] = []
            func buffer(_ columns: Int) -> UnsafeMutableBufferPointer<Float> {
                let memory = LargeBuffer(byteCount: rows * columns * 4)
                buffers.append(memory)
                return UnsafeMutableBufferPointer(start: memory.pointer.bindMemory(to: Float.self, capacity: rows * columns),
                                                  count: rows * columns)
            }
            (h, normed) = (buffer(hidden), buffer(hidden))
            attended = normed
            let shared = buffer(Swift.max(3 * hidden, intermediate))
            qkv = UnsafeMutableBufferPointer(rebasing: shared[0..<(rows * 3 * hidden)])
            mlp = UnsafeMutableBufferPointer(rebasing: shared[0..<(rows * intermediate)])
            self.buffers = buffers
        }

        func deallocate() {
            for buffer in buffers { buffer.deallocate() }
        }
    }
}
