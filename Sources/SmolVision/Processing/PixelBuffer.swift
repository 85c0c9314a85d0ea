import SmolTensor

/// Interleaved 8-bit pixels with 1 (gray), 3 (RGB) or 4 (RGBA) channels:
/// the working form of an image inside the processor.
struct PixelBuffer: Sendable, Equatable {
    let width: Int
    let height: Int
    let channels: Int
    var bytes: [UInt8]

    init(width: Int, height: Int, channels: Int, bytes: [UInt8]) {
        precondition(bytes.count == width * height * channels, "pixel buffer size")
        self.width = width
        self.height = height
        self.channels = channels
        self.bytes = bytes
    }

    /// An RGB image's pixels.
    init(_ image: Image) {
        self.init(width: image.width, height: image.height, channels: 3, bytes: image.pixels)
    }

    /// The rectangle `[x, x + w) × [y, y + h)`, copied.
    func cropped(x: Int, y: Int, width w: Int, height h: Int) -> PixelBuffer {
        var out = [UInt8](repeating: 0, count: w * h * channels)
        let rowBytes = w * channels
        bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<h {
                    let from = ((y + row) * width + x) * channels
                    (dst.baseAddress! + row * rowBytes).update(from: src.baseAddress! + from, count: rowBytes)
                }
            }
        }
        return PixelBuffer(width: w, height: h, channels: channels, bytes: out)
    }

    /// The rows `rows` with rows and columns swapped: pixel (x, y) goes to
    /// (y − rows.lowerBound, x). Copied in square blocks so reads and writes both
    /// stay in cache.
    func transposed(rows: Range<Int>) -> PixelBuffer {
        let c = channels, outWidth = rows.count, block = 16
        var out = [UInt8](repeating: 0, count: outWidth * width * c)
        bytes.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                let src = source.baseAddress! + rows.lowerBound * width * c, dst = destination.baseAddress!
                let inStride = width * c, outStride = outWidth * c
                ThreadPool.shared.parallelChunks((width + block - 1) / block) { columnBlocks in
                    for columnBlock in columnBlocks {
                        let columns = columnBlock * block..<min((columnBlock + 1) * block, width)
                        for rowBlock in stride(from: 0, to: outWidth, by: block) {
                            let blockRows = rowBlock..<min(rowBlock + block, outWidth)
                            for x in columns {
                                var from = src + blockRows.lowerBound * inStride + x * c
                                var to = dst + x * outStride + blockRows.lowerBound * c
                                if c == 3 {
                                    for _ in blockRows {
                                        to[0] = from[0]; to[1] = from[1]; to[2] = from[2]
                                        from += inStride; to += 3
                                    }
                                } else {
                                    for _ in blockRows {
                                        to.update(from: from, count: c)
                                        from += inStride; to += c
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return PixelBuffer(width: outWidth, height: width, channels: c, bytes: out)
    }
}
