import Foundation

/// The frames of a video the model will see, with the times the prompt states for them.
public struct SampledVideo: Sendable {
    public var frames: [Image]
    /// Seconds from the start for each frame.
    public var times: [Double]
    /// The whole video's length in seconds, as the prompt states it; nil takes the last frame's time.
    public var duration: Double?

    /// Frames with their times (ascending seconds) and, optionally, the video's length.
    public init(frames: [Image], times: [Double], duration: Double? = nil) throws(VideoError) {
        guard !frames.isEmpty else { throw .invalidFrames(reason: "a video needs at least one frame") }
        guard times.count == frames.count else {
            throw .invalidFrames(reason: "\(frames.count) frames but \(times.count) timestamps")
        }
        guard times.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw .invalidFrames(reason: "timestamps must be finite and not negative")
        }
        self.frames = frames
        self.times = times
        self.duration = duration
    }

    /// Frames without timestamps: as transformers does for pre-sampled frames without metadata,
    /// they are taken to be consecutive frames of a 24 fps video.
    public init(frames: [Image]) throws(VideoError) {
        try self.init(frames: frames, times: frames.indices.map { Double($0) / Self.assumedFramesPerSecond })
    }

    /// The rate transformers assumes for frames given without metadata.
    public static let assumedFramesPerSecond = 24.0

    /// The whole seconds the prompt's `H:MM:SS` shows: `int(duration)`, else `int(last time)`.
    public var wholeSeconds: Int { Int(duration ?? times.last ?? 0) }
}
