#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#endif

/// The one place that talks to the system BLAS: OpenBLAS on Linux,
/// Accelerate on Apple platforms. Matrices are row-major.
package enum BLAS {
    /// `C = alpha · op(A) · op(B) + beta · C` where `op(A)` is `m×k` and `op(B)` is `k×n`.
    @inlinable
    package static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // An empty product: C = beta·C, without reading C when beta is 0.
            for row in 0..<m {
                for col in 0..<n { c[row * ldc + col] = beta == 0 ? 0 : beta * c[row * ldc + col] }
            }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets how many threads BLAS may use for one call.
    package static func setThreadCount(_ count: Int) {
        #if !canImport(Accelerate)
        openblas_set_num_threads(Int32(max(count, 1)))
        #endif
    }

    /// A human-readable description of the BLAS in use.
    package static var description: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        let config = openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
        let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        return "\(config) (core: \(core), threads: \(openblas_get_num_threads()))"
        #endif
    }
}
