import Foundation
import SmolPipeline
import SmolTensor
import SmolTestSupport
import SmolText
import SmolVision
import Testing

/// The llama.cpp layout of the tiny checkpoints (Scripts/convert_smolvlm_to_gguf_pair.py, run by
/// Scripts/fetch-test-models.sh): the F32 pair must give what the Hugging Face directory gives — the
/// same goldens, bit for bit the same features and logits — and the F16 / Q8_0 mmproj files stay
/// within a measured bound of them.
@Suite("GGUF pairs", .serialized)
struct GGUFPairTests {
    static let models = TestModels.root.appendingPathComponent("Models")

    static func text(_ model: String) -> URL { models.appendingPathComponent("\(model)-gguf/text-f32.gguf") }
    static func mmproj(_ model: String, _ type: String = "f32") -> URL {
        models.appendingPathComponent("\(model)-gguf/mmproj-\(type).gguf")
    }
    static func available(_ model: String) -> Bool { TestModels.available(text(model)) }

    /// Pairs load once per suite run.
    static let cache = PairCache()

    final class PairCache: @unchecked Sendable {
        private var loaded: [String: VisionLanguageModel] = [:]
        private let lock = NSLock()
        func model(_ name: String, _ type: String = "f32") throws -> VisionLanguageModel {
            lock.lock()
            defer { lock.unlock() }
            if let model = loaded["\(name)/\(type)"] { return model }
            let model = try VisionLanguageModel(textGGUF: GGUFPairTests.text(name), mmproj: GGUFPairTests.mmproj(name, type))
            loaded["\(name)/\(type)"] = model
            return model
        }
    }

    // MARK: The F32 pair is the checkpoint

    @Test(.enabled(if: available("tiny-smolvlm")), arguments: PipelineGoldenTests.tinyCases)
    func tinySmolVLMGoldens(_ caseName: String) throws {
        try PipelineGoldenTests.check(Self.cache.model("tiny-smolvlm"), fixture: "tiny-smolvlm", case: caseName)
    }

    @Test(.enabled(if: available("tiny-smolvlm2")), arguments: PipelineGoldenTests.tinyCases)
    func tinySmolVLM2Goldens(_ caseName: String) throws {
        try PipelineGoldenTests.check(Self.cache.model("tiny-smolvlm2"), fixture: "tiny-smolvlm2", case: caseName)
    }

    @Test(.enabled(if: available("tiny-smolvlm2")), arguments: VideoPipelineGoldenTests.index?.cases.map(\.case) ?? [])
    func tinySmolVLM2VideoGoldens(_ caseName: String) throws {
        try VideoPipelineGoldenTests.check(Self.cache.model("tiny-smolvlm2"), case: caseName)
    }

    /// Settings, connector output and first-step logits identical to the directory's, to the bit.
    @Test(.enabled(if: available("tiny-smolvlm") && available("tiny-smolvlm2")), arguments: ["tiny-smolvlm", "tiny-smolvlm2"])
    func identicalToTheDirectory(_ name: String) throws {
        let pair = try Self.cache.model(name)
        let directory = try PipelineGoldenTests.models.model(name)
        #expect(pair.processorConfig == directory.processorConfig)
        #expect(pair.config.vision == directory.config.vision)
        #expect(pair.config.scaleFactor == directory.config.scaleFactor)
        #expect(pair.config.imageSequenceLength == directory.config.imageSequenceLength)
        #expect(pair.imageTokenID == directory.imageTokenID)
        #expect(pair.stopTokenIDs == directory.stopTokenIDs)
        if let video = directory.videoConfig { #expect(pair.videoConfig == video) }

        let image = try Image(contentsOf: PipelineGoldenTests.fixtures.appendingPathComponent("images/scene_96x64.png"))
        let messages = [ChatMessage(role: "user", content: [.image, .text("What is here?")])]
        let a = try pair.prepare(messages: messages, images: [image])
        let b = try directory.prepare(messages: messages, images: [image])
        #expect(a.inputIDs == b.inputIDs && a.text == b.text)
        let featuresA = try pair.imageFeatures(#require(a.images))
        let featuresB = try directory.imageFeatures(#require(b.images))
        #expect(try featuresA.floats() == featuresB.floats())
        var cacheA = KVCache(config: pair.decoder.config, capacity: a.inputIDs.count)
        var cacheB = KVCache(config: directory.decoder.config, capacity: b.inputIDs.count)
        let logitsA = try pair.decoder.forward(embeddings: pair.inputEmbeddings(ids: a.inputIDs, imageFeatures: featuresA), cache: &cacheA)
        let logitsB = try directory.decoder.forward(embeddings: directory.inputEmbeddings(ids: b.inputIDs, imageFeatures: featuresB), cache: &cacheB)
        #expect(try logitsA.floats() == logitsB.floats())
    }

    @Test(.enabled(if: available("tiny-smolvlm2")))
    func visionChatOverAPair() async throws {
        let chat = try VisionChat(textGGUF: Self.text("tiny-smolvlm2"), mmproj: Self.mmproj("tiny-smolvlm2"))
        let reference = try VisionChat(directory: Self.models.appendingPathComponent("tiny-smolvlm2"))
        let image = URL(fileURLWithPath: PipelineGoldenTests.fixtures.appendingPathComponent("images/square_64x64.png").path)
        let content: [ChatContent] = [.image(.file(image)), .text("Describe it.")]
        let options = ChatOptions(maxTokens: 12)
        let a = try await chat.respond(to: content, options: options)
        let b = try await reference.respond(to: content, options: options)
        #expect(a.tokens == b.tokens && a.promptTokenCount == b.promptTokenCount)
    }

    // MARK: F16 and Q8_0 projectors

    /// Measured on the 14 image cases of the two tiny models (Documentation/GGUF.md): connector
    /// error at most 8.6e-4 (F16) and 0.025 (Q8_0) against transformers' float32 output (whose
    /// entries reach 3–4), first-step logits 3.3e-3 and 0.107. The bounds leave 2× margin.
    static let bounds: [String: (connector: Float, logits: Float)] = ["f16": (2e-3, 1e-2), "q8_0": (0.05, 0.25)]
    static let imageCases = PipelineGoldenTests.tinyCases.filter { $0 != "text_only" && $0 != "system_prompt" }

    @Test(.enabled(if: available("tiny-smolvlm") && available("tiny-smolvlm2")), arguments: ["f16", "q8_0"])
    func quantizedProjectors(_ type: String) throws {
        let bound = try #require(Self.bounds[type])
        var agreement: [String] = []
        for name in ["tiny-smolvlm", "tiny-smolvlm2"] {
            let model = try Self.cache.model(name, type)
            for caseName in Self.imageCases {
                let run = try GoldenRun(model, fixture: name, case: caseName)
                #expect(run.connectorError <= bound.connector, "\(type) \(name)/\(caseName): connector off by \(run.connectorError)")
                #expect(run.logitError <= bound.logits, "\(type) \(name)/\(caseName): logits off by \(run.logitError)")
                // Greedy decoding from quantized weights may part from the float32 path: F16 keeps every
                // token here; Q8_0 keeps the first (its later agreement is reported, not asserted).
                #expect(run.tokens.first == run.expectedTokens.first, "\(type) \(name)/\(caseName): first token differs")
                if type == "f16" { #expect(run.tokens == run.expectedTokens, "\(type) \(name)/\(caseName): greedy tokens differ") }
                agreement.append("\(name)/\(caseName) \(run.sharedPrefix)/\(run.expectedTokens.count)")
            }
        }
        print("GGUF mmproj-\(type) greedy agreement with transformers (float32): " + agreement.joined(separator: ", "))
    }
}

/// One golden case run on a model: connector and first-step logit errors, greedy tokens.
struct GoldenRun {
    let connectorError: Float
    let logitError: Float
    let tokens: [Int]
    let expectedTokens: [Int]
    var sharedPrefix: Int { zip(tokens, expectedTokens).prefix { $0 == $1 }.count }

    init(_ model: VisionLanguageModel, fixture name: String, case caseName: String) throws {
        let directory = PipelineGoldenTests.fixtures.appendingPathComponent("\(name)/\(caseName)")
        let meta = try JSONDecoder().decode(PipelineGoldenTests.Meta.self, from: Data(contentsOf: directory.appendingPathComponent("meta.json")))
        let golden = try SafetensorsFile(url: directory.appendingPathComponent("golden.safetensors"))
        let messages = try ChatMessage.conversation(contentsOf: directory.appendingPathComponent("messages.json"))
        let images = try meta.images.map { try Image(contentsOf: PipelineGoldenTests.fixtures.appendingPathComponent($0)) }
        var processor = model.processorConfig
        if let split = meta.processor_kwargs["do_image_splitting"] { processor.doImageSplitting = split }
        let prepared = try model.prepare(messages: messages, images: images, addGenerationPrompt: meta.add_generation_prompt, processor: processor)
        let features = try model.imageFeatures(#require(prepared.images))
        connectorError = try Self.maxDifference(features.floats(), golden.tensor(named: "image_hidden_states").floats())
        let embeddings = try model.inputEmbeddings(ids: prepared.inputIDs, imageFeatures: features)
        expectedTokens = try golden.tensor(named: "tokens").ints()
        var cache = KVCache(config: model.decoder.config, capacity: prepared.inputIDs.count + expectedTokens.count)
        logitError = try Self.maxDifference(model.decoder.forward(embeddings: embeddings, cache: &cache).floats(),
                                            golden.tensor(named: "logits").floats())
        cache.truncate(to: 0)
        tokens = try model.generatedTokens(embeddings: embeddings, promptIDs: prepared.inputIDs,
                                           request: GenerationRequest(maxTokens: expectedTokens.count), cache: &cache)
    }

    static func maxDifference(_ a: [Float], _ b: [Float]) throws -> Float {
        try #require(a.count == b.count, "\(a.count) values against \(b.count)")
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
