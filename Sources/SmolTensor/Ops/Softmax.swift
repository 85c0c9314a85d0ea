extension Tensor {
    /// Softmax over the last dimension, stable for large logits.
    public func softmax() throws(TensorError) -> Tensor {
        let op = "softmax"
        let x = try floatOperand(op)
        let dim = try lastDimension(op)
        let result = try Tensor.uninitialized(shape)
        guard dim > 0 else { return result }
        let rows = count / dim
        result.mutableFloatPointer.update(from: x.floatPointer, count: count)
        let output = result.mutableFloatPointer
        ThreadPool.shared.parallelChunks(rows, minimumChunk: Swift.max(1, parallelGrain / dim)) { range in
            for row in range { SoftmaxKernels.softmaxRow(output + row * dim, dim) }
        }
        return result
    }
}
