import Foundation

/// A PNG or JPEG decoded as transformers' `load_image` decodes it with Pillow,
/// keeping the transparency that `load_image` drops.
///
/// `rgb` is `ImageOps.exif_transpose(image).convert("RGB")`: the EXIF
/// orientation applied and any alpha channel or tRNS transparency dropped (the
/// colour under a transparent pixel stays). ``compositedOverWhite()`` is what
/// the SmolVLM image processor feeds the model for a file with transparency.
public struct DecodedImage: Sendable, Equatable {
    /// The format the data was sniffed as.
    public let format: ImageFormat
    /// The colour, alpha dropped, in display orientation.
    public let rgb: Image
    /// One opacity byte per pixel of `rgb` (0 transparent, 255 opaque), in the
    /// same order; nil when the file has neither an alpha channel nor tRNS
    /// transparency (Pillow's test: an "A" band or a `transparency` entry).
    public let alpha: [UInt8]?
    /// The EXIF orientation that was undone, or nil when the image was used
    /// as stored.
    public let appliedOrientation: ExifOrientation?

    /// Width in display orientation.
    public var width: Int { rgb.width }
    /// Height in display orientation.
    public var height: Int { rgb.height }
    /// Whether the file carries transparency (``alpha`` is present).
    public var hasAlpha: Bool { alpha != nil }

    /// Decodes a PNG or JPEG held in memory; the format comes from the magic
    /// bytes, never from a name.
    /// - Parameter pixelLimit: the most pixels to accept, checked against the
    ///   header before any pixel is decoded (default: Pillow's
    ///   `Image.MAX_IMAGE_PIXELS`).
    /// - Throws: ``ImageError``: `.unsupportedFormat`, `.truncated`,
    ///   `.corrupt`, `.invalidDimensions`, `.tooManyPixels`,
    ///   `.unsupportedFeature` or `.outOfMemory`.
    public init(data: Data, pixelLimit: Int = Image.defaultPixelLimit) throws(ImageError) {
        let format = try ImageFormat.sniff(data)
        let decoded = data.withUnsafeBytes { bytes in
            Result { () throws(ImageError) in
                try NativeDecoder.decode(bytes, as: format, pixelLimit: pixelLimit) { raw throws(ImageError) in
                    (planes: try raw.pillowPlanes(), width: raw.width, height: raw.height,
                     orientation: raw.metadata.orientation)
                }
            }
        }
        let (planes, width, height, orientation) = try decoded.get()
        var displayWidth = width, displayHeight = height
        var rgb = planes.rgb, alpha = planes.alpha
        if let orientation {
            rgb = orientation.apply(to: rgb, width: width, height: height, channels: 3)
            alpha = alpha.map { orientation.apply(to: $0, width: width, height: height, channels: 1) }
            if orientation.swapsDimensions { swap(&displayWidth, &displayHeight) }
        }
        self.format = format
        self.rgb = Image(width: displayWidth, height: displayHeight, validatedPixels: rgb)
        self.alpha = alpha
        self.appliedOrientation = orientation
    }

    /// Decodes the PNG or JPEG file at a file URL (see ``init(data:pixelLimit:)``).
    /// - Throws: also ``ImageError/fileNotFound(path:)`` and ``ImageError/unreadable(path:reason:)``.
    public init(contentsOf url: URL, pixelLimit: Int = Image.defaultPixelLimit) throws(ImageError) {
        try self.init(data: ImageFileReading.contents(of: url), pixelLimit: pixelLimit)
    }

    /// The image over opaque white, as transformers' `convert_to_rgb` does
    /// before the SmolVLM processor resizes: `convert("RGBA")`, Pillow's
    /// `alpha_composite` onto white, `convert("RGB")`. Per channel that is
    /// `(c·a + 255·(255 − a) + 127) / 255`, rounded down. Returns `rgb`
    /// unchanged when there is no alpha.
    public func compositedOverWhite() -> Image {
        guard let alpha else { return rgb }
        var pixels = rgb.pixels
        for i in 0..<alpha.count {
            let opacity = Int(alpha[i])
            let white = 255 * (255 - opacity) + 127
            for c in 3 * i..<3 * i + 3 {
                pixels[c] = UInt8((Int(pixels[c]) * opacity + white) / 255)
            }
        }
        return Image(width: rgb.width, height: rgb.height, validatedPixels: pixels)
    }
}
