import SmolVision
import Testing

@Suite("Image from a raw RGB buffer")
struct ImageTests {
    @Test func holdsPixelsRowMajor() throws {
        let image = try Image(width: 2, height: 2, rgb: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        #expect(image[1, 0] == (4, 5, 6))
        #expect(image[0, 1] == (7, 8, 9))
    }

    @Test func rejectsBadBuffers() {
        #expect(throws: ImageError.invalidDimensions(width: 0, height: 5)) { try Image(width: 0, height: 5, rgb: []) }
        #expect(throws: ImageError.invalidDimensions(width: 3, height: -1)) { try Image(width: 3, height: -1, rgb: []) }
        #expect(throws: ImageError.bufferSizeMismatch(expected: 12, actual: 11)) {
            try Image(width: 2, height: 2, rgb: [UInt8](repeating: 0, count: 11))
        }
        #expect(throws: ImageError.tooManyPixels(width: 100_000, height: 100_000, limit: Image.defaultPixelLimit)) {
            try Image(width: 100_000, height: 100_000, rgb: [])
        }
        #expect(throws: ImageError.tooManyPixels(width: Int.max, height: 2, limit: Image.defaultPixelLimit)) {
            try Image(width: Int.max, height: 2, rgb: [])
        }
        #expect(throws: ImageError.tooManyPixels(width: 10, height: 10, limit: 99)) {
            try Image(width: 10, height: 10, rgb: [UInt8](repeating: 0, count: 300), pixelLimit: 99)
        }
    }
}
