import Foundation
import SmolVLM

/// A text model as the CLI uses it: decoder, tokenizer, chat template and stop tokens,
/// from a Hugging Face directory or a llama.cpp GGUF file, its weight matrices kept in `precision`.
struct TextModel {
    let decoder: SmolLM2
    let tokenizer: Tokenizer
    let template: ChatTemplate
    let stopTokenIDs: Set<Int>

    /// End-of-turn tokens that stop generation when present in a GGUF vocabulary,
    /// whose single eos id is not always the turn end (SmolLM2's GGUF says 1).
    static let endOfTurnTokens = ["<|im_end|>", "<|endoftext|>", "<end_of_utterance>", "<|eot_id|>"]

    init(path: String, precision: WeightPrecision) throws {
        let url = URL(fileURLWithPath: path)
        let tokenizer = try Tokenizer(contentsOf: url)
        self.tokenizer = tokenizer
        if url.pathExtension == "gguf" {
            let gguf = try GGUFFile(url: url)
            template = try ChatTemplate(gguf: gguf)
            decoder = try SmolLM2(gguf: gguf, precision: precision)
            var stops = Set(Self.endOfTurnTokens.compactMap { tokenizer.id(of: $0) })
            if let eos = gguf.int("tokenizer.ggml.eos_token_id") { stops.insert(eos) }
            stopTokenIDs = stops
        } else {
            template = try ChatTemplate.load(directory: url).template
            decoder = try SmolLM2(contentsOf: url, precision: precision)
            var stops = Set(decoder.config.eosTokenIDs)
            let generation = url.appendingPathComponent("generation_config.json")
            if FileManager.default.fileExists(atPath: generation.path),
               let object = try JSONSerialization.jsonObject(with: Data(contentsOf: generation)) as? [String: Any] {
                if let id = object["eos_token_id"] as? Int { stops.insert(id) }
                if let ids = object["eos_token_id"] as? [Int] { stops.formUnion(ids) }
            }
            if let eos = tokenizer.specialTokenStrings["eos_token"], let id = tokenizer.id(of: eos) { stops.insert(id) }
            stopTokenIDs = stops
        }
    }

    /// The special-token strings a chat template may reference (`bos_token`, `eos_token`, …).
    var templateContext: [String: TemplateValue] {
        tokenizer.specialTokenStrings.mapValues { .string($0) }
    }
}
