import SmolVision

/// The deterministic 1024×768 "photo" the pipeline benchmark feeds both sides:
/// `bench_photo()` of Scripts/reference/bench_transformers.py, rebuilt bit for bit
/// from the same integer formula (gradient, three discs, a band of dark bars, and
/// per-pixel noise from a 32-bit hash), so no binary fixture is needed.
enum BenchmarkPhoto {
    static let width = 1024, height = 768

    static func make() throws -> Image {
        let discs: [(x: Int, y: Int, radius: Int, colour: [Int])] = [
            (300, 250, 140, [200, 60, 50]), (720, 480, 200, [60, 150, 90]), (880, 150, 90, [240, 210, 70]),
        ]
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                var rgb = [30 + 200 * x / 1023, 40 + 180 * y / 767, 220 - 160 * (x + y) / 1790]
                for disc in discs where (x - disc.x) * (x - disc.x) + (y - disc.y) * (y - disc.y) <= disc.radius * disc.radius {
                    rgb = disc.colour
                }
                if y >= 600 && y < 616 && (x / 12) % 3 == 0 { rgb = [15, 15, 15] }
                for c in 0..<3 {
                    pixels[(y * width + x) * 3 + c] = UInt8(clamping: rgb[c] + noise(x: x, y: y, channel: c))
                }
            }
        }
        return try Image(width: width, height: height, rgb: pixels)
    }

    /// In [-32, 31], from a 32-bit integer hash of the position and channel.
    static func noise(x: Int, y: Int, channel: Int) -> Int {
        var h = UInt32(truncatingIfNeeded: x) &* 0x9E37_79B1 &+ UInt32(truncatingIfNeeded: y) &* 0x85EB_CA77
            &+ UInt32(truncatingIfNeeded: channel) &* 0xC2B2_AE3D
        h ^= h >> 15
        h = h &* 0x2C1B_3C6D
        h ^= h >> 12
        return Int((h >> 8) & 63) - 32
    }

    /// `photo_checksum` of the reference script: Σ byte[i]·(i·2654435761 mod 2³²).
    static func checksum(_ image: Image) -> UInt64 {
        var sum: UInt64 = 0
        for (i, byte) in image.pixels.enumerated() {
            sum &+= UInt64(byte) &* ((UInt64(i) &* 2_654_435_761) & 0xFFFF_FFFF)
        }
        return sum
    }
}
