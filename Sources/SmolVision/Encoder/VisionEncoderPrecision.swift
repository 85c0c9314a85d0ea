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
        /// SmolVLM-256M-shaped goldens the connector output moves by 5.6e-3 of its
        /// largest value (transformers' own bfloat16 model: 1.2e-2) and the greedy
        /// tokens stay the same (Documentation/Performance.md). CPUs without
        /// AVX512-BF16 would not run it faster, so they compute ``float32`` instead
        /// (``VisionEncoder/precision`` says which is in effect).
        case bfloat16

        var kernelPrecision: KernelPrecision { self == .float32 ? .float32 : .bfloat16 }
    }

    /// Whether this CPU runs `precision` with vector kernels (AVX-512 for float32,
    /// AVX512-BF16 for bfloat16). Otherwise float32 runs on the system BLAS, and a
    /// bfloat16 request computes float32.
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

    /// The precision this CPU runs when `requested` is asked for, and the fastest
    /// backend for it: AVX-512 kernels when the CPU has the instructions, else the
    /// SmolTensor ops in float32.
    package static func best(for requested: VisionEncoder.Precision) -> (VisionEncoder.Precision, VisionEncoderBackend) {
        if KernelISA.best(for: requested.kernelPrecision) == .avx512 { return (requested, .packed(.avx512)) }
        if KernelISA.best(for: .float32) == .avx512 { return (.float32, .packed(.avx512)) }
        return (.float32, .tensorOps)
    }
}
