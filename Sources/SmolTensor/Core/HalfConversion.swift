// Bit-exact conversions between float32 and the 16-bit float formats.
// Written on bit patterns so that results are identical on every platform
// (Float16 is unavailable on macOS/x86_64) and match PyTorch's c10 rounding:
// round-to-nearest-even, NaN kept quiet, overflow to infinity.

/// Widens an IEEE binary16 bit pattern to `Float` (exact).
@inlinable
public func float16BitsToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = UInt32(h >> 10) & 0x1f
    let mantissa = UInt32(h & 0x3ff)
    if exponent == 0 {
        // Zero or subnormal: mantissa × 2⁻²⁴, exact in float32.
        let magnitude = Float(mantissa) * 5.960464477539063e-08
        return sign == 0 ? magnitude : -magnitude
    }
    if exponent == 0x1f {
        return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13))
    }
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
}

/// Narrows `Float` to an IEEE binary16 bit pattern, rounding to nearest even.
@inlinable
public func floatToFloat16Bits(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
    let magnitude = bits & 0x7fff_ffff
    if magnitude >= 0x7f80_0000 {
        // Infinity stays infinity; NaN keeps its top payload bits and stays quiet.
        let nanBits: UInt16 = magnitude > 0x7f80_0000 ? 0x200 | UInt16(truncatingIfNeeded: (magnitude >> 13) & 0x3ff) : 0
        return sign | 0x7c00 | nanBits
    }
    if magnitude >= 0x477f_f000 {
        // 65520 and above round to infinity.
        return sign | 0x7c00
    }
    if magnitude < 0x3880_0000 {
        // Below 2⁻¹⁴: a subnormal (or zero). Scaling by 2²⁴ is exact, so the
        // rounding to an integer mantissa is the only rounding that happens.
        let scaled = (Float(bitPattern: magnitude) * 16_777_216).rounded(.toNearestOrEven)
        return sign | UInt16(scaled)
    }
    let exponent = (magnitude >> 23) - 112
    let mantissa = magnitude & 0x7f_ffff
    var half = (exponent << 10) | (mantissa >> 13)
    let rest = mantissa & 0x1fff
    if rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1) {
        half += 1  // a carry into the exponent is the correct result
    }
    return sign | UInt16(half)
}

/// Widens a bfloat16 bit pattern to `Float` (exact).
@inlinable
public func bfloat16BitsToFloat(_ b: UInt16) -> Float {
    Float(bitPattern: UInt32(b) << 16)
}

/// Narrows `Float` to a bfloat16 bit pattern, rounding to nearest even.
@inlinable
public func floatToBFloat16Bits(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN {
        return UInt16(truncatingIfNeeded: bits >> 16) | 0x40
    }
    let roundingBias: UInt32 = 0x7fff + ((bits >> 16) & 1)
    return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
}
