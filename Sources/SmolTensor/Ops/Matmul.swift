extension Tensor {
    /// Batched matrix product `self · other` over the last two dimensions.
    ///
    /// `self` is `[…, M, K]`; `other` is `[…, K, N]`, or `[…, N, K]` when
    /// `transposeOther` is true. The leading (batch) dimensions must be equal, or
    /// `other` may be a plain matrix shared by every batch. Returns `[…, M, N]`.
    public func matmul(_ other: Tensor, transposeOther: Bool = false) throws(TensorError) -> Tensor {
        let op = "matmul"
        let a = try floatOperand(op)
        let b = try other.floatOperand(op)
        guard a.rank >= 2, b.rank >= 2 else {
            throw .shapeMismatch(operation: op, detail: "needs matrices, got \(shape) and \(other.shape)")
        }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let bRows = b.shape[b.rank - 2], bCols = b.shape[b.rank - 1]
        let (bk, n) = transposeOther ? (bCols, bRows) : (bRows, bCols)
        let batchShape = Array(a.shape.dropLast(2))
        let otherBatch = Array(b.shape.dropLast(2))
        guard bk == k, otherBatch == batchShape || otherBatch.isEmpty else {
            throw .shapeMismatch(operation: op,
                                 detail: "\(shape) · \(other.shape)\(transposeOther ? "ᵀ" : "") do not fit")
        }
        let batches = batchShape.reduce(1, *)
        let result = try Tensor.uninitialized(batchShape + [m, n])
        let bStride = otherBatch.isEmpty ? 0 : bRows * bCols
        for batch in 0..<batches {
            BLAS.sgemm(transposeB: transposeOther, m: m, n: n, k: k,
                       a: a.floatPointer + batch * m * k, lda: Swift.max(k, 1),
                       b: b.floatPointer + batch * bStride, ldb: Swift.max(bCols, 1),
                       c: result.mutableFloatPointer + batch * m * n, ldc: Swift.max(n, 1))
        }
        return result
    }
}
