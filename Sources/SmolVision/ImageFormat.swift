/// The encoded image formats SmolVision decodes.
public enum ImageFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// PNG, decoded with libpng (signature `89 50 4E 47 0D 0A 1A 0A`).
    case png
    /// JPEG, decoded with libjpeg(-turbo) (signature `FF D8 FF`).
    case jpeg

    /// The format's usual name, for messages.
    public var description: String {
        switch self {
        case .png: "PNG"
        case .jpeg: "JPEG"
        }
    }

    /// The leading bytes that identify the format (what Pillow checks too).
    var signature: [UInt8] {
        switch self {
        case .png: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        case .jpeg: [0xFF, 0xD8, 0xFF]
        }
    }

    /// The format of `bytes`, judged only by its magic bytes (never by a file name).
    ///
    /// - Throws: ``ImageError/truncated(format:)`` when `bytes` is a proper
    ///   prefix of a signature (including empty data), and
    ///   ``ImageError/unsupportedFormat(detected:)`` otherwise.
    static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(ImageError) -> ImageFormat {
        for format in allCases where bytes.starts(with: format.signature) {
            return format
        }
        if bytes.isEmpty { throw .truncated(format: nil) }
        for format in allCases where format.signature.starts(with: bytes) {
            throw .truncated(format: format)
        }
        throw .unsupportedFormat(detected: otherFormatName(bytes))
    }

    /// The name of a well-known image format that `bytes` starts with, for
    /// the error message.
    private static func otherFormatName<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
        let head = Array(bytes.prefix(12))
        func starts(_ text: String, at offset: Int = 0) -> Bool {
            let expected = Array(text.utf8)
            return head.count >= offset + expected.count && Array(head[offset..<offset + expected.count]) == expected
        }
        if starts("GIF87a") || starts("GIF89a") { return "GIF" }
        if starts("RIFF") && starts("WEBP", at: 8) { return "WebP" }
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF" }
        if starts("ftyp", at: 4) { return "HEIF/AVIF" }
        if starts("BM") { return "BMP" }
        if starts("qoif") { return "QOI" }
        return nil
    }
}
