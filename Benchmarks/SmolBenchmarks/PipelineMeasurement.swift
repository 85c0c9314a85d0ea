import Foundation
import SmolPipeline
import SmolTensor
import SmolText
import SmolVision

/// Our figures for one configuration, under the reference script's JSON keys so rows pair up.
struct PipelineFigures: Codable {
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

/// The pipeline benchmark's measurements of one configuration, in this process.
struct PipelineMeasurement {
    let url: URL
    let precision: PipelinePrecision
    let runs: Int
    let newTokens: Int

    func measure() async throws -> PipelineFigures {
        let photo = try BenchmarkPhoto.make()
        let clock = ContinuousClock()
        var loaded: VisionLanguageModel? = nil
        let load = try clock.measure { loaded = try precision.load(url) }
        guard let vlm = loaded else { throw PipelineBenchmarkError("the model did not load") }
        var figures = PipelineFigures()
        figures.values["load_s"] = load.seconds

        var split = vlm.processorConfig, unsplit = vlm.processorConfig
        split.doImageSplitting = true
        unsplit.doImageSplitting = false
        figures.values["processor_split_ms"] = try medianSeconds(runs: runs) { _ = try ImageProcessor(config: split).process([[photo]]) } * 1e3
        figures.values["processor_unsplit_ms"] = try medianSeconds(runs: runs) { _ = try ImageProcessor(config: unsplit).process([[photo]]) } * 1e3
        let oneTile = try ImageProcessor(config: unsplit).process([[photo]])
        figures.values["encoder_ms_per_tile"] = try medianSeconds(runs: runs) { _ = try vlm.imageFeatures(oneTile) } * 1e3

        let (firstTurns, secondTurns, firstToken, secondPrefilled) = try await conversations(vlm, photo: photo)
        figures.values["ttft_ms"] = median(firstTurns) * 1e3
        figures.values["second_question_ttft_ms"] = median(secondTurns) * 1e3
        figures.firstToken = firstToken

        // One pass through the model API, timed by stage: where the first token's time goes.
        let messages = [ChatMessage(role: "user", content: [.image, .text(PipelineBenchmark.question)])]
        var prepared: PreparedPrompt? = nil
        let prepare = try clock.measure { prepared = try vlm.prepare(messages: messages, images: [photo]) }
        guard let prepared, let images = prepared.images else { throw PipelineBenchmarkError("the prompt has no image") }
        var features: Tensor? = nil
        let encode = try clock.measure { features = try vlm.imageFeatures(images) }
        var merged: Tensor? = nil
        let merge = try clock.measure { merged = try vlm.inputEmbeddings(ids: prepared.inputIDs, imageFeatures: features) }
        guard let embeddings = merged else { throw PipelineBenchmarkError("no embeddings") }
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
                throw PipelineBenchmarkError("the prefill's first token \(Sampler.argmax(logits)) differs from VisionChat's \(firstToken)")
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

        figures.breakdown = String(
            format: "our first token, one pass by stage: template + processor + tokenize %.0f ms, encoder + connector %.0f ms (%d tiles, %.0f ms/tile), merge %.1f ms, prefill %.0f ms (median); the second question recomputes %d positions",
            prepare.seconds * 1e3, encode.seconds * 1e3, figures.tiles, encode.seconds * 1e3 / Double(figures.tiles),
            merge.seconds * 1e3, prefill * 1e3, secondPrefilled)
        return figures
    }

    /// Time to first token as an app sees it: a new VisionChat per run, the decoded photo
    /// and the question in, one token out; then a second question about the same photo,
    /// whose image features and KV-cache prefix the conversation reuses.
    func conversations(_ vlm: VisionLanguageModel, photo: Image) async throws
        -> (first: [Double], second: [Double], firstToken: Int, secondPrefilled: Int)
    {
        var firstTurns: [Double] = [], secondTurns: [Double] = []
        var firstToken = -1, secondPrefilled = 0
        for run in 0...runs {
            let chat = VisionChat(model: vlm)
            let options = ChatOptions(maxTokens: 1)
            let clock = ContinuousClock()
            var start = clock.now
            let first = try await chat.respond(to: [.image(.decoded(photo)), .text(PipelineBenchmark.question)], options: options)
            let cold = (clock.now - start).seconds
            start = clock.now
            let second = try await chat.respond(to: [.text(PipelineBenchmark.followUp)], options: options)
            let warm = (clock.now - start).seconds
            guard let token = first.tokens.first else { throw PipelineBenchmarkError("VisionChat gave no token") }
            guard second.prefilledTokenCount * 4 < second.promptTokenCount else {
                throw PipelineBenchmarkError("the second question recomputed \(second.prefilledTokenCount) of \(second.promptTokenCount) prompt positions")
            }
            firstToken = token
            secondPrefilled = second.prefilledTokenCount
            if run > 0 { firstTurns.append(cold); secondTurns.append(warm) }
        }
        return (firstTurns, secondTurns, firstToken, secondPrefilled)
    }
}

struct PipelineBenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
