import CPNG
import Foundation
import SmolTensor
import SmolVision
import Testing

/// The encoder goldens in `Fixtures/encoder/` (made with transformers by
/// `Scripts/reference/make_encoder_goldens.py`; see the fixtures README).
enum EncoderFixtures {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func url(_ relative: String) throws -> URL {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil),
                                     "Fixtures folder missing from the test bundle")
        return directory.appendingPathComponent("encoder").appendingPathComponent(relative)
    }

    /// A PNG's 8-bit RGB samples as `[3, H, W]` pixel values with the image
    /// processor's arithmetic: `float32((float32(float64(u) / 255) − 0.5) / 0.5)`.
    static func pixelValues(png relative: String) throws -> (values: [Float], height: Int, width: Int) {
        let image = try readPNG(url(relative))
        let rescale = 0.00392156862745098
        var values = [Float](repeating: 0, count: 3 * image.width * image.height)
        let plane = image.width * image.height
        for y in 0..<image.height {
            for x in 0..<image.width {
                let rgb = image[x, y]
                for (channel, sample) in [rgb.red, rgb.green, rgb.blue].enumerated() {
                    values[channel * plane + y * image.width + x] = (Float(Double(sample) * rescale) - 0.5) / 0.5
                }
            }
        }
        return (values, image.height, image.width)
    }

    /// Decodes an 8-bit PNG with libpng's simplified API (test-only; the SDK's
    /// own decoder is a separate piece of work).
    static func readPNG(_ url: URL) throws -> Image {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&png, url.path) != 0 else {
            throw Failure(description: "libpng cannot open \(url.path)")
        }
        png.format = UInt32(PNG_FORMAT_RGB)
        var rgb = [UInt8](repeating: 0, count: Int(png.width) * Int(png.height) * 3)
        let finished = rgb.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else {
            png_image_free(&png)
            throw Failure(description: "libpng cannot decode \(url.path)")
        }
        return try Image(width: Int(png.width), height: Int(png.height), rgb: rgb)
    }
}
