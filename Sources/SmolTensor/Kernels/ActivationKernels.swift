#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elementwise activation kernels.
package enum ActivationKernels {
    /// √(2/π), as PyTorch spells it (`M_SQRT2 * M_2_SQRTPI * 0.5`).
    @usableFromInline static let geluBeta = Float(2.0.squareRoot() * (2 / Double.pi.squareRoot()) * 0.5)
    @usableFromInline static let geluKappa: Float = 0.044715

    /// `gelu_pytorch_tanh`: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
    @inlinable
    package static func geluTanh(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n {
            let v = x[i]
            let inner = geluBeta * (v + geluKappa * (v * v * v))
            out[i] = 0.5 * v * (1 + tanhf(inner))
        }
    }

    /// SiLU (swish): `x / (1 + e⁻ˣ)`.
    @inlinable
    package static func silu(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n {
            let v = x[i]
            out[i] = v / (1 + expf(-v))
        }
    }
}
