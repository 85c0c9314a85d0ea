import Foundation

/// Errors from opening, decoding, sampling and processing videos.
public enum VideoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file at this path.
    case fileNotFound(path: String)
    /// The file exists but is not a video FFmpeg can open (unknown container, damaged header, truncated index).
    case unreadable(path: String, reason: String)
    /// The container holds no video stream (an audio-only file, say).
    case noVideoStream(path: String)
    /// The video stream uses a codec this FFmpeg build cannot decode.
    case unsupportedCodec(path: String, codec: String)
    /// The stream's data is damaged or cut short where a needed frame lies.
    case corrupt(path: String, reason: String)
    /// Frames are zero-sized or larger than the pixel limit.
    case invalidDimensions(width: Int, height: Int, limit: Int)
    /// Not one frame could be decoded.
    case noDecodableFrames(path: String)
    /// Frames given as images are unusable (none, or timestamps that do not match them).
    case invalidFrames(reason: String)
    /// Decoding ran out of memory.
    case outOfMemory(path: String)

    /// A one-line message naming what was wrong.
    public var description: String {
        switch self {
        case let .fileNotFound(path): return "no video file at \(path)"
        case let .unreadable(path, reason): return "cannot read video \(path): \(reason)"
        case let .noVideoStream(path): return "\(path) has no video stream"
        case let .unsupportedCodec(path, codec): return "\(path): no decoder for the \(codec) codec in this FFmpeg build"
        case let .corrupt(path, reason): return "\(path) is damaged: \(reason)"
        case let .invalidDimensions(width, height, limit):
            return "video frames of \(width)×\(height) pixels are empty or exceed the limit of \(limit) pixels"
        case let .noDecodableFrames(path): return "no frame of \(path) could be decoded"
        case let .invalidFrames(reason): return "invalid video frames: \(reason)"
        case let .outOfMemory(path): return "out of memory while decoding \(path)"
        }
    }
}
