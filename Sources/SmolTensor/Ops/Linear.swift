extension Tensor {
    /// `x · Wᵀ + b` over the last dimension, as `torch.nn.functional.linear`.
    ///
    /// - Parameters:
    ///   - weight: `[out, in]` (the PyTorch layout; kept as is and transposed by BLAS).
    ///   - bias: `[out]`, optional.
    /// - Returns: `[…, out]` for `self` of shape `[…, in]`.
    public func linear(weight: Tensor, bias: Tensor? = nil) throws(TensorError) -> Tensor {
        let op = "linear"
        let x = try floatOperand(op)
        let w = try weight.floatOperand(op)
        let inFeatures = try lastDimension(op)
        guard w.rank == 2, w.shape[1] == inFeatures else {
            throw .shapeMismatch(operation: op, detail: "input \(shape) does not fit weight \(weight.shape) ([out, in])")
        }
        let outFeatures = w.shape[0]
        let rowCount = shape.dropLast().reduce(1, *)
        var result = try Tensor.uninitialized(Array(shape.dropLast()) + [outFeatures])
        var beta: Float = 0
        if let bias {
            let b = try bias.floatOperand(op)
            guard b.shape == [outFeatures] else {
                throw .shapeMismatch(operation: op, detail: "bias \(bias.shape) does not match \(outFeatures) outputs")
            }
            result = try result.filledRows(with: b)
            beta = 1
        }
        let out = result.mutableFloatPointer
        BLAS.sgemm(transposeB: true, m: rowCount, n: outFeatures, k: inFeatures,
                   a: x.floatPointer, lda: Swift.max(inFeatures, 1),
                   b: w.floatPointer, ldb: Swift.max(inFeatures, 1),
                   beta: beta, c: out, ldc: Swift.max(outFeatures, 1))
        return result
    }
}
