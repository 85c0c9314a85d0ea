import SmolPipeline
import SmolTensor
import SmolText

extension VisionLanguageModel {
    /// The tokens the decoder generates after `embeddings` (the prompt `promptIDs`) under
    /// `request`, written into `cache` — what the goldens' greedy continuations are compared with.
    func generatedTokens(embeddings: Tensor, promptIDs: [Int], request: GenerationRequest,
                         cache: inout KVCache) throws -> [Int] {
        var tokens: [Int] = []
        _ = try decoder.generate(embeddings: embeddings, promptIDs: promptIDs, tokenizer: tokenizer,
                                 request: request, cache: &cache) { piece in
            tokens.append(piece.tokenID)
            return true
        }
        return tokens
    }
}
