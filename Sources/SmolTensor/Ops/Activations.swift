extension Tensor {
    /// GELU with the tanh approximation (`gelu_pytorch_tanh`, SigLIP's activation).
    public func geluTanh() throws(TensorError) -> Tensor {
        try mapElements("geluTanh", ActivationKernels.geluTanh)
    }

    /// SiLU, `x · sigmoid(x)` (the gate activation of SmolLM2's MLP).
    public func silu() throws(TensorError) -> Tensor {
        try mapElements("silu", ActivationKernels.silu)
    }

    /// Applies an elementwise kernel in parallel chunks.
    func mapElements(
        _ op: String,
        _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) throws(TensorError) -> Tensor {
        let x = try floatOperand(op)
        let result = try Tensor.uninitialized(shape)
        let (input, output) = (x.floatPointer, result.mutableFloatPointer)
        ThreadPool.shared.parallelChunks(count, minimumChunk: parallelGrain) { range in
            kernel(input + range.lowerBound, output + range.lowerBound, range.count)
        }
        return result
    }
}
