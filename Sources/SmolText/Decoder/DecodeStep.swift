#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SmolTensor

/// The stages of one layer in the single-token step, in order.
enum DecodeStage {
    static let qkv = 0, attention = 1, output = 2, gateUp = 3, down = 4
    static let perLayer = 5
    /// Output rows per chunk of the o/down products (hidden), gate/up (intermediate) and the head.
    static let hiddenRows = 64, innerRows = 128, headRows = 2048
}

extension SmolLM2 {
    /// One token through the decoder: its embedding is in `scratch.x`; on return
    /// its logits are in `scratch.logits` and its keys and values in `cache`.
    ///
    /// The step is a sequence of stages (per layer: q/k/v, attention, o, gate/up,
    /// down; then the head), each split into chunks of output rows or heads that
    /// the pool's threads claim dynamically (``StageCounters``): one fork/join per
    /// token, and no thread ever waits for one that is not running. Each thread
    /// computes the RMSNorm (and the int8 quantization of the normed vector) for
    /// itself before its first chunk of a product, fused into the products that
    /// read it; RoPE and the KV-cache write are fused into the q/k/v chunks,
    /// SwiGLU into gate/up, the residual adds into o and down.
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
        // KVCache's layouts (not captured as a copy of the cache: that would copy its arrays on write).
        let capacity = cache.capacity
        func valueOffset(_ layer: Int, _ head: Int, _ p: Int) -> Int { ((layer * kvHeads + head) * capacity + p) * hd }
        func keyOffset(_ layer: Int, _ head: Int) -> Int { (layer * kvHeads + head) * hd * capacity }
        func chunks(_ rows: Int, _ size: Int) -> Int { (rows + size - 1) / size }
        func rows(_ chunk: Int, _ size: Int, _ total: Int) -> Range<Int> { (chunk * size)..<min(total, (chunk + 1) * size) }
        let counts = (qkv: heads + 2 * kvHeads, attention: heads, output: chunks(hidden, DecodeStage.hiddenRows),
                      gateUp: chunks(inner, DecodeStage.innerRows), down: chunks(hidden, DecodeStage.hiddenRows),
                      head: chunks(weights.head.rows, DecodeStage.headRows))
        let stages = scratch.stages
        let layerCount = weights.layers.count
        stages.reset(count: layerCount * DecodeStage.perLayer + 1)

        cache.keys.withUnsafeMutableBufferPointer { keyBuffer in
            cache.values.withUnsafeMutableBufferPointer { valueBuffer in
                let keys = keyBuffer.baseAddress!, values = valueBuffer.baseAddress!
                ThreadPool.shared.parallelFor(scratch.members) { member in
                    let x = scratch.x
                    let normed = scratch.normed[member], rowsA = scratch.rowsA[member], rowsB = scratch.rowsB[member]
                    let quantized = scratch.quantized[member]
                    func norm(_ weight: Tensor) {
                        weight.withUnsafeFloats { w in NormKernels.rmsNormRow(x, normed, dim: hidden, weight: w.baseAddress!, eps: eps) }
                    }

                    for (index, layer) in weights.layers.enumerated() {
                        let base = index * DecodeStage.perLayer
                        stages.run(stage: base + DecodeStage.qkv, chunks: counts.qkv, after: index == 0 ? nil : counts.down, prepare: {
                            norm(layer.inputNorm)
                            if quantizes { quantized.quantize(normed, count: hidden) }
                        }) { unit in
                            if unit < heads {
                                let out = scratch.query + unit * hd
                                layer.query.multiply(normed, quantized, into: out, rows: (unit * hd)..<((unit + 1) * hd))
                                rope.rotate(out, rows: 1, rowStride: hd, cos: scratch.cos, sin: scratch.sin)
                            } else if unit < heads + kvHeads {
                                let head = unit - heads
                                layer.key.multiply(normed, quantized, into: rowsA, rows: (head * hd)..<((head + 1) * hd))
                                rope.rotate(rowsA, rows: 1, rowStride: hd, cos: scratch.cos, sin: scratch.sin)
                                let column = keys + keyOffset(index, head) + position
                                for i in 0..<hd { column[i * capacity] = rowsA[i] }
                            } else {
                                let head = unit - heads - kvHeads
                                layer.value.multiply(normed, quantized, into: values + valueOffset(index, head, position),
                                                     rows: (head * hd)..<((head + 1) * hd))
                            }
                        }
                        stages.run(stage: base + DecodeStage.attention, chunks: counts.attention, after: counts.qkv) { head in
                            DecodeAttention.attendHead(
                                query: scratch.query + head * hd, keys: keys + keyOffset(index, head / group), keyStride: capacity,
                                values: values + valueOffset(index, head / group, 0),
                                positions: positions, dimension: hd, scale: scale,
                                scores: scratch.scores[member], out: scratch.attention + head * hd)
                        }
                        // o_proj and the residual, a chunk of x's rows at a time.
                        stages.run(stage: base + DecodeStage.output, chunks: counts.output, after: counts.attention, prepare: {
                            if quantizes { quantized.quantize(scratch.attention, count: heads * hd) }
                        }) { chunk in
                            let own = rows(chunk, DecodeStage.hiddenRows, hidden)
                            layer.output.multiply(scratch.attention, quantized, into: rowsA, rows: own)
                            for (i, r) in own.enumerated() { x[r] += rowsA[i] }
                        }
                        // gate and up with SwiGLU fused.
                        stages.run(stage: base + DecodeStage.gateUp, chunks: counts.gateUp, after: counts.output, prepare: {
                            norm(layer.postAttentionNorm)
                            if quantizes { quantized.quantize(normed, count: hidden) }
                        }) { chunk in
                            let mine = rows(chunk, DecodeStage.innerRows, inner)
                            layer.gate.multiply(normed, quantized, into: rowsA, rows: mine)
                            layer.up.multiply(normed, quantized, into: rowsB, rows: mine)
                            for (i, r) in mine.enumerated() {
                                let g = rowsA[i]
                                scratch.gated[r] = g / (1 + expf(-g)) * rowsB[i]
                            }
                        }
                        // down and the residual.
                        stages.run(stage: base + DecodeStage.down, chunks: counts.down, after: counts.gateUp, prepare: {
                            if quantizes { quantized.quantize(scratch.gated, count: inner) }
                        }) { chunk in
                            let own = rows(chunk, DecodeStage.hiddenRows, hidden)
                            layer.down.multiply(scratch.gated, quantized, into: rowsA, rows: own)
                            for (i, r) in own.enumerated() { x[r] += rowsA[i] }
                        }
                    }

                    let final = layerCount * DecodeStage.perLayer
                    stages.run(stage: final, chunks: counts.head, after: counts.down, prepare: {
                        norm(weights.finalNorm)
                        if headQuantizes { quantized.quantize(normed, count: hidden) }
                    }) { chunk in
                        let vocabulary = rows(chunk, DecodeStage.headRows, weights.head.rows)
                        weights.head.multiply(normed, quantized, into: scratch.logits + vocabulary.lowerBound, rows: vocabulary)
                    }
                }
                // Every chunk of the head is complete once parallelFor returns (each
                // claimed chunk is finished by the thread that claimed it).
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
