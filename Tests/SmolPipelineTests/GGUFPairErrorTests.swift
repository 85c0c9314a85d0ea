import Foundation
import SmolPipeline
import SmolTensor
import SmolTestSupport
import Testing

/// What the GGUF-pair loader says about files that do not fit: each problem is a typed error that
/// names the file and lists everything wrong at once. The broken mmproj files are copies of the tiny
/// SmolVLM2 one with keys or tensors changed (`GGUFTestWriter`).
@Suite("GGUF pair errors")
struct GGUFPairErrorTests {
    static let text = GGUFPairTests.text("tiny-smolvlm2")
    static let mmproj = GGUFPairTests.mmproj("tiny-smolvlm2")

    /// Runs `body` on an edited copy of the mmproj, removed afterwards.
    static func withEdited(_ edit: (inout GGUFTestWriter) -> Void, _ body: (URL) throws -> Void) throws {
        var writer = try GGUFTestWriter(copying: GGUFFile(url: mmproj))
        edit(&writer)
        let url = try writer.write()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try body(url)
    }

    @Test(.enabled(if: GGUFPairTests.available("tiny-smolvlm2")))
    func swappedFiles() throws {
        #expect(throws: PipelineError.invalidProjector(file: Self.text.path, problems: [
            "general.architecture is 'llama', not 'clip': this is not an mmproj file",
        ])) {
            try VisionLanguageModel(textGGUF: Self.mmproj, mmproj: Self.text)
        }
    }

    @Test(.enabled(if: GGUFPairTests.available("tiny-smolvlm2")))
    func anotherProjector() throws {
        try Self.withEdited({ $0.set("clip.projector_type", .string("gemma3")) }) { url in
            #expect(throws: PipelineError.unsupportedProjector(file: url.path, projectorType: "gemma3")) {
                try VisionLanguageModel(textGGUF: Self.text, mmproj: url)
            }
        }
    }

    @Test(.enabled(if: GGUFPairTests.available("tiny-smolvlm2")))
    func missingAndBadKeysAreListed() throws {
        try Self.withEdited({
            $0.remove(key: "clip.vision.embedding_length")
            $0.remove(key: "clip.vision.attention.layer_norm_epsilon")
            $0.set("clip.vision.image_mean", .array([.float(0.5), .float(0.5)]))
            $0.set("clip.use_gelu", .bool(false))
        }) { url in
            #expect(throws: PipelineError.invalidProjector(file: url.path, problems: [
                "clip.use_gelu is not true: SigLIP's MLP is GELU (tanh), llama.cpp would run another activation",
                "clip.vision.embedding_length is missing",
                "clip.vision.attention.layer_norm_epsilon is missing",
                "clip.vision.image_mean is not 3 numbers",
            ])) {
                try VisionLanguageModel(textGGUF: Self.text, mmproj: url)
            }
        }
    }

    @Test(.enabled(if: GGUFPairTests.available("tiny-smolvlm2")))
    func missingMisshapenAndUnexpectedTensorsAreListed() throws {
        try Self.withEdited({
            $0.remove(tensor: "v.blk.1.attn_q.weight")
            $0.remove(tensor: "mm.model.fc.weight")
            $0.rename(tensor: "v.post_ln.bias", to: "v.blk.2.ln1.bias")
            // llama.cpp's legacy naming: fc1 under ffn_down, fc2 under ffn_up.
            $0.rename(tensor: "v.blk.0.ffn_up.weight", to: "swap")
            $0.rename(tensor: "v.blk.0.ffn_down.weight", to: "v.blk.0.ffn_up.weight")
            $0.rename(tensor: "swap", to: "v.blk.0.ffn_down.weight")
        }) { url in
            let source = url.path
            #expect(throws: WeightsError.invalidWeights(source: source, problems: [
                .unexpectedShape(name: "v.blk.0.ffn_up.weight", expected: [64, 32], actual: [32, 64]),
                .unexpectedShape(name: "v.blk.0.ffn_down.weight", expected: [32, 64], actual: [64, 32]),
                .missingTensor(name: "v.blk.1.attn_q.weight", source: source),
                .missingTensor(name: "v.post_ln.bias", source: source),
                .missingTensor(name: "mm.model.fc.weight", source: source),
                .unexpectedTensor(name: "v.blk.2.ln1.bias", source: source),
            ])) {
                try VisionLanguageModel(textGGUF: Self.text, mmproj: url)
            }
        }
    }

    /// SmolLM2-135M's own GGUF is 576 wide and has no image tokens: not the text half of this pair.
    @Test(.enabled(if: GGUFPairTests.available("tiny-smolvlm2") && TestModels.available(TestModels.smolLM2GGUF)))
    func aTextModelFromAnotherPair() throws {
        #expect(throws: PipelineError.mismatchedPair(textModel: TestModels.smolLM2GGUF.path, mmproj: Self.mmproj.path, problems: [
            "the mmproj projects to 64 (clip.vision.projection_dim) but the decoder is 576 wide (llama.embedding_length)",
            "the text model's tokenizer has no '<image>' token (not a SmolVLM text model)",
            "the text model's tokenizer has no '<fake_token_around_image>' token (not a SmolVLM text model)",
        ])) {
            try VisionLanguageModel(textGGUF: TestModels.smolLM2GGUF, mmproj: Self.mmproj)
        }
    }

    /// Keys llama.cpp treats as optional: the scale factor is read off the projection's shape, the
    /// longest edge defaults to four tiles.
    @Test(.enabled(if: GGUFPairTests.available("tiny-smolvlm2")))
    func optionalKeys() throws {
        let full = try MMProjConfig(gguf: GGUFFile(url: Self.mmproj))
        #expect(full.scaleFactor == 2 && full.longestEdge == 256 && full.imageSequenceLength == 16)
        #expect(full.projectionDimension == 64 && full.vision.imageSize == 64 && full.vision.layerNormEpsilon == 1e-6)
        try Self.withEdited({
            $0.remove(key: "clip.vision.projector.scale_factor")
            $0.remove(key: "clip.vision.preproc_image_size")
            $0.set("clip.vision.image_size", .uint(32))
            $0.set("clip.vision.patch_size", .uint(4))
        }) { url in
            let sparse = try MMProjConfig(gguf: GGUFFile(url: url))
            #expect(sparse.scaleFactor == 2)
            #expect(sparse.longestEdge == 128)
        }
    }
}
