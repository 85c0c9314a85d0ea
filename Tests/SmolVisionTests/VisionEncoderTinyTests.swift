import Foundation
import SmolTensor
import SmolTestSupport
import SmolVision
import Testing

/// A 2-layer SigLIP tower (hidden 32, 4 heads, 32 px frames of 4×4 patches) against
/// transformers' `get_image_features` on a padded batch: prompt 0 = [full frame,
/// frame with 20×12 valid pixels], prompt 1 = [full frame, all-zero padding frame].
@Suite("SigLIP encoder, tiny config, matches transformers")
struct VisionEncoderTinyTests {
    static let tolerance: Float = 1e-4

    static func load() throws -> (VisionEncoder, SafetensorsFile) {
        let encoder = try VisionEncoder(contentsOf: EncoderFixtures.url("tiny"))
        let golden = try SafetensorsFile(url: EncoderFixtures.url("tiny/golden.safetensors"))
        return (encoder, golden)
    }

    @Test func readsTheVisionConfig() throws {
        let config = try VisionConfig(contentsOf: EncoderFixtures.url("tiny"))
        #expect(config == (try VisionConfig(hiddenSize: 32, intermediateSize: 64, layerCount: 2, attentionHeads: 4,
                                             channelCount: 3, imageSize: 32, patchSize: 8, layerNormEpsilon: 1e-6)))
        #expect(config.patchesPerSide == 4)
    }

    @Test func paddedBatch() throws {
        let (encoder, golden) = try Self.load()
        let output = try encoder.encode(pixelValues: golden.tensor(named: "pixel_values"),
                                        pixelAttentionMask: golden.tensor(named: "pixel_attention_mask"))
        #expect(output.keptFrameIndices == (try golden.tensor(named: "real_frame_indices").ints()))
        #expect(output.patchAttentionMask.shape == [3, 4, 4])
        #expect(try output.patchAttentionMask.ints() == golden.tensor(named: "patch_attention_mask").ints())
        let expected = try golden.tensor(named: "last_hidden_state")
        try expectClose(output.lastHiddenState, expected, tolerance: Self.tolerance)
        print("tiny padded batch: last_hidden_state max scaled error \(try maxScaledError(output.lastHiddenState, expected))")
    }

    @Test(arguments: [1, 2, 3, 8])
    func framesPerBatchDoesNotChangeTheResult(framesPerBatch: Int) throws {
        let (encoder, golden) = try Self.load()
        let output = try encoder.encode(pixelValues: golden.tensor(named: "pixel_values"),
                                        pixelAttentionMask: golden.tensor(named: "pixel_attention_mask"),
                                        framesPerBatch: framesPerBatch)
        try expectClose(output.lastHiddenState, golden.tensor(named: "last_hidden_state"), tolerance: Self.tolerance)
    }

    /// Intermediate tensors, to locate a mismatch: position ids, embeddings, layer 0.
    @Test func intermediates() throws {
        let (encoder, golden) = try Self.load()
        let kept = try golden.tensor(named: "real_frame_indices").ints()
        let pixels = try golden.tensor(named: "pixel_values").reshaped([4, 3, 32, 32])
        let frames = try Tensor.concatenate(kept.map { try pixels.slice(axis: 0, start: $0, length: 1) }, axis: 0)
        let validity = try golden.tensor(named: "patch_attention_mask").ints()
        let grids = kept.indices.map { i in
            PatchGrid(rows: 4, columns: 4, valid: validity[(i * 16)..<((i + 1) * 16)].map { $0 != 0 })
        }
        #expect(grids.flatMap { $0.positionIDs(patchesPerSide: 4) } == (try golden.tensor(named: "position_ids").ints()))

        let embeddings = try encoder.hiddenStates(frames: frames, grids: grids, stage: .embeddings)
        try expectClose(embeddings, golden.tensor(named: "embeddings"), tolerance: Self.tolerance)
        let layer0 = try encoder.hiddenStates(frames: frames, grids: grids, stage: .layer(0))
        try expectClose(layer0, golden.tensor(named: "layer0"), tolerance: Self.tolerance)
    }

    /// Frame 0 alone without a pixel mask (every patch valid, no attention mask).
    @Test func singleFrameWithoutMask() throws {
        let (encoder, golden) = try Self.load()
        let frame = try golden.tensor(named: "pixel_values").reshaped([4, 3, 32, 32]).slice(axis: 0, start: 0, length: 1)
        let output = try encoder.encode(pixelValues: frame)
        #expect(output.keptFrameIndices == [0])
        #expect(try output.patchAttentionMask.ints() == Array(repeating: 1, count: 16))
        let expected = try golden.tensor(named: "single_last_hidden_state")
        try expectClose(output.lastHiddenState, expected, tolerance: Self.tolerance)
        print("tiny single frame: last_hidden_state max scaled error \(try maxScaledError(output.lastHiddenState, expected))")
    }

    /// When every frame is padding, frame 0 is still encoded (`real_images_inds[0] |= ~any`).
    @Test func allPaddingKeepsFrameZero() throws {
        let (encoder, _) = try Self.load()
        let output = try encoder.encode(pixelValues: Tensor(zeros: [1, 3, 3, 32, 32]))
        #expect(output.keptFrameIndices == [0])
        #expect(output.lastHiddenState.shape == [1, 16, 32])
    }

    /// float16 pixels give the float32 result of the same (rounded) values.
    @Test func acceptsHalfPrecisionPixels() throws {
        let (encoder, golden) = try Self.load()
        let frame = try golden.tensor(named: "pixel_values").reshaped([4, 3, 32, 32]).slice(axis: 0, start: 0, length: 1)
        let half = try frame.converted(to: .float16)
        let fromHalf = try encoder.encode(pixelValues: half).lastHiddenState
        let fromWidened = try encoder.encode(pixelValues: half.asFloat32()).lastHiddenState
        #expect(try fromHalf.floats() == fromWidened.floats())
    }

    @Test func rejectsBadInputs() throws {
        let (encoder, _) = try Self.load()
        #expect(throws: TensorError.self) { try encoder.encode(pixelValues: Tensor(zeros: [1, 4, 32, 32])) }
        #expect(throws: TensorError.self) { try encoder.encode(pixelValues: Tensor(zeros: [3, 32, 32])) }
        #expect(throws: TensorError.self) { try encoder.encode(pixelValues: Tensor(zeros: [1, 3, 7, 32])) }
        #expect(throws: TensorError.self) { try encoder.encode(pixelValues: Tensor(zeros: [0, 3, 32, 32])) }
        #expect(throws: TensorError.unsupportedDType(operation: "VisionEncoder.encode", dtype: .int64)) {
            try encoder.encode(pixelValues: Tensor(zeros: [1, 3, 32, 32], dtype: .int64))
        }
        #expect(throws: TensorError.self) {
            try encoder.encode(pixelValues: Tensor(zeros: [2, 3, 32, 32]), pixelAttentionMask: Tensor(zeros: [1, 32, 32]))
        }
        #expect(throws: TensorError.self) {
            try encoder.encode(pixelValues: Tensor(zeros: [1, 3, 32, 32]), framesPerBatch: 0)
        }
    }
}
