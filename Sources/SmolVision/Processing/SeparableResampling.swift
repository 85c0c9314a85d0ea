#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSmolResample
import SmolTensor

/// The fixed-point separable resize that Pillow and torch's uint8 antialiased
/// `interpolate` share (torch's kernel is a port of Pillow-SIMD's).
///
/// Along one axis, output `i` is a window of filter weights over the inputs
/// around `(i + 0.5)·scale`, the filter stretched by the downscale factor,
/// normalised in float64 and rounded to fixed point. A pass sums
/// `pixel · weight` in 32-bit integers starting from `2^(precision − 1)`, shifts
/// right by `precision` and clamps to 0...255, so each pass rounds to uint8.
/// What differs between the two libraries is the precision and the pass order.
enum SeparableResampling {
    /// Normalised float64 filter windows along one axis: output `i` reads
    /// `count[i]` inputs from `start[i]`, with weights `weights[i·kernelSize...]`.
    struct Windows {
        let kernelSize: Int
        let start: [Int]
        let count: [Int]
        let weights: [Double]
        /// The largest normalised weight (torch sizes its fixed point by it).
        let maxWeight: Double
    }

    /// Fixed-point weights for one axis (`weights` laid out as in ``Windows``).
    struct Coefficients: Sendable {
        let kernelSize: Int
        let start: [Int]
        let count: [Int]
        let weights: [Int32]
        let precision: Int

        /// `windows` rounded half away from zero to `precision` fractional bits.
        init(_ windows: Windows, precision: Int) {
            let unit = Double(1 << precision)
            kernelSize = windows.kernelSize
            start = windows.start
            count = windows.count
            weights = windows.weights.map { w in Int32(w < 0 ? -0.5 + w * unit : 0.5 + w * unit) }
            self.precision = precision
        }
    }

    static func windows(inputSize: Int, outputSize: Int, filter: ResamplingFilter) -> Windows {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let kernelSize = Int(ceil(support)) * 2 + 1
        let inverseScale = 1 / filterScale
        var start = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Double](repeating: 0, count: outputSize * kernelSize)
        var maxWeight = 0.0
        for out in 0..<outputSize {
            let center = (Double(out) + 0.5) * scale
            // C's (int) conversion truncates toward zero, as Int(_:) does.
            let first = max(0, Int(center - support + 0.5))
            // Rounding can make the window one longer than the kernel; torch clips it.
            let taps = min(max(min(inputSize, Int(center + support + 0.5)) - first, 0), kernelSize)
            let row = out * kernelSize
            var total = 0.0
            for x in 0..<taps {
                let w = filter.weight((Double(x + first) - center + 0.5) * inverseScale)
                weights[row + x] = w
                total += w
            }
            if total != 0 {
                for x in 0..<taps {
                    weights[row + x] /= total
                    maxWeight = max(maxWeight, weights[row + x])
                }
            }
            start[out] = first
            count[out] = taps
        }
        return Windows(kernelSize: kernelSize, start: start, count: count, weights: weights, maxWeight: maxWeight)
    }

    /// `buffer` resampled along the axes that have coefficients (nil: size kept),
    /// horizontally first unless `verticalFirst`. A horizontal-first resize
    /// filters only the source rows the vertical pass reads; a vertical-first one
    /// covers the full width.
    static func resize(_ buffer: PixelBuffer, horizontal: Coefficients?, vertical: Coefficients?,
                       width: Int, height: Int, verticalFirst: Bool) -> PixelBuffer {
        switch (horizontal, vertical) {
        case (nil, nil):
            return buffer
        case let (h?, nil):
            return resampleHorizontally(buffer, rows: 0..<buffer.height, coefficients: h, width: width)
        case let (nil, v?):
            return resampleVertically(buffer, rowStarts: v.start, coefficients: v, height: height)
        case let (h?, v?):
            if verticalFirst {
                let rows = resampleVertically(buffer, rowStarts: v.start, coefficients: v, height: height)
                return resampleHorizontally(rows, rows: 0..<height, coefficients: h, width: width)
            }
            let first = v.start[0]
            let last = v.start[height - 1] + v.count[height - 1]
            let filtered = resampleHorizontally(buffer, rows: first..<last, coefficients: h, width: width)
            return resampleVertically(filtered, rowStarts: v.start.map { $0 - first }, coefficients: v, height: height)
        }
    }

    @inline(__always)
    static func clip8(_ value: Int32, precision: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: min(max(value >> precision, 0), 255))
    }

    /// Filters along rows. Filtering the columns of the transposed image runs the
    /// vertical pass's inner loop over contiguous memory, which vectorises; the
    /// sums are the same.
    static func resampleHorizontally(_ input: PixelBuffer, rows: Range<Int>, coefficients k: Coefficients, width: Int) -> PixelBuffer {
        let columns = input.transposed(rows: rows)
        return resampleVertically(columns, rowStarts: k.start, coefficients: k, height: width).transposed(rows: 0..<width)
    }

    /// Whether the vertical pass runs the AVX-512 loop of `CSmolResample` (the same
    /// sums, kept in registers across the taps) rather than the Swift one.
    static let useAVX512 = KernelISA.best(for: .float32) == .avx512

    static func resampleVertically(_ input: PixelBuffer, rowStarts: [Int], coefficients k: Coefficients, height: Int) -> PixelBuffer {
        let rowBytes = input.width * input.channels
        var out = [UInt8](repeating: 0, count: rowBytes * height)
        let precision = Int32(k.precision)
        let half = Int32(1) << (precision - 1)
        input.bytes.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                k.weights.withUnsafeBufferPointer { weights in
                    let src = source.baseAddress!, dst = destination.baseAddress!
                    ThreadPool.shared.parallelChunks(height, minimumChunk: 16) { chunk in
                        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: rowBytes)
                        defer { sums.deallocate() }
                        for y in chunk {
                            let w = weights.baseAddress! + y * k.kernelSize
                            let first = src + rowStarts[y] * rowBytes
                            let taps = k.count[y]
                            if useAVX512 {
                                smol_resample_row(first, rowBytes, w, taps, Int32(k.precision), dst + y * rowBytes, rowBytes, 1)
                                continue
                            }
                            sums.update(repeating: half, count: rowBytes)
                            var j = 0
                            // Two taps per sweep halve the traffic through `sums`.
                            while j + 1 < taps {
                                let row0 = first + j * rowBytes, row1 = row0 + rowBytes
                                let w0 = w[j], w1 = w[j + 1]
                                for i in 0..<rowBytes { sums[i] &+= Int32(row0[i]) &* w0 &+ Int32(row1[i]) &* w1 }
                                j += 2
                            }
                            if j < taps {
                                let row = first + j * rowBytes, weight = w[j]
                                for i in 0..<rowBytes { sums[i] &+= Int32(row[i]) &* weight }
                            }
                            let line = dst + y * rowBytes
                            for i in 0..<rowBytes { line[i] = clip8(sums[i], precision: precision) }
                        }
                    }
                }
            }
        }
        return PixelBuffer(width: input.width, height: height, channels: input.channels, bytes: out)
    }
}
