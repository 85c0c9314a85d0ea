import Foundation

extension Image {
    /// Decodes a PNG or JPEG held in memory exactly as transformers'
    /// `load_image` does with Pillow: EXIF orientation applied, then
    /// `convert("RGB")`, which drops alpha (use ``DecodedImage`` to keep it).
    /// The format comes from the magic bytes, never from a name.
    /// - Parameter pixelLimit: the most pixels to accept, checked against the
    ///   header before any pixel is decoded.
    /// - Throws: ``ImageError`` (see ``DecodedImage/init(data:pixelLimit:)``).
    public init(data: Data, pixelLimit: Int = Image.defaultPixelLimit) throws(ImageError) {
        self = try DecodedImage(data: data, pixelLimit: pixelLimit).rgb
    }

    /// Decodes the PNG or JPEG file at a file URL, as ``init(data:pixelLimit:)``.
    /// - Throws: also ``ImageError/fileNotFound(path:)`` and ``ImageError/unreadable(path:reason:)``.
    public init(contentsOf url: URL, pixelLimit: Int = Image.defaultPixelLimit) throws(ImageError) {
        self = try DecodedImage(contentsOf: url, pixelLimit: pixelLimit).rgb
    }
}
