import SmolTensor

/// The tensors of one SmolLM2 (Llama) decoder layer, float32, HF layout (`[out, in]`).
struct DecoderLayerWeights: Sendable {
    let inputNorm: Tensor
    let query: Tensor
    let key: Tensor
    let value: Tensor
    let output: Tensor
    let postAttentionNorm: Tensor
    let gate: Tensor
    let up: Tensor
    let down: Tensor
}

/// All decoder tensors, validated against the configuration.
struct DecoderWeights: Sendable {
    let embedding: Tensor
    let layers: [DecoderLayerWeights]
    let finalNorm: Tensor
    /// The output projection: `lm_head.weight`, or the embedding when tied.
    let head: Tensor

    /// Loads HF-named tensors (`model.layers.{i}.self_attn.q_proj.weight`, …) under `prefix`
    /// (`"model."` for SmolLM2, `"model.text_model."` inside SmolVLM), converting to float32.
    init(source: some WeightSource, config: TextConfig, prefix: String = "model.", headName: String = "lm_head.weight") throws(WeightsError) {
        let c = config
        let (h, hd) = (c.hiddenSize, c.headDimension)
        func load(_ name: String, _ shape: [Int]) throws(WeightsError) -> Tensor {
            try Self.float32(source.tensor(named: name, shape: shape), name: name)
        }
        embedding = try load("\(prefix)embed_tokens.weight", [c.vocabularySize, h])
        var layers: [DecoderLayerWeights] = []
        for i in 0..<c.layerCount {
            let p = "\(prefix)layers.\(i)."
            layers.append(DecoderLayerWeights(
                inputNorm: try load("\(p)input_layernorm.weight", [h]),
                query: try load("\(p)self_attn.q_proj.weight", [c.attentionHeads * hd, h]),
                key: try load("\(p)self_attn.k_proj.weight", [c.keyValueHeads * hd, h]),
                value: try load("\(p)self_attn.v_proj.weight", [c.keyValueHeads * hd, h]),
                output: try load("\(p)self_attn.o_proj.weight", [h, c.attentionHeads * hd]),
                postAttentionNorm: try load("\(p)post_attention_layernorm.weight", [h]),
                gate: try load("\(p)mlp.gate_proj.weight", [c.intermediateSize, h]),
                up: try load("\(p)mlp.up_proj.weight", [c.intermediateSize, h]),
                down: try load("\(p)mlp.down_proj.weight", [h, c.intermediateSize])))
        }
        self.layers = layers
        finalNorm = try load("\(prefix)norm.weight", [h])
        if source.contains(headName) {
            head = try load(headName, [c.vocabularySize, h])
        } else if c.tieWordEmbeddings {
            head = embedding
        } else {
            throw .missingTensor(name: headName, source: source.sourceDescription)
        }
    }

    init(embedding: Tensor, layers: [DecoderLayerWeights], finalNorm: Tensor, head: Tensor) {
        self.embedding = embedding
        self.layers = layers
        self.finalNorm = finalNorm
        self.head = head
    }

    static func float32(_ tensor: Tensor, name: String) throws(WeightsError) -> Tensor {
        guard tensor.dtype.isFloatingPoint else {
            throw .unexpectedDType(name: name, dtype: tensor.dtype, detail: "expected a floating-point tensor")
        }
        do { return try tensor.asFloat32() } catch {
            throw .unexpectedDType(name: name, dtype: tensor.dtype, detail: error.description)
        }
    }
}
