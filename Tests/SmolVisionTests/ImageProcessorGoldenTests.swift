import Foundation
import SmolTensor
import Testing
@testable import SmolVision

/// The image processor against transformers' PIL backend
/// (Scripts/reference/make_processor_goldens.py): tile grids, frame counts, masks,
/// and every frame's pixels within one uint8 step (2/255 after normalisation).
@Suite("Image processor matches transformers (PIL backend)")
struct ImageProcessorGoldenTests {
    struct Case: Decodable {
        let `case`: String
        let setting: String
        let do_image_splitting: Bool
        let inputs: [[String]]
        let rows: [[Int]]
        let cols: [[Int]]
        let pixel_values_shape: [Int]
    }

    struct Meta: Decodable {
        struct Frame: Decodable {
            let file: String?
            let kind: String
            let mask_ones: Int
        }
        let frames: [[Frame]]
    }

    static let cases: [Case] = {
        struct Index: Decodable { let cases: [Case] }
        let url = VisionFixtures.url("processor/cases.json")
        guard let data = try? Data(contentsOf: url), let index = try? JSONDecoder().decode(Index.self, from: data) else {
            return []
        }
        return index.cases
    }()

    /// An input as the golden script passed it: the PIL image opened from the PNG, which
    /// the processor converts to RGB, compositing any transparency over white.
    static func input(_ path: String) throws -> Image {
        let decoded = try DecodedImage(contentsOf: VisionFixtures.url("processor/\(path)"))
        return decoded.hasAlpha ? decoded.compositedOverWhite() : decoded.rgb
    }

    @Test func theGoldenIndexIsComplete() {
        #expect(Self.cases.count >= 60)
        #expect(Set(Self.cases.map(\.setting)) == ["A512", "B384"])
    }

    @Test(arguments: cases.map(\.case))
    func matchesTransformers(_ name: String) throws {
        try check(name)
    }

    func check(_ name: String) throws {
        let golden = try #require(Self.cases.first { $0.case == name })
        var config = try ImageProcessorConfig(contentsOf: VisionFixtures.url("processor/configs/\(golden.setting)/preprocessor_config.json"))
        config.doImageSplitting = golden.do_image_splitting
        let processor = ImageProcessor(config: config)
        let images = try golden.inputs.map { try $0.map(Self.input) }
        let output = try processor.process(images)
        #expect(output.pixelValues.shape == golden.pixel_values_shape)
        #expect(output.grids.map { $0.map(\.rows) } == golden.rows)
        #expect(output.grids.map { $0.map(\.cols) } == golden.cols)
        for (prompt, promptImages) in images.enumerated() {
            for (i, image) in promptImages.enumerated() {
                let grid = processor.grid(for: image)
                #expect(grid.rows == golden.rows[prompt][i] && grid.cols == golden.cols[prompt][i], "grid(for:)")
            }
        }

        let meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: VisionFixtures.url("processor/\(name)/meta.json")))
        let shape = output.pixelValues.shape
        let (frames, height, width) = (shape[1], shape[3], shape[4])
        let values = try output.pixelValues.floats()
        let mask = try output.pixelAttentionMask.ints()
        let plane = height * width
        for (p, promptFrames) in meta.frames.enumerated() {
            for (f, frame) in promptFrames.enumerated() {
                let base = (p * frames + f)
                let ones = mask[(base * plane)..<((base + 1) * plane)].reduce(0, +)
                #expect(ones == frame.mask_ones, "\(name) frame \(p).\(f) mask")
                let pixels = values[(base * 3 * plane)..<((base + 1) * 3 * plane)]
                guard let file = frame.file else {
                    #expect(pixels.allSatisfy { $0 == 0 }, "\(name) frame \(p).\(f) should be padding")
                    continue
                }
                let expected = try Image(contentsOf: VisionFixtures.url("processor/\(name)/\(file)"))
                var worst: Float = 0
                for y in 0..<expected.height {
                    for x in 0..<expected.width {
                        for c in 0..<3 {
                            let want = (Float(expected.pixels[(y * expected.width + x) * 3 + c]) / 255 - 0.5) / 0.5
                            let got = pixels[pixels.startIndex + c * plane + y * width + x]
                            worst = max(worst, abs(got - want))
                        }
                    }
                }
                #expect(worst <= 2.0 / 255 + 1e-6, "\(name) frame \(p).\(f): max difference \(worst * 255 / 2) uint8 steps")
            }
        }
    }
}
