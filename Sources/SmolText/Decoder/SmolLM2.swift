import Foundation
import SmolTensor

/// The SmolLM2 decoder (transformers' `LlamaModel` + `lm_head`).
///
/// Per layer: `x += o(attn(rmsnorm(x)))`, `x += down(silu(gate(n)) · up(n))` with
/// `n = rmsnorm(x)`; grouped-query causal attention with rotate-half RoPE; a
/// final RMSNorm and the output projection.
///
/// The weight matrices are kept in the ``WeightPrecision`` chosen at load
/// (float32 by default, the reference numerics); activations, the KV cache and
/// everything else are float32 in every mode.
public final class SmolLM2: Sendable {
    public let config: TextConfig
    let weights: DecoderWeights
    let rope: RotaryEmbedding

    /// The format the weight matrices are kept in.
    public var precision: WeightPrecision { weights.precision }

    /// Loads a Hugging Face directory (`config.json`, safetensors) or a llama.cpp GGUF file,
    /// keeping the weight matrices in `precision`.
    public convenience init(contentsOf url: URL, precision: WeightPrecision = .float32) throws {
        if url.pathExtension == "gguf" {
            let gguf = try GGUFFile(url: url)
            try self.init(gguf: gguf, precision: precision)
        } else {
            let config = try TextConfig(contentsOf: url.appendingPathComponent("config.json"))
            try self.init(config: config, weights: SafetensorsCheckpoint(url: url), precision: precision)
        }
    }

    /// A decoder over HF-named weights (`model.layers.{i}…`, `lm_head.weight`) whose
    /// matrices are kept in `precision` (converted at load unless already stored so).
    public convenience init(config: TextConfig, weights: some WeightSource, prefix: String = "model.",
                            headName: String = "lm_head.weight", precision: WeightPrecision = .float32) throws {
        try self.init(config: config, decoderWeights: DecoderWeights(
            source: weights, config: config, precision: precision, prefix: prefix, headName: headName))
    }

    /// A decoder over a llama.cpp GGUF text model whose matrices are kept in
    /// `precision`: tensors already in that format (e.g. `.q4_1` for a Q4_1 file) stay
    /// mapped from the file, others are converted at load.
    public convenience init(gguf: GGUFFile, precision: WeightPrecision = .float32) throws {
        let config = try TextConfig(gguf: gguf)
        try self.init(config: config, decoderWeights: DecoderWeights(gguf: gguf, config: config, precision: precision))
    }

    init(config: TextConfig, decoderWeights: DecoderWeights) throws {
        self.config = config
        weights = decoderWeights
        rope = try RotaryEmbedding(headDimension: config.headDimension, theta: config.ropeTheta)
    }

    /// Embedding rows for `ids` (`[ids.count, hidden]`).
    public func embed(_ ids: [Int]) throws -> Tensor {
        try weights.embedding.embeddingRows(ids)
    }

    /// Runs `embeddings` (`[S, hidden]`, the next `S` positions) through the decoder,
    /// appending their keys and values to `cache`.
    ///
    /// - Returns: the logits `[S, vocabulary]` when `allLogits`, else `[1, vocabulary]`
    ///   for the last position only.
    public func forward(embeddings: Tensor, cache: inout KVCache, allLogits: Bool = false) throws -> Tensor {
        let c = config
        guard embeddings.rank == 2, embeddings.shape[1] == c.hiddenSize else {
            throw TensorError.shapeMismatch(operation: "SmolLM2.forward", detail: "embeddings \(embeddings.shape) must be [S, \(c.hiddenSize)]")
        }
        let s = embeddings.shape[0]
        let start = cache.count
        guard start + s <= cache.capacity else {
            throw GenerationError.contextExceeded(needed: start + s, capacity: cache.capacity)
        }
        if s == 1 && !allLogits {
            // One new position: the fused single-token step.
            let scratch = cache.decodeScratch(config: c, members: ThreadPool.shared.threadCount)
            try embeddings.asFloat32().withUnsafeFloats { scratch.x.update(from: $0.baseAddress!, count: c.hiddenSize) }
            decodeStep(cache: &cache, scratch: scratch)
            return try Tensor(shape: [1, c.vocabularySize],
                              floats: Array(UnsafeBufferPointer(start: scratch.logits, count: c.vocabularySize)))
        }
        var x = try embeddings.asFloat32()
        for (index, layer) in weights.layers.enumerated() {
            let normed = try x.rmsNorm(weight: layer.inputNorm, eps: c.rmsNormEpsilon)
            let attention = try attend(normed, layer: layer, index: index, start: start, cache: &cache)
            x = try x.adding(layer.output.linear(attention))
            let n = try x.rmsNorm(weight: layer.postAttentionNorm, eps: c.rmsNormEpsilon)
            let gated = try layer.gate.linear(n).silu().multiplying(layer.up.linear(n))
            x = try x.adding(layer.down.linear(gated))
        }
        cache.advance(by: s)
        let last = allLogits ? x : try x.slice(axis: 0, start: s - 1, length: 1)
        return try weights.head.linear(last.rmsNorm(weight: weights.finalNorm, eps: c.rmsNormEpsilon))
    }

    /// Causal grouped-query attention of `S` new positions against the cache.
    /// Returns `[S, heads·headDim]`.
    private func attend(_ x: Tensor, layer: DecoderLayerWeights, index: Int, start: Int, cache: inout KVCache) throws -> Tensor {
        let c = config
        let (s, hd, heads, kvHeads) = (x.shape[0], c.headDimension, c.attentionHeads, c.keyValueHeads)
        var q = try layer.query.linear(x)
        var k = try layer.key.linear(x)
        let v = try layer.value.linear(x)
        let positions = Array(start..<(start + s))
        q = try rope.applied(to: q.reshaped([s, heads, hd]).permuted([1, 0, 2]), positions: positions)
        k = try rope.applied(to: k.reshaped([s, kvHeads, hd]).permuted([1, 0, 2]), positions: positions)
        let vHeads = try v.reshaped([s, kvHeads, hd]).permuted([1, 0, 2])

        // Append the new keys (transposed) and values (rows) of each head.
        let capacity = cache.capacity
        k.withUnsafeFloats { kp in
            vHeads.withUnsafeFloats { vp in
                for head in 0..<kvHeads {
                    let keyBase = cache.keyOffset(layer: index, head: head)
                    for i in 0..<s {
                        for d in 0..<hd { cache.keys[keyBase + d * capacity + start + i] = kp[(head * s + i) * hd + d] }
                    }
                    let dst = cache.valueOffset(layer: index, head: head, position: start)
                    let src = head * s * hd
                    for i in 0..<(s * hd) { cache.values[dst + i] = vp[src + i] }
                }
            }
        }

        // Each query attends to the cache up to its own position (the causal mask) with
        // the decode step's kernel; blocks of queries of one head are the pool's tasks, so
        // a block's keys stay in cache and the softmax runs on every thread.
        let group = heads / kvHeads
        let scale = 1 / Float(hd).squareRoot()
        let block = 32
        let blocks = (s + block - 1) / block
        let keyOffsets = (0..<kvHeads).map { cache.keyOffset(layer: index, head: $0) }
        let valueOffsets = (0..<kvHeads).map { cache.valueOffset(layer: index, head: $0, position: 0) }
        var output = [Float](repeating: 0, count: s * heads * hd)
        q.withUnsafeFloats { qp in
            cache.keys.withUnsafeBufferPointer { keys in
                cache.values.withUnsafeBufferPointer { values in
                    output.withUnsafeMutableBufferPointer { op in
                        let (qBase, kBase, vBase, oBase) = (qp.baseAddress!, keys.baseAddress!, values.baseAddress!, op.baseAddress!)
                        ThreadPool.shared.parallelFor(heads * blocks) { task in
                            let head = task / blocks, first = (task % blocks) * block
                            let last = min(s, first + block)
                            let scores = UnsafeMutablePointer<Float>.allocate(capacity: start + last)
                            defer { scores.deallocate() }
                            let keyBase = kBase + keyOffsets[head / group], valueBase = vBase + valueOffsets[head / group]
                            for i in first..<last {
                                // Heads are interleaved in the output ([S, heads·hd]) for o_proj.
                                DecodeAttention.attendHead(query: qBase + (head * s + i) * hd, keys: keyBase, keyStride: capacity,
                                                           values: valueBase, positions: start + i + 1, dimension: hd, scale: scale,
                                                           scores: scores, out: oBase + i * heads * hd + head * hd)
                            }
                        }
                    }
                }
            }
        }
        return try Tensor(shape: [s, heads * hd], floats: output)
    }
}
