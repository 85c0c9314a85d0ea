import CSmolMatVec

/// The attention of one new token (one query head) against its cached keys and values.
package enum DecodeAttention {
    /// `out = softmax(scale · K·q) · V` over `positions` rows of `keys` and `values`
    /// (`[positions, dimension]`, contiguous). `scores` holds `positions` floats.
    @inline(__always)
    package static func attendHead(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                                   positions: Int, dimension: Int, scale: Float,
                                   scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        smol_attend_head(query, keys, values, Int32(positions), Int32(dimension), scale, scores, out)
    }

    /// ``attendHead(query:keys:values:positions:dimension:scale:scores:out:)`` with the
    /// kernels of `level` (for tests comparing builds).
    package static func attendHead(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                                   positions: Int, dimension: Int, scale: Float,
                                   scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
                                   level: MatVecKernels.Level) {
        smol_attend_head_at(smol_kernel_level(rawValue: UInt32(level.rawValue)), query, keys, values,
                            Int32(positions), Int32(dimension), scale, scores, out)
    }
}
