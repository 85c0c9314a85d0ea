import Foundation
import SmolTensor
import SmolVision
import Testing

@Suite("SigLIP encoder: configuration and weight validation")
struct VisionEncoderLoadingTests {
    static let prefix = VisionEncoder.defaultPrefix

    static func tinyTensors() throws -> [(name: String, tensor: Tensor)] {
        let file = try SafetensorsFile(url: EncoderFixtures.url("tiny/model.safetensors"))
        return try file.tensorNames.map { ($0, try file.tensor(named: $0)) }
    }

    static func tinyConfig() throws -> VisionConfig {
        try VisionConfig(contentsOf: EncoderFixtures.url("tiny/config.json"))
    }

    /// Writes `tensors` to a fresh temporary file and opens it. The file is unlinked
    /// at once: the memory mapping keeps its contents alive.
    static func checkpoint(_ tensors: [(name: String, tensor: Tensor)]) throws -> SafetensorsFile {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("vision-weights-\(UUID().uuidString).safetensors")
        try SafetensorsWriter.write(tensors, to: url)
        let file = try SafetensorsFile(url: url)
        try FileManager.default.removeItem(at: url)
        return file
    }

    @Test func listsEveryProblemAtOnce() throws {
        var tensors = try Self.tinyTensors()
        let missing = Self.prefix + "encoder.layers.1.mlp.fc2.bias"
        let misshapen = Self.prefix + "encoder.layers.0.self_attn.k_proj.weight"
        let wrongType = Self.prefix + "post_layernorm.weight"
        let extra = Self.prefix + "encoder.layers.2.layer_norm1.weight"
        tensors.removeAll { $0.name == missing }
        for i in tensors.indices {
            switch tensors[i].name {
            case misshapen: tensors[i].tensor = try Tensor(zeros: [32, 31])
            case wrongType: tensors[i].tensor = try Tensor(zeros: [32], dtype: .int64)
            default: break
            }
        }
        tensors.append((extra, try Tensor(zeros: [32])))
        // Tensors outside the prefix (a text model, a connector) are none of the tower's business.
        tensors.append(("model.connector.modality_projection.proj.weight", try Tensor(zeros: [4, 128])))
        let file = try Self.checkpoint(tensors)

        let source = file.sourceDescription
        let expected = WeightsError.invalidWeights(source: source, problems: [
            .unexpectedDType(name: wrongType, dtype: .int64, detail: "expected a floating-point tensor"),
            .unexpectedShape(name: misshapen, expected: [32, 32], actual: [32, 31]),
            .missingTensor(name: missing, source: source),
            .unexpectedTensor(name: extra, source: source),
        ])
        #expect(throws: expected) { try VisionEncoder(config: Self.tinyConfig(), weights: file) }
        #expect(expected.description.contains("4 problems"))
    }

    @Test func honoursThePrefix() throws {
        let tensors = try Self.tinyTensors().map { (name: "vision." + $0.name.dropFirst(Self.prefix.count), tensor: $0.tensor) }
        let file = try Self.checkpoint(tensors)
        let encoder = try VisionEncoder(config: Self.tinyConfig(), weights: file, prefix: "vision.")
        #expect(encoder.config.layerCount == 2)
        #expect(throws: WeightsError.self) { try VisionEncoder(config: Self.tinyConfig(), weights: file) }
    }

    @Test func widensHalfPrecisionWeights() throws {
        let tensors = try Self.tinyTensors()
        let half = try Self.checkpoint(tensors.map { ($0.name, try $0.tensor.converted(to: .bfloat16)) })
        let widened = try Self.checkpoint(tensors.map { ($0.name, try $0.tensor.converted(to: .bfloat16).asFloat32()) })
        let pixels = try Tensor(shape: [1, 3, 32, 32], floats: (0..<3072).map { Float($0 % 17) / 8 - 1 })
        let a = try VisionEncoder(config: Self.tinyConfig(), weights: half).encode(pixelValues: pixels).lastHiddenState
        let b = try VisionEncoder(config: Self.tinyConfig(), weights: widened).encode(pixelValues: pixels).lastHiddenState
        #expect(try a.floats() == b.floats())
    }

    @Test func configDefaultsAndErrors() throws {
        // A SmolVLM config without vision_config means transformers' class defaults.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vision-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("config.json")
        try Data(#"{"model_type": "smolvlm", "text_config": {}}"#.utf8).write(to: file)
        let defaults = try VisionConfig(contentsOf: directory)
        #expect(defaults == (try VisionConfig(hiddenSize: 1152, intermediateSize: 3072, layerCount: 12, attentionHeads: 16,
                                               channelCount: 3, imageSize: 224, patchSize: 32, layerNormEpsilon: 1e-6)))

        // A bare vision config (keys at the top level).
        try Data(#"{"hidden_size": 64, "num_attention_heads": 4, "image_size": 64, "patch_size": 16}"#.utf8).write(to: file)
        #expect(try VisionConfig(contentsOf: file).patchesPerSide == 4)

        try Data(#"{"vision_config": {"hidden_act": "gelu"}}"#.utf8).write(to: file)
        #expect(throws: ConfigError.self) { try VisionConfig(contentsOf: file) }
        #expect(throws: ConfigError.self) { try VisionConfig(hiddenSize: 30, attentionHeads: 4) }
        #expect(throws: ConfigError.self) { try VisionConfig(imageSize: 8, patchSize: 16) }
        #expect(throws: ConfigError.self) { try VisionConfig(layerCount: 0) }
        try FileManager.default.removeItem(at: directory)
    }
}
