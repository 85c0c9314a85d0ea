#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum SoftmaxKernels {
    /// In-place numerically stable softmax of one row: `exp(x − max) / Σ`.
    /// A row whose entries are all −∞ becomes NaN, as in PyTorch.
    @inlinable
    package static func softmaxRow(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        guard n > 0 else { return }
        let maximum = Reductions.max(x, n)
        var sum: Float = 0
        for i in 0..<n {
            let e = expf(x[i] - maximum)
            x[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<n { x[i] *= inverse }
    }
}
