import SmolVision
import Testing

@Suite("Patch grids: the unfold rule and bucketized position ids")
struct PatchGridTests {
    @Test(arguments: [4, 27, 32])
    func fullTileIsTheIdentity(side: Int) {
        let grid = PatchGrid.full(rows: side, columns: side)
        #expect(grid.positionIDs(patchesPerSide: side) == Array(0..<(side * side)))
        #expect(!grid.hasPadding)
    }

    /// `min(N − 1, ⌊i·N/nb⌋)` against transformers' float arithmetic
    /// (`bucketize(clamp(i · (1/nb), max: 1 − 1e-6), arange(1/N, 1, 1/N), right: true)`)
    /// evaluated in float32, for every valid-patch count of the real grids.
    @Test(arguments: [27, 32])
    func integerFormMatchesTheFloatBucketize(side n: Int) {
        let step = 1 / Float(n)
        // k/N for k = 1..<N. (Float arange also yields a last boundary ≈ 1.0 for
        // N = 27; it lies above every clamped fraction, so it changes nothing.)
        let boundaries = (1..<n).map { Float($0) * step }
        for nb in 1...n {
            let inverse = 1 / Float(nb)
            for i in 0..<n {
                let fraction = min(Float(i) * inverse, 1 - 1e-6)
                let bucket = boundaries.count { $0 <= fraction }
                #expect(bucket == min(n - 1, i * n / nb), "N \(n), nb \(nb), i \(i)")
            }
        }
    }

    @Test func partialFrame() {
        // 3 valid rows and 2 valid columns of a 4×4 grid (the tiny golden's frame 1).
        let valid = (0..<16).map { $0 / 4 < 3 && $0 % 4 < 2 }
        let grid = PatchGrid(rows: 4, columns: 4, valid: valid)
        #expect(grid.hasPadding)
        #expect(grid.positionIDs(patchesPerSide: 4) == [0, 2, 0, 0, 4, 6, 0, 0, 8, 10, 0, 0, 0, 0, 0, 0])
    }

    @Test func unfoldRuleCountsAnyValidPixelAndDropsTheRemainder() {
        // 10×9 pixels with 4-px patches: a 2×2 grid; row 8–9 and column 8 are dropped.
        var mask = [Float](repeating: 0, count: 10 * 9)
        mask[5 * 9 + 7] = 1          // one pixel in patch (1, 1)
        mask[9 * 9 + 0] = 1          // beyond the last whole patch row: ignored
        mask[0 * 9 + 8] = 1          // beyond the last whole patch column: ignored
        let grid = mask.withUnsafeBufferPointer { PatchGrid.fromPixelMask($0, height: 10, width: 9, patchSize: 4) }
        #expect(grid.rows == 2 && grid.columns == 2)
        #expect(grid.valid == [false, false, false, true])
    }

    @Test func noValidPatchInTheFirstColumnUsesTheLastBucket() {
        // nb = 0 divides by zero in transformers; clamp/bucketize of inf and NaN give N − 1.
        let grid = PatchGrid(rows: 2, columns: 2, valid: [false, true, false, false])
        #expect(grid.positionIDs(patchesPerSide: 2) == [0, 3, 0, 0])
    }
}
