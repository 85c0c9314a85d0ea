/// What a video file says about itself, read the way transformers' PyAV loader reads it.
public struct VideoMetadata: Sendable, Hashable {
    /// Where ``VideoMetadata/frameCount`` came from.
    public enum FrameCountSource: Sendable, Hashable {
        /// The container's stored frame count (MP4/MOV), which transformers uses.
        case container
        /// Counted from the stream's packets, for containers that store none (Matroska/WebM).
        /// transformers would see 0 frames there and sample only the first frame.
        case counted
    }

    public var width: Int
    public var height: Int
    /// Frames in the stream; sampling indices run over `0..<frameCount`.
    public var frameCount: Int
    public var frameCountSource: FrameCountSource
    /// The stream's average frame rate.
    public var framesPerSecond: Double
    /// `frameCount / framesPerSecond`, in seconds (0 when the rate is unknown).
    public var duration: Double
    /// FFmpeg's name of the codec ("h264", "vp9", …).
    public var codec: String

    /// - Parameter duration: defaults to `frameCount / framesPerSecond`.
    public init(
        width: Int, height: Int, frameCount: Int, frameCountSource: FrameCountSource = .container,
        framesPerSecond: Double, duration: Double? = nil, codec: String = ""
    ) {
        self.width = width
        self.height = height
        self.frameCount = frameCount
        self.frameCountSource = frameCountSource
        self.framesPerSecond = framesPerSecond
        self.duration = duration ?? (framesPerSecond > 0 ? Double(frameCount) / framesPerSecond : 0)
        self.codec = codec
    }
}
