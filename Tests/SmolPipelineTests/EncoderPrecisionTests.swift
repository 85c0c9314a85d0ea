import Foundation
import SmolPipeline
import SmolTensor
import SmolTestSupport
import SmolText
import SmolVision
import Testing

/// The bfloat16 vision encoder on the SmolVLM-256M-shaped goldens (made with
/// transformers in float32): its error is measured, bounded and documented in
/// Documentation/Performance.md, and the greedy answer must not change.
@Suite("bfloat16 encoder against the float32 goldens", .serialized,
       .enabled(if: TestModels.available(TestModels.root.appendingPathComponent("Models/SmolVLM-256M-shaped"))))
struct EncoderPrecisionTests {
    /// `max|Δ| / max|golden|` of the connector output; measured 5.5e-3 and 5.6e-3.
    static let connectorBound: Float = 1e-2
    /// Largest first-step logit difference; measured 0.069 and 0.043.
    static let logitBound: Float = 0.15

    static let model = Result { try VisionLanguageModel(
        directory: TestModels.root.appendingPathComponent("Models/SmolVLM-256M-shaped"), encoderPrecision: .bfloat16) }

    @Test(arguments: ["photo_unsplit", "synthetic_unsplit"])
    func staysWithinTheBoundAndKeepsTheGreedyTokens(_ caseName: String) throws {
        let model = try Self.model.get()
        // CPUs without AVX512-BF16 compute float32 instead (a smaller error).
        #expect(model.encoder.precision == (VisionEncoder.isAccelerated(.bfloat16) ? .bfloat16 : .float32))
        let directory = PipelineGoldenTests.fixtures.appendingPathComponent("SmolVLM-256M-shaped/\(caseName)")
        let golden = try SafetensorsFile(url: directory.appendingPathComponent("golden.safetensors"))
        let messages = try ChatMessage.conversation(contentsOf: directory.appendingPathComponent("messages.json"))
        let meta = try JSONDecoder().decode(PipelineGoldenTests.Meta.self, from: Data(contentsOf: directory.appendingPathComponent("meta.json")))
        let images = try meta.images.map { try Image(contentsOf: PipelineGoldenTests.fixtures.appendingPathComponent($0)) }
        var processor = model.processorConfig
        processor.doImageSplitting = false
        let prepared = try model.prepare(messages: messages, images: images, processor: processor)
        #expect(prepared.inputIDs == (try golden.tensor(named: "input_ids").ints()))
        let processed = try #require(prepared.images)

        let features = try model.imageFeatures(processed)
        let expected = try golden.tensor(named: "image_hidden_states").floats()
        let actual = try features.floats()
        let largest = expected.map(abs).max() ?? 1
        let connectorError = zip(actual, expected).map { abs($0 - $1) }.max()! / largest
        #expect(connectorError <= Self.connectorBound, "\(caseName): connector error \(connectorError)")

        let embeddings = try model.inputEmbeddings(ids: prepared.inputIDs, imageFeatures: features)
        let expectedTokens = try golden.tensor(named: "tokens").ints()
        var cache = KVCache(config: model.decoder.config, capacity: prepared.inputIDs.count + expectedTokens.count)
        let logits = try model.decoder.forward(embeddings: embeddings, cache: &cache).floats()
        let logitError = zip(logits, try golden.tensor(named: "logits").floats()).map { abs($0 - $1) }.max()!
        #expect(logitError <= Self.logitBound, "\(caseName): first-step logits differ by \(logitError)")

        cache.truncate(to: 0)
        let tokens = try model.generatedTokens(embeddings: embeddings, promptIDs: prepared.inputIDs,
                                               request: GenerationRequest(maxTokens: expectedTokens.count), cache: &cache)
        #expect(tokens == expectedTokens, "\(caseName): greedy tokens differ")
        print("bfloat16 encoder, \(caseName): connector error \(connectorError) of max |golden| \(largest), logits \(logitError), greedy tokens \(tokens == expectedTokens ? "identical" : "differ")")
    }
}
