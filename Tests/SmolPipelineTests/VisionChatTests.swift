import Foundation
import SmolPipeline
import SmolTestSupport
import SmolText
import SmolVision
import Testing

/// The conversation facade on the tiny SmolVLM checkpoint.
@Suite("VisionChat")
struct VisionChatTests {
    static let directory = TestModels.root.appendingPathComponent("Models/tiny-smolvlm")
    static let image = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("images/scene_96x64.png")

    /// The second turn reuses the cached prompt and its answer matches a conversation
    /// computed from scratch with the same history.
    @Test(.enabled(if: TestModels.available(directory)))
    func secondTurnReusesTheCache() async throws {
        let chat = try VisionChat(directory: Self.directory)
        let options = ChatOptions(maxTokens: 8)
        let first = try await chat.respond(to: [.image(.file(Self.image)), .text("What is this?")], options: options)
        #expect(first.imageTokenCount > 0 && first.tokens.count <= 8)
        let second = try await chat.respond(to: [.text("And the colours?")], options: options)
        #expect(second.prefilledTokenCount < second.promptTokenCount / 2,
                "only \(second.promptTokenCount - second.prefilledTokenCount) of \(second.promptTokenCount) positions came from the cache")

        // The same two turns through the model directly, without any cache reuse.
        let model = chat.model
        let image = try Image(contentsOf: Self.image)
        let messages = [
            ChatMessage(role: "user", content: [.image, .text("What is this?")]),
            ChatMessage(role: "assistant", content: [.text(first.text)]),
            ChatMessage(role: "user", content: [.text("And the colours?")]),
        ]
        let prepared = try model.prepare(messages: messages, images: [image])
        #expect(prepared.inputIDs.count == second.promptTokenCount)
        let features = try model.imageFeatures(#require(prepared.images))
        let embeddings = try model.inputEmbeddings(ids: prepared.inputIDs, imageFeatures: features)
        var cache = KVCache(config: model.decoder.config, capacity: prepared.inputIDs.count + 8)
        let tokens = try model.generatedTokens(embeddings: embeddings, promptIDs: prepared.inputIDs,
                                               request: GenerationRequest(maxTokens: 8, stopTokenIDs: model.stopTokenIDs), cache: &cache)
        #expect(tokens == second.tokens)
    }

    /// Two conversations over one loaded model keep separate histories and caches.
    @Test(.enabled(if: TestModels.available(directory)))
    func conversationsShareOnlyTheModel() async throws {
        let model = try VisionLanguageModel(directory: Self.directory)
        let first = VisionChat(model: model), second = VisionChat(model: model)
        let options = ChatOptions(maxTokens: 6)
        let question: [ChatContent] = [.image(.file(Self.image)), .text("What is this?")]
        let a = try await first.respond(to: question, options: options)
        _ = try await first.respond(to: [.text("And the colours?")], options: options)
        let b = try await second.respond(to: question, options: options)
        #expect(b.tokens == a.tokens)
        #expect(b.promptTokenCount == a.promptTokenCount)
        #expect(b.prefilledTokenCount == b.promptTokenCount, "a new conversation must not reuse another's KV cache")
    }

    @Test(.enabled(if: TestModels.available(directory)))
    func streamingYieldsTheSameText() async throws {
        let chat = try VisionChat(directory: Self.directory)
        var streamed = ""
        for try await piece in chat.stream([.text("Hello")], options: ChatOptions(maxTokens: 6)) { streamed += piece }
        await chat.reset()
        let whole = try await chat.respond(to: [.text("Hello")], options: ChatOptions(maxTokens: 6))
        #expect(streamed == whole.text)
    }

    @Test(.enabled(if: TestModels.available(directory)))
    func tooLongPromptsAreRejectedBeforeWork() async throws {
        let chat = try VisionChat(directory: Self.directory)
        await #expect(throws: GenerationError.self) {
            _ = try await chat.respond(to: [.text("hi")], options: ChatOptions(maxTokens: 1_000_000))
        }
    }
}
