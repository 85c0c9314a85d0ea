#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row-wise normalisation kernels over contiguous `[rows, dim]` float buffers.
package enum NormKernels {
    /// LayerNorm of one row: `(x − mean) / sqrt(var + eps) · w + b` with the
    /// biased variance, as `torch.nn.functional.layer_norm`.
    @inlinable
    package static func layerNormRow(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, dim: Int,
        weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, eps: Float
    ) {
        let mean = Reductions.sum(x, dim) / Float(dim)
        let variance = Reductions.sumOfSquaredDeviations(x, dim, from: mean) / Float(dim)
        let inverse = 1 / sqrtf(variance + eps)
        for i in 0..<dim {
            var y = (x[i] - mean) * inverse
            if let weight { y *= weight[i] }
            if let bias { y += bias[i] }
            out[i] = y
        }
    }

    /// RMSNorm of one row: `w · (x · 1/sqrt(mean(x²) + eps))`, in the order
    /// transformers' `LlamaRMSNorm` applies it.
    @inlinable
    package static func rmsNormRow(
        _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, dim: Int,
        weight: UnsafePointer<Float>, eps: Float
    ) {
        let meanSquare = Reductions.sumOfSquaredDeviations(x, dim, from: 0) / Float(dim)
        let inverse = 1 / sqrtf(meanSquare + eps)
        for i in 0..<dim { out[i] = weight[i] * (x[i] * inverse) }
    }
}
