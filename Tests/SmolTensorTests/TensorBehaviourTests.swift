import SmolTensor
import SmolTestSupport
import Testing

@Suite("Tensor behaviour and errors")
struct TensorBehaviourTests {
    @Test func copyOnWrite() throws {
        let a = try Tensor(shape: [2], floats: [1, 2])
        var b = a
        b.withUnsafeMutableFloats { $0[0] = 9 }
        #expect(try a.floats() == [1, 2])
        #expect(try b.floats() == [9, 2])
    }

    @Test func constructionErrors() {
        #expect(throws: TensorError.elementCountMismatch(shape: [2, 2], expected: 4, actual: 3)) {
            try Tensor(shape: [2, 2], floats: [1, 2, 3])
        }
        #expect(throws: TensorError.invalidShape([-1])) { try Tensor(zeros: [-1]) }
        #expect(throws: TensorError.self) { try Tensor(zeros: [33], dtype: .q8_0) }
        #expect(throws: TensorError.self) { try Tensor(zeros: [4]).reshaped([3]) }
    }

    @Test func quantizedBlockSizes() throws {
        #expect(DType.q8_0.byteCount(forElements: 64) == 68)
        #expect(DType.q4_0.byteCount(forElements: 32) == 18)
        #expect(DType.q4_1.byteCount(forElements: 96) == 60)
        #expect(DType.q4_0.byteCount(forElements: 31) == nil)
        #expect(try Tensor(zeros: [2, 32], dtype: .q8_0).byteCount == 68)
    }

    @Test func shapeMismatchesThrow() throws {
        let x = try Tensor(zeros: [2, 3])
        #expect(throws: TensorError.self) { try x.linear(weight: Tensor(zeros: [4, 5])) }
        #expect(throws: TensorError.self) { try x.linear(weight: Tensor(zeros: [4, 3]), bias: Tensor(zeros: [3])) }
        #expect(throws: TensorError.self) { try x.matmul(Tensor(zeros: [4, 2])) }
        #expect(throws: TensorError.self) { try x.layerNorm(weight: Tensor(zeros: [2]), bias: nil, eps: 1e-6) }
        #expect(throws: TensorError.self) { try x.rmsNorm(weight: Tensor(zeros: [4]), eps: 1e-6) }
        #expect(throws: TensorError.self) { try x.adding(Tensor(zeros: [2])) }
        #expect(throws: TensorError.self) { try Tensor.concatenate([x, Tensor(zeros: [2, 4])], axis: 0) }
        #expect(throws: TensorError.self) { try x.slice(axis: 1, start: 2, length: 2) }
        #expect(throws: TensorError.self) { try x.slice(axis: 2, start: 0, length: 1) }
        #expect(throws: TensorError.self) { try Tensor(zeros: [], dtype: .float32).softmax() }
        #expect(throws: TensorError.unsupportedDType(operation: "linear", dtype: .int64)) {
            try Tensor(zeros: [2, 3], dtype: .int64).linear(weight: Tensor(zeros: [1, 3]))
        }
    }

    @Test func embeddingRejectsOutOfRangeIds() throws {
        let table = try Tensor(zeros: [10, 4])
        #expect(throws: TensorError.outOfRange(operation: "embeddingRows", detail: "token id 10 for a vocabulary of 10")) {
            try table.embeddingRows([3, 10])
        }
        #expect(throws: TensorError.self) { try table.embeddingRows([-1]) }
    }

    @Test func attentionValidatesHeadsAndCausality() throws {
        let q = try Tensor(zeros: [1, 4, 2, 8]), k = try Tensor(zeros: [1, 3, 2, 8])
        #expect(throws: TensorError.self) { try Tensor.scaledDotProductAttention(query: q, key: k, value: k) }
        let kv = try Tensor(zeros: [1, 2, 1, 8])
        #expect(throws: TensorError.self) {
            try Tensor.scaledDotProductAttention(query: q, key: kv, value: kv, causal: true)
        }
        #expect(throws: TensorError.self) {
            try Tensor.scaledDotProductAttention(query: q, key: kv, value: kv, mask: Tensor(zeros: [3, 1]))
        }
    }

    /// Decoding one query against a cache gives the last row of full causal attention.
    @Test func causalAttentionWithCacheMatchesFullAttention() throws {
        var rng = SplitMix(seed: 3)
        func random(_ shape: [Int]) throws -> Tensor {
            let n = shape.reduce(1, *)
            return try Tensor(shape: shape, floats: (0..<n).map { _ in Float.random(in: -1...1, using: &rng) })
        }
        let (q, k, v) = (try random([1, 6, 5, 16]), try random([1, 2, 5, 16]), try random([1, 2, 5, 16]))
        let full = try Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
        let lastQuery = try q.slice(axis: 2, start: 4, length: 1)
        let step = try Tensor.scaledDotProductAttention(query: lastQuery, key: k, value: v, causal: true)
        try expectClose(step, full.slice(axis: 2, start: 4, length: 1), tolerance: 1e-6)
        // The first query only sees the first key: its output is that key's value row.
        let first = try full.slice(axis: 2, start: 0, length: 1).slice(axis: 1, start: 0, length: 1)
        try expectClose(first, v.slice(axis: 2, start: 0, length: 1).slice(axis: 1, start: 0, length: 1), tolerance: 1e-6)
    }

    @Test func ropeRequiresEvenHeadDimension() {
        #expect(throws: TensorError.self) { try RotaryEmbedding(headDimension: 7, theta: 10_000) }
    }

    @Test func conversionsReportUnsupportedTypes() throws {
        #expect(throws: TensorError.self) { try Tensor(zeros: [32]).converted(to: .q4_0) }
        #expect(try Tensor(zeros: [32], dtype: .q4_0).asFloat32().floats() == [Float](repeating: 0, count: 32))
        #expect(throws: TensorError.self) { try Tensor(zeros: [2], dtype: .int64).converted(to: .bfloat16) }
        #expect(try Tensor(shape: [3], int64s: [1, -2, 3]).asFloat32().floats() == [1, -2, 3])
    }
}
