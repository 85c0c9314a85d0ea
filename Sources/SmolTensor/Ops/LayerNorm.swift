extension Tensor {
    /// Layer normalisation over the last dimension (`torch.nn.functional.layer_norm`).
    ///
    /// - Parameters:
    ///   - weight: `[D]` scale, or nil for none.
    ///   - bias: `[D]` shift, or nil for none.
    ///   - eps: added to the variance (SigLIP uses `1e-6`).
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float) throws(TensorError) -> Tensor {
        let op = "layerNorm"
        let x = try floatOperand(op)
        let dim = try lastDimension(op)
        let w = try weight?.floatOperand(op)
        let b = try bias?.floatOperand(op)
        for p in [w, b] where p != nil && p!.shape != [dim] {
            throw .shapeMismatch(operation: op, detail: "parameter \(p!.shape) does not match last dimension \(dim)")
        }
        let result = try Tensor.uninitialized(shape)
        guard dim > 0 else { return result }
        let rows = count / dim
        let (input, output) = (x.floatPointer, result.mutableFloatPointer)
        let (wp, bp) = (w?.floatPointer, b?.floatPointer)
        ThreadPool.shared.parallelChunks(rows, minimumChunk: Swift.max(1, parallelGrain / dim)) { range in
            for row in range {
                NormKernels.layerNormRow(input + row * dim, output + row * dim, dim: dim,
                                         weight: wp, bias: bp, eps: eps)
            }
        }
        return result
    }
}
