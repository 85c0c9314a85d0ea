import SmolTensor

/// The tensors of one SmolLM2 (Llama) decoder layer, HF layout (`[out, in]`):
/// matrices in the decoder's ``WeightPrecision``, norm weights float32.
struct DecoderLayerWeights: Sendable {
    let inputNorm: Tensor
    let query: WeightMatrix
    let key: WeightMatrix
    let value: WeightMatrix
    let output: WeightMatrix
    let postAttentionNorm: Tensor
    let gate: WeightMatrix
    let up: WeightMatrix
    let down: WeightMatrix
}

/// All decoder tensors, validated against the configuration.
struct DecoderWeights: Sendable {
    let precision: WeightPrecision
    /// The input embedding table, read a row at a time (any floating-point dtype).
    let embedding: Tensor
    let layers: [DecoderLayerWeights]
    let finalNorm: Tensor
    /// The output projection: `lm_head.weight`, or the embedding when tied.
    let head: WeightMatrix

    /// Loads HF-named tensors (`model.layers.{i}.self_attn.q_proj.weight`, …) under `prefix`
    /// (`"model."` for SmolLM2, `"model.text_model."` inside SmolVLM) in `precision`.
    init(source: some WeightSource, config: TextConfig, precision: WeightPrecision,
         prefix: String = "model.", headName: String = "lm_head.weight") throws(WeightsError) {
        let c = config
        let (h, hd) = (c.hiddenSize, c.headDimension)
        func vector(_ name: String, _ shape: [Int]) throws(WeightsError) -> Tensor {
            try Self.float32(source.tensor(named: name, shape: shape), name: name)
        }
        func matrix(_ name: String, _ shape: [Int], _ precision: WeightPrecision) throws(WeightsError) -> WeightMatrix {
            try Self.matrix(source.tensor(named: name, shape: shape), name: name, precision: precision)
        }
        let embeddingName = "\(prefix)embed_tokens.weight"
        let embeddingTensor = try source.tensor(named: embeddingName, shape: [c.vocabularySize, h])
        var layers: [DecoderLayerWeights] = []
        for i in 0..<c.layerCount {
            let p = "\(prefix)layers.\(i)."
            layers.append(DecoderLayerWeights(
                inputNorm: try vector("\(p)input_layernorm.weight", [h]),
                query: try matrix("\(p)self_attn.q_proj.weight", [c.attentionHeads * hd, h], precision),
                key: try matrix("\(p)self_attn.k_proj.weight", [c.keyValueHeads * hd, h], precision),
                value: try matrix("\(p)self_attn.v_proj.weight", [c.keyValueHeads * hd, h], precision),
                output: try matrix("\(p)self_attn.o_proj.weight", [h, c.attentionHeads * hd], precision),
                postAttentionNorm: try vector("\(p)post_attention_layernorm.weight", [h]),
                gate: try matrix("\(p)mlp.gate_proj.weight", [c.intermediateSize, h], precision),
                up: try matrix("\(p)mlp.up_proj.weight", [c.intermediateSize, h], precision),
                down: try matrix("\(p)mlp.down_proj.weight", [h, c.intermediateSize], precision)))
        }
        let head: WeightMatrix
        if source.contains(headName) {
            head = try matrix(headName, [c.vocabularySize, h], precision.outputProjection)
        } else if c.tieWordEmbeddings {
            head = try Self.matrix(embeddingTensor, name: embeddingName, precision: precision.outputProjection)
        } else {
            throw .missingTensor(name: headName, source: source.sourceDescription)
        }
        try self.init(precision: precision, embedding: embeddingTensor, embeddingName: embeddingName, layers: layers,
                      finalNorm: vector("\(prefix)norm.weight", [h]), head: head)
    }

    /// `embedding` is kept as stored: rows are widened to float32 when looked up.
    init(precision: WeightPrecision, embedding: Tensor, embeddingName: String, layers: [DecoderLayerWeights],
         finalNorm: Tensor, head: WeightMatrix) throws(WeightsError) {
        guard embedding.dtype.isFloatingPoint else {
            throw .unexpectedDType(name: embeddingName, dtype: embedding.dtype, detail: "expected a floating-point tensor")
        }
        self.precision = precision
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

    static func matrix(_ tensor: Tensor, name: String, precision: WeightPrecision) throws(WeightsError) -> WeightMatrix {
        guard tensor.dtype.isFloatingPoint else {
            throw .unexpectedDType(name: name, dtype: tensor.dtype, detail: "expected a floating-point tensor")
        }
        do { return try WeightMatrix(tensor, precision: precision) } catch {
            throw .unexpectedDType(name: name, dtype: tensor.dtype, detail: error.description)
        }
    }
}
