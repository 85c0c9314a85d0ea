import Foundation
import Testing
@testable import SmolVision

/// Bad video input gives a typed error, never a crash or garbage.
@Suite("Video errors")
struct VideoErrorTests {
    static func temporaryFile(_ name: String, _ bytes: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smolvlm-video-\(UUID().uuidString)-\(name)")
        try bytes.write(to: url)
        return url
    }

    @Test func missingFile() {
        #expect(throws: VideoError.fileNotFound(path: "/nonexistent/clip.mp4")) {
            try VideoDecoder(contentsOf: URL(fileURLWithPath: "/nonexistent/clip.mp4"))
        }
    }

    @Test func emptyAndRandomFilesAreUnreadable() throws {
        for (name, bytes) in [("empty.mp4", Data()), ("noise.mp4", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }))] {
            let url = try Self.temporaryFile(name, bytes)
            defer { try? FileManager.default.removeItem(at: url) }
            let error = #expect(throws: VideoError.self) { try VideoDecoder(contentsOf: url) }
            guard case .unreadable? = error else {
                Issue.record("\(name): expected unreadable, got \(String(describing: error))")
                return
            }
        }
    }

    /// A WAV file: a container FFmpeg reads, holding sound only.
    @Test func audioOnlyFileHasNoVideoStream() throws {
        var wav = Data("RIFF".utf8)
        let samples = [Int16](repeating: 0, count: 800)
        func le32(_ v: Int) -> Data { withUnsafeBytes(of: UInt32(v).littleEndian) { Data($0) } }
        func le16(_ v: Int) -> Data { withUnsafeBytes(of: UInt16(v).littleEndian) { Data($0) } }
        wav += le32(36 + samples.count * 2) + Data("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1)
        wav += le32(8000) + le32(16000) + le16(2) + le16(16) + Data("data".utf8) + le32(samples.count * 2)
        wav += Data(count: samples.count * 2)
        let url = try Self.temporaryFile("tone.wav", wav)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: VideoError.noVideoStream(path: url.path)) { try VideoDecoder(contentsOf: url) }
    }

    /// Every cut of a clip either opens and decodes what is there or fails with a VideoError.
    @Test(arguments: [VideoFixtures.clips[0], VideoFixtures.clips[2]])
    func truncatedFilesFailCleanly(clip: String) throws {
        let bytes = try Data(contentsOf: VideoFixtures.clip(clip))
        var failures = 0
        for fraction in [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99] {
            let url = try Self.temporaryFile("cut-" + clip, bytes.prefix(Int(Double(bytes.count) * fraction)))
            defer { try? FileManager.default.removeItem(at: url) }
            do {
                let decoder = try VideoDecoder(contentsOf: url)
                let frames = try decoder.frames(at: Array(0..<decoder.metadata.frameCount))
                #expect(frames.count <= decoder.metadata.frameCount)
                for frame in frames { #expect(frame.image.pixels.count == decoder.metadata.width * decoder.metadata.height * 3) }
            } catch is VideoError {
                failures += 1
            }
        }
        // The shortest cuts lose the container header at least.
        #expect(failures >= 1)
    }

    /// Damaged bytes in the middle of the stream: frames or a VideoError, never a crash.
    @Test func damagedStreamDoesNotCrash() throws {
        var bytes = try Data(contentsOf: VideoFixtures.clip(VideoFixtures.clips[1]))
        for offset in stride(from: bytes.count / 3, to: 2 * bytes.count / 3, by: 97) { bytes[offset] ^= 0x5A }
        let url = try Self.temporaryFile("damaged.mov", bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            let decoder = try VideoDecoder(contentsOf: url)
            _ = try decoder.frames(at: [0, 100, 200, 284])
        } catch is VideoError {}
    }

    @Test func framesNeedMatchingTimestamps() throws {
        let frame = try Image(width: 2, height: 2, rgb: [UInt8](repeating: 9, count: 12))
        #expect(throws: VideoError.self) { try SampledVideo(frames: [], times: []) }
        #expect(throws: VideoError.self) { try SampledVideo(frames: [frame, frame], times: [0]) }
        #expect(throws: VideoError.self) { try SampledVideo(frames: [frame], times: [-.infinity]) }
        let assumed = try SampledVideo(frames: Array(repeating: frame, count: 48))
        #expect(assumed.times[47] == 47.0 / 24)
        #expect(assumed.wholeSeconds == 1)
    }
}
