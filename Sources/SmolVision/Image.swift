/// An 8-bit RGB image: `height` rows of `width` interleaved R, G, B bytes.
public struct Image: Sendable, Hashable {
    /// Pillow's default decompression-bomb limit (`Image.MAX_IMAGE_PIXELS`).
    public static let defaultPixelLimit = 89_478_485

    public let width: Int
    public let height: Int
    /// Row-major interleaved RGB, `width × height × 3` bytes.
    public let pixels: [UInt8]

    /// An image over a raw RGB buffer.
    /// - Throws: ``ImageError`` for non-positive sizes, a buffer of the wrong
    ///   length, or more than `pixelLimit` pixels.
    public init(width: Int, height: Int, rgb pixels: [UInt8], pixelLimit: Int = Image.defaultPixelLimit) throws(ImageError) {
        guard width > 0, height > 0 else { throw .invalidDimensions(width: width, height: height) }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, count <= pixelLimit else {
            throw .tooManyPixels(width: width, height: height, limit: pixelLimit)
        }
        guard pixels.count == count * 3 else {
            throw .bufferSizeMismatch(expected: count * 3, actual: pixels.count)
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image over a buffer the caller has already validated.
    init(width: Int, height: Int, validatedPixels pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "invalid image buffer")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The R, G, B bytes at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}

extension Image {
    /// An image over a buffer whose size the caller has already checked.
    init(validatedWidth width: Int, height: Int, rgb pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
