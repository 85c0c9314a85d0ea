import SmolTensor

extension DecoderWeights {
    /// Loads a llama.cpp text model (`token_embd`, `blk.{i}.attn_q`, …) in `precision`,
    /// undoing the converter's Q/K row permutation. Tensors already in `precision`'s
    /// format stay views of the file; others are converted (float32: dequantized).
    init(gguf: GGUFFile, config: TextConfig, precision: WeightPrecision) throws(WeightsError) {
        let c = config
        let (h, hd) = (c.hiddenSize, c.headDimension)
        func vector(_ name: String, _ shape: [Int]) throws(WeightsError) -> Tensor {
            try Self.float32(gguf.tensor(named: name, shape: shape), name: name)
        }
        func matrix(_ name: String, _ shape: [Int], _ precision: WeightPrecision) throws(WeightsError) -> WeightMatrix {
            try Self.matrix(gguf.tensor(named: name, shape: shape), name: name, precision: precision)
        }
        func rotary(_ name: String, heads: Int) throws(WeightsError) -> WeightMatrix {
            let weight = try matrix(name, [heads * hd, h], precision)
            do { return try weight.rowsPermuted(Self.rotaryRowOrder(rows: heads * hd, heads: heads)) } catch {
                throw .unexpectedShape(name: name, expected: [heads * hd, h], actual: weight.tensor.shape)
            }
        }
        let embedding = try gguf.tensor(named: "token_embd.weight", shape: [c.vocabularySize, h])
        var layers: [DecoderLayerWeights] = []
        for i in 0..<c.layerCount {
            let p = "blk.\(i)."
            layers.append(DecoderLayerWeights(
                inputNorm: try vector("\(p)attn_norm.weight", [h]),
                query: try rotary("\(p)attn_q.weight", heads: c.attentionHeads),
                key: try rotary("\(p)attn_k.weight", heads: c.keyValueHeads),
                value: try matrix("\(p)attn_v.weight", [c.keyValueHeads * hd, h], precision),
                output: try matrix("\(p)attn_output.weight", [h, c.attentionHeads * hd], precision),
                postAttentionNorm: try vector("\(p)ffn_norm.weight", [h]),
                gate: try matrix("\(p)ffn_gate.weight", [c.intermediateSize, h], precision),
                up: try matrix("\(p)ffn_up.weight", [c.intermediateSize, h], precision),
                down: try matrix("\(p)ffn_down.weight", [h, c.intermediateSize], precision)))
        }
        let head = gguf.contains("output.weight")
            ? try matrix("output.weight", [c.vocabularySize, h], precision.outputProjection)
            : try Self.matrix(embedding, name: "token_embd.weight", precision: precision.outputProjection)
        try self.init(precision: precision, embedding: embedding, embeddingName: "token_embd.weight", layers: layers,
                      finalNorm: vector("output_norm.weight", [h]), head: head)
    }

    /// llama.cpp's converter reorders each head's rows from rotate-half to
    /// interleaved pairs (`reshape(heads, 2, hd/2, in).swapaxes(1, 2)`): GGUF row
    /// `h·hd + 2i + j` is HF row `h·hd + j·hd/2 + i`. Entry `r` of the result is
    /// the GGUF row that becomes HF row `r`.
    static func rotaryRowOrder(rows: Int, heads: Int) -> [Int] {
        let hd = rows / heads
        var order = [Int](repeating: 0, count: rows)
        for head in 0..<heads {
            for i in 0..<(hd / 2) {
                for j in 0..<2 { order[head * hd + j * hd / 2 + i] = head * hd + 2 * i + j }
            }
        }
        return order
    }
}

extension TextConfig {
    /// The decoder configuration a llama.cpp GGUF file states in its `llama.*` keys.
    public init(gguf: GGUFFile) throws(ConfigError) {
        let file = gguf.url.path
        let architecture = gguf.string("general.architecture") ?? ""
        guard architecture == "llama" else { throw .unsupportedModel(file: file, modelType: architecture) }
        func required(_ key: String) throws(ConfigError) -> Int {
            guard let value = gguf.int(key), value > 0 else {
                throw .invalidValue(file: file, key: key, reason: "missing or not a positive integer")
            }
            return value
        }
        let heads = try required("llama.attention.head_count")
        let hidden = try required("llama.embedding_length")
        var object: [(key: String, value: JSONValue)] = [
            ("hidden_size", .integer(hidden)),
            ("intermediate_size", .integer(try required("llama.feed_forward_length"))),
            ("num_hidden_layers", .integer(try required("llama.block_count"))),
            ("num_attention_heads", .integer(heads)),
            ("num_key_value_heads", .integer(gguf.int("llama.attention.head_count_kv") ?? heads)),
            ("max_position_embeddings", .integer(gguf.int("llama.context_length") ?? 2048)),
            ("rms_norm_eps", .number(gguf.double("llama.attention.layer_norm_rms_epsilon") ?? 1e-5)),
            ("rope_theta", .number(gguf.double("llama.rope.freq_base") ?? 10000)),
            ("tie_word_embeddings", .bool(!gguf.contains("output.weight"))),
        ]
        let vocabulary = gguf.int("llama.vocab_size") ?? gguf.strings("tokenizer.ggml.tokens")?.count
        if let vocabulary { object.append(("vocab_size", .integer(vocabulary))) }
        if let bos = gguf.int("tokenizer.ggml.bos_token_id") { object.append(("bos_token_id", .integer(bos))) }
        if let eos = gguf.int("tokenizer.ggml.eos_token_id") { object.append(("eos_token_id", .integer(eos))) }
        try self.init(config: JSONConfig(source: file, object: .object(object)))
    }
}
