import ArgumentParser
import Foundation
import SmolPipeline
import SmolTensor
import SmolText
import SmolVision

/// SmolVLM's image path on a 1024×768 photo: preprocessing (split into 4×3 tiles +
/// global, and unsplit), SigLIP encoder + connector per 512 px tile, and time to the
/// first token of a short question, per encoder precision, with transformers
/// measured in the same run.
struct VisionBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vision",
        abstract: "Image preprocessing, encoder + connector ms per tile and time to first token (medians after a warm-up).")

    @Option(help: "A SmolVLM model directory (the SigLIP-B/16-512 shape: Models/SmolVLM-256M-shaped).")
    var model = "Models/SmolVLM-256M-shaped"

    @Option(help: "Tiles of the split photo per encoder call (the per-tile time is that call / tiles).")
    var tiles = 4

    @Option(help: "Timed runs per measurement (the median is reported).")
    var runs = 5

    @Option(help: "Encoder precisions to measure, comma-separated: float32, bfloat16.")
    var precisions = "float32,bfloat16"

    @Option(help: "The question asked about the photo for the time to first token.")
    var question = "What is in this picture?"

    @Option(help: "Threads for BLAS and the kernels (default: SMOLVLM_NUM_THREADS or all cores).")
    var threads: Int?

    @Flag(help: "Skip the time to first token (the slowest part).")
    var noFirstToken = false

    @Flag(help: "Measure the preprocessing only.")
    var preprocessOnly = false

    @Flag(help: "Report process CPU time instead of wall-clock time, here and in the reference (with --threads 1 the fair comparison on a busy machine).")
    var cpuTime = false

    @Flag(help: "Also run Scripts/reference/bench_transformers_vision.py (needs the reference venv).")
    var reference = false

    static let photoSize = (width: 1024, height: 768)

    func run() throws {
        if let threads { ThreadPool.setSharedThreadCount(threads) }
        let precisions = try self.precisions.split(separator: ",").map { name in
            guard let p = VisionEncoder.Precision(rawValue: String(name)) else {
                throw ValidationError("unknown precision \(name); use float32 or bfloat16")
            }
            return p
        }
        let photo = try Self.photo()
        // The reference runs first, while this process is idle.
        let theirs = self.reference && !preprocessOnly ? try runReference(photo) : [:]

        let url = URL(fileURLWithPath: model)
        print("threads: \(ThreadPool.shared.threadCount)   blas: \(RuntimeInfo.blasDescription)")
        print("model: \(model)   photo: \(Self.photoSize.width)×\(Self.photoSize.height) synthetic   runs: \(runs) (+1 warm-up)   "
              + (cpuTime ? "process CPU time" : "wall-clock time"))
        for precision in precisions {
            let kernels = VisionEncoder.isAccelerated(precision) ? "AVX-512 kernels" : "not accelerated on this CPU (float32 path)"
            print("encoder \(precision.rawValue): \(kernels)")
        }
        var table: [(String, Double, String)] = []

        var processor = try ImageProcessorConfig(contentsOf: url)
        for split in [true, false] {
            processor.doImageSplitting = split
            let imageProcessor = ImageProcessor(config: processor)
            let seconds = try medianSeconds(runs: runs, cpu: cpuTime) { _ = try imageProcessor.process([[photo]]) }
            table.append(("preprocess \(split ? "split (13 frames)" : "unsplit (1 frame)")", seconds * 1e3,
                          "preprocess_\(split ? "split" : "unsplit")_ms"))
        }

        for precision in preprocessOnly ? [] : precisions {
            let clock = ContinuousClock()
            var loaded: VisionLanguageModel? = nil
            let load = try clock.measure { loaded = try VisionLanguageModel(directory: url, encoderPrecision: precision) }
            let vlm = loaded!
            print("\(precision.rawValue) model load: \(String(format: "%.0f", load.seconds * 1e3)) ms")
            var split = vlm.processorConfig
            split.doImageSplitting = true
            let processed = try ImageProcessor(config: split).process([[photo]])
            let count = min(tiles, processed.frameCounts[0])
            let pixels = try processed.pixelValues.slice(axis: 1, start: 0, length: count)
            let mask = try processed.pixelAttentionMask.slice(axis: 1, start: 0, length: count)
            let encode = try medianSeconds(runs: runs, cpu: cpuTime) {
                _ = try vlm.connector(vlm.encoder.encode(pixelValues: pixels, pixelAttentionMask: mask).lastHiddenState)
            }
            table.append(("encoder+connector ms/tile \(precision.rawValue)", encode * 1e3 / Double(count),
                          "\(precision.rawValue).encoder_ms_per_tile"))

            if !noFirstToken {
                let messages = [ChatMessage(role: "user", content: [.image, .text(question)])]
                let ttft = try medianSeconds(runs: runs, cpu: cpuTime) { _ = try Self.firstToken(vlm, messages: messages, photo: photo) }
                table.append(("first token ms, split photo \(precision.rawValue)", ttft * 1e3, "\(precision.rawValue).ttft_ms"))
            }
        }

        print("")
        print("measurement".padding(toLength: 44, withPad: " ", startingAt: 0) + "ours".leftPadded(10)
              + "  transformers f32   ratio   transformers bf16   ratio")
        for (name, ours, key) in table {
            var line = name.padding(toLength: 44, withPad: " ", startingAt: 0) + Self.format(ours).leftPadded(10)
            let reference: [Double?]
            if key.hasPrefix("preprocess") {
                // The image processor has no dtype: one reference figure.
                reference = [theirs[key] as? Double]
            } else {
                let field = String(key.split(separator: ".").last!)
                reference = ["float32", "bfloat16"].map { (theirs[$0] as? [String: Any])?[field] as? Double }
            }
            for value in reference {
                if let value { line += Self.format(value).leftPadded(18) + Self.format(ours / value).leftPadded(8) }
            }
            print(line)
        }
        if let before = theirs["load_average_before"] as? Double, let after = theirs["load_average_after"] as? Double {
            print("reference: transformers \(theirs["transformers"] ?? "?"), torch \(theirs["torch"] ?? "?"), load average \(before) → \(after)")
        }
    }

    /// The prompt's first generated token: preprocessing, encoder, connector, merge,
    /// prefill of the whole prompt, argmax.
    static func firstToken(_ vlm: VisionLanguageModel, messages: [ChatMessage], photo: Image) throws -> Int {
        let prepared = try vlm.prepare(messages: messages, images: [photo])
        let features = try prepared.images.map { try vlm.imageFeatures($0) }
        let embeddings = try vlm.inputEmbeddings(ids: prepared.inputIDs, imageFeatures: features)
        var cache = KVCache(config: vlm.decoder.config, capacity: prepared.inputIDs.count + 1)
        let logits = try vlm.decoder.forward(embeddings: embeddings, cache: &cache).floats()
        return Sampler.argmax(logits)
    }

    /// A deterministic photo-like RGB image: smooth colour gradients plus texture noise.
    static func photo() throws -> Image {
        let (width, height) = photoSize
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for y in 0..<height {
            for x in 0..<width {
                let gradient = [x * 255 / (width - 1), y * 255 / (height - 1), (x + y) * 255 / (width + height - 2)]
                for c in 0..<3 {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let noise = Int(state >> 59) - 16
                    rgb[(y * width + x) * 3 + c] = UInt8(clamping: gradient[c] + noise)
                }
            }
        }
        return try Image(width: width, height: height, rgb: rgb)
    }

    func runReference(_ photo: Image) throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("smolvlm-bench-photo-\(getpid()).rgb")
        try Data(photo.pixels).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try ReferenceScript.runJSON("bench_transformers_vision.py", arguments: [
            "--model-dir", model, "--rgb", file.path, "--width", "\(photo.width)", "--height", "\(photo.height)",
            "--tiles", "\(tiles)", "--runs", "\(runs)", "--question", question,
            "--dtypes", precisions, "--threads", "\(threads ?? ThreadPool.defaultThreadCount)"]
            + (noFirstToken ? ["--no-first-token"] : []) + (cpuTime ? ["--cpu-time"] : []))
    }

    static func format(_ x: Double) -> String { String(format: x >= 100 ? "%.0f" : "%.2f", x) }
}
