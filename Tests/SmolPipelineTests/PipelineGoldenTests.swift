import Foundation
import SmolPipeline
import SmolTensor
import SmolTestSupport
import SmolText
import SmolVision
import Testing

/// Whole conversations against transformers (Scripts/reference/make_pipeline_goldens.py):
/// input ids, connector output, first-step logits and 32 greedy tokens, on the tiny
/// SmolVLM and SmolVLM2 checkpoints and the SmolVLM-256M-shaped model.
@Suite("Pipeline matches transformers", .serialized)
struct PipelineGoldenTests {
    static let fixtures: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures folder missing from the test bundle")
        }
        return url
    }()

    static let tinyCases = ["single_split", "single_unsplit", "two_images_one_message", "three_images_two_turns",
                            "text_only", "system_prompt", "rgba_image", "grayscale_image", "image_mid_sentence"]

    /// Models load once per suite run.
    static let models = ModelCache()

    final class ModelCache: @unchecked Sendable {
        private var loaded: [String: VisionLanguageModel] = [:]
        private let lock = NSLock()
        func model(_ name: String) throws -> VisionLanguageModel {
            lock.lock()
            defer { lock.unlock() }
            if let model = loaded[name] { return model }
            let model = try VisionLanguageModel(directory: TestModels.root.appendingPathComponent("Models/\(name)"))
            loaded[name] = model
            return model
        }
    }

    struct Meta: Decodable {
        let processor_kwargs: [String: Bool]
        let add_generation_prompt: Bool
        let images: [String]
    }

    static func check(model name: String, case caseName: String) throws {
        try check(models.model(name), fixture: name, case: caseName)
    }

    /// Checks `model` against the goldens of `fixture` (the model directory they were made from).
    static func check(_ model: VisionLanguageModel, fixture name: String, case caseName: String) throws {
        let directory = fixtures.appendingPathComponent("\(name)/\(caseName)")
        let meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: directory.appendingPathComponent("meta.json")))
        let golden = try SafetensorsFile(url: directory.appendingPathComponent("golden.safetensors"))
        let messages = try ChatMessage.conversation(contentsOf: directory.appendingPathComponent("messages.json"))
        let images = try meta.images.map { try Image(contentsOf: fixtures.appendingPathComponent($0)) }
        var processor = model.processorConfig
        if let split = meta.processor_kwargs["do_image_splitting"] { processor.doImageSplitting = split }

        let prepared = try model.prepare(messages: messages, images: images,
                                         addGenerationPrompt: meta.add_generation_prompt, processor: processor)
        let expectedIDs = try golden.tensor(named: "input_ids").ints()
        #expect(prepared.inputIDs == expectedIDs, "\(name)/\(caseName): input ids differ")
        guard prepared.inputIDs == expectedIDs else { return }

        var features: Tensor? = nil
        if let processed = prepared.images {
            let expectedRows = try golden.tensor(named: "rows").ints(), expectedCols = try golden.tensor(named: "cols").ints()
            #expect(processed.grids[0].map(\.rows) == expectedRows && processed.grids[0].map(\.cols) == expectedCols)
            features = try model.imageFeatures(processed)
            try expectClose(features!, golden.tensor(named: "image_hidden_states"), tolerance: 1e-4)
        }
        try checkGeneration(model: model, ids: prepared.inputIDs, features: features, golden: golden, label: "\(name)/\(caseName)")
    }

    /// First-step logits within 1e-3 and the golden's greedy tokens, from the merged embeddings.
    static func checkGeneration(model: VisionLanguageModel, ids: [Int], features: Tensor?, golden: SafetensorsFile, label: String) throws {
        let embeddings = try model.inputEmbeddings(ids: ids, imageFeatures: features)
        let expectedTokens = try golden.tensor(named: "tokens").ints()
        var cache = KVCache(config: model.decoder.config, capacity: ids.count + expectedTokens.count)
        let logits = try model.decoder.forward(embeddings: embeddings, cache: &cache).floats()
        let expectedLogits = try golden.tensor(named: "logits").floats()
        let worst = zip(logits, expectedLogits).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-3, "\(label): first-step logits differ by \(worst)")

        cache.truncate(to: 0)
        let tokens = try model.generatedTokens(embeddings: embeddings, promptIDs: ids,
                                               request: GenerationRequest(maxTokens: expectedTokens.count), cache: &cache)
        #expect(tokens == expectedTokens, "\(label): greedy tokens differ")
    }

    @Test(.enabled(if: TestModels.available(TestModels.root.appendingPathComponent("Models/tiny-smolvlm"))), arguments: tinyCases)
    func tinySmolVLM(_ caseName: String) throws {
        try Self.check(model: "tiny-smolvlm", case: caseName)
    }

    @Test(.enabled(if: TestModels.available(TestModels.root.appendingPathComponent("Models/tiny-smolvlm2"))), arguments: tinyCases)
    func tinySmolVLM2(_ caseName: String) throws {
        try Self.check(model: "tiny-smolvlm2", case: caseName)
    }

    @Test(.enabled(if: TestModels.available(TestModels.root.appendingPathComponent("Models/SmolVLM-256M-shaped"))),
          arguments: ["photo_unsplit", "synthetic_unsplit", "text_only"])
    func smolVLM256MShaped(_ caseName: String) throws {
        try Self.check(model: "SmolVLM-256M-shaped", case: caseName)
    }
}
