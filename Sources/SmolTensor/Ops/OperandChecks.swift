extension Tensor {
    /// This tensor as float32 for an operation that takes real numbers:
    /// float16/bfloat16 widen, other types are rejected.
    func floatOperand(_ operation: String) throws(TensorError) -> Tensor {
        switch dtype {
        case .float32: return self
        case .float16, .bfloat16: return try asFloat32()
        default: throw .unsupportedDType(operation: operation, dtype: dtype)
        }
    }

    /// The size of the last dimension (rank must be at least 1).
    func lastDimension(_ operation: String) throws(TensorError) -> Int {
        guard let last = shape.last else {
            throw .shapeMismatch(operation: operation, detail: "needs at least one dimension, got a scalar")
        }
        return last
    }
}

/// Rows below this many elements are not worth handing to the thread pool.
let parallelGrain = 1 << 14
