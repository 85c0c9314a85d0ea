import ArgumentParser
import Foundation
import SmolTensor
import SmolText

/// SmolLM2 prefill and decode speed per weight precision, load time and peak
/// memory, and tokenizer throughput, with transformers measured in the same run.
struct TextBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "SmolLM2 prefill/decode tokens per second per weight precision, load time, peak RSS, tokenizer chars per second.")

    @Option(help: "A SmolLM2 model directory or .gguf file.")
    var model = "Models/SmolLM2-135M-Instruct"

    @Option(help: "Weight precisions to measure, comma-separated (float32, bfloat16, q8_0, q4_0, q4_1).")
    var precisions = "float32,bfloat16,q8_0,q4_0"

    @Option(help: "Prompt length for the prefill measurement.")
    var promptTokens = 512

    @Option(help: "Greedy decode steps after the prefill.")
    var newTokens = 128

    @Option(help: "Timed runs (the median is reported).")
    var runs = 5

    @Flag(help: "Also run Scripts/reference/bench_transformers_text.py (needs the reference venv and the HF directory).")
    var reference = false

    @Option(help: .hidden)
    var measureOne: String?

    func run() throws {
        if let measureOne {
            // A child process: one precision, so that its peak RSS is its own.
            guard let precision = WeightPrecision(rawValue: measureOne) else { throw ValidationError("unknown precision \(measureOne)") }
            let result = try measure(precision)
            let data = try JSONSerialization.data(withJSONObject: result)
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let modes = try precisions.split(separator: ",").map { name in
            guard let precision = WeightPrecision(rawValue: String(name)) else { throw ValidationError("unknown precision \(name)") }
            return precision
        }
        // The reference runs first, while this process is idle: BLAS worker threads
        // that have just been busy keep spinning for a while and would slow it down.
        var reference: [String: Any] = [:]
        if self.reference {
            reference = try ReferenceScript.runJSON("bench_transformers_text.py", arguments: [
                "--prompt-tokens", "\(promptTokens)", "--new-tokens", "\(newTokens)", "--runs", "\(runs)"])
        }
        print("model: \(model)   prompt \(promptTokens) tokens, \(newTokens) greedy steps, median of \(runs)   kernels: \(MatVecKernels.active)")
        print("decode: after the prompt (as the transformers reference); tg: \(newTokens) steps from an empty context (as llama-bench tg\(newTokens))")
        var results: [(WeightPrecision, [String: Double])] = []
        for precision in modes { results.append((precision, try measureInChild(precision))) }

        func theirs(_ dtype: String, _ key: String) -> Double? { (reference[dtype] as? [String: Any])?[key] as? Double }
        let header = "precision".padding(toLength: 10, withPad: " ", startingAt: 0)
            + "decode tok/s".leftPadded(14) + "×tf f32".leftPadded(9) + "×tf bf16".leftPadded(10)
            + "tg (empty ctx)".leftPadded(16)
            + "prefill tok/s".leftPadded(15) + "×tf f32".leftPadded(9) + "load ms".leftPadded(9) + "peak RSS MB".leftPadded(13)
        print(header)
        for (precision, r) in results {
            func ratio(_ ours: Double?, _ dtype: String, _ key: String) -> String {
                guard let ours, let t = theirs(dtype, key) else { return "-" }
                return Self.format(ours / t)
            }
            let decode = r["decode_tokens_per_s"], prefill = r["prefill_tokens_per_s"]
            print(precision.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + Self.format(decode ?? 0).leftPadded(14)
                  + ratio(decode, "float32", "decode_tokens_per_s").leftPadded(9)
                  + ratio(decode, "bfloat16", "decode_tokens_per_s").leftPadded(10)
                  + Self.format(r["short_decode_tokens_per_s"] ?? 0).leftPadded(16)
                  + Self.format(prefill ?? 0).leftPadded(15)
                  + ratio(prefill, "float32", "prefill_tokens_per_s").leftPadded(9)
                  + Self.format(r["load_ms"] ?? 0).leftPadded(9)
                  + Self.format(r["peak_rss_mb"] ?? 0).leftPadded(13))
        }
        for dtype in ["float32", "bfloat16"] {
            if let d = theirs(dtype, "decode_tokens_per_s"), let p = theirs(dtype, "prefill_tokens_per_s") {
                print("transformers \(dtype): decode \(Self.format(d)) tok/s, prefill \(Self.format(p)) tok/s")
            }
        }
        if let before = reference["load_average_before"], let after = reference["load_average_after"] {
            print("load average during the reference: \(before) → \(after)")
        }

        let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: model))
        let corpus = try Self.corpusLines()
        let characters = corpus.reduce(0) { $0 + $1.count }
        let encodeSeconds = medianSeconds(runs: runs) { for line in corpus { _ = tokenizer.encode(line) } }
        print("tokenizer: \(Self.format(Double(characters) / encodeSeconds / 1e6)) M chars/s (\(corpus.count) lines, warm BPE cache)")
    }

    /// Runs this benchmark again in a child process for `precision` and reads its JSON line.
    func measureInChild(_ precision: WeightPrecision) throws -> [String: Double] {
        let data = try runCapturingOutput(benchmarkExecutable, arguments: [
            "text", "--model", model, "--prompt-tokens", "\(promptTokens)", "--new-tokens", "\(newTokens)",
            "--runs", "\(runs)", "--measure-one", precision.rawValue], what: "the \(precision) measurement")
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Double] else {
            throw ReferenceScript.Failure(description: "the \(precision) measurement printed no JSON object")
        }
        return object
    }

    /// Load, prefill and decode of one precision in this process.
    func measure(_ precision: WeightPrecision) throws -> [String: Double] {
        let url = URL(fileURLWithPath: model)
        let clock = ContinuousClock()
        var loaded: SmolLM2? = nil
        let load = try clock.measure { loaded = try SmolLM2(contentsOf: url, precision: precision) }
        let decoder = loaded!
        let tokenizer = try Tokenizer(contentsOf: url)

        // The same kind of prompt the reference script builds: ordinary English, cut to length.
        let paragraph = "Small language models are useful when a task must run on a phone or a laptop without a network connection. They answer short questions, summarize notes, and describe pictures when paired with a vision encoder. "
        var ids: [Int] = []
        while ids.count < promptTokens { ids += tokenizer.encode(paragraph) }
        ids = Array(ids.prefix(promptTokens))

        var prefills: [Double] = [], decodes: [Double] = []
        var cache = KVCache(config: decoder.config, capacity: promptTokens + newTokens)
        for run in 0...runs {
            cache.truncate(to: 0)
            var logits: [Float] = []
            let prefill = try clock.measure { logits = try decoder.forward(embeddings: decoder.embed(ids), cache: &cache).floats() }
            let decode = try clock.measure {
                for _ in 0..<newTokens {
                    let next = Sampler.argmax(logits)
                    logits = try decoder.forward(embeddings: decoder.embed([next]), cache: &cache).floats()
                }
            }
            if run > 0 { prefills.append(prefill.seconds); decodes.append(decode.seconds) }  // run 0 warms up
        }
        // Decode from an (almost) empty context, as llama-bench's tg128 measures it.
        var shortDecodes: [Double] = []
        for run in 0...runs {
            cache.truncate(to: 0)
            var logits = try decoder.forward(embeddings: decoder.embed([ids[0]]), cache: &cache).floats()
            let decode = try clock.measure {
                for _ in 0..<newTokens {
                    logits = try decoder.forward(embeddings: decoder.embed([Sampler.argmax(logits)]), cache: &cache).floats()
                }
            }
            if run > 0 { shortDecodes.append(decode.seconds) }
        }
        let rssMB = Double(peakResidentBytes()) / (1024 * 1024)
        return [
            "load_ms": load.seconds * 1e3,
            "prefill_tokens_per_s": Double(promptTokens) / median(prefills),
            "decode_tokens_per_s": Double(newTokens) / median(decodes),
            "short_decode_tokens_per_s": Double(newTokens) / median(shortDecodes),
            "peak_rss_mb": rssMB,
        ]
    }

    static func corpusLines() throws -> [String] {
        let url = URL(fileURLWithPath: "Tests/SmolTextTests/Fixtures/tokenizer/corpus.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(String.self, from: Data($0.utf8)) }
    }

    static func format(_ x: Double) -> String { String(format: x >= 100 ? "%.0f" : "%.2f", x) }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
