import Foundation
import SmolVision
import Testing

/// The pixel limit is checked against the header, before decoding, for both formats.
@Suite("Pixel limit")
struct PixelLimitTests {
    @Test(arguments: [("png_rgb8.png", 40, 28), ("jpeg_baseline_420.jpg", 61, 45), ("png_rgb8_adam7.png", 40, 28),
                      ("jpeg_progressive.jpg", 61, 45)])
    func limitIsInclusive(file: String, width: Int, height: Int) throws {
        let data = try Data(contentsOf: DecodeFixtures.url(file))
        let pixels = width * height
        #expect(throws: ImageError.tooManyPixels(width: width, height: height, limit: pixels - 1)) {
            try DecodedImage(data: data, pixelLimit: pixels - 1)
        }
        #expect(throws: ImageError.tooManyPixels(width: width, height: height, limit: pixels - 1)) {
            try Image(data: data, pixelLimit: pixels - 1)
        }
        let image = try Image(data: data, pixelLimit: pixels)
        #expect(image.width * image.height == pixels)
    }

    /// The limit applies to the stored size, which an orientation only transposes.
    @Test func orientedImagesReportTheStoredSize() throws {
        let url = try DecodeFixtures.url("jpeg_exif_orientation6.jpg")
        #expect(throws: ImageError.tooManyPixels(width: 40, height: 24, limit: 959)) {
            try Image(contentsOf: url, pixelLimit: 959)
        }
        let image = try Image(contentsOf: url, pixelLimit: 960)
        #expect((image.width, image.height) == (24, 40))
    }

    @Test func zeroAndNegativeLimitsRejectEverything() throws {
        let url = try DecodeFixtures.url("png_1x1.png")
        #expect(throws: ImageError.tooManyPixels(width: 1, height: 1, limit: 0)) { try Image(contentsOf: url, pixelLimit: 0) }
        #expect(throws: ImageError.tooManyPixels(width: 1, height: 1, limit: -5)) { try Image(contentsOf: url, pixelLimit: -5) }
        #expect(try Image(contentsOf: url, pixelLimit: 1).width == 1)
    }

    @Test func defaultIsPillowsLimit() throws {
        #expect(Image.defaultPixelLimit == 89_478_485)
        // A header just above the default, in a file of a few dozen bytes.
        let data = TestPNG.file(width: 89_478_486, height: 1, bitDepth: 1, colorType: 0, rows: [])
        #expect(throws: ImageError.tooManyPixels(width: 89_478_486, height: 1, limit: Image.defaultPixelLimit)) {
            try Image(data: data)
        }
    }

    /// A raised limit lets a large header through; the decoder then finds
    /// the data missing instead of trusting the header.
    @Test func raisedLimitStillNeedsTheData() throws {
        let data = TestPNG.file(width: 4000, height: 4000, bitDepth: 8, colorType: 0, rows: [[1, 2, 3]])
        #expect(throws: ImageError.truncated(format: .png)) { try Image(data: data, pixelLimit: 16_000_000) }
    }
}
