import SmolText

/// Options for one ``VisionChat`` reply.
public struct ChatOptions: Sendable {
    public var maxTokens: Int
    public var sampling: SamplingOptions
    /// Generation ends once the reply ends with one of these (included in the reply).
    public var stopStrings: [String]
    /// Split images into tiles (transformers' default); false gives one tile per image.
    public var imageSplitting: Bool?
    /// Scale images' longest edge to this instead of the checkpoint's `size.longest_edge`.
    public var longestEdge: Int?
    /// Never scale small images up (opt-in; transformers always does).
    public var upscaleSmallImages: Bool
    /// The most image tokens one image may cost (opt-in).
    public var maxImageTokens: Int?
    /// Frames per second to sample from a video file instead of the checkpoint's `video_sampling.fps`.
    public var videoFramesPerSecond: Double?
    /// The most frames to take from a video file instead of `video_sampling.max_frames`.
    public var maxVideoFrames: Int?
    /// Bytes a video may use (pixels, features and KV cache of its frames); fewer frames are
    /// sampled when the checkpoint's frame count would exceed it. Nil: a quarter of the
    /// device's physical memory — what keeps a 64-frame video safe on a small phone.
    public var videoMemoryBudget: Int?

    public init(maxTokens: Int = 256, sampling: SamplingOptions = .greedy, stopStrings: [String] = [],
                imageSplitting: Bool? = nil, longestEdge: Int? = nil, upscaleSmallImages: Bool = true,
                maxImageTokens: Int? = nil, videoFramesPerSecond: Double? = nil, maxVideoFrames: Int? = nil,
                videoMemoryBudget: Int? = nil) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
        self.imageSplitting = imageSplitting
        self.longestEdge = longestEdge
        self.upscaleSmallImages = upscaleSmallImages
        self.maxImageTokens = maxImageTokens
        self.videoFramesPerSecond = videoFramesPerSecond
        self.maxVideoFrames = maxVideoFrames
        self.videoMemoryBudget = videoMemoryBudget
    }
}

/// A finished reply with its costs.
public struct ChatResponse: Sendable {
    public let text: String
    public let tokens: [Int]
    public let promptTokenCount: Int
    public let imageTokenCount: Int
    /// Prompt positions that had to be computed (the rest came from the KV cache).
    public let prefilledTokenCount: Int
    public let prefillSeconds: Double
    public let decodeSeconds: Double
}
