#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SmolTensor

extension SmolLM2 {
    /// One token through the decoder: its embedding is in `scratch.x`; on return
    /// its logits are in `scratch.logits` and its keys and values in `cache`.
    ///
    /// The whole step runs as one team of pool threads that split every matrix by
    /// output rows and meet at four barriers per layer, instead of one
    /// fork/join per product. Each member computes the RMSNorm (and the int8
    /// quantization of the normed vector) for itself, fused into the products
    /// that read it; RoPE and the KV-cache write are fused into the q/k/v
    /// products; SwiGLU into the gate/up product; the residual adds into the
    /// o/down products.
    func decodeStep(cache: inout KVCache, scratch: DecodeScratch) {
        let c = config
        let (hidden, hd, heads, kvHeads) = (c.hiddenSize, c.headDimension, c.attentionHeads, c.keyValueHeads)
        let inner = c.intermediateSize
        let position = cache.count
        let positions = position + 1
        let group = heads / kvHeads
        let scale = 1 / Float(hd).squareRoot()
        let eps = c.rmsNormEpsilon
        let quantizes = weights.precision.dtype.isQuantized
        let headQuantizes = weights.head.precision.dtype.isQuantized
        rope.angles(position: position, cos: scratch.cos, sin: scratch.sin)
        let layout = (capacity: cache.capacity, kvHeads: kvHeads)
        func kvOffset(_ layer: Int, _ head: Int, _ p: Int) -> Int { ((layer * layout.kvHeads + head) * layout.capacity + p) * hd }

        cache.keys.withUnsafeMutableBufferPointer { keyBuffer in
            cache.values.withUnsafeMutableBufferPointer { valueBuffer in
                let keys = keyBuffer.baseAddress!, values = valueBuffer.baseAddress!
                ThreadPool.shared.parallelTeam { member, size in
                    let barrier = size > 1 ? scratch.barrier : nil
                    let x = scratch.x
                    let normed = scratch.normed[member], rowsA = scratch.rowsA[member], rowsB = scratch.rowsB[member]
                    let quantized = scratch.quantized[member]
                    func slice(_ n: Int) -> Range<Int> { (n * member / size)..<(n * (member + 1) / size) }

                    for (index, layer) in weights.layers.enumerated() {
                        // q, k, v: heads of all three products split between the members.
                        layer.inputNorm.withUnsafeFloats { w in
                            NormKernels.rmsNormRow(x, normed, dim: hidden, weight: w.baseAddress!, eps: eps)
                        }
                        if quantizes { quantized.quantize(normed, count: hidden) }
                        for unit in slice(heads + 2 * kvHeads) {
                            if unit < heads {
                                let out = scratch.query + unit * hd
                                layer.query.multiply(normed, quantized, into: out, rows: (unit * hd)..<((unit + 1) * hd))
                                rope.rotate(out, rows: 1, rowStride: hd, cos: scratch.cos, sin: scratch.sin)
                            } else if unit < heads + kvHeads {
                                let head = unit - heads
                                let out = keys + kvOffset(index, head, position)
                                layer.key.multiply(normed, quantized, into: out, rows: (head * hd)..<((head + 1) * hd))
                                rope.rotate(out, rows: 1, rowStride: hd, cos: scratch.cos, sin: scratch.sin)
                            } else {
                                let head = unit - heads - kvHeads
                                layer.value.multiply(normed, quantized, into: values + kvOffset(index, head, position),
                                                     rows: (head * hd)..<((head + 1) * hd))
                            }
                        }
                        barrier?.wait()

                        for head in slice(heads) {
                            let kv = kvOffset(index, head / group, 0)
                            DecodeAttention.attendHead(
                                query: scratch.query + head * hd, keys: keys + kv, values: values + kv,
                                positions: positions, dimension: hd, scale: scale,
                                scores: scratch.scores[member], out: scratch.attention + head * hd)
                        }
                        barrier?.wait()

                        // o_proj and the residual, on this member's rows of x.
                        if quantizes { quantized.quantize(scratch.attention, count: heads * hd) }
                        let own = slice(hidden)
                        layer.output.multiply(scratch.attention, quantized, into: rowsA, rows: own)
                        for (i, r) in own.enumerated() { x[r] += rowsA[i] }
                        barrier?.wait()

                        // gate and up (SwiGLU fused), then down and the residual.
                        layer.postAttentionNorm.withUnsafeFloats { w in
                            NormKernels.rmsNormRow(x, normed, dim: hidden, weight: w.baseAddress!, eps: eps)
                        }
                        if quantizes { quantized.quantize(normed, count: hidden) }
                        let mine = slice(inner)
                        layer.gate.multiply(normed, quantized, into: rowsA, rows: mine)
                        layer.up.multiply(normed, quantized, into: rowsB, rows: mine)
                        for (i, r) in mine.enumerated() {
                            let g = rowsA[i]
                            scratch.gated[r] = g / (1 + expf(-g)) * rowsB[i]
                        }
                        barrier?.wait()

                        if quantizes { quantized.quantize(scratch.gated, count: inner) }
                        layer.down.multiply(scratch.gated, quantized, into: rowsA, rows: own)
                        for (i, r) in own.enumerated() { x[r] += rowsA[i] }
                        barrier?.wait()
                    }

                    weights.finalNorm.withUnsafeFloats { w in
                        NormKernels.rmsNormRow(x, normed, dim: hidden, weight: w.baseAddress!, eps: eps)
                    }
                    if headQuantizes { quantized.quantize(normed, count: hidden) }
                    let vocabulary = slice(weights.head.rows)
                    weights.head.multiply(normed, quantized, into: scratch.logits + vocabulary.lowerBound, rows: vocabulary)
                }
            }
        }
        cache.advance(by: 1)
    }
}

extension SmolLM2 {
    /// Runs token `token` at the next position and writes its logits into `logits`
    /// (resized to the vocabulary once, then reused: no allocation per token).
    func decode(token: Int, cache: inout KVCache, logits: inout [Float]) throws {
        let c = config
        guard cache.count < cache.capacity else {
            throw GenerationError.contextExceeded(needed: cache.count + 1, capacity: cache.capacity)
        }
        guard token >= 0 && token < weights.embedding.shape[0] else {
            throw TensorError.outOfRange(operation: "SmolLM2.decode", detail: "token id \(token) for a vocabulary of \(weights.embedding.shape[0])")
        }
        let scratch = cache.decodeScratch(config: c, members: ThreadPool.shared.threadCount)
        try weights.embedding.embeddingRows([token]).withUnsafeFloats {
            scratch.x.update(from: $0.baseAddress!, count: c.hiddenSize)
        }
        decodeStep(cache: &cache, scratch: scratch)
        if logits.count != c.vocabularySize { logits = [Float](repeating: 0, count: c.vocabularySize) }
        logits.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: scratch.logits, count: c.vocabularySize) }
    }
}
