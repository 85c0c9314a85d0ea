extension Tensor {
    /// The dimensions reordered (`torch.permute(axes).contiguous()`), copied.
    ///
    /// Output dimension `i` is input dimension `axes[i]`; e.g. `[B, S, H, D]` with
    /// `[0, 2, 1, 3]` becomes `[B, H, S, D]` (splitting attention heads).
    /// Works for every non-quantized dtype.
    public func permuted(_ axes: [Int]) throws(TensorError) -> Tensor {
        let op = "permuted"
        guard axes.count == rank, axes.sorted() == Array(0..<rank) else {
            throw .invalidArgument(operation: op, detail: "\(axes) is not a permutation of the \(rank) axes of \(shape)")
        }
        guard !dtype.isQuantized else { throw .unsupportedDType(operation: op, dtype: dtype) }
        let outShape = axes.map { shape[$0] }
        let result = try Tensor.uninitialized(outShape, dtype: dtype)
        guard count > 0 else { return result }
        let elementBytes = dtype.blockBytes
        var inputStrides = [Int](repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) { inputStrides[d] = inputStrides[d + 1] * shape[d + 1] }
        let strides = axes.map { inputStrides[$0] }

        // Runs along the output's last dimension are contiguous in the input when
        // that dimension stays last, as for head splits: copy them whole.
        let keepsLast = rank == 0 || axes.last == rank - 1
        let run = keepsLast && rank > 0 ? outShape[rank - 1] : 1
        let outerRank = keepsLast && rank > 0 ? rank - 1 : rank
        let runBytes = run * elementBytes
        let source = storage.base + byteOffset
        let destination = result.storage.base
        var index = [Int](repeating: 0, count: outerRank)
        var inputOffset = 0
        for runIndex in 0..<(count / run) {
            (destination + runIndex * runBytes).copyMemory(from: source + inputOffset * elementBytes, byteCount: runBytes)
            // Advance the output multi-index like an odometer, tracking the input offset.
            var d = outerRank - 1
            while d >= 0 {
                index[d] += 1
                inputOffset += strides[d]
                if index[d] < outShape[d] { break }
                inputOffset -= strides[d] * outShape[d]
                index[d] = 0
                d -= 1
            }
        }
        return result
    }
}
