/// Vectorised reductions over float buffers. Swift does not reassociate float
/// additions on its own, so the lanes are explicit.
package enum Reductions {
    /// Σ p[i].
    @inlinable
    package static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 16 <= n {
            acc += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var total = acc.sum()
        while i < n { total += p[i]; i += 1 }
        return total
    }

    /// Σ (p[i] − c)².
    @inlinable
    package static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, from c: Float) -> Float {
        var acc = SIMD16<Float>()
        let center = SIMD16<Float>(repeating: c)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 16 <= n {
            let d = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - center
            acc += d * d
            i += 16
        }
        var total = acc.sum()
        while i < n { let d = p[i] - c; total += d * d; i += 1 }
        return total
    }

    /// max p[i] (−∞ for an empty buffer). NaN entries are skipped (softmax turns
    /// them into NaN through its sum anyway).
    @inlinable
    package static func max(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 16 <= n {
            // A compare and blend; `pointwiseMax` compiles to a scalar loop through
            // memory that made softmax 100× slower than this.
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            acc = acc.replacing(with: v, where: v .> acc)
            i += 16
        }
        var result = acc.max()
        while i < n { result = Swift.max(result, p[i]); i += 1 }
        return result
    }

    /// Σ a[i]·b[i].
    @inlinable
    package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 16 <= n {
            acc += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var total = acc.sum()
        while i < n { total += a[i] * b[i]; i += 1 }
        return total
    }
}
