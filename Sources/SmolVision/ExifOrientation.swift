/// The EXIF Orientation tag (TIFF tag 274): where the stored image's first row
/// and first column belong when displayed. Names follow the TIFF specification
/// (row 0 side, column 0 side).
public enum ExifOrientation: Int, Sendable, CaseIterable {
    /// Stored as displayed.
    case topLeft = 1
    /// Mirrored left to right.
    case topRight = 2
    /// Rotated 180°.
    case bottomRight = 3
    /// Mirrored top to bottom.
    case bottomLeft = 4
    /// Transposed (mirrored along the main diagonal).
    case leftTop = 5
    /// Displayed after a 90° clockwise rotation.
    case rightTop = 6
    /// Transversed (mirrored along the anti-diagonal).
    case rightBottom = 7
    /// Displayed after a 90° counter-clockwise rotation.
    case leftBottom = 8

    /// Whether displaying swaps width and height.
    public var swapsDimensions: Bool { rawValue >= 5 }

    /// Rearranges `height` rows of `width` pixels of `channels` interleaved
    /// bytes into display order, as Pillow's `ImageOps.exif_transpose`.
    ///
    /// For output pixel (x, y) of the displayed `W × H` image, with the stored
    /// image `s` of `width × height` (numpy notation, from the goldens' table):
    /// 2 `s[:, ::-1]`, 3 `s[::-1, ::-1]`, 4 `s[::-1]`, 5 `s.transpose(1, 0, 2)`,
    /// 6 `rot90(s, -1)`, 7 `s[::-1, ::-1].transpose(1, 0, 2)`, 8 `rot90(s, 1)`.
    func apply(to pixels: [UInt8], width: Int, height: Int, channels: Int) -> [UInt8] {
        if self == .topLeft { return pixels }
        let outWidth = swapsDimensions ? height : width
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                var out = 0
                for y in 0..<(swapsDimensions ? width : height) {
                    for x in 0..<outWidth {
                        // The stored pixel shown at display position (x, y).
                        let (sx, sy): (Int, Int)
                        switch self {
                        case .topLeft: (sx, sy) = (x, y)
                        case .topRight: (sx, sy) = (width - 1 - x, y)
                        case .bottomRight: (sx, sy) = (width - 1 - x, height - 1 - y)
                        case .bottomLeft: (sx, sy) = (x, height - 1 - y)
                        case .leftTop: (sx, sy) = (y, x)
                        case .rightTop: (sx, sy) = (y, height - 1 - x)
                        case .rightBottom: (sx, sy) = (width - 1 - y, height - 1 - x)
                        case .leftBottom: (sx, sy) = (width - 1 - y, x)
                        }
                        let from = (sy * width + sx) * channels
                        for c in 0..<channels { target[out + c] = source[from + c] }
                        out += channels
                    }
                }
            }
        }
        return output
    }
}
