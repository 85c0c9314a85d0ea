import ArgumentParser
import Foundation
import SmolPipeline
import SmolTensor
import SmolText
import SmolVision

/// The whole SmolVLM pipeline on one photo and a short question, with transformers
/// (float32 and bfloat16) measured in the same run by Scripts/reference/bench_transformers.py.
struct PipelineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "End to end: load, image processing, encoder, time to first token, prefill, decode, peak memory.")

    static let question = "What is in this image?"
    static let followUp = "What colours does it have?"

    @Option(help: "A SmolVLM / SmolVLM2 model directory.")
    var model = "Models/SmolVLM-256M-shaped"

    @Option(help: "How our model holds and computes its weights: \(PipelinePrecision.allValueStrings.joined(separator: ", ")).")
    var precision = PipelinePrecision.float32

    @Option(help: "Timed runs (the median is reported), each after one warm-up run.")
    var runs = 5

    @Option(help: "Greedy decode steps after the prefill.")
    var newTokens = 128

    @Flag(help: "Also run Scripts/reference/bench_transformers.py first (needs the reference venv).")
    var reference = false

    @Option(help: "transformers dtypes to measure with --reference (comma-separated: float32, bfloat16).")
    var referenceDtypes = "float32,bfloat16"

    @Option(help: "Threads for both sides (default: SMOLVLM_NUM_THREADS or all cores).")
    var threads: Int?

    func run() async throws {
        if let threads { ThreadPool.setSharedThreadCount(threads) }
        let threadCount = ThreadPool.shared.threadCount
        let url = URL(fileURLWithPath: model)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
            throw ValidationError("no model at \(model); see Documentation/Performance.md for the commands that build it")
        }
        let photo = try BenchmarkPhoto.make()

        // The reference runs first, while this process is idle: BLAS worker threads
        // that have just been busy keep spinning for a while and would slow it down.
        var theirs: [String: Any] = [:]
        if reference {
            print("running transformers (\(referenceDtypes)) first …")
            theirs = try ReferenceScript.runJSON("bench_transformers.py", arguments: [
                "--model-dir", url.path, "--dtypes", referenceDtypes, "--runs", "\(runs)",
                "--new-tokens", "\(newTokens)", "--threads", "\(threadCount)"])
            let checksum = (theirs["photo_checksum"] as? NSNumber)?.uint64Value
            guard checksum == BenchmarkPhoto.checksum(photo) else {
                throw ReferenceScript.Failure(description: "bench_transformers.py's photo differs from BenchmarkPhoto (checksum \(checksum.map(String.init) ?? "missing"))")
            }
        }

        let ours = try await measure(url: url, photo: photo)
        print("model: \(model)   precision: \(precision)   threads: \(threadCount)   blas: \(RuntimeInfo.blasDescription)")
        print("photo: \(BenchmarkPhoto.width)×\(BenchmarkPhoto.height), \(ours.tiles) tiles split; prompt \(ours.promptTokens) tokens (\(ours.imageTokens) image tokens), \"\(Self.question)\"")
        print("runs: \(runs) after 1 warm-up (load: one sample); decode: \(newTokens) greedy tokens")
        if let before = theirs["load_average_before"], let after = theirs["load_average_after"] {
            print("load average during transformers: \(before) → \(after); transformers \(theirs["transformers"] ?? "?"), torch \(theirs["torch"] ?? "?"), sdpa")
        }
        print("")
        printTable(ours: ours, theirs: theirs)
        print("")
        print(ours.breakdown)
        let firstTokens = referenceDtypes.split(separator: ",").compactMap { dtype in
            ((theirs[String(dtype)] as? [String: Any])?["first_token"] as? NSNumber).map { "transformers \(dtype) \($0)" }
        }
        print((["first token: ours \(ours.firstToken)"] + firstTokens).joined(separator: ", "))
    }

    /// Our figures; everything after loading reuses one model.
    func measure(url: URL, photo: Image) async throws -> PipelineFigures {
        let clock = ContinuousClock()
        var loaded: VisionLanguageModel? = nil
        let load = try clock.measure { loaded = try precision.load(url) }
        guard let vlm = loaded else { throw ValidationError("the model did not load") }
        var figures = PipelineFigures()
        figures.values["load_s"] = load.seconds

        var split = vlm.processorConfig, unsplit = vlm.processorConfig
        split.doImageSplitting = true
        unsplit.doImageSplitting = false
        figures.values["processor_split_ms"] = try medianSeconds(runs: runs) { _ = try ImageProcessor(config: split).process([[photo]]) } * 1e3
        figures.values["processor_unsplit_ms"] = try medianSeconds(runs: runs) { _ = try ImageProcessor(config: unsplit).process([[photo]]) } * 1e3
        let oneTile = try ImageProcessor(config: unsplit).process([[photo]])
        figures.values["encoder_ms_per_tile"] = try medianSeconds(runs: runs) { _ = try vlm.imageFeatures(oneTile) } * 1e3

        // Time to first token as an app sees it: a new VisionChat per run, the decoded photo and
        // the question in, one token out. Then a second question about the same photo, whose
        // image features and KV-cache prefix the conversation reuses.
        var firstTurns: [Double] = [], secondTurns: [Double] = []
        var firstToken = -1, secondPrefilled = 0
        for run in 0...runs {
            let chat = VisionChat(model: vlm)
            let options = ChatOptions(maxTokens: 1)
            var first: ChatResponse? = nil, second: ChatResponse? = nil
            let cold = try await clock.measure {
                first = try await chat.respond(to: [.image(.decoded(photo)), .text(Self.question)], options: options)
            }
            let warm = try await clock.measure { second = try await chat.respond(to: [.text(Self.followUp)], options: options) }
            guard let first, let second, let token = first.tokens.first else { throw ValidationError("VisionChat gave no token") }
            guard second.prefilledTokenCount * 4 < second.promptTokenCount else {
                throw ValidationError("the second question recomputed \(second.prefilledTokenCount) of \(second.promptTokenCount) prompt positions")
            }
            firstToken = token
            figures.firstToken = token
            secondPrefilled = second.prefilledTokenCount
            if run > 0 { firstTurns.append(cold.seconds); secondTurns.append(warm.seconds) }
        }
        figures.values["ttft_ms"] = median(firstTurns) * 1e3
        figures.values["second_question_ttft_ms"] = median(secondTurns) * 1e3

        // One pass through the model API, timed by stage: where the first token's time goes.
        let messages = [ChatMessage(role: "user", content: [.image, .text(Self.question)])]
        var prepared: PreparedPrompt? = nil
        let prepare = try clock.measure { prepared = try vlm.prepare(messages: messages, images: [photo]) }
        guard let prepared, let images = prepared.images else { throw ValidationError("the prompt has no image") }
        var features: Tensor? = nil
        let encode = try clock.measure { features = try vlm.imageFeatures(images) }
        var merged: Tensor? = nil
        let merge = try clock.measure { merged = try vlm.inputEmbeddings(ids: prepared.inputIDs, imageFeatures: features) }
        guard let embeddings = merged else { throw ValidationError("no embeddings") }
        let ids = prepared.inputIDs
        figures.tiles = images.frameCounts.reduce(0, +)
        figures.promptTokens = ids.count
        figures.imageTokens = prepared.imageTokenCount(vlm.imageTokenID)

        // Prefill (vision excluded) and decode, as the text benchmark times them.
        let decoder = vlm.decoder
        var prefills: [Double] = [], decodes: [Double] = []
        for run in 0...runs {
            var cache = KVCache(config: decoder.config, capacity: ids.count + newTokens)
            var logits: [Float] = []
            let prefill = try clock.measure { logits = try decoder.forward(embeddings: embeddings, cache: &cache).floats() }
            guard Sampler.argmax(logits) == firstToken else {
                throw ValidationError("the prefill's first token \(Sampler.argmax(logits)) differs from VisionChat's \(firstToken)")
            }
            let decode = try clock.measure {
                for _ in 0..<newTokens {
                    logits = try decoder.forward(embeddings: decoder.embed([Sampler.argmax(logits)]), cache: &cache).floats()
                }
            }
            if run > 0 { prefills.append(prefill.seconds); decodes.append(decode.seconds) }
        }
        let prefill = median(prefills)
        figures.values["prefill_tokens_per_s"] = Double(ids.count) / prefill
        figures.values["decode_tokens_per_s"] = Double(newTokens) / median(decodes)
        figures.values["peak_rss_mb"] = Double(peakResidentBytes()) / (1024 * 1024)

        let tiles = Double(figures.tiles)
        figures.breakdown = String(
            format: "our first token, one pass by stage: template + processor + tokenize %.0f ms, encoder + connector %.0f ms (%d tiles, %.0f ms/tile), merge %.1f ms, prefill %.0f ms (median); second question recomputes %d positions",
            prepare.seconds * 1e3, encode.seconds * 1e3, figures.tiles, encode.seconds * 1e3 / tiles, merge.seconds * 1e3,
            prefill * 1e3, secondPrefilled)
        return figures
    }

    func printTable(ours: PipelineFigures, theirs: [String: Any]) {
        let dtypes = referenceDtypes.split(separator: ",").map(String.init).filter { theirs[$0] != nil }
        var header = "figure".padding(toLength: 36, withPad: " ", startingAt: 0) + "ours".leftPadded(10)
        for dtype in dtypes { header += "transformers \(dtype == "float32" ? "f32" : "bf16")".leftPadded(19) + "ratio".leftPadded(7) }
        print(header)
        for row in PipelineFigures.rows {
            guard let value = ours.values[row.key] else { continue }
            var line = row.name.padding(toLength: 36, withPad: " ", startingAt: 0) + Self.format(value * row.scale).leftPadded(10)
            for dtype in dtypes {
                guard let reference = ((theirs[dtype] as? [String: Any])?[row.key] as? NSNumber)?.doubleValue else {
                    line += "—".leftPadded(19) + "".leftPadded(7)
                    continue
                }
                let ratio = row.higherIsBetter ? value / reference : reference / value
                line += Self.format(reference * row.scale).leftPadded(19) + String(format: "%.2f", ratio).leftPadded(7)
            }
            print(line)
        }
        if !dtypes.isEmpty { print("ratio > 1: ours is faster (or uses less memory) by that factor") }
    }

    static func format(_ x: Double) -> String {
        String(format: x >= 100 ? "%.0f" : x >= 10 ? "%.1f" : "%.2f", x)
    }
}

/// Our measured values under the reference script's JSON keys, so rows pair up.
struct PipelineFigures {
    struct Row {
        let name: String
        let key: String
        let higherIsBetter: Bool
        /// From the key's unit to the printed unit.
        var scale = 1.0
    }

    static let rows: [Row] = [
        Row(name: "load (s)", key: "load_s", higherIsBetter: false),
        Row(name: "processor, split (ms)", key: "processor_split_ms", higherIsBetter: false),
        Row(name: "processor, unsplit (ms)", key: "processor_unsplit_ms", higherIsBetter: false),
        Row(name: "encoder + connector per tile (ms)", key: "encoder_ms_per_tile", higherIsBetter: false),
        Row(name: "time to first token (s)", key: "ttft_ms", higherIsBetter: false, scale: 1e-3),
        Row(name: "second question, same photo (s)", key: "second_question_ttft_ms", higherIsBetter: false, scale: 1e-3),
        Row(name: "prefill (tokens/s)", key: "prefill_tokens_per_s", higherIsBetter: true),
        Row(name: "decode (tokens/s)", key: "decode_tokens_per_s", higherIsBetter: true),
        Row(name: "peak RSS (MB)", key: "peak_rss_mb", higherIsBetter: false),
    ]

    var values: [String: Double] = [:]
    var tiles = 0
    var promptTokens = 0
    var imageTokens = 0
    var firstToken = -1
    var breakdown = ""
}

/// How the benchmark loads our model: the loading modes `VisionLanguageModel` offers,
/// so `--precision` accepts exactly those.
enum PipelinePrecision: String, CaseIterable, ExpressibleByArgument, CustomStringConvertible {
    /// float32 weights and arithmetic throughout (the numerics the goldens check).
    case float32

    func load(_ directory: URL) throws -> VisionLanguageModel {
        switch self {
        case .float32: return try VisionLanguageModel(directory: directory)
        }
    }

    var description: String { rawValue }
}
