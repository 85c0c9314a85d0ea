import Foundation
import SmolTensor
import Testing
@testable import SmolVision

/// Pillow's LANCZOS resize, byte for byte (Scripts/reference/make_processor_goldens.py).
@Suite("Pillow-exact LANCZOS")
struct LanczosResamplerTests {
    static let cases = [
        "down_131x128_to_64x48", "down_200x150_to_61x45", "down_odd_ratio_301x7_to_37x2",
        "only_height_40x30_to_40x7", "only_width_40x30_to_97x30", "up_1x1_to_5x3",
        "up_37x23_to_64x41", "up_3x5_to_96x160",
    ]

    @Test(arguments: cases)
    func matchesPillow(_ name: String) throws {
        let golden = try SafetensorsFile(url: VisionFixtures.url("processor/resize/\(name).safetensors"))
        #expect(golden.metadata["filter"] == "LANCZOS")
        let input = try VisionFixtures.image(golden.tensor(named: "input"))
        let expected = try VisionFixtures.image(golden.tensor(named: "output"))
        let output = LanczosResampler.resize(PixelBuffer(input), width: expected.width, height: expected.height).image
        let differing = zip(output.pixels, expected.pixels).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(expected.pixels.count) bytes differ")
    }

    @Test func sameSizeIsACopy() throws {
        let image = try Image(width: 2, height: 1, rgb: [1, 2, 3, 4, 5, 6])
        #expect(LanczosResampler.resize(PixelBuffer(image), width: 2, height: 1).image == image)
    }
}
