extension Tensor {
    /// Joins tensors of one dtype along `axis`; all other dimensions must match.
    public static func concatenate(_ tensors: [Tensor], axis: Int) throws(TensorError) -> Tensor {
        let op = "concatenate"
        guard let first = tensors.first else {
            throw .invalidArgument(operation: op, detail: "needs at least one tensor")
        }
        guard (0..<first.rank).contains(axis) else {
            throw .outOfRange(operation: op, detail: "axis \(axis) for rank \(first.rank)")
        }
        guard !first.dtype.isQuantized else { throw .unsupportedDType(operation: op, dtype: first.dtype) }
        var total = 0
        for t in tensors {
            guard t.dtype == first.dtype, t.rank == first.rank,
                  t.shape.enumerated().allSatisfy({ $0.offset == axis || $0.element == first.shape[$0.offset] })
            else {
                throw .shapeMismatch(operation: op, detail: "\(t.shape) \(t.dtype) does not join \(first.shape) \(first.dtype) along axis \(axis)")
            }
            total += t.shape[axis]
        }
        var outShape = first.shape
        outShape[axis] = total
        let result = try Tensor.uninitialized(outShape, dtype: first.dtype)
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *) * first.dtype.blockBytes
        let outRow = total * inner
        var column = 0
        for t in tensors {
            let chunk = t.shape[axis] * inner
            t.withUnsafeRawBytes { src in
                guard let base = src.baseAddress, chunk > 0 else { return }
                for o in 0..<outer {
                    (result.storage.base + o * outRow + column).copyMemory(from: base + o * chunk, byteCount: chunk)
                }
            }
            column += chunk
        }
        return result
    }
}
