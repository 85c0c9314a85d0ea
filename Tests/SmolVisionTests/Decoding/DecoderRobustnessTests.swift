import Foundation
import SmolVision
import Testing

/// Damaged versions of valid files: every proper prefix, and every byte
/// inverted in turn. The decoders must return or throw, never crash or hang.
@Suite("Damaged files")
struct DecoderRobustnessTests {
    static let files = ["png_palette4_adam7.png", "png_rgba16.png", "png_exif_orientation6.png",
                        "jpeg_progressive.jpg", "jpeg_restart_blocks.jpg", "jpeg_cmyk.jpg", "jpeg_exif_orientation6.jpg"]

    @Test("every proper prefix is truncated", arguments: files)
    func everyPrefixIsTruncated(file: String) throws {
        let data = try Data(contentsOf: DecodeFixtures.url(file))
        var unexpected: [String] = []
        for length in 0..<data.count {
            do {
                _ = try DecodedImage(data: data.prefix(length))
                unexpected.append("\(length): decoded")
            } catch {
                if case .truncated = error { continue }
                unexpected.append("\(length): \(error)")
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.prefix(5))")
    }

    @Test("every single inverted byte decodes or throws", arguments: files)
    func everyInvertedByteIsSurvived(file: String) throws {
        let data = try Data(contentsOf: DecodeFixtures.url(file))
        var decoded: [Int] = []
        for index in data.indices {
            var damaged = data
            damaged[index] ^= 0xFF
            do {
                let image = try DecodedImage(data: damaged)
                decoded.append(index)
                #expect(image.rgb.pixels.count == image.width * image.height * 3)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        // Every PNG byte is covered by a CRC or checked by libpng, so PNG
        // damage never goes unnoticed; JPEG damage in entropy-coded data
        // decodes to wrong pixels, as in Pillow.
        if file.hasSuffix(".png") {
            #expect(decoded.isEmpty, "damage at \(decoded.prefix(5)) went unnoticed")
        }
    }
}
