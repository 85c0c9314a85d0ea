/// One decoded frame of a video.
public struct VideoFrame: Sendable, Hashable {
    /// Position in presentation order, from 0.
    public let index: Int
    /// Presentation time in seconds from the stream's start.
    public let time: Double
    public let image: Image

    public init(index: Int, time: Double, image: Image) {
        self.index = index
        self.time = time
        self.image = image
    }
}
