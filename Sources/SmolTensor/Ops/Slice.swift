extension Tensor {
    /// The `length` entries starting at `start` along `axis` (`torch.narrow`), copied.
    public func slice(axis: Int, start: Int, length: Int) throws(TensorError) -> Tensor {
        let op = "slice"
        guard (0..<rank).contains(axis) else {
            throw .outOfRange(operation: op, detail: "axis \(axis) for rank \(rank)")
        }
        guard start >= 0, length >= 0, start + length <= shape[axis] else {
            throw .outOfRange(operation: op, detail: "[\(start), \(start + length)) of dimension \(shape[axis])")
        }
        guard !dtype.isQuantized else { throw .unsupportedDType(operation: op, dtype: dtype) }
        var outShape = shape
        outShape[axis] = length
        let result = try Tensor.uninitialized(outShape, dtype: dtype)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *) * dtype.blockBytes
        let (inRow, outRow) = (shape[axis] * inner, length * inner)
        guard outRow > 0 else { return result }
        let source = storage.base + byteOffset
        for o in 0..<outer {
            (result.storage.base + o * outRow).copyMemory(from: source + o * inRow + start * inner, byteCount: outRow)
        }
        return result
    }
}
