/// 8-bit RGB colour and an optional alpha plane, row-major, in stored orientation.
struct PixelPlanes {
    var rgb: [UInt8]
    /// One byte per pixel; nil when the file has no alpha channel and no tRNS.
    var alpha: [UInt8]?
}

extension RawImage {
    /// The RGB that Pillow's `convert("RGB")` gives for the mode Pillow opens
    /// this file in, and the alpha of its `convert("RGBA")`.
    ///
    /// Pillow's modes (src/PIL/PngImagePlugin.py `_MODES`, src/PIL/JpegImagePlugin.py
    /// `SOF`) and conversions (src/libImaging/Convert.c, Unpack.c):
    /// - PNG grey: 1-bit is mode "1" (0/255), 2- and 4-bit are "L" scaled by
    ///   85 and 17, 16-bit is "I;16", whose RGB **clips** each sample to 255
    ///   (`I16_RGB`) rather than keeping the high byte.
    /// - PNG 16-bit RGB, RGBA and grey+alpha keep the high byte of each sample.
    /// - Palette indices past the palette are black (Pillow's palette is zero-filled).
    /// - tRNS: palette alphas per index; for grey and RGB a key colour whose
    ///   16-bit value Pillow masks to its low byte (`rgbT2a`) and compares with
    ///   the converted 8-bit pixel, so a key only matches what Pillow matches.
    /// - JPEG CMYK: Pillow reads every 4-component JPEG as Adobe-inverted
    ///   (`CMYK;I`), and `cmyk2rgb` then gives `R = nk − nk·C/255` (rounded as
    ///   `MULDIV255`) with `nk = 255 − K`.
    func pillowPlanes() throws(ImageError) -> PixelPlanes {
        let bytesPerSample = bitDepth == 16 ? 2 : 1
        guard width > 0, height > 0, samples.count == width * height * channels * bytesPerSample else {
            throw .corrupt(format: format, reason: "decoder returned \(samples.count) bytes for \(width)×\(height)×\(channels)")
        }
        switch (format, pngColorType, channels) {
        case (.jpeg, _, 1), (.png, 0, 1): return grey()
        case (.jpeg, _, 3): return PixelPlanes(rgb: Array(samples), alpha: nil)
        case (.jpeg, _, 4): return cmyk()
        case (.png, 2, 3): return truecolour()
        case (.png, 3, 1): return indexed()
        case (.png, 4, 2), (.png, 6, 4): return withAlphaChannel()
        default:
            throw .corrupt(format: format, reason: "unexpected layout: colour type \(pngColorType ?? -1), \(channels) channels")
        }
    }

    private var pixelCount: Int { width * height }

    /// Greys (PNG colour type 0 or a one-component JPEG), with a tRNS key as alpha.
    private func grey() -> PixelPlanes {
        var levels = [UInt8](repeating: 0, count: pixelCount)
        for i in 0..<pixelCount {
            switch bitDepth {
            case 1: levels[i] = samples[i] != 0 ? 255 : 0
            case 2: levels[i] = samples[i] &* 85
            case 4: levels[i] = samples[i] &* 17
            case 16: levels[i] = samples[2 * i] == 0 ? samples[2 * i + 1] : 255
            default: levels[i] = samples[i]
            }
        }
        var rgb = [UInt8](repeating: 0, count: 3 * pixelCount)
        for i in 0..<pixelCount {
            rgb[3 * i] = levels[i]
            rgb[3 * i + 1] = levels[i]
            rgb[3 * i + 2] = levels[i]
        }
        var alpha: [UInt8]?
        if format == .png, let key = transparency, key.count >= 2 {
            // Mode "1" stores the key as 255 for any non-zero value.
            let level = bitDepth == 1 ? (key[0] | key[1] != 0 ? 255 : 0) : key[1]
            alpha = levels.map { $0 == level ? 0 : 255 }
        }
        return PixelPlanes(rgb: rgb, alpha: alpha)
    }

    /// PNG RGB, 8 or 16 bits, with a tRNS key as alpha.
    private func truecolour() -> PixelPlanes {
        let step = bitDepth == 16 ? 2 : 1
        var rgb = [UInt8](repeating: 0, count: 3 * pixelCount)
        for i in 0..<3 * pixelCount { rgb[i] = samples[i * step] }
        var alpha: [UInt8]?
        if let key = transparency, key.count >= 6 {
            let (r, g, b) = (key[1], key[3], key[5])
            alpha = (0..<pixelCount).map { i in
                rgb[3 * i] == r && rgb[3 * i + 1] == g && rgb[3 * i + 2] == b ? 0 : 255
            }
        }
        return PixelPlanes(rgb: rgb, alpha: alpha)
    }

    /// PNG palette indices, with tRNS alphas per palette entry.
    private func indexed() -> PixelPlanes {
        var colours = [UInt8](repeating: 0, count: 256 * 3)
        colours.replaceSubrange(0..<min(palette.count, colours.count), with: palette.prefix(colours.count))
        var rgb = [UInt8](repeating: 0, count: 3 * pixelCount)
        for i in 0..<pixelCount {
            let entry = 3 * Int(samples[i])
            rgb[3 * i] = colours[entry]
            rgb[3 * i + 1] = colours[entry + 1]
            rgb[3 * i + 2] = colours[entry + 2]
        }
        var alpha: [UInt8]?
        if let table = transparency {
            var alphas = [UInt8](repeating: 255, count: 256)
            alphas.replaceSubrange(0..<min(table.count, 256), with: table.prefix(256))
            alpha = (0..<pixelCount).map { alphas[Int(samples[$0])] }
        }
        return PixelPlanes(rgb: rgb, alpha: alpha)
    }

    /// PNG grey + alpha or RGBA, 8 or 16 bits (high bytes).
    private func withAlphaChannel() -> PixelPlanes {
        let step = bitDepth == 16 ? 2 : 1
        let stride = channels * step
        let colourChannels = channels - 1
        var rgb = [UInt8](repeating: 0, count: 3 * pixelCount)
        var alpha = [UInt8](repeating: 0, count: pixelCount)
        for i in 0..<pixelCount {
            let pixel = i * stride
            for c in 0..<3 { rgb[3 * i + c] = samples[pixel + (colourChannels == 1 ? 0 : c * step)] }
            alpha[i] = samples[pixel + colourChannels * step]
        }
        return PixelPlanes(rgb: rgb, alpha: alpha)
    }

    /// JPEG CMYK as libjpeg outputs it, read as Pillow does.
    private func cmyk() -> PixelPlanes {
        var rgb = [UInt8](repeating: 0, count: 3 * pixelCount)
        for i in 0..<pixelCount {
            // Pillow's ink amounts are the inverted samples; nk = 255 − K is the raw K.
            let notBlack = Int(samples[4 * i + 3])
            for c in 0..<3 {
                let ink = 255 - Int(samples[4 * i + c])
                let product = ink * notBlack + 128
                let scaled = ((product >> 8) + product) >> 8
                rgb[3 * i + c] = UInt8(clamping: notBlack - scaled)
            }
        }
        return PixelPlanes(rgb: rgb, alpha: nil)
    }
}
