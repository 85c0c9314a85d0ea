import ArgumentParser
import Foundation
import SmolVision

/// Turning a video file into the encoder's pixel values: our decoder (seeking, and decoding every
/// frame for comparison) next to transformers' PyAV loader + SmolVLMVideoProcessor.
struct VideoBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "video", abstract: "Video decode + sample + resize + normalise, milliseconds per video (median of runs).")

    @Argument(help: "A video file (make a long one with Scripts/reference/make_bench_video.sh).")
    var file: String

    @Option(help: "Frames per second to sample.")
    var fps = 1.0

    @Option(help: "The most frames to sample.")
    var maxFrames = 64

    @Option(help: "First resize (longest edge), as the checkpoint's size.longest_edge.")
    var longestEdge = 2048

    @Option(help: "The square tile.")
    var tile = 512

    @Option(help: "Timed runs (the median is reported).")
    var runs = 5

    @Flag(help: "Also time transformers (Scripts/reference/bench_video_transformers.py) on the same file and settings.")
    var reference = false

    func run() throws {
        var config = VideoProcessorConfig()
        config.sampling = VideoSampling(framesPerSecond: fps, maxFrames: maxFrames)
        config.longestEdge = longestEdge
        config.tileSize = tile
        let url = URL(fileURLWithPath: file)
        let theirs: [String: Double] = reference
            ? try ReferenceScript.run("bench_video_transformers.py", arguments: [
                file, "--fps", "\(fps)", "--max-frames", "\(maxFrames)", "--longest-edge", "\(longestEdge)",
                "--tile", "\(tile)", "--runs", "\(runs)"])
            : [:]

        let metadata = try VideoDecoder(contentsOf: url).metadata
        let indices = config.sampling.frameIndices(for: metadata)
        print("\(file): \(metadata.width)×\(metadata.height), \(metadata.frameCount) frames at \(metadata.framesPerSecond) fps, \(metadata.codec); \(indices.count) sampled")
        let processor = VideoProcessor(config: config)
        let whole = try medianSeconds(runs: runs) { _ = try processor.process(contentsOf: url) }
        let seeking = try medianSeconds(runs: runs) { _ = try VideoDecoder(contentsOf: url).frames(at: indices) }
        let sequential = try medianSeconds(runs: runs) {
            let decoder = try VideoDecoder(contentsOf: url)
            decoder.allowsSeeking = false
            _ = try decoder.frames(at: indices)
        }
        func ms(_ seconds: Double) -> String { String(format: "%8.1f ms", seconds * 1e3) }
        print("decode sampled frames, seeking:        \(ms(seeking))")
        print("decode sampled frames, every frame:    \(ms(sequential))   (seeking saves \(String(format: "%.1f", sequential / seeking))×)")
        var line = "decode + sample + resize + normalise:  \(ms(whole))"
        if let reference = theirs["seconds"] {
            line += "   transformers (PyAV + SmolVLMVideoProcessor): \(ms(reference))   ratio \(String(format: "%.1f", reference / whole))×"
        }
        print(line)
    }
}
