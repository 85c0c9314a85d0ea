extension Tensor {
    /// Scaled dot-product attention with grouped-query heads.
    ///
    /// `softmax(q·kᵀ·scale + mask) · v` per head, in float32, as transformers'
    /// `eager_attention_forward`. Query head `h` reads key/value head
    /// `h / (Hq / Hkv)` (`repeat_kv`).
    ///
    /// - Parameters:
    ///   - query: `[B, Hq, S, D]`.
    ///   - key: `[B, Hkv, T, D]`, with `Hq` a multiple of `Hkv`.
    ///   - value: `[B, Hkv, T, Dv]`.
    ///   - mask: additive mask broadcastable to `[B, Hq, S, T]` (e.g. a key
    ///     padding mask `[B, 1, 1, T]`), or nil.
    ///   - causal: when true, query `i` sees keys `j ≤ i + (T − S)`: the queries are
    ///     the last `S` positions, as when decoding against a KV cache.
    ///   - scale: score scale; defaults to `1/√D`.
    /// - Returns: `[B, Hq, S, Dv]`.
    public static func scaledDotProductAttention(
        query: Tensor, key: Tensor, value: Tensor,
        mask: Tensor? = nil, causal: Bool = false, scale: Float? = nil
    ) throws(TensorError) -> Tensor {
        let op = "scaledDotProductAttention"
        let q = try query.floatOperand(op), k = try key.floatOperand(op), v = try value.floatOperand(op)
        guard q.rank == 4, k.rank == 4, v.rank == 4 else {
            throw .shapeMismatch(operation: op, detail: "q, k, v must be [B, H, S, D]; got \(q.shape), \(k.shape), \(v.shape)")
        }
        let (batch, queryHeads, s, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let (kvHeads, t) = (k.shape[1], k.shape[2])
        let dv = v.shape[3]
        guard k.shape[0] == batch, v.shape[0] == batch, k.shape[3] == d,
              v.shape[1] == kvHeads, v.shape[2] == t,
              kvHeads > 0, queryHeads % kvHeads == 0 else {
            throw .shapeMismatch(operation: op, detail: "q \(q.shape), k \(k.shape), v \(v.shape) do not fit (query heads must be a multiple of key/value heads)")
        }
        if causal && s > t {
            throw .shapeMismatch(operation: op, detail: "causal attention needs at least as many keys (\(t)) as queries (\(s))")
        }
        let full = [batch, queryHeads, s, t]
        var maskLayout: (tensor: Tensor, strides: [Int])? = nil
        if let mask {
            let m = try mask.floatOperand(op)
            guard m.rank <= 4, Broadcast.shape(m.shape, full) == full else {
                throw .shapeMismatch(operation: op, detail: "mask \(mask.shape) does not broadcast to \(full)")
            }
            maskLayout = (m, Broadcast.strides(of: m.shape, broadcastTo: full))
        }
        let factor = scale ?? 1 / Float(d).squareRoot()
        let group = queryHeads / kvHeads
        let result = try Tensor.uninitialized([batch, queryHeads, s, dv])
        guard s > 0, dv > 0 else { return result }
        var scores = [Float](repeating: 0, count: s * t)
        scores.withUnsafeMutableBufferPointer { buffer in
            let sp = buffer.baseAddress!
            for b in 0..<batch {
                for h in 0..<queryHeads {
                    let kvh = h / group
                    let qp = q.floatPointer + ((b * queryHeads + h) * s) * d
                    let kp = k.floatPointer + ((b * kvHeads + kvh) * t) * d
                    let vp = v.floatPointer + ((b * kvHeads + kvh) * t) * dv
                    let outp = result.mutableFloatPointer + ((b * queryHeads + h) * s) * dv
                    BLAS.sgemm(transposeB: true, m: s, n: t, k: d, alpha: factor,
                               a: qp, lda: d, b: kp, ldb: d, c: sp, ldc: t)
                    let maskBase = maskLayout.map { $0.tensor.floatPointer + b * $0.strides[0] + h * $0.strides[1] }
                    let (maskRowStride, maskColumnStride) = (maskLayout?.strides[2] ?? 0, maskLayout?.strides[3] ?? 0)
                    // Rows are independent: spread mask, causal fill and softmax over the
                    // pool (BLAS is idle here, so the two never compete for the cores).
                    ThreadPool.shared.parallelChunks(s, minimumChunk: Swift.max(1, parallelGrain / Swift.max(t, 1))) { rows in
                        for i in rows {
                            let row = sp + i * t
                            if let maskBase {
                                let maskRow = maskBase + i * maskRowStride
                                for j in 0..<t { row[j] += maskRow[j * maskColumnStride] }
                            }
                            if causal {
                                let visible = i + (t - s) + 1
                                for j in visible..<t { row[j] = -.infinity }
                            }
                            SoftmaxKernels.softmaxRow(row, t)
                        }
                    }
                    BLAS.sgemm(m: s, n: dv, k: t, a: sp, lda: t, b: vp, ldb: dv, c: outp, ldc: dv)
                }
            }
        }
        return result
    }
}
