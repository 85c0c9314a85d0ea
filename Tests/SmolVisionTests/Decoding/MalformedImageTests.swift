import Foundation
import SmolVision
import Testing

/// The category names of `Fixtures/decode/malformed/cases.json`.
func category(of error: ImageError) -> String {
    switch error {
    case .truncated: "truncated"
    case .corrupt: "corrupt"
    case .invalidDimensions: "invalidDimensions"
    case .tooManyPixels: "tooManyPixels"
    case .unsupportedFormat: "unsupportedFormat"
    case .unsupportedFeature: "unsupportedFeature"
    case .fileNotFound: "fileNotFound"
    case .unreadable: "unreadable"
    case .bufferSizeMismatch: "bufferSizeMismatch"
    case .outOfMemory: "outOfMemory"
    }
}

/// Each malformed file must fail with its own error, never crash or hang.
@Suite("Malformed files")
struct MalformedImageTests {
    @Test("fails with the error of its category", arguments: DecodeFixtures.malformedCases)
    func failsWithItsCategory(_ testCase: MalformedCase) throws {
        let data = try Data(contentsOf: DecodeFixtures.malformedURL(testCase.file))
        let error = #expect(throws: ImageError.self, "\(testCase.description)") {
            try DecodedImage(data: data)
        }
        if let error {
            #expect(category(of: error) == testCase.category, "\(error)")
            #expect(!error.description.isEmpty)
        }
    }

    /// The exact error, where the file fixes every associated value.
    static let exactErrors: [(file: String, error: ImageError)] = [
        ("empty.png", .truncated(format: nil)),
        ("png_truncated_in_signature.png", .truncated(format: .png)),
        ("png_signature_only.png", .truncated(format: .png)),
        ("png_truncated_in_ihdr.png", .truncated(format: .png)),
        ("png_truncated_after_ihdr.png", .truncated(format: .png)),
        ("png_truncated_mid_idat.png", .truncated(format: .png)),
        ("png_missing_iend.png", .truncated(format: .png)),
        ("png_idat_too_short.png", .truncated(format: .png)),
        ("jpeg_soi_only.jpg", .truncated(format: .jpeg)),
        ("jpeg_header_only.jpg", .truncated(format: .jpeg)),
        ("jpeg_truncated_half_scan.jpg", .truncated(format: .jpeg)),
        ("jpeg_missing_eoi.jpg", .truncated(format: .jpeg)),
        ("jpeg_progressive_first_scan_only.jpg", .truncated(format: .jpeg)),
        ("png_zero_width.png", .invalidDimensions(width: 0, height: 24)),
        ("png_zero_height.png", .invalidDimensions(width: 32, height: 0)),
        ("jpeg_sof_zero_height.jpg", .invalidDimensions(width: 32, height: 0)),
        ("jpeg_sof_zero_width.jpg", .invalidDimensions(width: 0, height: 24)),
        ("png_huge_100000x100000.png", .tooManyPixels(width: 100_000, height: 100_000, limit: Image.defaultPixelLimit)),
        ("jpeg_huge_65500x65500.jpg", .tooManyPixels(width: 65_500, height: 65_500, limit: Image.defaultPixelLimit)),
        ("png_text_file.png", .unsupportedFormat(detected: nil)),
        ("random_bytes.bin", .unsupportedFormat(detected: nil)),
        ("format_gif.gif", .unsupportedFormat(detected: "GIF")),
        ("format_gif_named_png.png", .unsupportedFormat(detected: "GIF")),
        ("format_bmp.bmp", .unsupportedFormat(detected: "BMP")),
        ("format_webp.webp", .unsupportedFormat(detected: "WebP")),
        ("format_tiff.tif", .unsupportedFormat(detected: "TIFF")),
    ]

    @Test("fails with exactly this error", arguments: exactErrors)
    func failsExactly(_ file: String, _ expected: ImageError) throws {
        let url = try DecodeFixtures.malformedURL(file)
        #expect(throws: expected) { try DecodedImage(contentsOf: url) }
        #expect(throws: expected) { try Image(contentsOf: url) }
    }

    /// Corrupt files name their format and say what libpng or libjpeg found.
    static let corruptFiles: [(file: String, format: ImageFormat, reason: String)] = [
        ("png_bad_crc_ihdr.png", .png, "CRC error"),
        ("png_bad_crc_idat.png", .png, "CRC error"),
        ("png_bad_chunk_length.png", .png, "out of range"),
        ("png_empty_idat.png", .png, "no image data"),
        ("png_idat_not_zlib.png", .png, "incorrect header check"),
        ("png_bad_filter_type.png", .png, "filter"),
        ("png_bad_color_type.png", .png, "IHDR"),
        ("png_bad_bit_depth.png", .png, "IHDR"),
        ("png_bad_interlace.png", .png, "IHDR"),
        ("png_palette_without_plte.png", .png, "PLTE"),
        ("jpeg_bad_marker.jpg", .jpeg, "marker"),
        ("jpeg_bad_huffman_table.jpg", .jpeg, "Huffman"),
        ("jpeg_no_sof.jpg", .jpeg, "SOS before SOF"),
    ]

    @Test("corrupt files report their format and a reason", arguments: corruptFiles)
    func corruptReason(_ file: String, _ format: ImageFormat, _ reason: String) throws {
        let data = try Data(contentsOf: DecodeFixtures.malformedURL(file))
        let error = #expect(throws: ImageError.self) { try DecodedImage(data: data) }
        guard case let .corrupt(actualFormat, actualReason)? = error else {
            Issue.record("expected .corrupt, got \(String(describing: error))")
            return
        }
        #expect(actualFormat == format)
        #expect(actualReason.localizedCaseInsensitiveContains(reason), "\(actualReason)")
    }

    /// A 12-bit JPEG is valid but beyond the 8-bit libjpeg (Pillow rejects it too).
    @Test func twelveBitJPEGIsUnsupported() throws {
        var bytes = try Array(Data(contentsOf: DecodeFixtures.url("jpeg_baseline_420.jpg")))
        let sof = try #require(bytes.indices.dropLast().first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 4] = 12 // the sample precision, after marker and length
        #expect(throws: ImageError.unsupportedFeature(format: .jpeg, detail: "Unsupported JPEG data precision 12")) {
            try Image(data: Data(bytes))
        }
    }

    /// Thousands of repeated scans would each cost a pass over the image;
    /// the decoder stops after 1000.
    @Test func endlessProgressiveScansAreRejected() throws {
        let bytes = try Array(Data(contentsOf: DecodeFixtures.url("jpeg_progressive.jpg")))
        let lastScan = try #require(bytes.indices.dropLast().last { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        let end = try #require(bytes.indices.dropLast().last { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xD9 })
        let scan = bytes[lastScan..<end]
        let repeated = Array(bytes[..<end]) + Array(repeating: scan, count: 1000).flatMap { $0 } + [0xFF, 0xD9]
        #expect(throws: ImageError.corrupt(format: .jpeg, reason: "more than 1000 scans")) {
            try Image(data: Data(repeated))
        }
        // Repeating it a few times only makes libjpeg warn, as it would for Pillow.
        let few = Array(bytes[..<end]) + Array(repeating: scan, count: 5).flatMap { $0 } + [0xFF, 0xD9]
        #expect(try Image(data: Data(few)).width == 61)
    }
}
