import Foundation
import SmolVision
import Testing

/// Pillow behaviour the goldens do not reach, on small PNGs written by the
/// test. Each expectation follows Pillow's code, cited per test.
@Suite("Pillow's mode conversions beyond the goldens")
struct PillowModeTests {
    private func decode(_ bitDepth: UInt8, _ colorType: UInt8, width: Int, samples: [Int], sampleBits: Int? = nil,
                        before: [(String, [UInt8])] = []) throws -> DecodedImage {
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(colorType)] ?? 1
        let rowLength = width * channels
        let rows = stride(from: 0, to: samples.count, by: rowLength).map {
            TestPNG.pack(Array(samples[$0..<$0 + rowLength]), bitDepth: sampleBits ?? Int(bitDepth))
        }
        return try DecodedImage(data: TestPNG.file(
            width: width, height: rows.count, bitDepth: bitDepth, colorType: colorType, rows: rows, before: before))
    }

    private func greys(_ image: DecodedImage) -> [UInt8] {
        stride(from: 0, to: image.rgb.pixels.count, by: 3).map { image.rgb.pixels[$0] }
    }

    /// PngImagePlugin `chunk_tRNS` stores the raw key for mode L; Convert.c
    /// compares it with the *scaled* 2-bit level, so key 2 matches nothing.
    @Test func twoBitGreyKeyIsComparedUnscaled() throws {
        let image = try decode(2, 0, width: 4, samples: [0, 1, 2, 3], before: [("tRNS", [0, 2])])
        #expect(greys(image) == [0, 85, 170, 255])
        #expect(image.alpha == [255, 255, 255, 255])
        let matching = try decode(2, 0, width: 4, samples: [0, 1, 2, 3], before: [("tRNS", [0, 0])])
        #expect(matching.alpha == [0, 255, 255, 255])
    }

    /// Mode "1": any non-zero key becomes 255 (`chunk_tRNS`).
    @Test func oneBitKeyMeansWhite() throws {
        let image = try decode(1, 0, width: 3, samples: [1, 0, 1], before: [("tRNS", [0, 1])])
        #expect(greys(image) == [255, 0, 255])
        #expect(image.alpha == [0, 255, 0])
    }

    /// Mode I;16: RGB clips at 255 (`I16_RGB`), and the key is masked to its
    /// low byte (`rgbT2a`) before comparing with the clipped value.
    @Test func sixteenBitGreyClipsAndMasksTheKey() throws {
        let image = try decode(16, 0, width: 4, samples: [0x0032, 0x0132, 0x00FF, 0xFFFF], before: [("tRNS", [0x01, 0x32])])
        #expect(greys(image) == [0x32, 255, 255, 255])
        #expect(image.alpha == [0, 255, 255, 255])
    }

    /// 16-bit RGB keeps high bytes; the key's low bytes are compared with them.
    @Test func sixteenBitRGBKeyUsesLowBytes() throws {
        let image = try decode(16, 2, width: 2, samples: [0x1011, 0x2021, 0x3031, 0x0510, 0x0620, 0x0730],
                               before: [("tRNS", [0xAA, 0x10, 0xBB, 0x20, 0xCC, 0x30])])
        #expect(image.rgb.pixels == [0x10, 0x20, 0x30, 0x05, 0x06, 0x07])
        #expect(image.alpha == [0, 255])
    }

    /// Indices past the palette are black (the palette is zero-filled);
    /// entries past a short tRNS are opaque.
    @Test func paletteEdges() throws {
        let palette: [UInt8] = [10, 20, 30, 40, 50, 60]
        let image = try decode(8, 3, width: 3, samples: [0, 1, 7], before: [("PLTE", palette), ("tRNS", [128])])
        #expect(image.rgb.pixels == [10, 20, 30, 40, 50, 60, 0, 0, 0])
        #expect(image.alpha == [128, 255, 255])
        let opaque = try decode(8, 3, width: 2, samples: [1, 0], before: [("PLTE", palette)])
        #expect(opaque.alpha == nil)
        #expect(opaque.compositedOverWhite() == opaque.rgb)
    }

    /// Sub-byte palette indices are not scaled.
    @Test func fourBitPaletteIndices() throws {
        let palette: [UInt8] = (0..<16).flatMap { [UInt8($0), UInt8($0 * 2), UInt8($0 * 3)] }
        let image = try decode(4, 3, width: 3, samples: [15, 0, 9], before: [("PLTE", palette)])
        #expect(image.rgb.pixels == [15, 30, 45, 0, 0, 0, 9, 18, 27])
    }

    /// 16-bit grey + alpha opens as RGBA with the high bytes (`LA;16B`).
    @Test func sixteenBitGreyAlphaKeepsHighBytes() throws {
        let image = try decode(16, 4, width: 2, samples: [0x12FF, 0x80FF, 0xFF00, 0x0001])
        #expect(image.rgb.pixels == [0x12, 0x12, 0x12, 0xFF, 0xFF, 0xFF])
        #expect(image.alpha == [0x80, 0x00])
    }
}

/// `compositedOverWhite` against Pillow's own fixed-point `alpha_composite`.
@Suite("Alpha compositing over white")
struct AlphaCompositeTests {
    /// Pillow's integer algorithm (src/libImaging/AlphaComposite.c) with an
    /// opaque white destination, written out step by step: blend factors with
    /// 7 extra bits, then a rounded division by 255 done with shifts.
    static func pillowOverWhite(colour: Int, alpha: Int) -> UInt8 {
        if alpha == 0 { return 255 }
        let precision = 7
        let outAlpha255 = alpha * 255 + 255 * (255 - alpha)
        let sourceWeight = alpha * 255 * 255 * (1 << precision) / outAlpha255
        let whiteWeight = 255 * (1 << precision) - sourceWeight
        let sum = colour * sourceWeight + 255 * whiteWeight + (0x80 << precision)
        return UInt8((((sum >> 8) + sum) >> 8) >> precision)
    }

    /// All 65,536 (colour, alpha) pairs: a 256×256 RGBA PNG with colour = x, alpha = y.
    @Test func everyColourAndAlpha() throws {
        let rows = (0..<256).map { alpha in (0..<256).flatMap { [UInt8($0), UInt8($0), UInt8($0), UInt8(alpha)] } }
        let image = try DecodedImage(data: TestPNG.file(width: 256, height: 256, bitDepth: 8, colorType: 6, rows: rows))
        let composited = image.compositedOverWhite()
        var mismatches = 0
        for alpha in 0..<256 {
            for colour in 0..<256 where composited[colour, alpha].red != Self.pillowOverWhite(colour: colour, alpha: alpha) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(image.rgb[200, 0] == (200, 200, 200)) // alpha dropped, colour kept
    }

    @Test func opaqueImagesAreUnchanged() throws {
        let image = try DecodedImage(contentsOf: DecodeFixtures.url("png_rgb8.png"))
        #expect(!image.hasAlpha)
        #expect(image.compositedOverWhite() == image.rgb)
    }
}
