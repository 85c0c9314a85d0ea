extension Tensor {
    /// Writes `source`'s float32 elements into this tensor starting at element `offset`
    /// (row-major), as when filling a preallocated output batch by batch.
    /// - Precondition: both float32, and `source` fits at `offset`.
    package mutating func write(_ source: Tensor, atElement offset: Int) {
        precondition(offset >= 0 && offset + source.count <= count, "write: \(source.count) elements at \(offset) exceed \(count)")
        withUnsafeMutableFloats { destination in
            source.withUnsafeFloats { values in
                _ = UnsafeMutableBufferPointer(rebasing: destination[offset..<(offset + values.count)])
                    .update(fromContentsOf: values)
            }
        }
    }
}
