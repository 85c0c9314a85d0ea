import Foundation
import SmolVision

/// One piece of a user message for ``VisionChat``.
public enum ChatContent: Sendable {
    case text(String)
    case image(ImageSource)
    /// A video (SmolVLM2 checkpoints). A conversation holds images or videos, not both.
    case video(VideoSource)
}

/// Where a video comes from.
public enum VideoSource: Sendable {
    /// A video file FFmpeg can read (MP4, MOV, WebM, …), sampled with the checkpoint's settings
    /// and ``ChatOptions``' video options.
    case file(URL)
    /// Frames already chosen, in order, with their times in seconds (nil: consecutive frames of a
    /// 24 fps video, as transformers assumes). Taken as they are, without sampling.
    case frames([Image], times: [Double]? = nil)
}

/// Where an image comes from.
public enum ImageSource: Sendable {
    /// A PNG or JPEG file (EXIF orientation applied, alpha dropped, as transformers' `load_image`).
    case file(URL)
    /// PNG or JPEG bytes.
    case data(Data)
    /// An image already decoded.
    case decoded(Image)

    func load() throws -> Image {
        switch self {
        case let .file(url): return try Image(contentsOf: url)
        case let .data(data): return try Image(data: data)
        case let .decoded(image): return image
        }
    }
}
