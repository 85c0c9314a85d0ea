import Foundation
import SmolVision

/// One piece of a user message for ``VisionChat``.
public enum ChatContent: Sendable {
    case text(String)
    case image(ImageSource)
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
