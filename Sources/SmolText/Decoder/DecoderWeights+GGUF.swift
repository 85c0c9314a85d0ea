import SmolTensor

extension DecoderWeights {
    /// Loads a llama.cpp text model (`token_embd`, `blk.{i}.attn_q`, …), dequantizing to
    /// float32 and undoing the converter's Q/K row permutation.
    init(gguf: GGUFFile, config: TextConfig) throws(WeightsError) {
        let c = config
        let (h, hd) = (c.hiddenSize, c.headDimension)
        func load(_ name: String, _ shape: [Int]) throws(WeightsError) -> Tensor {
            try Self.float32(gguf.tensor(named: name, shape: shape), name: name)
        }
        func loadRotary(_ name: String, heads: Int) throws(WeightsError) -> Tensor {
            let tensor = try load(name, [heads * hd, h])
            do { return try Self.unpermuteRotaryRows(tensor, heads: heads) } catch {
                throw .unexpectedShape(name: name, expected: [heads * hd, h], actual: tensor.shape)
            }
        }
        let embedding = try load("token_embd.weight", [c.vocabularySize, h])
        var layers: [DecoderLayerWeights] = []
        for i in 0..<c.layerCount {
            let p = "blk.\(i)."
            layers.append(DecoderLayerWeights(
                inputNorm: try load("\(p)attn_norm.weight", [h]),
                query: try loadRotary("\(p)attn_q.weight", heads: c.attentionHeads),
                key: try loadRotary("\(p)attn_k.weight", heads: c.keyValueHeads),
                value: try load("\(p)attn_v.weight", [c.keyValueHeads * hd, h]),
                output: try load("\(p)attn_output.weight", [h, c.attentionHeads * hd]),
                postAttentionNorm: try load("\(p)ffn_norm.weight", [h]),
                gate: try load("\(p)ffn_gate.weight", [c.intermediateSize, h]),
                up: try load("\(p)ffn_up.weight", [c.intermediateSize, h]),
                down: try load("\(p)ffn_down.weight", [h, c.intermediateSize])))
        }
        let head = gguf.contains("output.weight") ? try load("output.weight", [c.vocabularySize, h]) : embedding
        self.init(embedding: embedding, layers: layers, finalNorm: try load("output_norm.weight", [h]), head: head)
    }

    /// llama.cpp's converter reorders each head's rows from rotate-half to
    /// interleaved pairs (`reshape(heads, 2, hd/2, in).swapaxes(1, 2)`): GGUF row
    /// `h·hd + 2i + j` is HF row `h·hd + j·hd/2 + i`. This puts them back.
    static func unpermuteRotaryRows(_ tensor: Tensor, heads: Int) throws(TensorError) -> Tensor {
        let (rows, columns) = (tensor.shape[0], tensor.shape[1])
        let hd = rows / heads
        let source = try tensor.floats()
        var result = [Float](repeating: 0, count: source.count)
        for head in 0..<heads {
            for i in 0..<(hd / 2) {
                for j in 0..<2 {
                    let from = (head * hd + 2 * i + j) * columns
                    let to = (head * hd + j * hd / 2 + i) * columns
                    for col in 0..<columns { result[to + col] = source[from + col] }
                }
            }
        }
        return try Tensor(shape: tensor.shape, floats: result)
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
