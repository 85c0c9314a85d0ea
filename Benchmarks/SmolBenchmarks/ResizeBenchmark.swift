import ArgumentParser
import Foundation
import SmolTensor
import SmolVision

/// The video processor's per-frame resize chain (torch-exact antialiased uint8
/// resize): milliseconds per frame, optionally next to PyTorch's.
struct ResizeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize", abstract: "torch-exact uint8 resize chain, milliseconds per frame (median of runs after a warm-up).")

    @Option(parsing: .upToNextOption, help: "The source size, then each step's target, as WxH.")
    var sizes = ["1280x720", "512x288", "512x512"]

    @Option(help: "Interpolation mode: lanczos, bicubic or bilinear.")
    var mode = "lanczos"

    @Option(help: "Frames per timed run.")
    var frames = 8

    @Option(help: "Timed runs (the median is reported).")
    var runs = 5

    @Option(help: "Threads for the kernels (default: SMOLVLM_NUM_THREADS or all cores).")
    var threads: Int?

    @Flag(help: "Also time PyTorch's interpolate on the same chain (needs Scripts/reference/.venv) and print the ratio.")
    var reference = false

    func run() throws {
        if let threads { ThreadPool.setSharedThreadCount(threads) }
        let modes: [String: TorchAntialiasResampler.Mode] = ["lanczos": .lanczos, "bicubic": .bicubic, "bilinear": .bilinear]
        guard let resampleMode = modes[mode] else { throw ValidationError("unknown mode \(mode)") }
        let steps = try sizes.map { size in
            let parts = size.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { throw ValidationError("bad size \(size), want WxH") }
            return (width: parts[0], height: parts[1])
        }
        guard steps.count >= 2 else { throw ValidationError("give a source and at least one target size") }
        let threadCount = ThreadPool.shared.threadCount
        print("threads: \(threadCount)   mode: \(mode)   chain: \(sizes.joined(separator: " -> "))   frames per run: \(frames)")
        let torch: [String: Double] = reference
            ? try ReferenceScript.run("bench_resize_torch.py", arguments: [
                "--runs", "\(runs)", "--threads", "\(threadCount)", "--frames", "\(frames)", "--mode", mode,
                "--sizes", sizes.joined(separator: " "),
            ])
            : [:]

        var generator = SystemRandomNumberGenerator()
        let source = steps[0]
        let images = try (0..<frames).map { _ in
            try Image(width: source.width, height: source.height,
                      rgb: (0..<source.width * source.height * 3).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        var resamplers: [TorchAntialiasResampler] = []
        let setup = ContinuousClock().measure {
            resamplers = zip(steps, steps.dropFirst()).map { from, to in
                TorchAntialiasResampler(resampleMode, inputWidth: from.width, inputHeight: from.height,
                                        outputWidth: to.width, outputHeight: to.height)
            }
        }
        let seconds = medianSeconds(runs: runs) {
            for image in images {
                _ = resamplers.reduce(image) { $1.resize($0) }
            }
        }
        let ms = seconds * 1e3 / Double(frames)
        print(String(format: "coefficients (once per video): %.3f ms", setup.seconds * 1e3))
        var line = String(format: "ms per frame: %.2f", ms)
        if let torchMs = torch["ms_per_frame"] {
            line += String(format: "   torch: %.2f   torch/ours: %.2f", torchMs, torchMs / ms)
        }
        print(line)
    }
}
