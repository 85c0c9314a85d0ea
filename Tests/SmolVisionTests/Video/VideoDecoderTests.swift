import Foundation
import SmolTensor
import Testing
@testable import SmolVision

/// The FFmpeg decoder against what transformers' PyAV loader saw in each clip.
@Suite("Video decoding matches PyAV")
struct VideoDecoderTests {
    @Test(arguments: VideoFixtures.clips)
    func metadataMatchesTheReference(clip: String) throws {
        let golden = try VideoFixtures.decode(VideoFixtures.Metadata.self, VideoFixtures.golden(clip, "metadata.json"))
        let decoder = try VideoDecoder(contentsOf: VideoFixtures.clip(clip))
        let reference = golden.reference_metadata
        #expect(decoder.metadata.frameCount == reference.total_num_frames)
        #expect(decoder.metadata.framesPerSecond == reference.fps)
        #expect(decoder.metadata.duration == reference.duration)
        #expect(decoder.metadata.width == reference.width && decoder.metadata.height == reference.height)
        // WebM stores no frame count: we count packets where PyAV's loader would see 0.
        #expect(decoder.metadata.frameCountSource == (clip.hasSuffix(".webm") ? .counted : .container))
    }

    /// Every frame, decoded in order, has PyAV's presentation time.
    @Test(arguments: VideoFixtures.clips)
    func everyFrameHasPyAVsTimestamp(clip: String) throws {
        let golden = try VideoFixtures.decode(VideoFixtures.Metadata.self, VideoFixtures.golden(clip, "metadata.json"))
        let decoder = try VideoDecoder(contentsOf: VideoFixtures.clip(clip))
        let all = Array(0..<golden.decoded_frames.count)
        var times: [Double] = []
        try decoder.forEachFrame(at: all) { times.append($0.time) }
        #expect(times.count == golden.decoded_frames.count)
        for (ours, theirs) in zip(times, golden.decoded_frames.times) { #expect(abs(ours - theirs) < 1e-9) }
    }

    /// The sampled frames' RGB is PyAV's (`to_ndarray("rgb24")`) byte for byte, whichever path
    /// (seeking or decoding forward) reached them — odd heights through our libswscale 9 model.
    @Test(arguments: VideoFixtures.clips)
    func sampledFramesMatchPyAV(clip: String) throws {
        let golden = try SafetensorsFile(url: VideoFixtures.golden(clip, "frames_rgb.safetensors"))
        let frames = try golden.tensor(named: "frames")
        let indices = try golden.tensor(named: "indices").ints()
        let decoder = try VideoDecoder(contentsOf: VideoFixtures.clip(clip))
        let decoded = try decoder.frames(at: indices)
        try #require(decoded.map(\.index) == indices)
        let bytes = try frames.ints()
        let size = frames.shape[1] * frames.shape[2] * 3
        for (k, frame) in decoded.enumerated() {
            let expected = bytes[k * size..<(k + 1) * size].map { UInt8($0) }
            #expect(frame.image.pixels == Array(expected), "frame \(indices[k])")
        }
    }

    /// Asking for frames out of order or twice gives each once, in order.
    @Test func indicesAreSortedAndDeduplicated() throws {
        let decoder = try VideoDecoder(contentsOf: VideoFixtures.clip(VideoFixtures.clips[4]))
        let frames = try decoder.frames(at: [40, 3, 40, 17, 0])
        #expect(frames.map(\.index) == [0, 3, 17, 40])
        // Past the end is skipped, as transformers' loader skips it.
        #expect(try decoder.frames(at: [2, 100_000]).map(\.index) == [2])
    }
}
