import Foundation
import SmolVision
import Testing

/// Orientation metadata in the places Pillow looks for it, through the real
/// decoders: the goldens cover a JPEG APP1 EXIF block and a PNG eXIf before IDAT.
@Suite("Orientation inside PNG and JPEG files")
struct EmbeddedOrientationTests {
    /// A 3×2 RGB PNG with distinct pixels and extra chunks.
    private func png(before: [(String, [UInt8])] = [], after: [(String, [UInt8])] = []) -> Data {
        let rows = [Array(1...9).map(UInt8.init), Array(11...19).map(UInt8.init)]
        return TestPNG.file(width: 3, height: 2, bitDepth: 8, colorType: 2, rows: rows, before: before, after: after)
    }

    private func oriented(_ data: Data) throws -> (orientation: Int, width: Int, height: Int) {
        let image = try DecodedImage(data: data)
        return (image.appliedOrientation?.rawValue ?? 1, image.width, image.height)
    }

    @Test func pngEXIfAfterTheImageData() throws {
        let exif = TestExif.block([TestExif.short(6)], exifHeader: false)
        let result = try oriented(png(after: [("eXIf", exif)]))
        #expect(result == (6, 2, 3))
    }

    @Test func lastPNGEXIfWins() throws {
        let first = TestExif.block([TestExif.short(6)], exifHeader: false)
        let second = TestExif.block([TestExif.short(3)], exifHeader: false)
        #expect(try oriented(png(before: [("eXIf", first)], after: [("eXIf", second)])) == (3, 3, 2))
    }

    @Test func pngXMPText() throws {
        let packet = Array("XML:com.adobe.xmp".utf8) + [0] + Array(#"<x:xmpmeta tiff:Orientation="8"/>"#.utf8)
        #expect(try oriented(png(before: [("tEXt", packet)])) == (8, 2, 3))
        // iTXt: keyword, compression flag and method, language, translated keyword, text.
        let international = Array("XML:com.adobe.xmp".utf8) + [0, 0, 0, 0, 0]
            + Array("<tiff:Orientation>5</tiff:Orientation>".utf8)
        #expect(try oriented(png(after: [("iTXt", international)])) == (5, 2, 3))
    }

    @Test func pngImageMagickProfile() throws {
        let hex = TestExif.block([TestExif.short(4)]).map { String(format: "%02x", $0) }.joined()
        let text = Array("Raw profile type exif".utf8) + [0, 0]
            + TestPNG.zlibStored(Array("\nexif\n      \(hex.count / 2)\n\(hex)\n".utf8))
        #expect(try oriented(png(before: [("zTXt", text)])) == (4, 3, 2))
    }

    @Test func jpegXMPSegment() throws {
        let base = try Data(contentsOf: DecodeFixtures.url("jpeg_exif_orientation1.jpg"))
        // The file's EXIF says 1, which hides the XMP; without EXIF the XMP counts.
        let withXMP = TestJPEG.inserting([TestJPEG.xmpSegment(#"<rdf:Description tiff:Orientation="6"/>"#)], into: base)
        #expect(try oriented(withXMP) == (1, 40, 24))
        let plain = try Data(contentsOf: DecodeFixtures.url("jpeg_baseline_444.jpg"))
        let plainWithXMP = TestJPEG.inserting([TestJPEG.xmpSegment(#"<rdf:Description tiff:Orientation="6"/>"#)], into: plain)
        #expect(try oriented(plainWithXMP) == (6, 45, 61))
    }

    /// Pillow appends every later "Exif\0\0" APP1 segment, minus its header,
    /// to the first, so a block split over two segments still counts.
    @Test func jpegEXIFSplitOverTwoSegments() throws {
        let plain = try Data(contentsOf: DecodeFixtures.url("jpeg_baseline_444.jpg"))
        let block = TestExif.block([TestExif.short(3)])
        let exifHeader = Array("Exif".utf8) + [0, 0]
        let split = TestJPEG.inserting(
            [(0xE1, Array(block.prefix(14))), (0xE1, exifHeader + Array(block.dropFirst(14)))], into: plain)
        #expect(try oriented(split) == (3, 61, 45))
    }

    @Test func orientedPixelsFollowTheTable() throws {
        let stored = try DecodedImage(data: png())
        for value in 2...8 {
            let exif = TestExif.block([TestExif.short(UInt16(value))], exifHeader: false)
            let image = try DecodedImage(data: png(before: [("eXIf", exif)]))
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let (sx, sy) = Self.storedPosition(of: (x, y), orientation: value, width: 3, height: 2)
                    #expect(image.rgb[x, y] == stored.rgb[sx, sy], "orientation \(value) at (\(x), \(y))")
                }
            }
        }
    }

    /// The goldens' numpy table, written independently of the decoder.
    static func storedPosition(of point: (Int, Int), orientation: Int, width: Int, height: Int) -> (Int, Int) {
        let (x, y) = point
        switch orientation {
        case 2: return (width - 1 - x, y) // s[:, ::-1]
        case 3: return (width - 1 - x, height - 1 - y) // s[::-1, ::-1]
        case 4: return (x, height - 1 - y) // s[::-1]
        case 5: return (y, x) // transpose
        case 6: return (y, height - 1 - x) // rot90(s, -1)
        case 7: return (width - 1 - y, height - 1 - x) // s[::-1, ::-1].transpose
        case 8: return (width - 1 - y, x) // rot90(s, 1)
        default: return (x, y)
        }
    }
}
