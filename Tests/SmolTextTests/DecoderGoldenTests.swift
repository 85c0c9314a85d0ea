import Foundation
import SmolTensor
import SmolTestSupport
import SmolText
import Testing

/// The real SmolLM2-135M-Instruct against transformers (float32, eager, greedy):
/// first-step logits and 64 greedy tokens for each golden prompt
/// (Scripts/reference/make_text_goldens.py), from the GGUF file and from the
/// converted Hugging Face directory.
@Suite("SmolLM2 decoder matches transformers", .serialized)
struct DecoderGoldenTests {
    static let caseNames = (0..<10).map { "case_\($0)" }

    /// One model per source, loaded once for the suite.
    static let models: [String: Result<SmolLM2, any Error>] = [
        "gguf": Result { try SmolLM2(contentsOf: TestModels.smolLM2GGUF) },
        "hf": Result { try SmolLM2(contentsOf: TestModels.smolLM2Directory) },
    ]
    static let tokenizer = Result { try Tokenizer(directory: TextFixtures.smolLM2) }

    static func check(source: String, caseName: String) throws {
        let model = try #require(models[source]).get()
        let tokenizer = try tokenizer.get()
        let golden = try SafetensorsFile(url: TextFixtures.url("generation/\(caseName).safetensors"))
        let prompt = try golden.tensor(named: "prompt_ids").ints()
        let expectedTokens = try golden.tensor(named: "tokens").ints()
        let expectedLogits = try golden.tensor(named: "logits").floats()

        // The prompt tokenizes to the golden ids.
        let text = try #require(golden.metadata["prompt"])
        #expect(tokenizer.encode(text) == prompt)

        var cache = KVCache(config: model.config, capacity: prompt.count + expectedTokens.count)
        let logits = try model.forward(embeddings: model.embed(prompt), cache: &cache).floats()
        let worst = zip(logits, expectedLogits).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-3, "\(source) \(caseName): first-step logits differ by \(worst)")

        cache.truncate(to: 0)
        var tokens: [Int] = []
        let request = GenerationRequest(maxTokens: expectedTokens.count)
        _ = try model.generate(embeddings: model.embed(prompt), promptIDs: prompt, tokenizer: tokenizer,
                               request: request, cache: &cache) { piece in
            tokens.append(piece.tokenID)
            return true
        }
        #expect(tokens == expectedTokens, "\(source) \(caseName): greedy tokens differ at \(zip(tokens, expectedTokens).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)")
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2GGUF)), arguments: caseNames)
    func fromGGUF(_ caseName: String) throws {
        try Self.check(source: "gguf", caseName: caseName)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2Directory)), arguments: caseNames)
    func fromHuggingFaceDirectory(_ caseName: String) throws {
        try Self.check(source: "hf", caseName: caseName)
    }
}
