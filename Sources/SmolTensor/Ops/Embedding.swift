extension Tensor {
    /// Rows of an embedding table `[V, D]` (this tensor) for `ids`, as float32 `[ids.count, D]`.
    ///
    /// float16, bfloat16 and block-quantized tables are widened row by row, so a
    /// large table is never converted as a whole.
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
        case .q8_0, .q4_0, .q4_1, .q4_K, .q5_K, .q6_K:
            // A row of a block-quantized table is a whole number of blocks (the
            // row length is checked when the table is built).
            guard let rowBytes = dtype.byteCount(forElements: dim) else {
                throw .invalidArgument(operation: op, detail: "\(dim) values per row is not a whole number of \(dtype) blocks")
            }
            for (row, id) in ids.enumerated() {
                Dequantize.rows(dtype, UnsafeRawPointer(source + id * rowBytes), out + row * dim, count: dim)
            }
        default:
            throw .unsupportedDType(operation: op, dtype: dtype)
        }
        return result
    }
}
