#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SmolTensor

/// Pillow's `Image.resize(size, Image.LANCZOS)` for 8-bit images, bit for bit.
///
/// Pillow (`src/libImaging/Resample.c`) builds, per output pixel, a window of
/// `lanczos(x) = sinc(x)·sinc(x/3)` weights (support 3, stretched by the
/// downscale factor), normalises them, converts them to 22-bit fixed point, and
/// resamples in two passes with a uint8 image between them (the horizontal pass
/// reading only the source rows the vertical pass needs). An axis whose size does
/// not change is skipped. The models were trained on images resized this way.
enum LanczosResampler {
    static let precisionBits = 22
    static let support = 3.0

    /// Fixed-point weights for one axis: output `i` reads `count[i]` inputs from `start[i]`.
    struct Coefficients {
        let kernelSize: Int
        let start: [Int]
        let count: [Int]
        let weights: [Int32]
    }

    static func lanczos(_ x: Double) -> Double {
        guard -3.0 <= x && x < 3.0 else { return 0 }
        return sinc(x) * sinc(x / 3)
    }

    static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let px = x * Double.pi
        return sin(px) / px
    }

    static func coefficients(inputSize: Int, outputSize: Int) -> Coefficients {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let windowSupport = support * filterScale
        let kernelSize = Int(ceil(windowSupport)) * 2 + 1
        var start = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * kernelSize)
        var window = [Double](repeating: 0, count: kernelSize)
        let inverseScale = 1 / filterScale
        let unit = Double(1 << precisionBits)
        for out in 0..<outputSize {
            let center = (Double(out) + 0.5) * scale
            // C's (int) conversion truncates toward zero, as Int(_:) does.
            let xmin = max(0, Int(center - windowSupport + 0.5))
            let xmax = min(inputSize, Int(center + windowSupport + 0.5)) - xmin
            var total = 0.0
            for x in 0..<xmax {
                let w = lanczos((Double(x + xmin) - center + 0.5) * inverseScale)
                window[x] = w
                total += w
            }
            for x in 0..<xmax {
                let w = total != 0 ? window[x] / total : window[x]
                weights[out * kernelSize + x] = Int32(w < 0 ? -0.5 + w * unit : 0.5 + w * unit)
            }
            start[out] = xmin
            count[out] = xmax
        }
        return Coefficients(kernelSize: kernelSize, start: start, count: count, weights: weights)
    }

    @inline(__always)
    static func clip8(_ value: Int32) -> UInt8 {
        let shifted = value >> Int32(precisionBits)
        return shifted <= 0 ? 0 : shifted >= 255 ? 255 : UInt8(shifted)
    }

    /// `buffer` resized to `width × height`.
    static func resize(_ buffer: PixelBuffer, width: Int, height: Int) -> PixelBuffer {
        let needHorizontal = width != buffer.width
        let needVertical = height != buffer.height
        guard needHorizontal || needVertical else { return buffer }
        let horizontal = coefficients(inputSize: buffer.width, outputSize: width)
        let vertical = coefficients(inputSize: buffer.height, outputSize: height)
        if needHorizontal && needVertical && verticalFirst(from: buffer, width: width, height: height) {
            let rows = resampleVertically(buffer, rowStarts: vertical.start, coefficients: vertical, height: height)
            return resampleHorizontally(rows, rows: 0..<height, coefficients: horizontal, width: width)
        }
        var source = buffer
        var rowStarts = vertical.start
        if needHorizontal {
            // Only the source rows some output row reads.
            let first = vertical.start[0]
            let last = vertical.start[height - 1] + vertical.count[height - 1]
            source = resampleHorizontally(buffer, rows: first..<last, coefficients: horizontal, width: width)
            rowStarts = rowStarts.map { $0 - first }
        }
        guard needVertical else { return source }
        return resampleVertically(source, rowStarts: rowStarts, coefficients: vertical, height: height)
    }

    /// Pillow 13 (`ImagingResampleInner`) runs the vertical pass first when the
    /// height loses more than twice as many pixels as the width
    /// (`ih − oh > 2·(iw − ow)`, strictly, height shrinking); otherwise horizontal
    /// first. The vertical-first pass covers the full width.
    static func verticalFirst(from buffer: PixelBuffer, width: Int, height: Int) -> Bool {
        let heightLoss = buffer.height - height, widthLoss = buffer.width - width
        return heightLoss > 0 && heightLoss > 2 * widthLoss
    }

    static func resampleHorizontally(_ input: PixelBuffer, rows: Range<Int>, coefficients k: Coefficients, width: Int) -> PixelBuffer {
        let c = input.channels
        var out = [UInt8](repeating: 0, count: width * rows.count * c)
        let half = Int32(1) << Int32(precisionBits - 1)
        input.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                k.weights.withUnsafeBufferPointer { weights in
                    ThreadPool.shared.parallelChunks(rows.count, minimumChunk: 16) { chunk in
                        for r in chunk {
                            let rowIn = (rows.lowerBound + r) * input.width * c
                            let rowOut = r * width * c
                            for x in 0..<width {
                                let w = weights.baseAddress! + x * k.kernelSize
                                let base = rowIn + k.start[x] * c
                                for ch in 0..<c {
                                    var sum = half
                                    for i in 0..<k.count[x] { sum &+= Int32(src[base + i * c + ch]) &* w[i] }
                                    dst[rowOut + x * c + ch] = clip8(sum)
                                }
                            }
                        }
                    }
                }
            }
        }
        return PixelBuffer(width: width, height: rows.count, channels: c, bytes: out)
    }

    static func resampleVertically(_ input: PixelBuffer, rowStarts: [Int], coefficients k: Coefficients, height: Int) -> PixelBuffer {
        let c = input.channels
        let rowBytes = input.width * c
        var out = [UInt8](repeating: 0, count: rowBytes * height)
        let half = Int32(1) << Int32(precisionBits - 1)
        input.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                k.weights.withUnsafeBufferPointer { weights in
                    ThreadPool.shared.parallelChunks(height, minimumChunk: 16) { chunk in
                        var sums = [Int32](repeating: 0, count: rowBytes)
                        for y in chunk {
                            let w = weights.baseAddress! + y * k.kernelSize
                            for i in 0..<rowBytes { sums[i] = half }
                            for j in 0..<k.count[y] {
                                let row = (rowStarts[y] + j) * rowBytes
                                let weight = w[j]
                                for i in 0..<rowBytes { sums[i] &+= Int32(src[row + i]) &* weight }
                            }
                            for i in 0..<rowBytes { dst[y * rowBytes + i] = clip8(sums[i]) }
                        }
                    }
                }
            }
        }
        return PixelBuffer(width: input.width, height: height, channels: c, bytes: out)
    }
}
