import SmolTensor

/// A video ready for the vision encoder and the prompt.
public struct ProcessedVideo: Sendable {
    /// `[frames, 3, S, S]` float32, rescaled and normalised.
    public let pixelValues: Tensor
    /// Seconds from the start of each frame.
    public let times: [Double]
    /// Whole seconds of the video, for the prompt's duration.
    public let wholeSeconds: Int

    public var frameCount: Int { times.count }
}
