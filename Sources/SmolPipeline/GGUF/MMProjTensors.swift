import SmolTensor
import SmolVision

/// The tensors of an `idefics3` mmproj: llama.cpp's names (gguf-py's `MODEL_TENSOR.V_*` map), the
/// Hugging Face tensor each one holds, and the shape an ``MMProjConfig`` implies.
enum MMProjTensors {
    /// The connector's projection (`model.connector.modality_projection.proj.weight`).
    static let projection = "mm.model.fc.weight"

    struct Entry {
        let name: String
        /// The Hugging Face name, for the vision tower's tensors.
        let hfName: String?
        let shape: [Int]
    }

    /// Per-layer names: llama.cpp's, then Hugging Face's under `encoder.layers.{i}.`.
    static let layerNames = [
        ("ln1", "layer_norm1"), ("attn_q", "self_attn.q_proj"), ("attn_k", "self_attn.k_proj"),
        ("attn_v", "self_attn.v_proj"), ("attn_out", "self_attn.out_proj"), ("ln2", "layer_norm2"),
        ("ffn_up", "mlp.fc1"), ("ffn_down", "mlp.fc2"),
    ]

    /// Every tensor the file must hold, in llama.cpp's order.
    static func entries(_ c: MMProjConfig) -> [Entry] {
        let v = c.vision
        let (d, m) = (v.hiddenSize, v.intermediateSize)
        let tower = VisionEncoder.defaultPrefix
        var entries = [
            Entry(name: "v.patch_embd.weight", hfName: tower + "embeddings.patch_embedding.weight",
                  shape: [d, v.channelCount, v.patchSize, v.patchSize]),
            Entry(name: "v.patch_embd.bias", hfName: tower + "embeddings.patch_embedding.bias", shape: [d]),
            Entry(name: "v.position_embd.weight", hfName: tower + "embeddings.position_embedding.weight",
                  shape: [v.patchesPerSide * v.patchesPerSide, d]),
        ]
        for i in 0..<v.layerCount {
            for (gguf, hf) in layerNames {
                let weight: [Int] = switch gguf {
                case "ln1", "ln2": [d]
                case "ffn_up": [m, d]
                case "ffn_down": [d, m]
                default: [d, d]
                }
                let hfPrefix = "\(tower)encoder.layers.\(i).\(hf)"
                entries.append(Entry(name: "v.blk.\(i).\(gguf).weight", hfName: hfPrefix + ".weight", shape: weight))
                entries.append(Entry(name: "v.blk.\(i).\(gguf).bias", hfName: hfPrefix + ".bias", shape: [gguf == "ffn_up" ? m : d]))
            }
        }
        entries.append(Entry(name: "v.post_ln.weight", hfName: tower + "post_layernorm.weight", shape: [d]))
        entries.append(Entry(name: "v.post_ln.bias", hfName: tower + "post_layernorm.bias", shape: [d]))
        entries.append(Entry(name: projection, hfName: nil, shape: [c.projectionDimension, d * c.scaleFactor * c.scaleFactor]))
        return entries
    }

    /// Checks every name, shape and dtype from the file's metadata before anything loads.
    ///
    /// - Throws: ``WeightsError/invalidWeights(source:problems:)`` listing every missing, misshapen
    ///   or non-float tensor and every tensor the configuration has no place for.
    static func validate(_ file: GGUFFile, config: MMProjConfig) throws(WeightsError) {
        let expected = entries(config)
        var problems: [WeightsError] = []
        for entry in expected {
            guard let info = file.info(named: entry.name) else {
                problems.append(.missingTensor(name: entry.name, source: file.url.path))
                continue
            }
            if info.shape != entry.shape {
                problems.append(.unexpectedShape(name: entry.name, expected: entry.shape, actual: info.shape))
            } else if !info.dtype.isFloatingPoint {
                problems.append(.unexpectedDType(name: entry.name, dtype: info.dtype, detail: "expected a floating-point tensor"))
            }
        }
        let known = Set(expected.map(\.name))
        for name in file.tensorNames where !known.contains(name) {
            problems.append(.unexpectedTensor(name: name, source: file.url.path))
        }
        if !problems.isEmpty { throw .invalidWeights(source: file.url.path, problems: problems) }
    }
}
