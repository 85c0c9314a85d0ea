/// Which frames of a video the model sees: transformers' `SmolVLMVideoProcessor.sample_frames`.
public struct VideoSampling: Sendable, Hashable {
    /// Frames to take per second of video (`video_sampling.fps`, 1 for SmolVLM2).
    public var framesPerSecond: Double
    /// At most this many frames (`video_sampling.max_frames`, 64 for SmolVLM2).
    public var maxFrames: Int
    /// Seconds skipped at both ends when the video is much longer than `maxFrames / framesPerSecond`.
    public var skipSeconds: Double

    public init(framesPerSecond: Double = 1, maxFrames: Int = 64, skipSeconds: Double = 1) {
        self.framesPerSecond = framesPerSecond
        self.maxFrames = maxFrames
        self.skipSeconds = skipSeconds
    }

    /// Sorted, distinct frame indices to decode.
    public func frameIndices(for metadata: VideoMetadata) -> [Int] {
        let total = metadata.frameCount
        let estimated = Int((framesPerSecond * metadata.duration).rounded(.toNearestOrEven))
        let desired = max(1, min(estimated, maxFrames))
        var start = 0
        var end = total - 1
        if skipSeconds > 0, metadata.duration - 2 * skipSeconds > Double(maxFrames) * framesPerSecond {
            start = Int(skipSeconds * metadata.framesPerSecond)
            end = Int(Double(total) - skipSeconds * metadata.framesPerSecond)
        }
        start = max(0, start)
        end = min(end, total - 1)
        if start >= end { (start, end) = (0, total - 1) }
        return Array(Set(Self.linspace(start, end, count: desired))).sorted()
    }

    /// numpy's `linspace(start, end, count).astype(int)`: float64 steps, the last point exactly
    /// `end`, truncated toward zero.
    static func linspace(_ start: Int, _ end: Int, count: Int) -> [Int] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = Double(end - start) / Double(count - 1)
        var values = (0..<count).map { Int(Double($0) * step + Double(start)) }
        values[count - 1] = end
        return values
    }
}
