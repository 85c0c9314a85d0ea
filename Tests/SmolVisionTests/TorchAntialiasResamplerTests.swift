import Foundation
import SmolTensor
import Testing
@testable import SmolVision

/// torch's uint8 antialiased `interpolate`, byte for byte (Scripts/reference/make_torch_resize_goldens.py).
@Suite("torch-exact antialiased resize")
struct TorchAntialiasResamplerTests {
    static let cases = [
        "lanczos_noise_down_200x150_to_61x45", "lanczos_mixed_down_1280x720_to_64x36",
        "lanczos_gradient_up_37x23_to_64x41", "lanczos_noise_up_3x5_to_96x160",
        "lanczos_noise_width_only_40x30_to_97x30", "lanczos_noise_height_only_40x30_to_40x7",
        "lanczos_mixed_square_131x128_to_64x64", "lanczos_mixed_up_1x1_to_5x3",
        "lanczos_noise_odd_301x7_to_37x1", "lanczos_noise_odd_1x50_to_3x19",
        "lanczos_noise_down_1280x4_to_1x2", "lanczos_mixed_video_320x180_to_128x72_to_128x128",
        "bicubic_noise_down_200x150_to_61x45", "bicubic_gradient_up_37x23_to_64x41",
        "bilinear_noise_down_200x150_to_61x45", "bilinear_mixed_up_37x23_to_64x41",
    ]

    @Test(arguments: cases)
    func matchesTorch(_ name: String) throws {
        let golden = try SafetensorsFile(url: VisionFixtures.url("torch_resize/\(name).safetensors"))
        let mode = try #require(Self.modes[golden.metadata["mode"] ?? ""])
        let sizes = try #require(golden.metadata["sizes"]).split(separator: " ").map { size in
            size.split(separator: "x").map { Int($0)! }
        }
        var input = try TestPattern.image(try #require(golden.metadata["pattern"]), width: sizes[0][0], height: sizes[0][1])
        #expect(TestPattern.fnv1a64(input.pixels) == golden.metadata["input_fnv1a64"], "not the script's input")
        for step in 1..<sizes.count {
            let expected = try VisionFixtures.image(golden.tensor(named: "output_\(step)"))
            #expect(expected.width == sizes[step][0] && expected.height == sizes[step][1])
            let resampler = TorchAntialiasResampler(mode, inputWidth: input.width, inputHeight: input.height,
                                                    outputWidth: expected.width, outputHeight: expected.height)
            let output = resampler.resize(input)
            #expect(output.width == expected.width && output.height == expected.height)
            let differences = zip(output.pixels, expected.pixels).map { abs(Int($0) - Int($1)) }
            let differing = differences.filter { $0 != 0 }.count
            #expect(differing == 0, "step \(step): \(differing) of \(expected.pixels.count) bytes differ, by up to \(differences.max() ?? 0)")
            if step == 1, let pillowDiff = golden.metadata["pillow_max_abs_diff"], pillowDiff != "0" {
                // The case tells torch's kernel from Pillow's: a Pillow-exact resize must fail it.
                let pillow = LanczosResampler.resize(PixelBuffer(input), width: expected.width, height: expected.height)
                #expect(pillow.bytes != expected.pixels)
            }
            input = expected
        }
    }

    @Test func sameSizeIsACopy() throws {
        let image = try Image(width: 2, height: 1, rgb: [1, 2, 3, 4, 5, 6])
        let resampler = TorchAntialiasResampler(.lanczos, inputWidth: 2, inputHeight: 1, outputWidth: 2, outputHeight: 1)
        #expect(resampler.resize(image) == image)
    }

    /// The int16 precision torch picks: 14 bits near scale 1, more when shrinking, capped at 22.
    @Test func precisionFollowsTheLargestWeight() {
        let precision = { (input: Int, output: Int) in
            TorchAntialiasResampler.coefficients(.lanczos3, inputSize: input, outputSize: output).precision
        }
        #expect(precision(288, 512) == 14)
        #expect(precision(1280, 512) == 16)
        #expect(precision(1280, 1) == 22)
    }

    static let modes: [String: TorchAntialiasResampler.Mode] = ["lanczos": .lanczos, "bicubic": .bicubic, "bilinear": .bilinear]
}

/// The integer-formula inputs of make_torch_resize_goldens.py (`pattern_rgb`).
enum TestPattern {
    static func image(_ pattern: String, width: Int, height: Int) throws -> Image {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 {
                    let gradient = (x * (c + 1) * 255 / max(width - 1, 1) + y * (3 - c) * 255 / max(height - 1, 1)) / 4
                    switch pattern {
                    case "gradient": pixels.append(UInt8(gradient))
                    case "noise": pixels.append(noise(x, y, c))
                    case "mixed": pixels.append(x < width / 2 ? UInt8(gradient) : noise(x, y, c))
                    default: throw PatternError.unknown(pattern)
                    }
                }
            }
        }
        return try Image(width: width, height: height, rgb: pixels)
    }

    static func noise(_ x: Int, _ y: Int, _ c: Int) -> UInt8 {
        var h = (UInt32(x) &* 0x9E37_79B1) ^ (UInt32(y) &* 0x85EB_CA77) ^ (UInt32(c) &* 0xC2B2_AE3D)
        h ^= h >> 15
        h = h &* 0x2C1B_3C6D
        h ^= h >> 12
        h = h &* 0x297A_2D39
        h ^= h >> 15
        return UInt8(h >> 24)
    }

    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    enum PatternError: Error { case unknown(String) }
}
