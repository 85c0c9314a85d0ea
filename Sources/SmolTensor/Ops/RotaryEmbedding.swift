#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding in the rotate-half ("NeoX") layout that Llama
/// and SmolLM2 use in transformers (`LlamaRotaryEmbedding`, `apply_rotary_pos_emb`).
///
/// For head dimension `D` and `i < D/2`: `invFreq[i] = 1 / θ^(2i/D)`, angle
/// `a = pos · invFreq[i]` (float32, as PyTorch computes it), and
/// `x'[i] = x[i]·cos a − x[i+D/2]·sin a`, `x'[i+D/2] = x[i+D/2]·cos a + x[i]·sin a`.
public struct RotaryEmbedding: Sendable {
    /// Per-head dimension `D` (even).
    public let headDimension: Int
    /// The base θ (`rope_theta`).
    public let theta: Float
    /// `1 / θ^(2i/D)` for `i < D/2`.
    public let inverseFrequencies: [Float]

    public init(headDimension: Int, theta: Float) throws(TensorError) {
        guard headDimension > 0, headDimension % 2 == 0 else {
            throw .invalidArgument(operation: "RotaryEmbedding", detail: "head dimension \(headDimension) must be even and positive")
        }
        guard theta > 0 else {
            throw .invalidArgument(operation: "RotaryEmbedding", detail: "theta \(theta) must be positive")
        }
        self.headDimension = headDimension
        self.theta = theta
        inverseFrequencies = (0..<headDimension / 2).map { i in
            1 / powf(theta, Float(2 * i) / Float(headDimension))
        }
    }

    /// Writes the cosines and sines for `position` into `cos` and `sin` (`D/2` each).
    @inlinable
    package func angles(position: Int, cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        let p = Float(position)
        for i in 0..<inverseFrequencies.count {
            let angle = p * inverseFrequencies[i]
            cos[i] = cosf(angle)
            sin[i] = sinf(angle)
        }
    }

    /// Rotates `rows` consecutive head vectors at `x` in place, all at one position's
    /// angles (`cos`, `sin` from ``angles(position:cos:sin:)``).
    @inlinable
    package func rotate(_ x: UnsafeMutablePointer<Float>, rows: Int, rowStride: Int,
                        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = headDimension / 2
        for r in 0..<rows {
            let v = x + r * rowStride
            for i in 0..<half {
                let (a, b) = (v[i], v[i + half])
                v[i] = a * cos[i] - b * sin[i]
                v[i + half] = b * cos[i] + a * sin[i]
            }
        }
    }

    /// `x` (`[…, S, D]`) with the vector at sequence index `s` rotated for `positions[s]`.
    public func applied(to x: Tensor, positions: [Int]) throws(TensorError) -> Tensor {
        let op = "RotaryEmbedding"
        var result = try x.floatOperand(op)
        guard result.rank >= 2, result.shape[result.rank - 1] == headDimension else {
            throw .shapeMismatch(operation: op, detail: "input \(x.shape) must end in [S, \(headDimension)]")
        }
        let s = result.shape[result.rank - 2]
        guard positions.count == s else {
            throw .shapeMismatch(operation: op, detail: "\(positions.count) positions for a sequence of \(s)")
        }
        let outer = s == 0 ? 0 : result.count / (s * headDimension)
        let half = headDimension / 2
        var table = [Float](repeating: 0, count: s * headDimension)
        table.withUnsafeMutableBufferPointer { t in
            for (i, position) in positions.enumerated() {
                angles(position: position, cos: t.baseAddress! + i * headDimension,
                       sin: t.baseAddress! + i * headDimension + half)
            }
        }
        let d = headDimension
        result.withUnsafeMutableFloats { buffer in
            table.withUnsafeBufferPointer { t in
                for o in 0..<outer {
                    for i in 0..<s {
                        rotate(buffer.baseAddress! + (o * s + i) * d, rows: 1, rowStride: d,
                               cos: t.baseAddress! + i * d, sin: t.baseAddress! + i * d + half)
                    }
                }
            }
        }
        return result
    }
}
