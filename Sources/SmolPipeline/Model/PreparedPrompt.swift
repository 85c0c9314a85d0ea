import SmolTensor
import SmolText
import SmolVision

/// A conversation made ready for the model: the expanded prompt's ids and the
/// processed images.
public struct PreparedPrompt: Sendable {
    /// The rendered chat template with every image placeholder expanded.
    public let text: String
    public let inputIDs: [Int]
    /// Nil for a text-only prompt.
    public let images: ProcessedImages?
    /// The videos, in prompt order.
    public var videos: [ProcessedVideo] = []

    /// Number of `<image>` tokens in the prompt.
    public func imageTokenCount(_ imageTokenID: Int) -> Int { inputIDs.lazy.filter { $0 == imageTokenID }.count }
}

extension VisionLanguageModel {
    /// Renders `messages` with the chat template, processes `images` (one per image
    /// part, in order), expands each `<image>` placeholder, and tokenizes once.
    public func prepare(
        messages: [ChatMessage], images: [Image], addGenerationPrompt: Bool = true,
        processor: ImageProcessorConfig? = nil
    ) throws -> PreparedPrompt {
        guard !images.isEmpty else { return try prepare(messages: messages, grids: [], addGenerationPrompt: addGenerationPrompt) }
        let processed = try ImageProcessor(config: processor ?? processorConfig).process([images])
        let prompt = try prepare(messages: messages, grids: processed.grids[0], addGenerationPrompt: addGenerationPrompt)
        return PreparedPrompt(text: prompt.text, inputIDs: prompt.inputIDs, images: processed)
    }

    /// The prompt for `messages` whose images have the given grids and whose video parts are
    /// `videos` (no image pixels are processed: for callers that already hold the images' features).
    ///
    /// A conversation with a video part is rendered with transformers' video chat template
    /// (``VideoPromptTokens/chatTemplateSource``), as its SmolVLM processor does.
    public func prepare(
        messages: [ChatMessage], grids: [(rows: Int, cols: Int)], videos: [ProcessedVideo] = [],
        addGenerationPrompt: Bool = true
    ) throws -> PreparedPrompt {
        let hasVideo = messages.contains { $0.hasPart(ofType: "video") }
        if hasVideo {
            guard videoConfig != nil else { throw PipelineError.videoUnsupported(directory: directory.path) }
            guard grids.isEmpty else { throw PipelineError.imagesAndVideosMixed }
        }
        let context = tokenizer.specialTokenStrings.mapValues { TemplateValue.string($0) }
        let template = hasVideo ? videoChatTemplate : chatTemplate
        let rendered = try template.render(messages: messages, addGenerationPrompt: addGenerationPrompt,
                                           additionalContext: context)
        var text = try promptTokens.expand(rendered, grids: grids)
        if hasVideo || !videos.isEmpty { text = try videoPromptTokens.expand(text, videos: videos) }
        var prompt = PreparedPrompt(text: text, inputIDs: tokenizer.encode(text), images: nil)
        prompt.videos = videos
        return prompt
    }

    /// The connector's output for processed images: `[frames, S, textHidden]`.
    public func imageFeatures(_ images: ProcessedImages) throws -> Tensor {
        try connectorFeatures(pixelValues: images.pixelValues, pixelAttentionMask: images.pixelAttentionMask)
    }

    /// Token embeddings with image feature rows written at the `<image>` positions,
    /// in order (transformers' `inputs_merger`).
    public func inputEmbeddings(ids: [Int], imageFeatures: Tensor?) throws -> Tensor {
        var embeddings = try decoder.embed(ids)
        let positions = ids.indices.filter { ids[$0] == imageTokenID }
        let hidden = config.text.hiddenSize
        let rows = imageFeatures.map { $0.count / hidden } ?? 0
        guard positions.count == rows else {
            throw PipelineError.featureCountMismatch(imageTokens: positions.count, features: rows)
        }
        guard let imageFeatures else { return embeddings }
        let features = try imageFeatures.asFloat32()
        embeddings.withUnsafeMutableFloats { out in
            features.withUnsafeFloats { rowsIn in
                for (k, position) in positions.enumerated() {
                    for j in 0..<hidden { out[position * hidden + j] = rowsIn[k * hidden + j] }
                }
            }
        }
        return embeddings
    }
}
