/// The strings that frame image features in a SmolVLM prompt
/// (transformers' `SmolVLMProcessor` / `Idefics3Processor`).
public struct ImagePromptTokens: Sendable, Equatable {
    /// The placeholder the chat template writes, replaced by the expansion.
    public var image = "<image>"
    public var fakeImage = "<fake_token_around_image>"
    /// Marks the downscaled global image (plain text where a tokenizer lacks it).
    public var globalImage = "<global-img>"
    public var endOfUtterance = "<end_of_utterance>"
    /// Image tokens per tile (`image_seq_len`).
    public var tokensPerTile: Int

    public init(tokensPerTile: Int) {
        self.tokensPerTile = tokensPerTile
    }

    /// `<row_r_col_c>` (1-based).
    public func tile(row: Int, col: Int) -> String { "<row_\(row)_col_\(col)>" }

    /// The text one image becomes.
    ///
    /// Split (`rows, cols ≥ 1`), per row: `fake + <row_r_col_c> + image·S` for each
    /// tile, then `"\n"`; then `"\n" + fake + global + image·S + fake`. No closing
    /// `fake` after the tiles, only around the global image. Unsplit:
    /// `fake + global + image·S + fake`.
    public func expansion(rows: Int, cols: Int) -> String {
        let features = String(repeating: image, count: tokensPerTile)
        let global = fakeImage + globalImage + features + fakeImage
        guard rows > 0 && cols > 0 else { return global }
        var text = ""
        for r in 1...rows {
            for c in 1...cols { text += fakeImage + tile(row: r, col: c) + features }
            text += "\n"
        }
        return text + "\n" + global
    }

    /// `prompt` with its `k`-th `<image>` placeholder replaced by the expansion of
    /// the `k`-th grid.
    /// - Throws: ``PipelineError/imageCountMismatch(placeholders:images:)`` when the
    ///   counts differ.
    public func expand(_ prompt: String, grids: [(rows: Int, cols: Int)]) throws(PipelineError) -> String {
        let parts = prompt.components(separatedBy: image)
        guard parts.count - 1 == grids.count else {
            throw .imageCountMismatch(placeholders: parts.count - 1, images: grids.count)
        }
        var text = parts[0]
        for (grid, part) in zip(grids, parts.dropFirst()) {
            text += expansion(rows: grid.rows, cols: grid.cols) + part
        }
        return text
    }
}
