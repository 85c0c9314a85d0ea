import CSmolMatVec

/// The attention of one new token (one query head) against its cached keys and values.
package enum DecodeAttention {
    /// `out = softmax(scale · K·q) · V` over `positions` cached positions. Keys are
    /// transposed (`keys[i · keyStride + j]` is dimension `i` of position `j`);
    /// values are `[positions, dimension]`. `scores` holds `positions` floats.
    @inline(__always)
    package static func attendHead(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, keyStride: Int,
                                   values: UnsafePointer<Float>, positions: Int, dimension: Int, scale: Float,
                                   scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        smol_attend_head(query, keys, Int32(keyStride), values, Int32(positions), Int32(dimension), scale, scores, out)
    }

    /// ``attendHead(query:keys:keyStride:values:positions:dimension:scale:scores:out:)`` with the
    /// kernels of `level` (for tests comparing builds).
    package static func attendHead(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, keyStride: Int,
                                   values: UnsafePointer<Float>, positions: Int, dimension: Int, scale: Float,
                                   scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
                                   level: MatVecKernels.Level) {
        smol_attend_head_at(smol_kernel_level(rawValue: UInt32(level.rawValue)), query, keys, Int32(keyStride), values,
                            Int32(positions), Int32(dimension), scale, scores, out)
    }
}
