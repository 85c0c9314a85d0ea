extension Tensor {
    /// Rows of an embedding table `[V, D]` (this tensor) for `ids`, as float32 `[ids.count, D]`.
    ///
    /// float16 and bfloat16 tables are widened row by row, so a large table is
    /// never converted as a whole.
    public func embeddingRows(_ ids: [Int]) throws(TensorError) -> Tensor {
        let op = "embeddingRows"
        guard rank == 2 else {
            throw .shapeMismatch(operation: op, detail: "table must be [vocab, dim], got \(shape)")
        }
        let (vocab, dim) = (shape[0], shape[1])
        if let bad = ids.first(where: { $0 < 0 || $0 >= vocab }) {
            throw .outOfRange(operation: op, detail: "token id \(bad) for a vocabulary of \(vocab)")
        }
        let result = try Tensor.uninitialized([ids.count, dim])
        let out = result.mutableFloatPointer
        let source = storage.base + byteOffset
        switch dtype {
        case .float32:
            let table = source.assumingMemoryBound(to: Float.self)
            for (row, id) in ids.enumerated() { (out + row * dim).update(from: table + id * dim, count: dim) }
        case .float16:
            let table = source.assumingMemoryBound(to: UInt16.self)
            for (row, id) in ids.enumerated() {
                for j in 0..<dim { out[row * dim + j] = float16BitsToFloat(table[id * dim + j]) }
            }
        case .bfloat16:
            let table = source.assumingMemoryBound(to: UInt16.self)
            for (row, id) in ids.enumerated() {
                for j in 0..<dim { out[row * dim + j] = bfloat16BitsToFloat(table[id * dim + j]) }
            }
        default:
            throw .unsupportedDType(operation: op, dtype: dtype)
        }
        return result
    }
}
