import SmolTensor
import SmolTestSupport
import Testing

/// The packed C kernels (`CSmolGEMM`) against the SmolTensor ops, on both the
/// portable C kernels and, where the CPU has them, the AVX-512 ones. Sizes are odd
/// on purpose: partial register tiles, partial panels, odd bfloat16 depths, several
/// depth blocks and several tasks.
@Suite("Packed GEMM and attention kernels")
struct PackedKernelTests {
    static let isas: [KernelISA] = [.portable, .avx512]

    /// Deterministic values in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
    }

    /// float32 values rounded to bfloat16 and widened back.
    static func roundedToBFloat16(_ t: Tensor) throws -> Tensor {
        try t.converted(to: .bfloat16).asFloat32()
    }

    @Test(arguments: [(37, 45, 71), (200, 300, 513), (1, 1, 1), (13, 64, 2)])
    func linearWithBiasGELUAndResidual(shape: (rows: Int, outputs: Int, depth: Int)) throws {
        let (m, n, k) = shape
        let x = try Tensor(shape: [m, k], floats: Self.values(m * k, seed: 1))
        let w = try Tensor(shape: [n, k], floats: Self.values(n * k, seed: 2))
        let bias = try Tensor(shape: [n], floats: Self.values(n, seed: 3))
        let residual = try Tensor(shape: [m, n], floats: Self.values(m * n, seed: 4))
        for precision in [KernelPrecision.float32, .bfloat16] {
            let (rx, rw) = precision == .float32 ? (x, w) : (try Self.roundedToBFloat16(x), try Self.roundedToBFloat16(w))
            let expected = try rx.linear(weight: rw, bias: bias).geluTanh().adding(residual)
            let packed = try PackedMatrix(weight: w, precision: precision)
            for isa in Self.isas where isa == .portable || KernelISA.best(for: precision) == .avx512 {
                var output = [Float](repeating: .nan, count: m * n)
                try x.withUnsafeFloats { xs in
                    try bias.withUnsafeFloats { bs in
                        try residual.withUnsafeFloats { rs in
                            try output.withUnsafeMutableBufferPointer { out in
                                try packed.multiply(xs.baseAddress!, rows: m, inputStride: k, bias: bs.baseAddress,
                                                    activation: .geluTanh, residual: rs.baseAddress, residualStride: n,
                                                    into: out.baseAddress!, outputStride: n, isa: isa)
                            }
                        }
                    }
                }
                try expectClose(Tensor(shape: [m, n], floats: output), expected, tolerance: 2e-5)
            }
        }
    }

    /// A product into a wider output leaves the columns past `outputCount` alone.
    @Test func writesOnlyItsColumns() throws {
        let (m, n, k, stride) = (5, 3, 4, 7)
        let x = try Tensor(shape: [m, k], floats: Self.values(m * k, seed: 5))
        let w = try Tensor(shape: [n, k], floats: Self.values(n * k, seed: 6))
        let expected = try x.linear(weight: w).floats()
        for isa in Self.isas {
            var output = [Float](repeating: 42, count: m * stride)
            try x.withUnsafeFloats { xs in
                try output.withUnsafeMutableBufferPointer { out in
                    try PackedMatrix(weight: w, precision: .float32).multiply(
                        xs.baseAddress!, rows: m, inputStride: k, bias: nil, into: out.baseAddress!,
                        outputStride: stride, isa: isa)
                }
            }
            for row in 0..<m {
                for column in 0..<stride {
                    let value = output[row * stride + column]
                    if column < n {
                        #expect(abs(value - expected[row * n + column]) <= 1e-5)
                    } else {
                        #expect(value == 42)
                    }
                }
            }
        }
    }

    /// Fused attention over a `[frames·tokens, 3·heads·dim]` QKV matrix against
    /// `scaledDotProductAttention` on the split heads, with padding keys masked.
    @Test(arguments: [(2, 37, 3, 20), (1, 130, 2, 64), (1, 1, 1, 8)])
    func attentionMatchesTheTensorOp(shape: (frames: Int, tokens: Int, heads: Int, dim: Int)) throws {
        let (frames, tokens, heads, dim) = shape
        let width = heads * dim
        let qkv = try Tensor(shape: [frames, tokens, 3 * width], floats: Self.values(frames * tokens * 3 * width, seed: 7))
            .scaled(by: 2)
        // The last 5 tokens of frame 0 are padding (masked as keys only, as in the encoder).
        let blocked = -Float.greatestFiniteMagnitude
        let mask = (0..<(frames * tokens)).map { i in i < tokens && i >= tokens - 5 && tokens > 5 ? blocked : 0 }
        func split(_ index: Int) throws -> Tensor {
            try qkv.slice(axis: 2, start: index * width, length: width)
                .reshaped([frames, tokens, heads, dim]).permuted([0, 2, 1, 3])
        }
        let scale = 1 / Float(dim).squareRoot()
        for precision in [KernelPrecision.float32, .bfloat16] {
            let expected = try Tensor.scaledDotProductAttention(
                query: split(0), key: split(1), value: split(2),
                mask: Tensor(shape: [frames, 1, 1, tokens], floats: mask))
                .permuted([0, 2, 1, 3]).reshaped([frames, tokens, width])
            for isa in Self.isas where isa == .portable || KernelISA.best(for: precision) == .avx512 {
                var output = [Float](repeating: .nan, count: frames * tokens * width)
                try qkv.withUnsafeFloats { q in
                    try mask.withUnsafeBufferPointer { m in
                        try output.withUnsafeMutableBufferPointer { out in
                            try PackedKernels.attention(
                                qkv: q.baseAddress!, ldQKV: 3 * width, offsets: (0, width, 2 * width), frames: frames,
                                tokens: tokens, heads: heads, headDimension: dim, scale: scale, keyMask: m.baseAddress,
                                output: out.baseAddress!, ldOutput: width, precision: precision, isa: isa)
                        }
                    }
                }
                // bfloat16 rounds q, k, v and the probabilities: about 2⁻⁸ relative each.
                let tolerance: Float = precision == .float32 ? 1e-5 : 2e-2
                try expectClose(Tensor(shape: [frames, tokens, width], floats: output), expected, tolerance: tolerance)
            }
        }
    }
}
