import SmolTensor

/// The tensors of one SigLIP encoder layer (`SmolVLMEncoderLayer`), float32,
/// linear weights in the PyTorch layout `[out, in]`.
struct VisionLayerWeights: Sendable {
    let layerNorm1Weight: Tensor, layerNorm1Bias: Tensor
    let queryWeight: Tensor, queryBias: Tensor
    let keyWeight: Tensor, keyBias: Tensor
    let valueWeight: Tensor, valueBias: Tensor
    let outputWeight: Tensor, outputBias: Tensor
    let layerNorm2Weight: Tensor, layerNorm2Bias: Tensor
    let fc1Weight: Tensor, fc1Bias: Tensor
    let fc2Weight: Tensor, fc2Bias: Tensor
}

/// Every tensor of the vision tower (`SmolVLMVisionTransformer`), float32,
/// validated against a ``VisionConfig``.
struct VisionEncoderWeights: Sendable {
    /// `[D, C, P, P]` and `[D]`.
    let patchWeight: Tensor, patchBias: Tensor
    /// `[patchesPerSide², D]`.
    let positionEmbedding: Tensor
    let layers: [VisionLayerWeights]
    let postLayerNormWeight: Tensor, postLayerNormBias: Tensor

    /// Loads the HF-named tensors under `prefix` (`model.vision_model.` in a SmolVLM
    /// checkpoint), widening float16/bfloat16 to float32 (float32 stays a mapped view).
    ///
    /// - Throws: ``WeightsError/invalidWeights(source:problems:)`` listing every
    ///   missing tensor, wrong shape or dtype, and every tensor under `prefix` that
    ///   the configuration has no place for (e.g. a 13th layer).
    init(source: some WeightSource, config c: VisionConfig, prefix: String) throws(WeightsError) {
        var expected: [(name: String, shape: [Int])] = VisionTowerTensor.allCases.map { ($0.rawValue, $0.shape(c)) }
        for i in 0..<c.layerCount {
            expected += VisionLayerTensor.allCases.map { ($0.name(layer: i), $0.shape(c)) }
        }

        // Check every name, shape and dtype from the file's metadata before loading
        // anything, so one load reports every problem.
        var problems: [WeightsError] = []
        for (name, shape) in expected {
            let full = prefix + name
            guard let info = source.info(named: full) else {
                problems.append(.missingTensor(name: full, source: source.sourceDescription))
                continue
            }
            if info.shape != shape {
                problems.append(.unexpectedShape(name: full, expected: shape, actual: info.shape))
            } else if !info.dtype.isFloatingPoint {
                problems.append(.unexpectedDType(name: full, dtype: info.dtype, detail: "expected a floating-point tensor"))
            }
        }
        let known = Set(expected.map { prefix + $0.name })
        for name in source.tensorNames where name.hasPrefix(prefix) && !known.contains(name) {
            problems.append(.unexpectedTensor(name: name, source: source.sourceDescription))
        }
        if !problems.isEmpty { throw .invalidWeights(source: source.sourceDescription, problems: problems) }

        var tensors: [String: Tensor] = [:]
        for (name, shape) in expected { tensors[name] = try Self.float32(source: source, name: prefix + name, shape: shape) }

        func tower(_ t: VisionTowerTensor) throws(WeightsError) -> Tensor {
            try Self.take(t.rawValue, from: tensors, prefix: prefix, source: source)
        }
        patchWeight = try tower(.patchWeight)
        patchBias = try tower(.patchBias)
        positionEmbedding = try tower(.positionEmbedding)
        postLayerNormWeight = try tower(.postLayerNormWeight)
        postLayerNormBias = try tower(.postLayerNormBias)
        var layers: [VisionLayerWeights] = []
        for i in 0..<c.layerCount {
            func layer(_ t: VisionLayerTensor) throws(WeightsError) -> Tensor {
                try Self.take(t.name(layer: i), from: tensors, prefix: prefix, source: source)
            }
            layers.append(VisionLayerWeights(
                layerNorm1Weight: try layer(.layerNorm1Weight), layerNorm1Bias: try layer(.layerNorm1Bias),
                queryWeight: try layer(.queryWeight), queryBias: try layer(.queryBias),
                keyWeight: try layer(.keyWeight), keyBias: try layer(.keyBias),
                valueWeight: try layer(.valueWeight), valueBias: try layer(.valueBias),
                outputWeight: try layer(.outputWeight), outputBias: try layer(.outputBias),
                layerNorm2Weight: try layer(.layerNorm2Weight), layerNorm2Bias: try layer(.layerNorm2Bias),
                fc1Weight: try layer(.fc1Weight), fc1Bias: try layer(.fc1Bias),
                fc2Weight: try layer(.fc2Weight), fc2Bias: try layer(.fc2Bias)))
        }
        self.layers = layers
    }

    /// The tensor `name` of `shape` as float32.
    private static func float32(source: some WeightSource, name: String, shape: [Int]) throws(WeightsError) -> Tensor {
        let tensor = try source.tensor(named: name, shape: shape)
        guard tensor.dtype.isFloatingPoint else {
            throw .unexpectedDType(name: name, dtype: tensor.dtype, detail: "expected a floating-point tensor")
        }
        do { return try tensor.asFloat32() } catch {
            throw .unexpectedDType(name: name, dtype: tensor.dtype, detail: error.description)
        }
    }

    /// A tensor the check above loaded (every expected name is there once it passed).
    private static func take(_ name: String, from tensors: [String: Tensor], prefix: String,
                             source: some WeightSource) throws(WeightsError) -> Tensor {
        guard let tensor = tensors[name] else { throw .missingTensor(name: prefix + name, source: source.sourceDescription) }
        return tensor
    }
}
