import ArgumentParser
import Foundation
import SmolText

/// SmolLM2 prefill and decode speed, and tokenizer throughput, with
/// transformers measured in the same run.
struct TextBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text", abstract: "SmolLM2 prefill/decode tokens per second and tokenizer chars per second.")

    @Option(help: "A SmolLM2 model directory or .gguf file.")
    var model = "Models/SmolLM2-135M-Instruct"

    @Option(help: "Prompt length for the prefill measurement.")
    var promptTokens = 512

    @Option(help: "Greedy decode steps after the prefill.")
    var newTokens = 128

    @Option(help: "Timed runs (the median is reported).")
    var runs = 5

    @Flag(help: "Also run Scripts/reference/bench_transformers_text.py (needs the reference venv and the HF directory).")
    var reference = false

    func run() throws {
        // The reference runs first, while this process is idle: BLAS worker threads
        // that have just been busy keep spinning for a while and would slow it down.
        var reference: [String: Any] = [:]
        if self.reference {
            reference = try ReferenceScript.runJSON("bench_transformers_text.py", arguments: [
                "--prompt-tokens", "\(promptTokens)", "--new-tokens", "\(newTokens)", "--runs", "\(runs)"])
        }
        let url = URL(fileURLWithPath: model)
        let clock = ContinuousClock()
        var loaded: SmolLM2? = nil
        let load = try clock.measure { loaded = try SmolLM2(contentsOf: url) }
        let decoder = loaded!
        let tokenizer = try Tokenizer(contentsOf: url)
        print("model: \(model)   load: \(Self.format(load.seconds * 1e3)) ms")

        // The same kind of prompt the reference script builds: ordinary English, cut to length.
        let paragraph = "Small language models are useful when a task must run on a phone or a laptop without a network connection. They answer short questions, summarize notes, and describe pictures when paired with a vision encoder. "
        var ids: [Int] = []
        while ids.count < promptTokens { ids += tokenizer.encode(paragraph) }
        ids = Array(ids.prefix(promptTokens))

        var prefills: [Double] = [], decodes: [Double] = []
        for run in 0...runs {
            var cache = KVCache(config: decoder.config, capacity: promptTokens + newTokens)
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
        let prefillRate = Double(promptTokens) / median(prefills)
        let decodeRate = Double(newTokens) / median(decodes)

        let corpus = try Self.corpusLines()
        let characters = corpus.reduce(0) { $0 + $1.count }
        let encodeSeconds = medianSeconds(runs: runs) { for line in corpus { _ = tokenizer.encode(line) } }

        print("                      ours        transformers f32   ratio     transformers bf16   ratio")
        func row(_ name: String, _ ours: Double, _ key: String) {
            var line = name.padding(toLength: 20, withPad: " ", startingAt: 0) + Self.format(ours).leftPadded(10)
            for dtype in ["float32", "bfloat16"] {
                if let theirs = (reference[dtype] as? [String: Any])?[key] as? Double {
                    line += Self.format(theirs).leftPadded(19) + Self.format(ours / theirs).leftPadded(8)
                }
            }
            print(line)
        }
        row("prefill tok/s", prefillRate, "prefill_tokens_per_s")
        row("decode tok/s", decodeRate, "decode_tokens_per_s")
        print("tokenizer: \(Self.format(Double(characters) / encodeSeconds / 1e6)) M chars/s (\(corpus.count) lines, warm BPE cache)")
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
