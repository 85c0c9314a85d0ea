import ArgumentParser
import Foundation
import SmolTensor
import SmolVision

/// SigLIP vision-encoder speed: milliseconds per full tile (512 px for B/16).
struct VisionBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vision", abstract: "SigLIP encoder milliseconds per tile (median of runs after a warm-up).")

    @Option(help: "A model directory: config.json (vision_config) and safetensors with model.vision_model.* tensors.")
    var model = "Models/siglip-b16-512-random"

    @Option(help: "Tiles per encode call (a split image is up to 16 tiles plus the global one).")
    var tiles = 4

    @Option(help: "Tiles that go through the layers together (bounds the activation memory).")
    var framesPerBatch = VisionEncoder.defaultFramesPerBatch

    @Option(help: "Timed runs (the median is reported).")
    var runs = 5

    @Option(help: "Encoder precision: float32 or bfloat16.")
    var precision = "float32"

    @Option(help: "Threads for BLAS and the kernels (default: SMOLVLM_NUM_THREADS or all cores).")
    var threads: Int?

    func run() throws {
        if let threads { ThreadPool.setSharedThreadCount(threads) }
        let url = URL(fileURLWithPath: model)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
            throw ValidationError("no model at \(model); for the SigLIP-B/16 shape run python3 Scripts/make_random_vision_weights.py")
        }
        let clock = ContinuousClock()
        var loaded: VisionEncoder? = nil
        let load = try clock.measure { loaded = try VisionEncoder(contentsOf: url, precision: VisionEncoder.Precision(rawValue: precision)!) }
        guard let encoder = loaded else { throw ValidationError("the encoder did not load") }
        let c = encoder.config
        print("threads: \(ThreadPool.shared.threadCount)   blas: \(RuntimeInfo.blasDescription)")
        print("model: \(model)   load: \(String(format: "%.1f", load.seconds * 1e3)) ms")
        print("tower: hidden \(c.hiddenSize), \(c.layerCount) layers, \(c.attentionHeads) heads, MLP \(c.intermediateSize), \(c.imageSize) px / \(c.patchSize) px patches")

        // Normalised pixels lie in [-1, 1]; random ones never make an all-zero (padding) tile.
        var generator = SystemRandomNumberGenerator()
        let count = tiles * c.channelCount * c.imageSize * c.imageSize
        let pixels = try Tensor(shape: [tiles, c.channelCount, c.imageSize, c.imageSize],
                                floats: (0..<count).map { _ in Float.random(in: -1...1, using: &generator) })
        let seconds = try medianSeconds(runs: runs) {
            _ = try encoder.encode(pixelValues: pixels, framesPerBatch: framesPerBatch)
        }
        let perTile = seconds / Double(tiles)
        print("tiles per call: \(tiles)   frames per batch: \(framesPerBatch)   runs: \(runs) (+1 warm-up)")
        print(String(format: "ms per tile: %.1f   (%.1f GFLOP/s)", perTile * 1e3, Self.flopsPerTile(c) / perTile / 1e9))
    }

    /// Multiply-adds ×2 of one full tile: patch embedding, then per layer the four
    /// attention projections, the two attention products and the MLP.
    static func flopsPerTile(_ c: VisionConfig) -> Double {
        let s = Double(c.patchesPerSide * c.patchesPerSide), d = Double(c.hiddenSize), m = Double(c.intermediateSize)
        let patch = 2 * s * d * Double(c.channelCount * c.patchSize * c.patchSize)
        let layer = 2 * s * (4 * d * d + 2 * d * m) + 2 * 2 * s * s * d
        return patch + Double(c.layerCount) * layer
    }
}
