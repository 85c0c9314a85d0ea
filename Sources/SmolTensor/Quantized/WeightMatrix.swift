import CSmolMatVec

/// A weight matrix `[rows, columns]` (PyTorch's `[out, in]`) kept in one
/// ``WeightPrecision`` and read in that format by the matrix-vector kernels.
package struct WeightMatrix: Sendable {
    package let precision: WeightPrecision
    package let rows: Int
    package let columns: Int
    /// The stored elements: a view of the weight file when it already held this format.
    package let tensor: Tensor
    /// Bytes from one row to the next.
    package let rowBytes: Int

    /// `tensor` (`[rows, columns]`, any floating-point dtype) in `precision`: the tensor
    /// itself when it is already in that format, else converted row by row.
    package init(_ tensor: Tensor, precision: WeightPrecision) throws(TensorError) {
        let op = "WeightMatrix"
        guard tensor.rank == 2, tensor.dtype.isFloatingPoint else {
            throw .invalidArgument(operation: op, detail: "expected a 2-D floating-point weight, got \(tensor.dtype) \(tensor.shape)")
        }
        let (rows, columns) = (tensor.shape[0], tensor.shape[1])
        if precision.dtype.isQuantized && columns % 32 != 0 {
            throw .invalidArgument(operation: op, detail: "\(precision) needs rows of a multiple of 32 values, got \(columns)")
        }
        self.precision = precision
        self.rows = rows
        self.columns = columns
        rowBytes = smol_row_bytes(precision.format, Int32(columns))
        if tensor.dtype == precision.dtype {
            self.tensor = tensor
        } else {
            self.tensor = try Self.converted(tensor, to: precision)
            // The file's copy is not read again: let the kernel drop its pages.
            tensor.releaseMappedPages()
        }
    }

    private init(precision: WeightPrecision, tensor: Tensor) {
        self.precision = precision
        rows = tensor.shape[0]
        columns = tensor.shape[1]
        rowBytes = smol_row_bytes(precision.format, Int32(columns))
        self.tensor = tensor
    }

    /// Converts row by row, so no float32 copy of the whole matrix is ever made.
    private static func converted(_ tensor: Tensor, to precision: WeightPrecision) throws(TensorError) -> Tensor {
        let (rows, columns) = (tensor.shape[0], tensor.shape[1])
        let result = try Tensor.uninitialized([rows, columns], dtype: precision.dtype)
        let sourceRowBytes = tensor.dtype.byteCount(forElements: columns) ?? 0
        let targetRowBytes = smol_row_bytes(precision.format, Int32(columns))
        let source = UnsafeRawPointer(tensor.storage.base + tensor.byteOffset)
        let target = result.storage.base
        let dtype = tensor.dtype
        ThreadPool.shared.parallelChunks(rows, minimumChunk: 64) { range in
            let row = UnsafeMutablePointer<Float>.allocate(capacity: columns)
            defer { row.deallocate() }
            for r in range {
                let input = source + r * sourceRowBytes
                if dtype == .float32 {
                    smol_quantize_row(precision.format, input.assumingMemoryBound(to: Float.self), Int32(columns), target + r * targetRowBytes)
                } else {
                    widen(dtype, input, columns, row)
                    smol_quantize_row(precision.format, row, Int32(columns), target + r * targetRowBytes)
                }
            }
        }
        return result
    }

    /// Widens `count` values of any floating-point dtype to float32.
    static func widen(_ dtype: DType, _ input: UnsafeRawPointer, _ count: Int, _ out: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .float32:
            out.update(from: input.assumingMemoryBound(to: Float.self), count: count)
        case .float16:
            let p = input.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { out[i] = float16BitsToFloat(p[i]) }
        case .bfloat16:
            let p = input.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { out[i] = bfloat16BitsToFloat(p[i]) }
        default:
            Dequantize.rows(dtype, input, out, count: count)
        }
    }

    /// The same matrix with its rows reordered: row `i` of the result is row `order[i]`.
    package func rowsPermuted(_ order: [Int]) throws(TensorError) -> WeightMatrix {
        precondition(order.count == rows)
        let result = try Tensor.uninitialized([rows, columns], dtype: precision.dtype)
        let source = UnsafeRawPointer(tensor.storage.base + tensor.byteOffset)
        for (to, from) in order.enumerated() {
            (result.storage.base + to * rowBytes).copyMemory(from: source + from * rowBytes, byteCount: rowBytes)
        }
        tensor.releaseMappedPages()
        return WeightMatrix(precision: precision, tensor: result)
    }

    /// Start of row 0.
    @inline(__always)
    package var base: UnsafeRawPointer { UnsafeRawPointer(tensor.storage.base + tensor.byteOffset) }

    /// `y[r − rows.lowerBound] = W[r] · x` for `r` in `rows`. Integer formats read
    /// `quantized` (which must hold `x` quantized); float formats read `x`.
    @inline(__always)
    package func multiply(_ x: UnsafePointer<Float>, _ quantized: QuantizedVector, into y: UnsafeMutablePointer<Float>, rows range: Range<Int>) {
        guard !range.isEmpty else { return }
        var q = quantized.raw
        smol_matvec(precision.format, base, rowBytes, Int32(columns), x, &q, y, Int32(range.lowerBound), Int32(range.upperBound))
    }

    /// ``multiply(_:_:into:rows:)`` with the kernels of `level` (for tests comparing builds).
    package func multiply(_ x: UnsafePointer<Float>, _ quantized: QuantizedVector, into y: UnsafeMutablePointer<Float>,
                          rows range: Range<Int>, level: MatVecKernels.Level) {
        guard !range.isEmpty else { return }
        var q = quantized.raw
        smol_matvec_at(smol_kernel_level(rawValue: UInt32(level.rawValue)), precision.format, base, rowBytes, Int32(columns),
                       x, &q, y, Int32(range.lowerBound), Int32(range.upperBound))
    }

    /// Rows `range` as float32 into `out` (`range.count × columns`).
    package func dequantizeRows(_ range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        for (i, r) in range.enumerated() {
            smol_dequantize_row(precision.format, base + r * rowBytes, Int32(columns), out + i * columns)
        }
    }

    /// `x · Wᵀ` for `x` `[S, columns]`, as ``Tensor/linear(weight:bias:)``: float32
    /// weights go to BLAS; other formats use the matrix-vector kernels for a few
    /// rows and, for more, float32 products (the packed kernels, or BLAS without
    /// AVX-512) on tiles of the weight widened on the fly.
    package func linear(_ x: Tensor) throws(TensorError) -> Tensor {
        if precision == .float32 { return try x.linear(weight: tensor) }
        let op = "linear"
        let input = try x.floatOperand(op)
        guard input.rank == 2, input.shape[1] == columns else {
            throw .shapeMismatch(operation: op, detail: "input \(x.shape) does not fit weight [\(rows), \(columns)]")
        }
        let s = input.shape[0]
        let result = try Tensor.uninitialized([s, rows])
        let out = result.mutableFloatPointer
        let pool = ThreadPool.shared
        if s <= Self.matvecRowLimit {
            let quantized = QuantizedVector(capacity: columns)
            for i in 0..<s {
                let xi = input.floatPointer + i * columns
                if precision.dtype.isQuantized { quantized.quantize(xi, count: columns) }
                pool.parallelChunks(rows, minimumChunk: 256) { range in
                    multiply(xi, quantized, into: out + i * rows + range.lowerBound, rows: range)
                }
            }
            return result
        }
        // Tiles of about 1 M values keep the float32 copy small and in cache.
        let tileRows = max(64, (1 << 20) / max(columns, 1))
        let tile = UnsafeMutablePointer<Float>.allocate(capacity: tileRows * columns)
        defer { tile.deallocate() }
        // With AVX-512 the tile is packed for the C kernels, which run on the pool: BLAS
        // would pack it again, and its threads spin between the tiles while the pool
        // widens the next one.
        let packedKernels = KernelISA.best(for: .float32) == .avx512
        let packed = UnsafeMutableRawPointer.allocate(
            byteCount: packedKernels ? PackedKernels.packedBytes(n: tileRows, k: columns) : 1, alignment: 64)
        defer { packed.deallocate() }
        var start = 0
        while start < rows {
            let count = min(tileRows, rows - start)
            pool.parallelChunks(count, minimumChunk: 16) { range in
                dequantizeRows((start + range.lowerBound)..<(start + range.upperBound), into: tile + range.lowerBound * columns)
            }
            if packedKernels {
                try PackedKernels.multiplyPackingWeight(input.floatPointer, rows: s, weight: tile, n: count, k: columns,
                                                        packed: packed, into: out + start, outputStride: rows)
            } else {
                BLAS.sgemm(transposeB: true, m: s, n: count, k: columns,
                           a: input.floatPointer, lda: columns, b: tile, ldb: columns,
                           c: out + start, ldc: rows)
            }
            start += count
        }
        return result
    }

    /// Up to this many input rows, ``linear(_:)`` runs the matrix-vector kernel per row.
    static let matvecRowLimit = 4
}

extension WeightPrecision {
    /// The C kernels' name for this format.
    var format: smol_weight_format {
        switch self {
        case .float32: return SMOL_WEIGHTS_F32
        case .bfloat16: return SMOL_WEIGHTS_BF16
        case .q8_0: return SMOL_WEIGHTS_Q8_0
        case .q4_0: return SMOL_WEIGHTS_Q4_0
        case .q4_1: return SMOL_WEIGHTS_Q4_1
        }
    }
}
