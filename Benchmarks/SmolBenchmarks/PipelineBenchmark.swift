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

    @Option(help: """
        Our configurations, comma-separated ENCODER/DECODER precision pairs, each measured in its own process \
        (encoder: \(PipelinePrecision.encoderNames); decoder: \(PipelinePrecision.decoderNames)).
        """)
    var precisions = "float32/float32,bfloat16/q8_0"

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

    @Option(help: .hidden)
    var measureOne: String?

    func run() async throws {
        if let threads { ThreadPool.setSharedThreadCount(threads) }
        let url = URL(fileURLWithPath: model)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
            throw ValidationError("no model at \(model); see Documentation/Performance.md for the commands that build it")
        }
        if let measureOne {
            // A child process: one configuration, so that its peak RSS is its own.
            let figures = try await PipelineMeasurement(url: url, precision: PipelinePrecision(measureOne), runs: runs,
                                                  newTokens: newTokens).measure()
            print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
            return
        }
        let configurations = try precisions.split(separator: ",").map { try PipelinePrecision(String($0)) }
        let threadCount = ThreadPool.shared.threadCount

        // The reference runs first, while this process is idle: BLAS worker threads
        // that have just been busy keep spinning for a while and would slow it down.
        var theirs: [String: Any] = [:]
        if reference {
            print("running transformers (\(referenceDtypes)) …")
            theirs = try ReferenceScript.runJSON("bench_transformers.py", arguments: [
                "--model-dir", url.path, "--dtypes", referenceDtypes, "--runs", "\(runs)",
                "--new-tokens", "\(newTokens)", "--threads", "\(threadCount)"])
            let checksum = (theirs["photo_checksum"] as? NSNumber)?.uint64Value
            guard checksum == BenchmarkPhoto.checksum(try BenchmarkPhoto.make()) else {
                throw ReferenceScript.Failure(description: "bench_transformers.py's photo differs from BenchmarkPhoto (checksum \(checksum.map(String.init) ?? "missing"))")
            }
        }
        var results: [(PipelinePrecision, PipelineFigures)] = []
        let loadBefore = oneMinuteLoadAverage()
        for configuration in configurations {
            print("measuring ours, \(configuration) …")
            results.append((configuration, try measureInChild(configuration, threads: threadCount)))
        }
        let loadAfter = oneMinuteLoadAverage()

        print("")
        print("model: \(model)   threads: \(threadCount)   blas: \(RuntimeInfo.blasDescription)   decode kernels: \(MatVecKernels.active)")
        if let first = results.first?.1 {
            print("photo: \(BenchmarkPhoto.width)×\(BenchmarkPhoto.height), \(first.tiles) tiles split; prompt \(first.promptTokens) tokens (\(first.imageTokens) image tokens), \"\(Self.question)\"")
        }
        print("runs: \(runs) after 1 warm-up (load: one sample); decode: \(newTokens) greedy tokens")
        if let before = theirs["load_average_before"], let after = theirs["load_average_after"] {
            print("load average during transformers: \(before) → \(after); transformers \(theirs["transformers"] ?? "?"), torch \(theirs["torch"] ?? "?"), sdpa")
        }
        print(String(format: "load average during ours: %.2f → %.2f", loadBefore, loadAfter))
        for (configuration, ours) in results {
            print("")
            print("ours: \(configuration) (encoder \(VisionEncoder.isAccelerated(configuration.encoder) ? "vector kernels" : "portable path"))")
            printTable(ours: ours, theirs: theirs)
            print(ours.breakdown)
        }
        let firstTokens = results.map { "ours \($0.0) \($0.1.firstToken)" } + referenceDtypes.split(separator: ",").compactMap { dtype in
            ((theirs[String(dtype)] as? [String: Any])?["first_token"] as? NSNumber).map { "transformers \(dtype) \($0)" }
        }
        print("")
        print("first token: " + firstTokens.joined(separator: ", "))
        if !theirs.isEmpty { print("ratio > 1: ours is faster (or uses less memory) by that factor") }
    }

    /// Runs this benchmark again in a child process for `configuration` and decodes its JSON.
    func measureInChild(_ configuration: PipelinePrecision, threads: Int) throws -> PipelineFigures {
        let data = try runCapturingOutput(benchmarkExecutable, arguments: [
            "pipeline", "--model", model, "--runs", "\(runs)", "--new-tokens", "\(newTokens)",
            "--threads", "\(threads)", "--measure-one", configuration.description], what: "the \(configuration) measurement")
        return try JSONDecoder().decode(PipelineFigures.self, from: data)
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
    }

    static func format(_ x: Double) -> String {
        String(format: x >= 100 ? "%.0f" : x >= 10 ? "%.1f" : "%.2f", x)
    }
}

/// An encoder/decoder precision pair, written `ENCODER/DECODER` (`bfloat16/q8_0`): the
/// loading options `VisionLanguageModel` offers, so the benchmark accepts exactly those.
struct PipelinePrecision: CustomStringConvertible {
    let encoder: VisionEncoder.Precision
    let decoder: WeightPrecision

    static var encoderNames: String { VisionEncoder.Precision.allCases.map(\.rawValue).joined(separator: ", ") }
    static var decoderNames: String { WeightPrecision.allCases.map(\.rawValue).joined(separator: ", ") }

    init(_ text: String) throws {
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count == 2 else { throw ValidationError("'\(text)' is not ENCODER/DECODER, e.g. bfloat16/q8_0") }
        guard let encoder = VisionEncoder.Precision(rawValue: parts[0]) else {
            throw ValidationError("unknown encoder precision '\(parts[0])'; use \(Self.encoderNames)")
        }
        guard let decoder = WeightPrecision(rawValue: parts[1]) else {
            throw ValidationError("unknown decoder precision '\(parts[1])'; use \(Self.decoderNames)")
        }
        self.encoder = encoder
        self.decoder = decoder
    }

    func load(_ directory: URL) throws -> VisionLanguageModel {
        try VisionLanguageModel(directory: directory, decoderPrecision: decoder, encoderPrecision: encoder)
    }

    var description: String { "\(encoder.rawValue)/\(decoder.rawValue)" }
}
