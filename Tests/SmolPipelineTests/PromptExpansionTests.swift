import SmolPipeline
import Testing

@Suite("Image prompt expansion")
struct PromptExpansionTests {
    let tokens = ImagePromptTokens(tokensPerTile: 2)

    @Test func unsplitImage() {
        #expect(tokens.expansion(rows: 0, cols: 0) ==
                "<fake_token_around_image><global-img><image><image><fake_token_around_image>")
    }

    /// transformers' `_prompt_split_image`: tiles row-major, a newline after each
    /// row, then a blank line and the global image; no closing fake after tiles.
    @Test func splitImage() {
        let f = "<fake_token_around_image>", i = "<image><image>"
        let expected = "\(f)<row_1_col_1>\(i)\(f)<row_1_col_2>\(i)\n\(f)<row_2_col_1>\(i)\(f)<row_2_col_2>\(i)\n"
            + "\n\(f)<global-img>\(i)\(f)"
        #expect(tokens.expansion(rows: 2, cols: 2) == expected)
    }

    @Test func placeholdersAreReplacedInOrder() throws {
        let text = try tokens.expand("User:<image>What differs from<image>?", grids: [(0, 0), (1, 2)])
        #expect(text.hasPrefix("User:" + tokens.expansion(rows: 0, cols: 0) + "What differs from"))
        #expect(text.hasSuffix(tokens.expansion(rows: 1, cols: 2) + "?"))
    }

    @Test func countMismatchIsAnError() {
        #expect(throws: PipelineError.imageCountMismatch(placeholders: 1, images: 2)) {
            try tokens.expand("<image>", grids: [(0, 0), (0, 0)])
        }
        #expect(throws: PipelineError.imageCountMismatch(placeholders: 2, images: 0)) {
            try tokens.expand("<image><image>", grids: [])
        }
    }
}
