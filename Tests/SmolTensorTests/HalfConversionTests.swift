import SmolTensor
import Testing

@Suite("float16 / bfloat16 conversions")
struct HalfConversionTests {
    /// Every finite float16 survives f16 → f32 → f16, and NaNs stay NaN.
    @Test func float16RoundTripsExhaustively() {
        for bits in 0...UInt16.max {
            let value = float16BitsToFloat(bits)
            if value.isNaN {
                #expect(float16BitsToFloat(floatToFloat16Bits(value)).isNaN)
            } else if floatToFloat16Bits(value) != bits {
                Issue.record("f16 bits \(bits) → \(value) → \(floatToFloat16Bits(value))")
                return
            }
        }
    }

    #if !(os(macOS) && arch(x86_64))
    /// Our bit-level code agrees with the platform's Float16 in both directions.
    @Test func float16MatchesPlatformConversion() {
        for bits in 0...UInt16.max {
            let native = Float(Float16(bitPattern: bits))
            let ours = float16BitsToFloat(bits)
            if !(native.isNaN && ours.isNaN) && native.bitPattern != ours.bitPattern {
                Issue.record("widening \(bits): \(ours) vs \(native)")
                return
            }
        }
        var generator = SplitMix(seed: 7)
        for _ in 0..<200_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if value.isNaN { continue }
            if floatToFloat16Bits(value) != Float16(value).bitPattern {
                Issue.record("narrowing \(value): \(floatToFloat16Bits(value)) vs \(Float16(value).bitPattern)")
                return
            }
        }
    }
    #endif

    @Test func bfloat16TiesRoundToEven() {
        // 1 + 2⁻⁸ lies halfway between bf16 neighbours 1 and 1 + 2⁻⁷: even wins.
        #expect(floatToBFloat16Bits(Float(bitPattern: 0x3F80_8000)) == 0x3F80)
        #expect(floatToBFloat16Bits(Float(bitPattern: 0x3F81_8000)) == 0x3F82)
        #expect(floatToBFloat16Bits(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(floatToBFloat16Bits(Float(bitPattern: 0xBF80_8000)) == 0xBF80)
        #expect(floatToBFloat16Bits(.greatestFiniteMagnitude) == 0x7F80)  // rounds up to +inf
        #expect(bfloat16BitsToFloat(floatToBFloat16Bits(.nan)).isNaN)
    }

    @Test func bfloat16WideningIsExact() {
        for bits in stride(from: 0, through: Int(UInt16.max), by: 1) {
            let b = UInt16(bits)
            let value = bfloat16BitsToFloat(b)
            if !value.isNaN && floatToBFloat16Bits(value) != b {
                Issue.record("bf16 bits \(b) did not round-trip")
                return
            }
        }
    }
}

/// A small deterministic generator for test inputs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
