import Foundation
import SmolTensor
import SmolText
import SmolVision

/// A conversation with a SmolVLM / SmolVLM2 model: ask about images in plain Swift.
///
/// The conversation keeps its KV cache between turns and reuses it for the
/// longest unchanged prefix of the prompt, and it keeps each image's features so
/// an image is encoded once however many turns mention it. An actor: calls from
/// concurrent tasks run one at a time; cancelling the calling task stops generation.
public actor VisionChat {
    public nonisolated let model: VisionLanguageModel
    private var history: [ChatMessage] = []
    private var historyImages: [Image] = []
    /// Videos of the conversation so far, processed and encoded once.
    private var historyVideos: [EncodedVideo] = []
    private var cache: KVCache
    /// The ids whose keys and values `cache` holds.
    private var cachedIDs: [Int] = []
    /// Connector outputs by image and processor settings.
    private var featureCache: [FeatureKey: Tensor] = [:]

    struct EncodedVideo {
        let video: ProcessedVideo
        let features: Tensor
    }

    struct FeatureKey: Hashable {
        let image: Image
        let splitting: Bool
        let longestEdge: Int
        let upscale: Bool
        let budget: Int?
    }

    /// Loads a model directory (Hugging Face layout) in `precision`
    /// (``ModelPrecision/reference``, float32 and matching transformers, by default).
    public init(directory: URL, precision: ModelPrecision = .reference) throws {
        self.init(model: try VisionLanguageModel(directory: directory, precision: precision))
    }

    /// A new conversation with a model that is already loaded: conversations share the
    /// model's weights but nothing else (history, KV cache, image features).
    public init(model: VisionLanguageModel) {
        self.model = model
        cache = KVCache(config: model.config.text, capacity: model.config.text.maxPositionEmbeddings)
    }

    /// Forgets the conversation (the model stays loaded).
    public func reset() {
        history = []
        historyImages = []
        historyVideos = []
        cachedIDs = []
        cache.truncate(to: 0)
    }

    /// Sends a user message and returns the whole reply.
    public func respond(to content: [ChatContent], options: ChatOptions = ChatOptions()) async throws -> ChatResponse {
        try run(content, options: options) { _ in }
    }

    /// Sends a user message and streams the reply's text as it is generated.
    public nonisolated func stream(_ content: [ChatContent], options: ChatOptions = ChatOptions()) -> AsyncThrowingStream<String, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    _ = try await self.run(content, options: options) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func run(_ content: [ChatContent], options: ChatOptions, emit: (String) -> Void) throws -> ChatResponse {
        var parts: [ContentPart] = []
        var images: [Image] = []
        var videoSources: [VideoSource] = []
        for item in content {
            switch item {
            case let .text(text): parts.append(.text(text))
            case let .image(source):
                parts.append(.image)
                images.append(try source.load())
            case let .video(source):
                parts.append(.video)
                videoSources.append(source)
            }
        }
        let messages = history + [ChatMessage(role: "user", content: parts)]
        let allImages = historyImages + images
        if !allImages.isEmpty && !(historyVideos.isEmpty && videoSources.isEmpty) {
            throw PipelineError.imagesAndVideosMixed
        }

        var processor = model.processorConfig
        if let split = options.imageSplitting { processor.doImageSplitting = split }
        if let edge = options.longestEdge { processor.longestEdge = edge }
        processor.upscaleSmallImages = options.upscaleSmallImages
        processor.maxImageTokens = options.maxImageTokens

        let clock = ContinuousClock()
        let start = clock.now
        let grids = allImages.map { ImageProcessor(config: processor).grid(for: $0) }
        let allVideos = try historyVideos + videoSources.map { try encodeVideo($0, options: options) }
        let prepared = try model.prepare(messages: messages, grids: grids, videos: allVideos.map(\.video))
        let features = allVideos.isEmpty
            ? try imageFeatures(allImages, processor: processor)
            : try Tensor.concatenate(allVideos.map(\.features), axis: 0)
        let ids = prepared.inputIDs
        guard ids.count + options.maxTokens <= cache.capacity else {
            throw GenerationError.promptTooLong(tokens: ids.count + options.maxTokens, limit: cache.capacity)
        }
        let embeddings = try model.inputEmbeddings(ids: ids, imageFeatures: features)

        // Reuse the cache for the longest prefix this prompt shares with what it holds;
        // at least the last prompt token is recomputed, for its logits.
        var shared = zip(cachedIDs, ids).prefix { $0 == $1 }.count
        shared = min(shared, ids.count - 1)
        cache.truncate(to: shared)
        let suffix = try embeddings.slice(axis: 0, start: shared, length: ids.count - shared)

        let request = GenerationRequest(maxTokens: options.maxTokens, sampling: options.sampling,
                                         stopTokenIDs: model.stopTokenIDs, stopStrings: options.stopStrings)
        var tokens: [Int] = []
        var firstToken: ContinuousClock.Instant? = nil
        _ = try model.decoder.generate(embeddings: suffix, promptIDs: ids, tokenizer: model.tokenizer,
                                       request: request, cache: &cache) { piece in
            if firstToken == nil { firstToken = clock.now }
            if Task.isCancelled { return false }
            tokens.append(piece.tokenID)
            if !piece.text.isEmpty { emit(piece.text) }
            return true
        }
        let end = clock.now
        // The cache now holds the prompt and the reply except the last token.
        cachedIDs = ids + tokens.dropLast()
        let reply = model.tokenizer.decode(tokens, skipSpecialTokens: true)
        history = messages + [ChatMessage(role: "assistant", content: [.text(reply)])]
        historyImages = allImages
        historyVideos = allVideos
        try Task.checkCancellation()
        let prefillEnd = firstToken ?? end
        return ChatResponse(
            text: reply, tokens: tokens, promptTokenCount: ids.count,
            imageTokenCount: prepared.imageTokenCount(model.imageTokenID), prefilledTokenCount: ids.count - shared,
            prefillSeconds: (prefillEnd - start).seconds, decodeSeconds: (end - prefillEnd).seconds)
    }

    /// Samples, processes and encodes a new video of the conversation.
    private func encodeVideo(_ source: VideoSource, options: ChatOptions) throws -> EncodedVideo {
        var config = try model.requireVideoConfig()
        let video: ProcessedVideo
        switch source {
        case let .file(url):
            if let fps = options.videoFramesPerSecond { config.sampling.framesPerSecond = fps }
            if let frames = options.maxVideoFrames { config.sampling.maxFrames = frames }
            let budget = options.videoMemoryBudget ?? Int(min(ProcessInfo.processInfo.physicalMemory / 4, UInt64(Int.max)))
            let affordable = max(1, budget / model.estimatedBytesPerVideoFrame())
            video = try model.processVideo(contentsOf: url, config: config, frameLimit: affordable)
        case let .frames(frames, times):
            let sampled = try times.map { try SampledVideo(frames: frames, times: $0) } ?? SampledVideo(frames: frames)
            video = try model.processVideo(sampled, config: config)
        }
        return EncodedVideo(video: video, features: try model.videoFeatures(video))
    }

    /// Features for every image, encoding only those not seen before with these settings.
    private func imageFeatures(_ images: [Image], processor: ImageProcessorConfig) throws -> Tensor? {
        guard !images.isEmpty else { return nil }
        var parts: [Tensor] = []
        for image in images {
            let key = FeatureKey(image: image, splitting: processor.doImageSplitting, longestEdge: processor.longestEdge,
                                 upscale: processor.upscaleSmallImages, budget: processor.maxImageTokens)
            if let cached = featureCache[key] {
                parts.append(cached)
                continue
            }
            let processed = try ImageProcessor(config: processor).process([[image]])
            let features = try model.imageFeatures(processed)
            featureCache[key] = features
            parts.append(features)
        }
        return try Tensor.concatenate(parts, axis: 0)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
