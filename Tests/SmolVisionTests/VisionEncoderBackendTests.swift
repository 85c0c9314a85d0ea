import Foundation
import SmolTensor
import SmolTestSupport
import SmolVision
import Testing

/// Every way the encoder can compute — the SmolTensor ops on BLAS, the portable C
/// kernels, the AVX-512 kernels — on the tiny golden's padded batch (a partly
/// padded frame, so the key mask and bucketized positions are exercised).
@Suite("SigLIP encoder backends and precisions")
struct VisionEncoderBackendTests {
    static let float32Backends: [VisionEncoderBackend] =
        [.tensorOps, .packed(.portable)] + (VisionEncoder.isAccelerated(.float32) ? [.packed(.avx512)] : [])
    static let bfloat16Backends: [VisionEncoderBackend] =
        [.packed(.portable)] + (VisionEncoder.isAccelerated(.bfloat16) ? [.packed(.avx512)] : [])

    static func encoder(_ precision: VisionEncoder.Precision, _ backend: VisionEncoderBackend) throws -> VisionEncoder {
        let directory = try EncoderFixtures.url("tiny")
        return try VisionEncoder(config: VisionConfig(contentsOf: directory), weights: SafetensorsCheckpoint(url: directory),
                                 prefix: VisionEncoder.defaultPrefix, precision: precision, backend: backend)
    }

    static func paddedBatch(_ encoder: VisionEncoder) throws -> (actual: Tensor, expected: Tensor) {
        let golden = try SafetensorsFile(url: EncoderFixtures.url("tiny/golden.safetensors"))
        let output = try encoder.encode(pixelValues: golden.tensor(named: "pixel_values"),
                                        pixelAttentionMask: golden.tensor(named: "pixel_attention_mask"))
        return (output.lastHiddenState, try golden.tensor(named: "last_hidden_state"))
    }

    @Test(arguments: float32Backends)
    func float32MatchesTransformers(_ backend: VisionEncoderBackend) throws {
        let (actual, expected) = try Self.paddedBatch(Self.encoder(.float32, backend))
        try expectClose(actual, expected, tolerance: 1e-4)
    }

    /// bfloat16 operands stay near the float32 golden, and the portable C kernels
    /// compute what the AVX512-BF16 ones do (up to summation order).
    @Test func bfloat16BackendsAgree() throws {
        var outputs: [Tensor] = []
        for backend in Self.bfloat16Backends {
            let (actual, expected) = try Self.paddedBatch(Self.encoder(.bfloat16, backend))
            // Measured 1.0e-3 (scaled error, as expectClose computes it).
            try expectClose(actual, expected, tolerance: 3e-3)
            print("tiny padded batch, bfloat16 \(backend): max scaled error \(try maxScaledError(actual, expected))")
            outputs.append(actual)
        }
        if outputs.count == 2 {
            // Measured 1.2e-7: the same roundings, summed in another order.
            try expectClose(outputs[0], outputs[1], tolerance: 1e-5)
            print("tiny padded batch, bfloat16 portable vs AVX512-BF16: \(try maxScaledError(outputs[0], outputs[1]))")
        }
    }
}
