import Foundation
import SmolTensor
import Testing
@testable import SmolVision

/// The video processor's frames against transformers' (torchvision backend, tiny-smolvlm2
/// settings: longest edge 256, then 64×64): bit-identical pixel values.
@Suite("Video processor matches transformers")
struct VideoProcessorTests {
    struct Meta: Decodable {
        let indices: [Int]
        let pixel_values_shape: [Int]
    }

    static var tinyConfig: VideoProcessorConfig {
        var config = VideoProcessorConfig()
        config.sampling = VideoSampling(framesPerSecond: 1, maxFrames: 64, skipSeconds: 1)
        config.longestEdge = 256
        config.tileSize = 64
        return config
    }

    @Test(arguments: VideoFixtures.clips)
    func pixelValuesMatch(clip: String) throws {
        let meta = try VideoFixtures.decode(Meta.self, VideoFixtures.golden(clip, "processor/meta.json"))
        let video = try VideoProcessor(config: Self.tinyConfig).process(contentsOf: VideoFixtures.clip(clip))
        try #require(video.pixelValues.shape == Array(meta.pixel_values_shape.dropFirst()))
        let values = try video.pixelValues.floats()
        let plane = 64 * 64
        var worst: Float = 0
        for k in 0..<meta.indices.count {
            let expected = try Image(contentsOf: VideoFixtures.golden(clip, String(format: "processor/frames/frame_%02d.png", k)))
            for i in 0..<plane {
                for c in 0..<3 {
                    let reference = (Float(expected.pixels[i * 3 + c]) - 127.5) / 127.5
                    worst = max(worst, abs(values[(k * 3 + c) * plane + i] - reference))
                }
            }
        }
        // The issue allows 2/255; decoding and resizing are exact, so nothing is allowed.
        #expect(worst == 0, "largest difference \(worst * 127.5) uint8 steps")
    }

    @Test func longestEdgeSizeRoundsTheOtherSideUpToEven() {
        #expect(VideoProcessor.longestEdgeSize(height: 90, width: 160, longestEdge: 256) == (144, 256))
        #expect(VideoProcessor.longestEdgeSize(height: 55, width: 97, longestEdge: 256) == (146, 256))
        #expect(VideoProcessor.longestEdgeSize(height: 68, width: 120, longestEdge: 256) == (146, 256))
        #expect(VideoProcessor.longestEdgeSize(height: 300, width: 100, longestEdge: 512) == (512, 170))
        #expect(VideoProcessor.longestEdgeSize(height: 300, width: 103, longestEdge: 512) == (512, 176))
    }
}
