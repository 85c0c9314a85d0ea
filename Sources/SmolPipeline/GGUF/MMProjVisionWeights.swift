import SmolTensor

/// The vision tower's tensors of an mmproj file under their Hugging Face names, so that
/// ``VisionEncoder`` loads them as it loads a checkpoint (quantized tensors are dequantized there).
struct MMProjVisionWeights: WeightSource {
    let file: GGUFFile
    /// Hugging Face name → GGUF name.
    let names: [String: String]
    let tensorNames: [String]

    init(file: GGUFFile, config: MMProjConfig) {
        self.file = file
        let mapped = MMProjTensors.entries(config).compactMap { entry in entry.hfName.map { ($0, entry.name) } }
        names = Dictionary(uniqueKeysWithValues: mapped)
        tensorNames = mapped.map(\.0)
    }

    var sourceDescription: String { file.url.path }

    func info(named name: String) -> TensorInfo? { names[name].flatMap { file.info(named: $0) } }

    func tensor(named name: String) throws(WeightsError) -> Tensor {
        guard let gguf = names[name] else { throw .missingTensor(name: name, source: sourceDescription) }
        return try file.tensor(named: gguf)
    }
}
