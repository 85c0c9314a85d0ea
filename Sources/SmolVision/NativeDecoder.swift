import CSmolCodecs

/// Samples and file facts from the C decoders (Sources/CSmolCodecs), before
/// any conversion. `samples` is only valid inside the closure given to
/// ``NativeDecoder/decode(_:as:pixelLimit:_:)``.
struct RawImage {
    let format: ImageFormat
    let width: Int
    let height: Int
    /// Samples per pixel.
    let channels: Int
    /// Bits per sample as stored; samples of up to 8 bits take one byte each
    /// (unscaled), 16-bit samples two bytes, big-endian.
    let bitDepth: Int
    let samples: UnsafeBufferPointer<UInt8>
    /// The PNG colour type (0, 2, 3, 4, 6); nil for a JPEG.
    let pngColorType: Int?
    /// RGB triples of a PNG palette.
    let palette: [UInt8]
    /// The raw payload of the PNG's last tRNS chunk, if any.
    let transparency: [UInt8]?
    let metadata: OrientationMetadata
}

/// Runs the C decoders and turns their status codes into ``ImageError``s.
enum NativeDecoder {
    static func decode<Result>(
        _ bytes: UnsafeRawBufferPointer, as format: ImageFormat, pixelLimit: Int,
        _ body: (RawImage) throws(ImageError) -> Result
    ) throws(ImageError) -> Result {
        let input = bytes.bindMemory(to: UInt8.self)
        guard let base = input.baseAddress, !input.isEmpty else { throw .truncated(format: format) }
        let limit = UInt64(max(0, pixelLimit))
        var image = smol_decoded_image()
        defer { smol_decoded_image_free(&image) }
        let status = switch format {
        case .png: smol_decode_png(base, input.count, limit, &image)
        case .jpeg: smol_decode_jpeg(base, input.count, limit, &image)
        }
        guard status == SMOL_CODEC_OK else {
            throw error(for: status, image: image, format: format, pixelLimit: pixelLimit)
        }
        let raw = RawImage(
            format: format,
            width: Int(image.width),
            height: Int(image.height),
            channels: Int(image.channels),
            bitDepth: Int(image.bit_depth),
            samples: UnsafeBufferPointer(start: image.samples, count: image.samples_size),
            pngColorType: image.png_color_type >= 0 ? Int(image.png_color_type) : nil,
            palette: withUnsafeBytes(of: image.palette) { Array($0.prefix(Int(image.palette_count) * 3)) },
            transparency: image.has_trns != 0 ? withUnsafeBytes(of: image.trns) { Array($0.prefix(Int(image.trns_size))) } : nil,
            metadata: OrientationMetadata(
                exif: copy(image.exif, count: image.exif_size),
                xmp: copy(image.xmp, count: image.xmp_size),
                exifProfileText: copy(image.exif_profile_text, count: image.exif_profile_text_size)))
        return try body(raw)
    }

    private static func copy(_ pointer: UnsafeMutablePointer<UInt8>?, count: Int) -> [UInt8]? {
        pointer.map { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    private static func error(
        for status: smol_codec_status, image: smol_decoded_image, format: ImageFormat, pixelLimit: Int
    ) -> ImageError {
        let message = withUnsafeBytes(of: image.message) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        switch status {
        case SMOL_CODEC_TRUNCATED:
            return .truncated(format: format)
        case SMOL_CODEC_INVALID_DIMENSIONS:
            return .invalidDimensions(width: Int(image.width), height: Int(image.height))
        case SMOL_CODEC_TOO_MANY_PIXELS:
            return .tooManyPixels(width: Int(image.width), height: Int(image.height), limit: pixelLimit)
        case SMOL_CODEC_UNSUPPORTED:
            return .unsupportedFeature(format: format, detail: message)
        case SMOL_CODEC_OUT_OF_MEMORY:
            return .outOfMemory(format: format)
        default:
            return .corrupt(format: format, reason: message.isEmpty ? "undecodable data" : message)
        }
    }
}
