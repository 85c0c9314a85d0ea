/// The patch grid of one frame and which of its patches cover at least one real
/// pixel (transformers' `patch_attention_mask` for that frame).
package struct PatchGrid: Sendable, Equatable {
    package let rows: Int
    package let columns: Int
    /// `rows × columns` flags, row-major.
    package let valid: [Bool]

    package init(rows: Int, columns: Int, valid: [Bool]) {
        self.rows = rows
        self.columns = columns
        self.valid = valid
    }

    /// A grid whose every patch is valid (a frame without a pixel mask).
    package static func full(rows: Int, columns: Int) -> PatchGrid {
        PatchGrid(rows: rows, columns: columns, valid: Array(repeating: true, count: rows * columns))
    }

    /// The grid of one frame's pixel mask `[height, width]` (row-major):
    /// a patch is valid when the mask sums to more than 0 over its `P×P` pixels,
    /// as `get_image_features` computes it with `unfold`. Pixels past the last
    /// whole patch are ignored, as `unfold` drops them.
    package static func fromPixelMask(_ mask: UnsafeBufferPointer<Float>, height: Int, width: Int, patchSize p: Int) -> PatchGrid {
        let (rows, columns) = (height / p, width / p)
        var valid = [Bool](repeating: false, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                var sum = 0.0
                for y in (row * p)..<(row * p + p) {
                    let base = y * width + column * p
                    for x in 0..<p { sum += Double(mask[base + x]) }
                }
                valid[row * columns + column] = sum > 0
            }
        }
        return PatchGrid(rows: rows, columns: columns, valid: valid)
    }

    /// Whether some patch is padding, so attention needs a key mask.
    package var hasPadding: Bool { valid.contains(false) }

    /// Position ids (rows of the position embedding) for each patch, row-major.
    ///
    /// transformers bucketizes fractional coordinates `i / nb` against the
    /// boundaries `k / N` (`N = patchesPerSide`); the exact integer form is
    /// `min(N − 1, ⌊i·N / nb⌋)`, where `nb` counts the valid patches in the first
    /// column (for rows) or the first row (for columns). A full `N×N` tile gets
    /// `0..<N²`. Padding patches keep id 0. With `nb = 0` transformers divides by
    /// zero and the clamp/bucketize of `inf`/`NaN` yields the last bucket, `N − 1`.
    package func positionIDs(patchesPerSide n: Int) -> [Int] {
        let validRows = (0..<rows).count { valid[$0 * columns] }
        let validColumns = (0..<columns).count { valid[$0] }
        func bucket(_ i: Int, _ nb: Int) -> Int { nb == 0 ? n - 1 : min(n - 1, i * n / nb) }
        var ids = [Int](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            let rowBucket = bucket(row, validRows)
            for column in 0..<columns where valid[row * columns + column] {
                ids[row * columns + column] = rowBucket * n + bucket(column, validColumns)
            }
        }
        return ids
    }
}
