import Foundation

/// Errors from creating, decoding and processing images.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Width or height is zero or negative.
    case invalidDimensions(width: Int, height: Int)
    /// The pixel buffer does not hold `width × height × 3` bytes.
    case bufferSizeMismatch(expected: Int, actual: Int)
    /// More pixels than the configured limit (a decompression-bomb guard).
    case tooManyPixels(width: Int, height: Int, limit: Int)

    public var description: String {
        switch self {
        case let .invalidDimensions(width, height):
            return "invalid image dimensions \(width)×\(height)"
        case let .bufferSizeMismatch(expected, actual):
            return "RGB buffer holds \(actual) bytes, expected \(expected)"
        case let .tooManyPixels(width, height, limit):
            return "image of \(width)×\(height) pixels exceeds the limit of \(limit) pixels"
        }
    }
}

extension ImageError: LocalizedError {
    public var errorDescription: String? { description }
}
