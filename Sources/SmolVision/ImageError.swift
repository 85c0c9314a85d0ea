import Foundation

/// Errors from creating, decoding and processing images.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Width or height is zero or negative (given, or stated by a file header).
    case invalidDimensions(width: Int, height: Int)
    /// The pixel buffer does not hold `width × height × 3` bytes.
    case bufferSizeMismatch(expected: Int, actual: Int)
    /// More pixels than the configured limit (a decompression-bomb guard).
    /// Decoders check it against the header, before reading any pixel data.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// No file at this path.
    case fileNotFound(path: String)
    /// The file exists but cannot be read (permissions, a directory, a non-file URL).
    case unreadable(path: String, reason: String)
    /// The data is neither PNG nor JPEG by its magic bytes. `detected` names
    /// another format when the bytes are recognisably one (GIF, BMP, …).
    case unsupportedFormat(detected: String?)
    /// A valid file using a feature the decoder does not handle (12-bit JPEG, …).
    case unsupportedFeature(format: ImageFormat, detail: String)
    /// The data ends before the image is complete. `format` is nil when there
    /// were too few bytes to tell (an empty file).
    case truncated(format: ImageFormat?)
    /// Structurally invalid data: a bad checksum, chunk, marker or compressed stream.
    case corrupt(format: ImageFormat, reason: String)
    /// The decoder could not allocate memory for an image within the pixel limit.
    case outOfMemory(format: ImageFormat)

    /// A one-line message naming what was wrong.
    public var description: String {
        switch self {
        case let .invalidDimensions(width, height):
            return "invalid image dimensions \(width)×\(height)"
        case let .bufferSizeMismatch(expected, actual):
            return "RGB buffer holds \(actual) bytes, expected \(expected)"
        case let .tooManyPixels(width, height, limit):
            return "image of \(width)×\(height) pixels exceeds the limit of \(limit) pixels"
        case let .fileNotFound(path):
            return "no image file at \(path)"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .unsupportedFormat(detected?):
            return "unsupported image format \(detected): only PNG and JPEG can be decoded"
        case .unsupportedFormat(nil):
            return "not a PNG or JPEG image (unrecognised leading bytes)"
        case let .unsupportedFeature(format, detail):
            return "unsupported \(format) feature: \(detail)"
        case let .truncated(format?):
            return "truncated \(format) data: it ends before the image is complete"
        case .truncated(nil):
            return "no image data: too few bytes to hold an image"
        case let .corrupt(format, reason):
            return "corrupt \(format) data: \(reason)"
        case let .outOfMemory(format):
            return "not enough memory to decode the \(format) image"
        }
    }
}

extension ImageError: LocalizedError {
    /// The same message as ``description``.
    public var errorDescription: String? { description }
}
