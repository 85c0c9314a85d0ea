import Foundation
import Testing
@testable import SmolVision

/// Frame sampling and the prompt's clock against transformers' `SmolVLMVideoProcessor`.
@Suite("Video sampling matches transformers")
struct VideoSamplingTests {
    @Test(arguments: VideoFixtures.clips)
    func indicesTimesAndDurationMatch(clip: String) throws {
        let golden = try VideoFixtures.decode(VideoFixtures.Sampling.self, VideoFixtures.golden(clip, "sampling.json"))
        let metadata = try VideoDecoder(contentsOf: VideoFixtures.clip(clip)).metadata
        #expect(golden.configs.count == 4)
        for (name, config) in golden.configs {
            let sampling = VideoSampling(framesPerSecond: config.fps, maxFrames: config.max_frames, skipSeconds: golden.skip_secs)
            let indices = sampling.frameIndices(for: metadata)
            #expect(indices == config.indices, "\(name)")
            let times = indices.map { Double($0) / metadata.framesPerSecond }
            #expect(times == config.timestamps, "\(name)")
            #expect(times.map { let t = VideoClock.minutesAndSeconds($0); return [t.minutes, t.seconds] } == config.timestamps_mmss)
            #expect(Int(metadata.duration) == config.duration_int)
            #expect(VideoClock.duration(Int(metadata.duration)) == config.duration_text)
        }
    }

    @Test func pythonsClockFormats() {
        #expect(VideoClock.duration(0) == "0:00:00")
        #expect(VideoClock.duration(65) == "0:01:05")
        #expect(VideoClock.duration(3 * 3600 + 7) == "3:00:07")
        #expect(VideoClock.duration(86_400 + 61) == "1 day, 0:01:01")
        #expect(VideoClock.duration(2 * 86_400) == "2 days, 0:00:00")
        #expect(VideoClock.frameStamp(59.999) == "00:59")
        #expect(VideoClock.frameStamp(6001) == "100:01")
    }

    @Test func linspaceTruncatesLikeNumpy() {
        #expect(VideoSampling.linspace(0, 59, count: 2) == [0, 59])
        #expect(VideoSampling.linspace(0, 9, count: 4) == [0, 3, 6, 9])
        #expect(VideoSampling.linspace(5, 5, count: 3) == [5, 5, 5])
        #expect(VideoSampling.linspace(0, 10, count: 1) == [0])
    }
}
