import CSmolMatVec

/// Scratch for an activation vector quantized per block of 32 for the integer
/// matrix-vector kernels (int8 values, their magnitudes, a float scale and the
/// integer sum per block). Allocated once and reused for every token.
package final class QuantizedVector: @unchecked Sendable {
    /// Values the buffers hold at most (a multiple of 32).
    package let capacity: Int
    private let q: UnsafeMutableRawPointer
    private let qabs: UnsafeMutableRawPointer
    private let scales: UnsafeMutablePointer<Float>
    private let sums: UnsafeMutablePointer<Int32>

    package init(capacity: Int) {
        let rounded = max(32, (capacity + 31) / 32 * 32)
        self.capacity = rounded
        q = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: 64)
        qabs = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: 64)
        scales = .allocate(capacity: rounded / 32)
        sums = .allocate(capacity: rounded / 32)
    }

    deinit {
        q.deallocate()
        qabs.deallocate()
        scales.deallocate()
        sums.deallocate()
    }

    /// The C view of the buffers.
    var raw: smol_qvec {
        smol_qvec(q: q.assumingMemoryBound(to: Int8.self), qabs: qabs.assumingMemoryBound(to: UInt8.self),
                  d: scales, sum: sums)
    }

    /// Quantizes `count` values (a multiple of 32, at most `capacity`) from `x`.
    package func quantize(_ x: UnsafePointer<Float>, count: Int) {
        precondition(count <= capacity && count % 32 == 0, "cannot quantize \(count) values into \(capacity)")
        var view = raw
        smol_quantize_qvec(x, Int32(count), &view)
    }
}

/// The matrix-vector kernel family in use (chosen by cpuid at first use).
public enum MatVecKernels {
    /// Kernel builds, from the portable C to AVX-512 with VNNI.
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        case portable = 0, avx2, avx512

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        public var description: String {
            switch self {
            case .portable: return "portable C"
            case .avx2: return "AVX2+FMA"
            case .avx512: return "AVX-512 VNNI"
            }
        }
    }

    /// The best level this CPU supports.
    public static var detected: Level { Level(rawValue: Int(smol_kernels_detected().rawValue)) ?? .portable }

    /// The level in use (the environment variable `SMOLVLM_KERNELS=portable|avx2` lowers it).
    public static var active: Level { Level(rawValue: Int(smol_kernels_active().rawValue)) ?? .portable }

    /// Uses `level` (or the detected level when lower) from now on, for every model;
    /// for tests and measurements. Returns the level now active.
    @discardableResult
    public static func select(_ level: Level) -> Level {
        Level(rawValue: Int(smol_kernels_select(smol_kernel_level(rawValue: UInt32(level.rawValue))).rawValue)) ?? .portable
    }
}
