import ArgumentParser
import Foundation
import SmolVLM

/// Generates a reply to a prompt or a conversation.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate text from a prompt or a conversation (greedy by default).")

    @Option(help: "A model directory, a .gguf file, or a Hub repository ORG/NAME[@revision].")
    var model: String

    @Option(help: "The mmproj file of a llama.cpp GGUF pair; --model is then the text .gguf.")
    var mmproj: String?

    @Option(help: "A user message; it is wrapped as one turn and the chat template applied.")
    var prompt: String?

    @Option(help: "A JSON file of messages in the Hugging Face shape (image parts: {\"type\":\"image\",\"path\":…}; video parts: {\"type\":\"video\",\"path\":…}).")
    var messages: String?

    @Option(name: .customLong("image"), help: "An image for --prompt (repeatable; vision-language models only).")
    var images: [String] = []

    @Flag(help: "One tile per image instead of splitting (vision-language models).")
    var noSplitting = false

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

    @OptionGroup var precision: PrecisionOption

    func validate() throws {
        guard (prompt == nil) != (messages == nil) else { throw ValidationError("give exactly one of --prompt and --messages") }
    }

    func run() async throws {
        if let mmproj {
            guard model.hasSuffix(".gguf") else { throw ValidationError("--mmproj goes with --model <text .gguf file>") }
            try runVisionLanguage(VisionLanguageModel(textGGUF: URL(fileURLWithPath: model), mmproj: URL(fileURLWithPath: mmproj),
                                                      precision: precision.value))
            return
        }
        let url = try await ModelArgument.resolve(model)
        if url.pathExtension != "gguf" {
            // A SmolVLM / SmolVLM2 directory, or a text model (whose model_type is not one of them).
            do {
                _ = try ModelConfig(contentsOf: url)
                try runVisionLanguage(VisionLanguageModel(directory: url, precision: precision.value))
                return
            } catch ConfigError.unsupportedModel {}
        }
        guard images.isEmpty else { throw ValidationError("--image needs a SmolVLM / SmolVLM2 model directory or --mmproj") }
        let loaded = try TextModel(path: url.path, precision: precision.value.decoder)
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
        try finish(promptIDs: promptIDs, tokens: tokens, tokenizer: loaded.tokenizer)
    }

    /// Generation with a SmolVLM / SmolVLM2 model: images come from `--image` or the
    /// messages' image parts, videos from their video parts (`path`, relative to the working directory).
    func runVisionLanguage(_ vlm: VisionLanguageModel) throws {
        var conversation: [ChatMessage]
        var paths: [URL] = []
        var videoPaths: [URL] = []
        if let prompt {
            paths = images.map { URL(fileURLWithPath: $0) }
            conversation = [ChatMessage(role: "user", content: Array(repeating: ContentPart.image, count: images.count) + [.text(prompt)])]
        } else {
            let file = URL(fileURLWithPath: messages!)
            conversation = try ChatMessage.conversation(contentsOf: file)
            for message in conversation {
                guard case let .parts(parts)? = message.content else { continue }
                for part in parts where part.type == "image" || part.type == "video" {
                    guard let location = part.location else { throw ValidationError("an \(part.type ?? "image") part has no path") }
                    if part.type == "video" {
                        videoPaths.append(URL(fileURLWithPath: location))
                    } else {
                        paths.append(URL(fileURLWithPath: location))
                    }
                }
            }
        }
        let loadedImages = try paths.map { try Image(contentsOf: $0) }
        var processor = vlm.processorConfig
        if noSplitting { processor.doImageSplitting = false }
        if !videoPaths.isEmpty && !paths.isEmpty { throw PipelineError.imagesAndVideosMixed }
        let videos = try videoPaths.map { try vlm.processVideo(contentsOf: $0) }
        let prepared = videos.isEmpty
            ? try vlm.prepare(messages: conversation, images: loadedImages, processor: processor)
            : try vlm.prepare(messages: conversation, grids: [], videos: videos)
        let features = videos.isEmpty
            ? try prepared.images.map { try vlm.imageFeatures($0) }
            : try Tensor.concatenate(videos.map { try vlm.videoFeatures($0) }, axis: 0)
        let embeddings = try vlm.inputEmbeddings(ids: prepared.inputIDs, imageFeatures: features)
        let request = GenerationRequest(
            maxTokens: maxTokens,
            sampling: SamplingOptions(temperature: temperature, topK: topK, topP: topP, seed: seed),
            stopTokenIDs: vlm.stopTokenIDs)
        var cache = KVCache(config: vlm.decoder.config, capacity: min(vlm.decoder.config.maxPositionEmbeddings, prepared.inputIDs.count + maxTokens))
        var tokens: [Int] = []
        let output = FileHandle.standardOutput
        _ = try vlm.decoder.generate(embeddings: embeddings, promptIDs: prepared.inputIDs, tokenizer: vlm.tokenizer,
                                     request: request, cache: &cache) { piece in
            tokens.append(piece.tokenID)
            if !json { output.write(Data(piece.text.utf8)) }
            return true
        }
        try finish(promptIDs: prepared.inputIDs, tokens: tokens, tokenizer: vlm.tokenizer)
    }

    func finish(promptIDs: [Int], tokens: [Int], tokenizer: Tokenizer) throws {
        guard json else { print(""); return }
        let object: [String: Any] = [
            "prompt_tokens": promptIDs, "tokens": tokens,
            "text": tokenizer.decode(tokens, skipSpecialTokens: true),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }
}
