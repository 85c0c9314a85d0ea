import Foundation
import SmolTensor
import SmolTestSupport
import SmolText
import Testing

/// Stopping and limits on the real SmolLM2-135M-Instruct (golden case 0 answers
/// "The capital of France is Paris.<|im_end|>").
@Suite("Generation stops", .serialized)
struct GenerationStopTests {
    static func setUp() throws -> (SmolLM2, Tokenizer, [Int]) {
        let model = try SmolLM2(contentsOf: TestModels.smolLM2GGUF)
        let tokenizer = try Tokenizer(contentsOf: TestModels.smolLM2GGUF)
        let golden = try SafetensorsFile(url: TextFixtures.url("generation/case_0.safetensors"))
        return (model, tokenizer, try golden.tensor(named: "prompt_ids").ints())
    }

    static func run(_ request: GenerationRequest) throws -> (tokens: [Int], text: String, reason: StopReason) {
        let (model, tokenizer, prompt) = try setUp()
        var cache = KVCache(config: model.config, capacity: prompt.count + request.maxTokens)
        var tokens: [Int] = [], text = ""
        let reason = try model.generate(embeddings: model.embed(prompt), promptIDs: prompt, tokenizer: tokenizer,
                                        request: request, cache: &cache) { piece in
            tokens.append(piece.tokenID); text += piece.text; return true
        }
        return (tokens, text, reason)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2GGUF)))
    func stopsAtTheEndOfTurnToken() throws {
        let result = try Self.run(GenerationRequest(maxTokens: 32, stopTokenIDs: [2]))
        #expect(result.reason == .stopToken)
        #expect(result.text == "The capital of France is Paris.")
        #expect(result.tokens.last == 2)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2GGUF)))
    func stopsAtAStopString() throws {
        let result = try Self.run(GenerationRequest(maxTokens: 32, stopStrings: ["France"]))
        #expect(result.reason == .stopString)
        #expect(result.text == "The capital of France")
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2GGUF)))
    func stopsAtTheTokenLimit() throws {
        let result = try Self.run(GenerationRequest(maxTokens: 3))
        #expect(result.reason == .maxTokens && result.tokens.count == 3)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2GGUF)))
    func promptsLongerThanTheContextFailBeforeWork() throws {
        let (model, tokenizer, _) = try Self.setUp()
        let tooLong = [Int](repeating: 28, count: model.config.maxPositionEmbeddings + 1)
        var cache = KVCache(config: model.config, capacity: 16)
        #expect(throws: GenerationError.promptTooLong(tokens: tooLong.count, limit: model.config.maxPositionEmbeddings)) {
            _ = try model.generate(embeddings: Tensor(zeros: [tooLong.count, model.config.hiddenSize]), promptIDs: tooLong,
                                   tokenizer: tokenizer, request: GenerationRequest(), cache: &cache) { _ in true }
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2GGUF)))
    func cancellingTheStreamStopsIt() async throws {
        let (model, tokenizer, prompt) = try Self.setUp()
        var received = 0
        for try await _ in model.stream(promptIDs: prompt, tokenizer: tokenizer, request: GenerationRequest(maxTokens: 500)) {
            received += 1
            if received == 3 { break }
        }
        #expect(received == 3)
    }
}
