import Foundation
import SmolVision
import Testing

/// Loading from files and memory, and sniffing the format from the bytes.
@Suite("Loading image data")
struct ImageLoadingTests {
    @Test func missingFile() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("smolvlm-no-such-image-\(UUID()).png")
        #expect(throws: ImageError.fileNotFound(path: path.path)) { try Image(contentsOf: path) }
    }

    @Test func directoryAndRemoteURLsAreUnreadable() throws {
        let folder = try DecodeFixtures.folder()
        let error = #expect(throws: ImageError.self) { try Image(contentsOf: folder) }
        #expect(error == .unreadable(path: folder.path, reason: "it is a directory"))
        let remote = try #require(URL(string: "https://example.com/image.png"))
        #expect(throws: ImageError.unreadable(path: "https://example.com/image.png", reason: "not a file URL")) {
            try Image(contentsOf: remote)
        }
    }

    @Test func formatComesFromTheBytesNotTheName() throws {
        let image = try DecodedImage(contentsOf: DecodeFixtures.url("png_named_as_jpg.jpg"))
        #expect(image.format == .png)
        #expect(try DecodedImage(contentsOf: DecodeFixtures.url("jpeg_1x1.jpg")).format == .jpeg)
    }

    /// `Data` slices start at a non-zero index; decoding must not assume otherwise.
    @Test(arguments: ["png_palette8.png", "jpeg_progressive.jpg"])
    func dataSlicesDecode(file: String) throws {
        let data = try Data(contentsOf: DecodeFixtures.url(file))
        let padded = Data([0xAA, 0xBB, 0xCC]) + data + Data([0xDD])
        let slice = padded[3..<(3 + data.count)]
        #expect(slice.startIndex == 3)
        #expect(try Image(data: slice) == Image(data: data))
    }

    @Test func signaturePrefixesAreTruncated() {
        #expect(throws: ImageError.truncated(format: nil)) { try Image(data: Data()) }
        #expect(throws: ImageError.truncated(format: .jpeg)) { try Image(data: Data([0xFF])) }
        #expect(throws: ImageError.truncated(format: .jpeg)) { try Image(data: Data([0xFF, 0xD8])) }
        #expect(throws: ImageError.truncated(format: .jpeg)) { try Image(data: Data([0xFF, 0xD8, 0xFF])) }
        #expect(throws: ImageError.truncated(format: .png)) { try Image(data: Data([0x89, 0x50])) }
        #expect(throws: ImageError.unsupportedFormat(detected: nil)) { try Image(data: Data([0xFF, 0xD9])) }
        #expect(throws: ImageError.unsupportedFormat(detected: nil)) { try Image(data: Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0])) }
    }

    @Test func errorsDescribeThemselves() {
        let errors: [ImageError] = [
            .fileNotFound(path: "/x.png"), .unreadable(path: "/x", reason: "it is a directory"),
            .unsupportedFormat(detected: "GIF"), .unsupportedFormat(detected: nil),
            .unsupportedFeature(format: .jpeg, detail: "Unsupported JPEG data precision 12"),
            .truncated(format: .png), .truncated(format: nil), .corrupt(format: .png, reason: "IDAT: CRC error"),
            .outOfMemory(format: .jpeg),
        ]
        for error in errors {
            #expect(error.errorDescription == error.description)
            #expect(error.description.count > 10)
        }
        #expect(ImageError.corrupt(format: .png, reason: "IDAT: CRC error").description == "corrupt PNG data: IDAT: CRC error")
    }
}
