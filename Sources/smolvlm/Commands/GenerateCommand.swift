import ArgumentParser
import Foundation
import SmolVLM

/// Generates a reply to a prompt or a conversation.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate text from a prompt or a conversation (greedy by default).")

    @Option(help: "A model directory or a .gguf file.")
    var model: String

    @Option(help: "A user message; it is wrapped as one turn and the chat template applied.")
    var prompt: String?

    @Option(help: "A JSON file of messages in the Hugging Face shape.")
    var messages: String?

    @Option(help: "New tokens at most.")
    var maxTokens = 256

    @Option(help: "Sampling temperature (0 = greedy).")
    var temperature: Float = 0

    @Option(help: "Nucleus sampling mass.")
    var topP: Float = 1

    @Option(help: "Keep only the k most likely tokens (0 = off).")
    var topK = 0

    @Option(help: "Random seed for sampling.")
    var seed: UInt64 = 0

    @Flag(help: "Print one JSON object {prompt_tokens, tokens, text} instead of streaming text.")
    var json = false

    func validate() throws {
        guard (prompt == nil) != (messages == nil) else { throw ValidationError("give exactly one of --prompt and --messages") }
    }

    func run() throws {
        let loaded = try TextModel(path: model)
        let conversation = if let prompt {
            [ChatMessage(role: "user", content: prompt)]
        } else {
            try ChatMessage.conversation(contentsOf: URL(fileURLWithPath: messages!))
        }
        let text = try loaded.template.render(messages: conversation, addGenerationPrompt: true,
                                              additionalContext: loaded.templateContext)
        let promptIDs = loaded.tokenizer.encode(text)
        let request = GenerationRequest(
            maxTokens: maxTokens,
            sampling: SamplingOptions(temperature: temperature, topK: topK, topP: topP, seed: seed),
            stopTokenIDs: loaded.stopTokenIDs)
        let decoder = loaded.decoder
        var cache = KVCache(config: decoder.config, capacity: min(decoder.config.maxPositionEmbeddings, promptIDs.count + maxTokens))
        var tokens: [Int] = []
        let output = FileHandle.standardOutput
        _ = try decoder.generate(embeddings: decoder.embed(promptIDs), promptIDs: promptIDs, tokenizer: loaded.tokenizer,
                                 request: request, cache: &cache) { piece in
            tokens.append(piece.tokenID)
            if !json { output.write(Data(piece.text.utf8)) }
            return true
        }
        if json {
            let object: [String: Any] = [
                "prompt_tokens": promptIDs, "tokens": tokens,
                "text": loaded.tokenizer.decode(tokens, skipSpecialTokens: true),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("")
        }
    }
}
