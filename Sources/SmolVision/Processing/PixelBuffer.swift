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
                    for i in 0..<rowBytes { dst[row * rowBytes + i] = src[from + i] }
                }
            }
        }
        return PixelBuffer(width: w, height: h, channels: channels, bytes: out)
    }
}
