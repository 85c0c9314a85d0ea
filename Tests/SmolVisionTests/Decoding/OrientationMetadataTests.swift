import Foundation
import SmolVision
import Testing

/// How the EXIF orientation is read, following Pillow's `getexif` (see
/// `OrientationMetadata`); the fixtures only cover well-formed SHORT tags.
@Suite("EXIF orientation metadata")
struct OrientationMetadataTests {
    private func orientation(exif: [UInt8]? = nil, xmp: String? = nil, profile: String? = nil) -> Int? {
        OrientationMetadata(exif: exif, xmp: xmp.map { Array($0.utf8) }, exifProfileText: profile.map { Array($0.utf8) })
            .orientation?.rawValue
    }

    @Test(arguments: 1...8)
    func shortInBothByteOrders(value: Int) {
        let expected = value == 1 ? nil : value
        #expect(orientation(exif: TestExif.block([TestExif.short(UInt16(value))])) == expected)
        #expect(orientation(exif: TestExif.block([TestExif.short(UInt16(value), bigEndian: true)], bigEndian: true)) == expected)
    }

    @Test func valuesOutsideTwoToEightAreIgnored() {
        for value: UInt16 in [0, 9, 255, 0x0106] {
            #expect(orientation(exif: TestExif.block([TestExif.short(value)])) == nil)
        }
    }

    @Test func exifHeaderIsOptionalAndMayRepeat() {
        let block = TestExif.block([TestExif.short(6)], exifHeader: false)
        #expect(orientation(exif: block) == 6)
        #expect(orientation(exif: Array("Exif".utf8) + [0, 0] + Array("Exif".utf8) + [0, 0] + block) == 6)
    }

    @Test func swappedMagicNumbersAreAccepted() {
        var block = TestExif.block([TestExif.short(3)], exifHeader: false)
        block[2] = 0x00
        block[3] = 0x2A
        #expect(orientation(exif: block) == 3)
    }

    @Test func numericTypesCompareAsPythonNumbers() {
        let cases: [(TestExif.Entry, Int?)] = [
            (.init(type: 4, count: 1, value: TestExif.bytes(8, 4, false)), 8), // LONG
            (.init(type: 8, count: 1, value: TestExif.bytes(5, 2, false)), 5), // SSHORT
            (.init(type: 9, count: 1, value: TestExif.bytes(2, 4, false)), 2), // SLONG
            (.init(type: 6, count: 1, value: [7]), 7), // SBYTE
            (.init(type: 5, count: 1, value: TestExif.bytes(12, 4, false) + TestExif.bytes(2, 4, false)), 6), // 12/2
            (.init(type: 5, count: 1, value: TestExif.bytes(13, 4, false) + TestExif.bytes(2, 4, false)), nil),
            (.init(type: 5, count: 1, value: TestExif.bytes(6, 4, false) + TestExif.bytes(0, 4, false)), nil),
            (.init(type: 11, count: 1, value: TestExif.bytes(UInt64(Float(6).bitPattern), 4, false)), 6),
            (.init(type: 11, count: 1, value: TestExif.bytes(UInt64(Float(6.5).bitPattern), 4, false)), nil),
            (.init(type: 12, count: 1, value: TestExif.bytes(Double(3).bitPattern, 8, false)), 3),
            (.init(type: 1, count: 1, value: [6]), nil), // BYTE loads as bytes
            (.init(type: 7, count: 1, value: [6]), nil), // UNDEFINED loads as bytes
            (.init(type: 2, count: 2, value: Array("6".utf8) + [0]), nil), // ASCII loads as a string
        ]
        for (entry, expected) in cases {
            #expect(orientation(exif: TestExif.block([entry])) == expected, "type \(entry.type)")
        }
    }

    @Test func firstOfSeveralValuesCounts() {
        let inline = TestExif.Entry(type: 3, count: 2, value: TestExif.bytes(8, 2, false) + TestExif.bytes(1, 2, false))
        #expect(orientation(exif: TestExif.block([inline])) == 8)
        let outOfLine = TestExif.Entry(type: 3, count: 3, value: [6, 0, 1, 0, 1, 0])
        #expect(orientation(exif: TestExif.block([outOfLine])) == 6)
    }

    @Test func laterDuplicateWinsAndEmptyEntriesAreSkipped() {
        #expect(orientation(exif: TestExif.block([TestExif.short(6), TestExif.short(3)])) == 3)
        let empty = TestExif.Entry(type: 3, count: 0, value: [])
        #expect(orientation(exif: TestExif.block([TestExif.short(6), empty])) == 6)
        let unknownType = TestExif.Entry(type: 99, count: 1, value: [3, 0])
        #expect(orientation(exif: TestExif.block([unknownType, TestExif.short(5)])) == 5)
    }

    @Test func valueOutsideTheBlockEndsTheDirectory() {
        let broken = TestExif.Entry(tag: 270, type: 2, count: 10, value: Array("0123456789".utf8), offsetOverride: 5000)
        // The orientation after the broken entry is never read, so XMP decides.
        let block = TestExif.block([broken, TestExif.short(6)])
        #expect(orientation(exif: block) == nil)
        #expect(orientation(exif: block, xmp: #"<x tiff:Orientation="8"/>"#) == 8)
        #expect(orientation(exif: TestExif.block([TestExif.short(6), broken])) == 6)
    }

    @Test func truncatedDirectoryKeepsWhatWasRead() {
        let block = TestExif.block([TestExif.short(7), TestExif.short(2)])
        #expect(orientation(exif: Array(block.dropLast(4 + 12))) == 7) // second entry missing
        #expect(orientation(exif: Array(block.dropLast(4 + 6))) == 7) // second entry cut short
    }

    @Test func unreadableExifMeansNoOrientation() {
        #expect(orientation(exif: Array("Exif".utf8) + [0, 0] + Array("not a TIFF block".utf8)) == nil)
        #expect(orientation(exif: [0x49, 0x49, 0x2B, 0x00, 8, 0, 0, 0]) == nil) // BigTIFF
        #expect(orientation(exif: []) == nil)
    }

    @Test func xmpIsTheFallbackWhenExifHasNoOrientation() {
        let otherTag = TestExif.Entry(tag: 271, type: 2, count: 4, value: Array("ACME".utf8))
        #expect(orientation(exif: TestExif.block([otherTag]), xmp: #"<rdf tiff:Orientation="6"/>"#) == 6)
        #expect(orientation(xmp: "<tiff:Orientation>8</tiff:Orientation>") == 8)
        #expect(orientation(xmp: #"a tiff:Orientation="3" b tiff:Orientation="6""#) == 3)
        #expect(orientation(xmp: "tiff:Orientation='6'") == nil)
        #expect(orientation(xmp: "tiff:Orientation=6 tiff:Orientation>5") == 5)
        #expect(orientation(xmp: "tiff:Orientation=\"") == nil)
        // An orientation entry, even an unusable one, hides the XMP.
        #expect(orientation(exif: TestExif.block([TestExif.short(1)]), xmp: #"tiff:Orientation="6""#) == nil)
        let text = TestExif.Entry(type: 2, count: 2, value: Array("6".utf8) + [0])
        #expect(orientation(exif: TestExif.block([text]), xmp: #"tiff:Orientation="6""#) == nil)
    }

    @Test func imageMagickProfileTextIsHexEXIF() {
        let hex = TestExif.block([TestExif.short(6)]).map { String(format: "%02x", $0) }.joined()
        let lines = stride(from: 0, to: hex.count, by: 72).map { start -> String in
            let from = hex.index(hex.startIndex, offsetBy: start)
            return String(hex[from..<(hex.index(from, offsetBy: 72, limitedBy: hex.endIndex) ?? hex.endIndex)])
        }
        let profile = "\nexif\n      \(hex.count / 2)\n" + lines.joined(separator: "\n") + "\n"
        #expect(orientation(profile: profile) == 6)
        #expect(orientation(profile: profile.replacingOccurrences(of: "\n4", with: "\n 4")) == 6)
        #expect(orientation(profile: "\nexif\n 4\nzz00") == nil)
        // The EXIF block wins over the profile text.
        #expect(orientation(exif: TestExif.block([TestExif.short(3)]), profile: profile) == 3)
    }
}
