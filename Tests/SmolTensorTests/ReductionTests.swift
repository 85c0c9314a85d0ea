import SmolTensor
import Testing

@Suite("Reductions.max and softmax edge cases")
struct ReductionTests {
    /// Every length around the 16-lane blocks, with the maximum in every position.
    @Test func maxFindsTheLargestElement() {
        for n in 1...40 {
            for position in 0..<n {
                var values = (0..<n).map { Float(($0 * 7) % 5) - 10 }
                values[position] = 3
                let found = values.withUnsafeBufferPointer { Reductions.max($0.baseAddress!, n) }
                #expect(found == 3, "n \(n), maximum at \(position)")
            }
        }
        let one: [Float] = [0]
        #expect(one.withUnsafeBufferPointer { Reductions.max($0.baseAddress!, 0) } == -.infinity)
    }

    @Test func softmaxPropagatesNaNAndAllMinusInfinity() throws {
        var row = [Float](repeating: 1, count: 20)
        row[17] = .nan
        let withNaN = try Tensor(shape: [1, 20], floats: row).softmax().floats()
        #expect(withNaN.allSatisfy { $0.isNaN })
        let blocked = try Tensor(shape: [1, 20], floats: [Float](repeating: -.infinity, count: 20)).softmax().floats()
        #expect(blocked.allSatisfy { $0.isNaN })
        // The float32 minimum (transformers' additive mask) on every key gives a uniform row.
        let minimum = try Tensor(shape: [1, 20], floats: [Float](repeating: -.greatestFiniteMagnitude, count: 20)).softmax().floats()
        #expect(minimum.allSatisfy { $0 == 1 / Float(20) })
    }
}
