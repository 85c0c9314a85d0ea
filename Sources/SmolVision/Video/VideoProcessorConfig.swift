import Foundation
import SmolTensor

/// How SmolVLM2 turns a video into frames for the vision encoder: transformers'
/// `SmolVLMVideoProcessor` settings from `preprocessor_config.json` (`video_sampling`).
public struct VideoProcessorConfig: Sendable, Equatable {
    /// Frame rate, frame cap and end-skipping for sampling.
    public var sampling = VideoSampling()
    /// Each frame's longest edge is first resized to this: the file's `size.longest_edge` when it has
    /// one (transformers lets it override `video_sampling.video_size`), else `video_size`.
    public var longestEdge = 512
    /// Then each frame is squared to `tileSize × tileSize` (`max_image_size.longest_edge`); no splitting.
    public var tileSize = 512
    public var rescaleFactor = 1.0 / 255.0
    public var mean: [Double] = [0.5, 0.5, 0.5]
    public var std: [Double] = [0.5, 0.5, 0.5]

    public init() {}

    /// Reads a model directory's video settings: `video_preprocessor_config.json` when present,
    /// else the `video_sampling` block of `preprocessor_config.json`. Nil when neither describes
    /// video (SmolVLM v1 checkpoints).
    public init?(directory: URL) throws(ConfigError) {
        let dedicated = directory.appendingPathComponent("video_preprocessor_config.json")
        let shared = directory.appendingPathComponent("preprocessor_config.json")
        let file = FileManager.default.fileExists(atPath: dedicated.path) ? dedicated : shared
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let c = try JSONConfig(contentsOf: file)
        guard let videoSampling = try c.nested("video_sampling") else { return nil }
        try self.init(config: c, videoSampling: videoSampling)
    }

    package init(config c: JSONConfig, videoSampling v: JSONConfig) throws(ConfigError) {
        let fps = try v.double("fps", default: 1)
        guard fps > 0 else { throw v.invalid("fps", "must be positive") }
        sampling = VideoSampling(framesPerSecond: fps, maxFrames: try v.positiveInt("max_frames", default: 64))
        if let size = try v.nested("video_size") { longestEdge = try size.positiveInt("longest_edge", default: longestEdge) }
        // transformers' SmolVLMVideoProcessor replaces `video_size` by `size` when the file has both.
        if let size = try c.nested("size") { longestEdge = try size.positiveInt("longest_edge", default: longestEdge) }
        if let tile = try c.nested("max_image_size") { tileSize = try tile.positiveInt("longest_edge", default: tileSize) }
        rescaleFactor = try c.double("rescale_factor", default: rescaleFactor)
        guard rescaleFactor > 0 else { throw c.invalid("rescale_factor", "must be positive") }
        mean = try ImageProcessorConfig.triple(c, "image_mean", default: mean)
        std = try ImageProcessorConfig.triple(c, "image_std", default: std)
        guard std.allSatisfy({ $0 != 0 }) else { throw c.invalid("image_std", "must not contain 0") }
    }
}
