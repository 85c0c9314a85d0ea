import Foundation
import SmolTensor
import Testing

/// The decode-step kernels against float64 references, in every build this CPU
/// runs (portable C, AVX2, AVX-512), on seeded random data.
@Suite("Matrix-vector kernels")
struct MatVecKernelTests {
    static let levels: [MatVecKernels.Level] = [.portable, .avx2, .avx512].filter { $0 <= MatVecKernels.detected }

    /// Deterministic values in [−scale, scale).
    static func values(_ count: Int, seed: UInt64, scale: Float) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }

    @Test(arguments: WeightPrecision.allCases)
    func matvecMatchesFloat64OnTheStoredValues(precision: WeightPrecision) throws {
        let (rows, columns) = (70, 576)
        let weights = Self.values(rows * columns, seed: 1, scale: 0.1)
        let x = Self.values(columns, seed: 2, scale: 2)
        let matrix = try WeightMatrix(Tensor(shape: [rows, columns], floats: weights), precision: precision)
        #expect(matrix.precision == precision && matrix.tensor.dtype == precision.dtype)

        // What the kernels multiply: the stored weights, and for integer formats the
        // activation as quantized (d · q per block of 32).
        var stored = [Float](repeating: 0, count: rows * columns)
        stored.withUnsafeMutableBufferPointer { matrix.dequantizeRows(0..<rows, into: $0.baseAddress!) }
        let quantized = QuantizedVector(capacity: columns)
        quantized.quantize(x, count: columns)
        let effectiveX = precision.dtype.isQuantized ? Self.quantizedValues(x) : x

        for level in Self.levels {
            var y = [Float](repeating: .nan, count: rows)
            y.withUnsafeMutableBufferPointer { out in
                // Two calls over split row ranges, as the team members make them.
                matrix.multiply(x, quantized, into: out.baseAddress!, rows: 0..<33, level: level)
                matrix.multiply(x, quantized, into: out.baseAddress! + 33, rows: 33..<rows, level: level)
            }
            for r in 0..<rows {
                var reference = 0.0, magnitude = 0.0
                for i in 0..<columns {
                    reference += Double(stored[r * columns + i]) * Double(effectiveX[i])
                    magnitude += abs(Double(stored[r * columns + i]) * Double(effectiveX[i]))
                }
                // float32 accumulation of `columns` terms: a few ulps of the absolute sum.
                #expect(abs(Double(y[r]) - reference) <= 1e-6 * magnitude + 1e-7, "\(precision) \(level) row \(r): \(y[r]) vs \(reference)")
            }
        }
    }

    /// `x` after the per-block int8 quantization the integer kernels apply.
    static func quantizedValues(_ x: [Float]) -> [Float] {
        var out = x
        for b in stride(from: 0, to: x.count, by: 32) {
            let amax = x[b..<(b + 32)].map { abs($0) }.max()!
            let d = amax / 127
            let inverse: Float = d != 0 ? 1 / d : 0
            for i in b..<(b + 32) { out[i] = d * (x[i] * inverse).rounded(.toNearestOrEven) }
        }
        return out
    }

    @Test(arguments: [WeightPrecision.bfloat16, .q8_0, .q4_0, .q4_1])
    func storedWeightsStayWithinTheFormatsStep(precision: WeightPrecision) throws {
        let (rows, columns) = (8, 256)
        let weights = Self.values(rows * columns, seed: 3, scale: 1)
        let matrix = try WeightMatrix(Tensor(shape: [rows, columns], floats: weights), precision: precision)
        var stored = [Float](repeating: 0, count: rows * columns)
        stored.withUnsafeMutableBufferPointer { matrix.dequantizeRows(0..<rows, into: $0.baseAddress!) }
        for b in stride(from: 0, to: weights.count, by: 32) {
            let block = weights[b..<(b + 32)]
            let amax = block.map { abs($0) }.max()!
            // Half a step of the format, plus the float16 rounding (2⁻¹¹ relative) of the
            // block's scale times the largest multiple of it, plus slack for float32.
            let half: Float = 0x1p-11
            let bound: Float
            switch precision {
            case .bfloat16: bound = amax * 0x1p-8
            case .q8_0: bound = amax / 127 * (0.5 + 127 * half) * 1.001
            // Steps of amax/8; values within a step of −amax clamp to nibble 15, one step off.
            case .q4_0: bound = amax / 8 * (1 + 8 * half) * 1.001
            case .q4_1:
                let (low, high) = (block.min()!, block.max()!)
                bound = ((high - low) / 15 * (0.5 + 15 * half) + abs(low) * half) * 1.001
            case .float32: bound = 0
            }
            for i in b..<(b + 32) {
                #expect(abs(stored[i] - weights[i]) <= bound, "\(precision) value \(i): \(stored[i]) vs \(weights[i])")
            }
        }
    }

    @Test func ggufBlocksAreReadAsStored() throws {
        // A Q8_0 tensor built from raw blocks keeps its bytes (no requantization).
        var bytes: [UInt8] = []
        for row in 0..<2 {
            bytes += [0x00, 0x3c]  // f16 1.0
            bytes += (0..<32).map { UInt8(bitPattern: Int8($0 - 16 + row)) }
        }
        let tensor = try bytes.withUnsafeBytes { try Tensor(shape: [2, 32], dtype: .q8_0, bytes: $0) }
        let matrix = try WeightMatrix(tensor, precision: .q8_0)
        let expected = (0..<2).map { row in (0..<32).map { Float($0 - 16 + row) } }
        var stored = [Float](repeating: 0, count: 64)
        stored.withUnsafeMutableBufferPointer { matrix.dequantizeRows(0..<2, into: $0.baseAddress!) }
        #expect(Array(stored[0..<32]) == expected[0] && Array(stored[32..<64]) == expected[1])
        // x = e₅ picks one weight per row (up to the rounding of the activation scale 1/127).
        var x = [Float](repeating: 0, count: 32)
        x[5] = 1
        let quantized = QuantizedVector(capacity: 32)
        quantized.quantize(x, count: 32)
        for level in Self.levels {
            var y: [Float] = [0, 0]
            y.withUnsafeMutableBufferPointer { matrix.multiply(x, quantized, into: $0.baseAddress!, rows: 0..<2, level: level) }
            #expect(abs(y[0] - expected[0][5]) <= 1e-5 && abs(y[1] - expected[1][5]) <= 1e-5, "\(level): \(y)")
        }
    }

    @Test func attentionMatchesFloat64() {
        let (positions, d) = (37, 64)
        let q = Self.values(d, seed: 4, scale: 3)
        let keys = Self.values(positions * d, seed: 5, scale: 1)
        let values = Self.values(positions * d, seed: 6, scale: 1)
        let scale = 1 / Float(d).squareRoot()
        var scores = [Double](repeating: 0, count: positions)
        for j in 0..<positions {
            scores[j] = (0..<d).reduce(0.0) { $0 + Double(q[$1]) * Double(keys[j * d + $1]) } * Double(scale)
        }
        let top = scores.max()!
        let weights = scores.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        let reference = (0..<d).map { i in (0..<positions).reduce(0.0) { $0 + weights[$1] / total * Double(values[$1 * d + i]) } }
        // The kernel reads keys transposed, with a row stride larger than the positions (a cache's capacity).
        let stride = positions + 11
        var transposed = [Float](repeating: .nan, count: d * stride)
        for j in 0..<positions { for i in 0..<d { transposed[i * stride + j] = keys[j * d + i] } }
        for level in Self.levels {
            var out = [Float](repeating: .nan, count: d)
            var scratch = [Float](repeating: 0, count: positions)
            out.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { s in
                    DecodeAttention.attendHead(query: q, keys: transposed, keyStride: stride, values: values, positions: positions, dimension: d,
                                               scale: scale, scores: s.baseAddress!, out: o.baseAddress!, level: level)
                }
            }
            let worst = zip(out, reference).map { abs(Double($0) - $1) }.max()!
            #expect(worst < 1e-6, "\(level): \(worst)")
        }
    }

    @Test func stagesRunInOrderWithDynamicChunks() {
        let pool = ThreadPool(threadCount: 2)
        let stages = StageCounters(capacity: 3)
        let chunks = [5, 3, 7], offsets = [0, 5, 8]
        let done = UnsafeMutablePointer<Int>.allocate(capacity: 15)
        let failures = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        defer { done.deallocate(); failures.deallocate() }
        for _ in 0..<200 {
            stages.reset(count: 3)
            done.initialize(repeating: 0, count: 15)
            failures.initialize(repeating: 0, count: 2)
            pool.parallelFor(2) { member in
                for s in 0..<3 {
                    stages.run(stage: s, chunks: chunks[s], after: s == 0 ? nil : chunks[s - 1]) { chunk in
                        // Every chunk of the previous stage must be complete.
                        if s > 0 && (0..<chunks[s - 1]).contains(where: { done[offsets[s - 1] + $0] == 0 }) { failures[member] += 1 }
                        done[offsets[s] + chunk] += 1
                    }
                }
            }
            #expect(failures[0] == 0 && failures[1] == 0)
            #expect((0..<15).allSatisfy { done[$0] == 1 }, "every chunk runs exactly once")
        }
    }
}
