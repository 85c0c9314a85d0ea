import SmolTensor
import Testing

@Suite("permuted: reordering dimensions")
struct PermuteTests {
    /// Element `[i0, i1, …]` of the result is the input element at the permuted index.
    static func check(shape: [Int], axes: [Int], dtype: DType = .float32) throws {
        let count = shape.reduce(1, *)
        let input: Tensor
        if dtype == .int64 {
            input = try Tensor(shape: shape, int64s: (0..<count).map { Int64($0) })
        } else {
            input = try Tensor(shape: shape, floats: (0..<count).map { Float($0) })
        }
        let output = try input.permuted(axes)
        #expect(output.shape == axes.map { shape[$0] })
        #expect(output.dtype == dtype)
        let values = dtype == .int64 ? try output.ints() : try output.floats().map { Int($0) }
        var inputStrides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { inputStrides[d] = inputStrides[d + 1] * shape[d + 1] }
        for (flat, value) in values.enumerated() {
            var rest = flat, source = 0
            for d in stride(from: axes.count - 1, through: 0, by: -1) {
                let size = output.shape[d]
                source += (rest % size) * inputStrides[axes[d]]
                rest /= size
            }
            if value != source {
                Issue.record("shape \(shape) axes \(axes): element \(flat) is \(value), want \(source)")
                return
            }
        }
    }

    @Test func splitsAndMergesHeads() throws {
        try Self.check(shape: [2, 5, 3, 4], axes: [0, 2, 1, 3])
        let x = try Tensor(shape: [2, 5, 3, 4], floats: (0..<120).map(Float.init))
        #expect(try x.permuted([0, 2, 1, 3]).permuted([0, 2, 1, 3]).floats() == x.floats())
    }

    @Test func movesTheLastAxis() throws {
        try Self.check(shape: [3, 4], axes: [1, 0])
        try Self.check(shape: [2, 3, 4], axes: [2, 0, 1])
        try Self.check(shape: [2, 3, 4], axes: [1, 2, 0], dtype: .int64)
    }

    @Test func identityScalarAndEmpty() throws {
        try Self.check(shape: [2, 3], axes: [0, 1])
        #expect(try Tensor(shape: [], floats: [7]).permuted([]).floats() == [7])
        #expect(try Tensor(zeros: [0, 3]).permuted([1, 0]).shape == [3, 0])
    }

    @Test func rejectsNonPermutations() throws {
        let x = try Tensor(zeros: [2, 3, 4])
        #expect(throws: TensorError.self) { try x.permuted([0, 1]) }
        #expect(throws: TensorError.self) { try x.permuted([0, 1, 1]) }
        #expect(throws: TensorError.self) { try x.permuted([0, 1, 3]) }
        #expect(throws: TensorError.unsupportedDType(operation: "permuted", dtype: .q8_0)) {
            try Tensor(zeros: [32], dtype: .q8_0).permuted([0])
        }
    }
}
