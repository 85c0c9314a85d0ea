/// Dequantization of GGUF block formats to float32, following ggml's
/// reference `dequantize_row_*` arithmetic (the same float operations in the
/// same order, so results match llama.cpp and the gguf Python package).
package enum Dequantize {
    /// Dequantizes `count` elements (a whole number of blocks) of `dtype` at `source`.
    package static func rows(_ dtype: DType, _ source: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>, count: Int) {
        let blocks = count / dtype.blockElements
        let blockBytes = dtype.blockBytes
        let perBlock = dtype.blockElements
        ThreadPool.shared.parallelChunks(blocks, minimumChunk: 256) { range in
            for b in range {
                let block = source + b * blockBytes
                let y = out + b * perBlock
                switch dtype {
                case .q8_0: q8_0(block, y)
                case .q4_0: q4_0(block, y)
                case .q4_1: q4_1(block, y)
                case .q4_K: q4_K(block, y)
                case .q5_K: q5_K(block, y)
                case .q6_K: q6_K(block, y)
                default: preconditionFailure("\(dtype) is not block-quantized")
                }
            }
        }
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        float16BitsToFloat(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// `{f16 d; i8 q[32]}` → `d·q`.
    static func q8_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        let q = (p + 2).assumingMemoryBound(to: Int8.self)
        for i in 0..<32 { y[i] = d * Float(q[i]) }
    }

    /// `{f16 d; u8 qs[16]}`: low nibbles are elements 0–15, high nibbles 16–31, offset by 8.
    static func q4_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0)
        let qs = (p + 2).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            y[j] = Float(Int(qs[j] & 0x0f) - 8) * d
            y[j + 16] = Float(Int(qs[j] >> 4) - 8) * d
        }
    }

    /// `{f16 d; f16 m; u8 qs[16]}` → `q·d + m`.
    static func q4_1(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), m = half(p, 2)
        let qs = (p + 4).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            y[j] = Float(qs[j] & 0x0f) * d + m
            y[j + 16] = Float(qs[j] >> 4) * d + m
        }
    }

    /// The 6-bit scale and minimum of sub-block `j` packed in a K-quant's 12 scale bytes.
    @inline(__always)
    static func scaleMinK4(_ j: Int, _ q: UnsafePointer<UInt8>) -> (scale: Float, min: Float) {
        if j < 4 { return (Float(q[j] & 63), Float(q[j + 4] & 63)) }
        let scale = (q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4)
        let minimum = (q[j + 4] >> 4) | ((q[j] >> 6) << 4)
        return (Float(scale), Float(minimum))
    }

    /// `{f16 d; f16 dmin; u8 scales[12]; u8 qs[128]}`.
    static func q4_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        let scales = (p + 4).assumingMemoryBound(to: UInt8.self)
        var q = (p + 16).assumingMemoryBound(to: UInt8.self)
        var out = y
        for group in 0..<4 {
            let (sc1, m1) = scaleMinK4(2 * group, scales)
            let (sc2, m2) = scaleMinK4(2 * group + 1, scales)
            let (d1, min1, d2, min2) = (d * sc1, dmin * m1, d * sc2, dmin * m2)
            for l in 0..<32 { out[l] = d1 * Float(q[l] & 0x0f) - min1 }
            for l in 0..<32 { out[l + 32] = d2 * Float(q[l] >> 4) - min2 }
            q += 32
            out += 64
        }
    }

    /// `{f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}`.
    static func q5_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 0), dmin = half(p, 2)
        let scales = (p + 4).assumingMemoryBound(to: UInt8.self)
        let qh = (p + 16).assumingMemoryBound(to: UInt8.self)
        var ql = (p + 48).assumingMemoryBound(to: UInt8.self)
        var out = y
        var (u1, u2): (UInt8, UInt8) = (1, 2)
        for group in 0..<4 {
            let (sc1, m1) = scaleMinK4(2 * group, scales)
            let (sc2, m2) = scaleMinK4(2 * group + 1, scales)
            let (d1, min1, d2, min2) = (d * sc1, dmin * m1, d * sc2, dmin * m2)
            for l in 0..<32 { out[l] = d1 * Float(Int(ql[l] & 0x0f) + (qh[l] & u1 != 0 ? 16 : 0)) - min1 }
            for l in 0..<32 { out[l + 32] = d2 * Float(Int(ql[l] >> 4) + (qh[l] & u2 != 0 ? 16 : 0)) - min2 }
            ql += 32
            out += 64
            u1 <<= 2
            u2 <<= 2
        }
    }

    /// `{u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}`.
    static func q6_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(p, 208)
        var ql = p.assumingMemoryBound(to: UInt8.self)
        var qh = (p + 128).assumingMemoryBound(to: UInt8.self)
        var sc = (p + 192).assumingMemoryBound(to: Int8.self)
        var out = y
        for _ in 0..<2 {
            for l in 0..<32 {
                let s = l / 16
                let q1 = Int(ql[l] & 0x0f | ((qh[l] >> 0) & 3) << 4) - 32
                let q2 = Int(ql[l + 32] & 0x0f | ((qh[l] >> 2) & 3) << 4) - 32
                let q3 = Int(ql[l] >> 4 | ((qh[l] >> 4) & 3) << 4) - 32
                let q4 = Int(ql[l + 32] >> 4 | ((qh[l] >> 6) & 3) << 4) - 32
                out[l] = d * Float(sc[s]) * Float(q1)
                out[l + 32] = d * Float(sc[s + 2]) * Float(q2)
                out[l + 64] = d * Float(sc[s + 4]) * Float(q3)
                out[l + 96] = d * Float(sc[s + 6]) * Float(q4)
            }
            out += 128
            ql += 64
            qh += 32
            sc += 8
        }
    }
}
