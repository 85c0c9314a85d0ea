extension Tensor {
    /// Root-mean-square normalisation over the last dimension, as transformers'
    /// `LlamaRMSNorm`: `weight · (x / sqrt(mean(x²) + eps))`.
    public func rmsNorm(weight: Tensor, eps: Float) throws(TensorError) -> Tensor {
        let op = "rmsNorm"
        let x = try floatOperand(op)
        let dim = try lastDimension(op)
        let w = try weight.floatOperand(op)
        guard w.shape == [dim] else {
            throw .shapeMismatch(operation: op, detail: "weight \(weight.shape) does not match last dimension \(dim)")
        }
        let result = try Tensor.uninitialized(shape)
        guard dim > 0 else { return result }
        let rows = count / dim
        let (input, output, wp) = (x.floatPointer, result.mutableFloatPointer, w.floatPointer)
        ThreadPool.shared.parallelChunks(rows, minimumChunk: Swift.max(1, parallelGrain / dim)) { range in
            for row in range {
                NormKernels.rmsNormRow(input + row * dim, output + row * dim, dim: dim, weight: wp, eps: eps)
            }
        }
        return result
    }
}
