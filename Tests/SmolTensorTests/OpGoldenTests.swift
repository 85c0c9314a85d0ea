import Foundation
import SmolTensor
import SmolTestSupport
import Testing

/// Every op against its torch golden (Scripts/reference/make_op_goldens.py).
@Suite("Ops match PyTorch goldens")
struct OpGoldenTests {
    @Test(arguments: ["linear_bias", "linear_nobias", "linear_size1", "linear_wide"])
    func linear(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let bias = g.contains("bias") ? try g.tensor(named: "bias") : nil
        let y = try g.tensor(named: "x").linear(weight: g.tensor(named: "weight"), bias: bias)
        try expectClose(y, g.tensor(named: "expected"))
    }

    @Test(arguments: ["matmul_batched", "matmul_transposed", "matmul_m1"])
    func matmul(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let transposed = try g.intParameter("transpose_b") == 1
        let y = try g.tensor(named: "a").matmul(g.tensor(named: "b"), transposeOther: transposed)
        try expectClose(y, g.tensor(named: "expected"))
    }

    @Test(arguments: ["layer_norm_basic", "layer_norm_d1", "layer_norm_large"])
    func layerNorm(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let y = try g.tensor(named: "x").layerNorm(
            weight: g.tensor(named: "weight"), bias: g.tensor(named: "bias"), eps: g.parameter("eps"))
        try expectClose(y, g.tensor(named: "expected"))
    }

    @Test(arguments: ["rms_norm_basic", "rms_norm_size1", "rms_norm_tiny_values"])
    func rmsNorm(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let y = try g.tensor(named: "x").rmsNorm(weight: g.tensor(named: "weight"), eps: g.parameter("eps"))
        try expectClose(y, g.tensor(named: "expected"))
    }

    @Test func geluTanh() throws {
        let g = try Fixtures.opCase("gelu_tanh_basic")
        try expectClose(g.tensor(named: "x").geluTanh(), g.tensor(named: "expected"))
    }

    @Test func silu() throws {
        let g = try Fixtures.opCase("silu_basic")
        try expectClose(g.tensor(named: "x").silu(), g.tensor(named: "expected"))
    }

    @Test(arguments: ["softmax_basic", "softmax_large_logits", "softmax_size1"])
    func softmax(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        try expectClose(g.tensor(named: "x").softmax(), g.tensor(named: "expected"))
    }

    @Test(arguments: ["sdpa_mha", "sdpa_gqa_causal", "sdpa_gqa_cache", "sdpa_decode", "sdpa_key_mask", "sdpa_full_mask"])
    func attention(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let y = try Tensor.scaledDotProductAttention(
            query: g.tensor(named: "q"), key: g.tensor(named: "k"), value: g.tensor(named: "v"),
            mask: g.contains("mask") ? g.tensor(named: "mask") : nil,
            causal: g.intParameter("causal") == 1, scale: g.parameter("scale"))
        try expectClose(y, g.tensor(named: "expected"))
    }

    @Test(arguments: ["rope_basic", "rope_far", "rope_offset"])
    func rope(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let x = try g.tensor(named: "x")
        let rope = try RotaryEmbedding(headDimension: x.shape.last!, theta: g.parameter("theta"))
        let y = try rope.applied(to: x, positions: g.tensor(named: "positions").ints())
        try expectClose(y, g.tensor(named: "expected"))
    }

    @Test(arguments: ["patch_conv_basic", "patch_conv_remainder", "patch_conv_rect"])
    func patchConv(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let y = try g.tensor(named: "pixels").patchConv(weight: g.tensor(named: "weight"), bias: g.tensor(named: "bias"))
        #expect(try g.intParameter("patch") == g.tensor(named: "weight").shape[2])
        try expectClose(y, g.tensor(named: "expected"))
    }

    @Test(arguments: ["embedding_f32", "embedding_bf16", "embedding_f16"])
    func embedding(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let y = try g.tensor(named: "table").embeddingRows(g.tensor(named: "ids").ints())
        try expectClose(y, g.tensor(named: "expected"), tolerance: 0)
    }

    @Test(arguments: ["add_same", "add_row", "add_size1", "mul_broadcast", "mul_scalar_like"])
    func elementwise(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let (a, b) = (try g.tensor(named: "a"), try g.tensor(named: "b"))
        let y = g.metadata["op"] == "add" ? try a.adding(b) : try a.multiplying(b)
        try expectClose(y, g.tensor(named: "expected"), tolerance: 0)
    }

    @Test(arguments: ["concat_axis0", "concat_axis1", "concat_last"])
    func concat(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let parts = try ["t0", "t1", "t2"].map { try g.tensor(named: $0) }
        let y = try Tensor.concatenate(parts, axis: g.intParameter("axis"))
        try expectClose(y, g.tensor(named: "expected"), tolerance: 0)
    }

    @Test(arguments: ["slice_middle", "slice_first", "slice_last_axis"])
    func slice(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let y = try g.tensor(named: "x").slice(
            axis: g.intParameter("axis"), start: g.intParameter("start"), length: g.intParameter("length"))
        try expectClose(y, g.tensor(named: "expected"), tolerance: 0)
    }

    @Test(arguments: ["to_f32_from_bf16", "to_f32_from_f16"])
    func widening(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let got = try g.tensor(named: "x").asFloat32().floats().map(\.bitPattern)
        let want = try g.tensor(named: "expected").floats().map(\.bitPattern)
        #expect(got == want)
    }

    @Test(arguments: ["from_f32_to_bf16", "from_f32_to_f16"])
    func narrowing(_ name: String) throws {
        let g = try Fixtures.opCase(name)
        let expected = try g.tensor(named: "expected")
        let got = try g.tensor(named: "x").converted(to: expected.dtype)
        #expect(got.dtype == expected.dtype)
        let (a, b) = (try got.halfBits(), try expected.halfBits())
        let mismatches = zip(a, b).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) values differ, first: \(mismatches.first.map { "index \($0.offset): \($0.element)" } ?? "")")
    }

    /// Every golden file in the fixtures folder is exercised by a test above.
    @Test func everyGoldenIsCovered() throws {
        let covered: Set<String> = [
            "linear_bias", "linear_nobias", "linear_size1", "linear_wide",
            "matmul_batched", "matmul_transposed", "matmul_m1",
            "layer_norm_basic", "layer_norm_d1", "layer_norm_large",
            "rms_norm_basic", "rms_norm_size1", "rms_norm_tiny_values",
            "gelu_tanh_basic", "silu_basic", "softmax_basic", "softmax_large_logits", "softmax_size1",
            "sdpa_mha", "sdpa_gqa_causal", "sdpa_gqa_cache", "sdpa_decode", "sdpa_key_mask", "sdpa_full_mask",
            "rope_basic", "rope_far", "rope_offset",
            "patch_conv_basic", "patch_conv_remainder", "patch_conv_rect",
            "embedding_f32", "embedding_bf16", "embedding_f16",
            "add_same", "add_row", "add_size1", "mul_broadcast", "mul_scalar_like",
            "concat_axis0", "concat_axis1", "concat_last",
            "slice_middle", "slice_first", "slice_last_axis",
            "to_f32_from_bf16", "to_f32_from_f16", "from_f32_to_bf16", "from_f32_to_f16",
        ]
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("ops").path)
            .filter { $0.hasSuffix(".safetensors") }
            .map { String($0.dropLast(".safetensors".count)) }
        #expect(Set(files) == covered)
    }
}
