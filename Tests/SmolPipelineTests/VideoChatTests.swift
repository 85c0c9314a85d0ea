import Foundation
import SmolPipeline
import SmolTestSupport
import SmolText
import SmolVision
import Testing

/// Videos through the conversation facade on the tiny SmolVLM2 checkpoint.
@Suite("VisionChat with videos")
struct VideoChatTests {
    static let directory = TestModels.root.appendingPathComponent("Models/tiny-smolvlm2")
    static let clip = TestModels.root.appendingPathComponent("Tests/SmolVisionTests/Fixtures/videos/h264_128x72_29.97fps_9.5s.mov")

    /// The reply to a video matches the model driven directly; a follow-up turn reuses the video's
    /// features and KV cache instead of decoding and encoding it again.
    @Test(.enabled(if: TestModels.available(directory)))
    func videoReplyAndFollowUp() async throws {
        let chat = try VisionChat(directory: Self.directory)
        let options = ChatOptions(maxTokens: 6)
        let first = try await chat.respond(to: [.video(.file(Self.clip)), .text("What happens?")], options: options)
        let model = chat.model
        #expect(first.imageTokenCount == 10 * model.config.imageSequenceLength)

        let video = try model.processVideo(contentsOf: Self.clip)
        let messages = [ChatMessage(role: "user", content: [.video, .text("What happens?")])]
        let prepared = try model.prepare(messages: messages, grids: [], videos: [video])
        #expect(prepared.inputIDs.count == first.promptTokenCount)
        let embeddings = try model.inputEmbeddings(ids: prepared.inputIDs, imageFeatures: model.videoFeatures(video))
        var cache = KVCache(config: model.decoder.config, capacity: prepared.inputIDs.count + 6)
        let tokens = try model.generatedTokens(embeddings: embeddings, promptIDs: prepared.inputIDs,
                                               request: GenerationRequest(maxTokens: 6, stopTokenIDs: model.stopTokenIDs), cache: &cache)
        #expect(tokens == first.tokens)

        let second = try await chat.respond(to: [.text("And then?")], options: options)
        #expect(second.imageTokenCount == first.imageTokenCount)
        #expect(second.prefilledTokenCount < second.promptTokenCount / 4)
    }

    /// Frame options and the memory budget cap the sampled frames.
    @Test(.enabled(if: TestModels.available(directory)))
    func frameCaps() async throws {
        let chat = try VisionChat(directory: Self.directory)
        let perFrame = chat.model.estimatedBytesPerVideoFrame()
        let tokens = chat.model.config.imageSequenceLength
        let capped = try await chat.respond(to: [.video(.file(Self.clip)), .text("Hi")], options: ChatOptions(maxTokens: 1, maxVideoFrames: 4))
        #expect(capped.imageTokenCount == 4 * tokens)
        await chat.reset()
        let budget = try await chat.respond(to: [.video(.file(Self.clip)), .text("Hi")],
                                            options: ChatOptions(maxTokens: 1, videoMemoryBudget: 3 * perFrame))
        #expect(budget.imageTokenCount == 3 * tokens)
        await chat.reset()
        let dense = try await chat.respond(to: [.video(.file(Self.clip)), .text("Hi")],
                                           options: ChatOptions(maxTokens: 1, videoFramesPerSecond: 2))
        #expect(dense.imageTokenCount == 19 * tokens)
    }

    /// Frames given as images take transformers' 24 fps assumption, or the given times.
    @Test(.enabled(if: TestModels.available(directory)))
    func framesAsImages() async throws {
        let chat = try VisionChat(directory: Self.directory)
        let frame = try Image(width: 32, height: 24, rgb: [UInt8](repeating: 200, count: 32 * 24 * 3))
        let reply = try await chat.respond(to: [.video(.frames([frame, frame, frame], times: [0, 61, 125])), .text("Hi")],
                                           options: ChatOptions(maxTokens: 1))
        #expect(reply.imageTokenCount == 3 * chat.model.config.imageSequenceLength)
        let model = chat.model
        let video = try model.processVideo(SampledVideo(frames: [frame, frame, frame], times: [0, 61, 125]))
        let text = try model.prepare(messages: [ChatMessage(role: "user", content: [.video])], grids: [], videos: [video]).text
        #expect(text.contains("series of three frames from a 0:02:05 [H:MM:SS] video."))
        #expect(text.contains("\nFrame from 01:01:") && text.contains("\nFrame from 02:05:"))
    }

    @Test(.enabled(if: TestModels.available(directory)))
    func imagesAndVideosDoNotMix() async throws {
        let chat = try VisionChat(directory: Self.directory)
        let image = try Image(width: 8, height: 8, rgb: [UInt8](repeating: 1, count: 192))
        await #expect(throws: PipelineError.imagesAndVideosMixed) {
            try await chat.respond(to: [.image(.decoded(image)), .video(.file(Self.clip)), .text("?")])
        }
    }

    /// SmolVLM v1 checkpoints have no video settings.
    @Test(.enabled(if: TestModels.available(TestModels.root.appendingPathComponent("Models/tiny-smolvlm"))))
    func smolVLMv1RejectsVideo() async throws {
        let chat = try VisionChat(directory: TestModels.root.appendingPathComponent("Models/tiny-smolvlm"))
        await #expect(throws: PipelineError.self) {
            try await chat.respond(to: [.video(.file(Self.clip)), .text("?")])
        }
    }

    @Test(.enabled(if: TestModels.available(directory)))
    func unreadableVideoIsATypedError() async throws {
        let chat = try VisionChat(directory: Self.directory)
        await #expect(throws: VideoError.fileNotFound(path: "/nonexistent.mp4")) {
            try await chat.respond(to: [.video(.file(URL(fileURLWithPath: "/nonexistent.mp4"))), .text("?")])
        }
    }
}
