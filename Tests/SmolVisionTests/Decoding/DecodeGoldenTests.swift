import Foundation
import SmolVision
import Testing

/// Every valid file in `Fixtures/decode` against Pillow's `load_image` output.
@Suite("Decoding matches Pillow")
struct DecodeGoldenTests {
    @Test func indexesLoad() throws {
        #expect(try DecodeFixtures.loadCases().count == 50)
        #expect(try DecodeFixtures.loadMalformedCases().count == 39)
    }

    @Test("rgb is byte-identical to load_image", arguments: DecodeFixtures.cases)
    func rgbMatches(_ testCase: DecodeCase) throws {
        let decoded = try DecodedImage(contentsOf: DecodeFixtures.url(testCase.file))
        let expected = try DecodeFixtures.expectedTensor("rgb", of: testCase)
        #expect(expected.shape == [testCase.size.height, testCase.size.width, 3])
        #expect([decoded.height, decoded.width, 3] == expected.shape)
        #expect(decoded.format.rawValue == testCase.container)
        let difference = DecodeFixtures.difference(decoded.rgb.pixels, expected.bytes)
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("orientation and transparency are found as Pillow finds them", arguments: DecodeFixtures.cases)
    func metadataMatches(_ testCase: DecodeCase) throws {
        let decoded = try DecodedImage(contentsOf: DecodeFixtures.url(testCase.file))
        #expect((decoded.appliedOrientation?.rawValue ?? 1) == testCase.orientation)
        #expect(decoded.hasAlpha == testCase.hasAlpha)
        if let alpha = decoded.alpha {
            #expect(alpha.count == decoded.width * decoded.height)
        }
    }

    @Test("compositing over white is byte-identical to convert_to_rgb",
          arguments: DecodeFixtures.cases.filter { $0.tensors.contains("rgb_over_white") })
    func compositeMatches(_ testCase: DecodeCase) throws {
        let decoded = try DecodedImage(contentsOf: DecodeFixtures.url(testCase.file))
        let expected = try DecodeFixtures.expectedTensor("rgb_over_white", of: testCase)
        let composited = decoded.compositedOverWhite()
        #expect([composited.height, composited.width, 3] == expected.shape)
        let difference = DecodeFixtures.difference(composited.pixels, expected.bytes)
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("Image(data:) and Image(contentsOf:) give the same rgb", arguments: DecodeFixtures.cases)
    func loadingPathsAgree(_ testCase: DecodeCase) throws {
        let url = try DecodeFixtures.url(testCase.file)
        let fromFile = try Image(contentsOf: url)
        let fromData = try Image(data: Data(contentsOf: url))
        #expect(fromFile == fromData)
        #expect(fromFile == (try DecodedImage(data: Data(contentsOf: url))).rgb)
    }

    /// Pillow clips 16-bit grey to 255 where libpng's strip_16 would keep the
    /// high byte; the goldens record both, and we follow Pillow.
    @Test(arguments: DecodeFixtures.cases("png_gray16", "png_gray16_low"))
    func sixteenBitGreyClipsLikePillow(_ testCase: DecodeCase) throws {
        let decoded = try DecodedImage(contentsOf: DecodeFixtures.url(testCase.file))
        let highBytes = try DecodeFixtures.expectedTensor("rgb_msb", of: testCase)
        #expect(decoded.rgb.pixels != highBytes.bytes)
    }
}
