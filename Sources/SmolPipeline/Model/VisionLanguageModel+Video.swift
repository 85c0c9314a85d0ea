import Foundation
import SmolTensor
import SmolText
import SmolVision

extension VisionLanguageModel {
    /// The checkpoint's video settings, or ``PipelineError/videoUnsupported(directory:)``.
    public func requireVideoConfig() throws(PipelineError) -> VideoProcessorConfig {
        guard let videoConfig else { throw .videoUnsupported(directory: directory.path) }
        return videoConfig
    }

    /// Decodes, samples and processes a video file with the checkpoint's settings (or `config`).
    public func processVideo(contentsOf url: URL, config: VideoProcessorConfig? = nil, frameLimit: Int? = nil) throws -> ProcessedVideo {
        try VideoProcessor(config: config ?? requireVideoConfig()).process(contentsOf: url, frameLimit: frameLimit)
    }

    /// Processes frames the caller already holds.
    public func processVideo(_ video: SampledVideo, config: VideoProcessorConfig? = nil) throws -> ProcessedVideo {
        try VideoProcessor(config: config ?? requireVideoConfig()).process(video)
    }

    /// The connector's output for a video's frames: `[frames, S, textHidden]`.
    public func videoFeatures(_ video: ProcessedVideo) throws -> Tensor {
        try connectorFeatures(pixelValues: video.pixelValues, pixelAttentionMask: nil)
    }

    /// Bytes one more frame costs in a conversation: its pixels, its features and the KV cache of
    /// its prompt tokens (image tokens, the two markers and the `\nFrame from MM:SS:` text).
    public func estimatedBytesPerVideoFrame() -> Int {
        let tile = videoConfig?.tileSize ?? config.vision.imageSize
        let pixels = 3 * tile * tile * 4
        let tokens = config.imageSequenceLength + 10
        let features = config.imageSequenceLength * config.text.hiddenSize * 4
        let text = config.text
        let kvPerToken = 2 * text.layerCount * text.keyValueHeads * text.headDimension * 4
        return pixels + features + tokens * kvPerToken
    }
}

extension ChatMessage {
    /// Whether the content holds a part of this `"type"`.
    func hasPart(ofType type: String) -> Bool {
        guard case let .parts(parts)? = content else { return false }
        return parts.contains { $0.type == type }
    }
}
