import Foundation
import SmolPipeline
import SmolTensor
import SmolTestSupport
import SmolText
import SmolVision
import Testing

/// Video conversations on the tiny SmolVLM2 checkpoint against transformers
/// (Scripts/reference/make_video_goldens.py: PyAV loader, SmolVLMVideoProcessor, the video chat
/// template): input ids identical, connector output, first-step logits and 32 greedy tokens.
@Suite("Video pipeline matches transformers", .serialized)
struct VideoPipelineGoldenTests {
    struct Index: Decodable {
        struct Case: Decodable {
            let `case`: String
            let dir: String
            let video: String?
            let prompt_tokens: Int
            let frames: Int
        }
        let cases: [Case]
    }

    struct Meta: Decodable {
        let video_frames: [String]?
        let add_generation_prompt: Bool
    }

    static let index: Index? = {
        let url = PipelineGoldenTests.fixtures.appendingPathComponent("video_cases.json")
        return try? JSONDecoder().decode(Index.self, from: Data(contentsOf: url))
    }()

    static let clips = TestModels.root.appendingPathComponent("Tests/SmolVisionTests/Fixtures/videos")
    static let tiny = TestModels.root.appendingPathComponent("Models/tiny-smolvlm2")

    @Test func theIndexIsComplete() throws {
        let cases = try #require(Self.index).cases
        #expect(cases.count >= 6)
        #expect(cases.contains { $0.video?.hasSuffix(".webm") == true })
        #expect(cases.contains { $0.video == nil })
    }

    @Test(.enabled(if: TestModels.available(tiny)), arguments: index?.cases.map(\.case) ?? [])
    func tinySmolVLM2(_ caseName: String) throws {
        try Self.check(PipelineGoldenTests.models.model("tiny-smolvlm2"), case: caseName)
    }

    /// Checks `model` (tiny-smolvlm2 in some layout) against one video case.
    static func check(_ model: VisionLanguageModel, case caseName: String) throws {
        let entry = try #require(Self.index?.cases.first { $0.case == caseName })
        let directory = PipelineGoldenTests.fixtures.appendingPathComponent(entry.dir)
        let meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: directory.appendingPathComponent("meta.json")))
        let golden = try SafetensorsFile(url: directory.appendingPathComponent("golden.safetensors"))
        // The messages name the clip or frames; the golden script passed the decoded video separately.
        let messages = try ChatMessage.conversation(contentsOf: directory.appendingPathComponent("messages.json"))

        let video: ProcessedVideo
        if let clip = entry.video {
            video = try model.processVideo(contentsOf: clips.appendingPathComponent(clip))
        } else {
            let frames = try (meta.video_frames ?? []).map { try Image(contentsOf: directory.appendingPathComponent($0)) }
            video = try model.processVideo(SampledVideo(frames: frames))
        }
        #expect(video.frameCount == entry.frames)
        let prepared = try model.prepare(messages: messages, grids: [], videos: [video], addGenerationPrompt: meta.add_generation_prompt)
        let expectedText = try String(contentsOf: directory.appendingPathComponent("expanded_prompt.txt"), encoding: .utf8)
        #expect(prepared.text == expectedText, "\(caseName): prompt text differs")
        let expectedIDs = try golden.tensor(named: "input_ids").ints()
        #expect(prepared.inputIDs == expectedIDs, "\(caseName): input ids differ")
        guard prepared.inputIDs == expectedIDs else { return }

        let features = try model.videoFeatures(video)
        try expectClose(features, golden.tensor(named: "image_hidden_states"), tolerance: 1e-4)
        try PipelineGoldenTests.checkGeneration(model: model, ids: prepared.inputIDs, features: features, golden: golden, label: caseName)
    }
}
