import Foundation
import SmolTensor
import SmolTestSupport
import SmolVision
import Testing

/// The real SigLIP-B/16 @ 512 shape (12 layers, hidden 768, 1024 patches) with the
/// deterministic random weights of `Scripts/make_random_vision_weights.py`, against
/// transformers' `get_image_features`.
@Suite("SigLIP-B/16-512 encoder matches transformers", .serialized,
       .enabled(if: TestModels.available(TestModels.sigLIPB16Random)))
struct VisionEncoderB16Tests {
    static let tolerance: Float = 1e-4
    static let encoder = Result { try VisionEncoder(contentsOf: TestModels.sigLIPB16Random) }

    /// Fails with "wrong weights" rather than a numerical mismatch when the model
    /// folder does not hold the weights the goldens were made with.
    static func checkWeights(against golden: SafetensorsFile) throws {
        let expected = try #require(golden.metadata["weights_sha256"])
        let actual = try FileDigest.sha256(of: TestModels.sigLIPB16Random.appendingPathComponent("model.safetensors"))
        try #require(actual == expected, "wrong weights in \(TestModels.sigLIPB16Random.path): regenerate them with Scripts/make_random_vision_weights.py")
    }

    @Test func singleTile() throws {
        let golden = try SafetensorsFile(url: EncoderFixtures.url("siglip_b16_512/single_output.safetensors"))
        try Self.checkWeights(against: golden)
        let frame = try EncoderFixtures.pixelValues(png: "siglip_b16_512/single_frame.png")
        #expect(frame.height == 512 && frame.width == 512)
        let pixels = try Tensor(shape: [1, 3, 512, 512], floats: frame.values)
        let output = try Self.encoder.get().encode(pixelValues: pixels)
        let expected = try golden.tensor(named: "last_hidden_state")
        try expectClose(output.lastHiddenState, expected, tolerance: Self.tolerance)
        print("B/16 single tile: last_hidden_state max scaled error \(try maxScaledError(output.lastHiddenState, expected))")
    }

    /// The bfloat16 encoder on the same tile: its error is bounded (and documented in
    /// Documentation/Performance.md), not zero.
    @Test func singleTileBFloat16() throws {
        let golden = try SafetensorsFile(url: EncoderFixtures.url("siglip_b16_512/single_output.safetensors"))
        try Self.checkWeights(against: golden)
        let frame = try EncoderFixtures.pixelValues(png: "siglip_b16_512/single_frame.png")
        let encoder = try VisionEncoder(contentsOf: TestModels.sigLIPB16Random, precision: .bfloat16)
        let output = try encoder.encode(pixelValues: Tensor(shape: [1, 3, 512, 512], floats: frame.values))
        let expected = try golden.tensor(named: "last_hidden_state")
        // Measured 0.029 (scaled error, as expectClose computes it).
        try expectClose(output.lastHiddenState, expected, tolerance: 0.06)
        print("B/16 single tile, bfloat16: last_hidden_state max scaled error \(try maxScaledError(output.lastHiddenState, expected))")
    }

    /// [full tile, a 200×300 image at the top left of a zero frame, an all-zero padding frame].
    @Test func paddedBatch() throws {
        let golden = try SafetensorsFile(url: EncoderFixtures.url("siglip_b16_512/batch_output.safetensors"))
        try Self.checkWeights(against: golden)
        let side = 512, plane = 512 * 512
        var pixels = [Float](repeating: 0, count: 3 * 3 * plane)
        var mask = [Int64](repeating: 0, count: 3 * plane)
        let full = try EncoderFixtures.pixelValues(png: "siglip_b16_512/batch_frame_0.png")
        pixels.replaceSubrange(0..<(3 * plane), with: full.values)
        for i in 0..<plane { mask[i] = 1 }
        let partial = try EncoderFixtures.pixelValues(png: "siglip_b16_512/batch_frame_1.png")
        #expect(partial.height == 300 && partial.width == 200)
        for channel in 0..<3 {
            for y in 0..<partial.height {
                for x in 0..<partial.width {
                    pixels[(3 + channel) * plane + y * side + x] =
                        partial.values[(channel * partial.height + y) * partial.width + x]
                    mask[plane + y * side + x] = 1
                }
            }
        }
        let output = try Self.encoder.get().encode(
            pixelValues: Tensor(shape: [1, 3, 3, side, side], floats: pixels),
            pixelAttentionMask: Tensor(shape: [1, 3, side, side], int64s: mask))

        #expect(output.keptFrameIndices == (try golden.tensor(named: "real_frame_indices").ints()))
        let patchMask = try output.patchAttentionMask.ints()
        #expect(patchMask == (try golden.tensor(named: "patch_attention_mask").ints()))
        let grids = (0..<2).map { frame in
            PatchGrid(rows: 32, columns: 32, valid: patchMask[(frame * 1024)..<((frame + 1) * 1024)].map { $0 != 0 })
        }
        #expect(grids.flatMap { $0.positionIDs(patchesPerSide: 32) } == (try golden.tensor(named: "position_ids").ints()))

        let expected = try golden.tensor(named: "last_hidden_state")
        try expectClose(output.lastHiddenState, expected, tolerance: Self.tolerance)
        print("B/16 padded batch: last_hidden_state max scaled error \(try maxScaledError(output.lastHiddenState, expected))")
    }
}
