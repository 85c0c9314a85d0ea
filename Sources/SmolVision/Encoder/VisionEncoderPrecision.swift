import SmolTensor

extension VisionEncoder {
    /// The arithmetic of the encoder's matrix products (projections, MLP, attention).
    ///
    /// LayerNorm, softmax, GELU, residual sums and the patch embedding are float32
    /// in both modes, and every product accumulates in float32.
    public enum Precision: String, Sendable, CaseIterable, Codable {
        /// float32 operands: the outputs match transformers' float32 encoder (the
        /// goldens, within 1e-4).
        case float32
        /// Weights and activations rounded to bfloat16 (nearest even) before each
        /// product: about twice as fast with AVX512-BF16 (`vdpbf16ps`). On the
        /// SmolVLM-256M-shaped goldens the connector output moves by up to 1.6e-2 of
        /// its largest value and the greedy tokens stay the same (Documentation/Performance.md).
        /// CPUs without AVX512-BF16 run the same arithmetic in portable C, slowly.
        case bfloat16

        var kernelPrecision: KernelPrecision { self == .float32 ? .float32 : .bfloat16 }
    }

    /// Whether this CPU runs `precision` with vector kernels (AVX-512 for float32,
    /// AVX512-BF16 for bfloat16). Otherwise float32 runs on the system BLAS and
    /// bfloat16 on portable C kernels.
    public static func isAccelerated(_ precision: Precision) -> Bool {
        KernelISA.best(for: precision.kernelPrecision) == .avx512
    }
}

/// How a ``VisionEncoder`` computes its layers.
package enum VisionEncoderBackend: Sendable, Equatable {
    /// The SmolTensor ops on the system BLAS (float32 only).
    case tensorOps
    /// Packed weights and fused C kernels (`CSmolGEMM`) of the given ISA.
    case packed(KernelISA)

    /// The fastest backend this CPU has for `precision`.
    package static func best(for precision: VisionEncoder.Precision) -> VisionEncoderBackend {
        let isa = KernelISA.best(for: precision.kernelPrecision)
        return precision == .float32 && isa == .portable ? .tensorOps : .packed(isa)
    }
}
