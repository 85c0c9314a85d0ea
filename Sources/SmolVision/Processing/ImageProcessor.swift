import SmolTensor

/// The SmolVLM image processor (transformers' `SmolVLMImageProcessor` /
/// `Idefics3ImageProcessor`, PIL backend), producing what the vision encoder sees.
///
/// Per image: scale the longest edge to `longestEdge` (even-rounded, up or down),
/// then either resize to multiples of the tile and cut it into tiles row-major with
/// a downscaled global image last, or (no splitting) squash it to one tile; then
/// rescale and normalise, and pad every prompt's frames to a common size and count.
/// All resizes are Pillow-exact LANCZOS on 8-bit RGB.
public struct ImageProcessor: Sendable {
    public let config: ImageProcessorConfig

    public init(config: ImageProcessorConfig) {
        self.config = config
    }

    /// The frames of one image as 8-bit RGB tiles, with its grid (`rows = cols = 0` when not split).
    public func frames(for image: Image) -> (frames: [Image], rows: Int, cols: Int) {
        var buffer = PixelBuffer(image)
        let tile = config.tileSize
        if config.doResize {
            let edge = longestEdge(for: image)
            let (h, w) = Self.resizeOutputSize(height: buffer.height, width: buffer.width, longestEdge: edge)
            buffer = LanczosResampler.resize(buffer, width: w, height: h)
        }
        var tiles: [PixelBuffer] = []
        var rows = 0, cols = 0
        if config.doImageSplitting {
            let (h, w) = Self.resizeForVisionEncoder(height: buffer.height, width: buffer.width, tile: tile)
            buffer = LanczosResampler.resize(buffer, width: w, height: h)
            if buffer.height > tile || buffer.width > tile {
                rows = (buffer.height + tile - 1) / tile
                cols = (buffer.width + tile - 1) / tile
                let tileHeight = (buffer.height + rows - 1) / rows
                let tileWidth = (buffer.width + cols - 1) / cols
                for r in 0..<rows {
                    for c in 0..<cols {
                        let x = c * tileWidth, y = r * tileHeight
                        tiles.append(buffer.cropped(x: x, y: y, width: min(tileWidth, buffer.width - x),
                                                    height: min(tileHeight, buffer.height - y)))
                    }
                }
                tiles.append(LanczosResampler.resize(buffer, width: tile, height: tile))
            } else {
                tiles = [buffer]
            }
        } else {
            tiles = [LanczosResampler.resize(buffer, width: tile, height: tile)]
        }
        return (tiles.map(\.image), rows, cols)
    }

    /// The tile grid ``frames(for:)`` gives this image, from its size alone.
    public func grid(for image: Image) -> (rows: Int, cols: Int) {
        guard config.doImageSplitting else { return (0, 0) }
        var (h, w) = (image.height, image.width)
        if config.doResize { (h, w) = Self.resizeOutputSize(height: h, width: w, longestEdge: longestEdge(for: image)) }
        (h, w) = Self.resizeForVisionEncoder(height: h, width: w, tile: config.tileSize)
        guard h > config.tileSize || w > config.tileSize else { return (0, 0) }
        return ((h + config.tileSize - 1) / config.tileSize, (w + config.tileSize - 1) / config.tileSize)
    }

    /// The longest edge this image is scaled to, after the opt-in policies.
    func longestEdge(for image: Image) -> Int {
        var edge = config.longestEdge
        if !config.upscaleSmallImages {
            edge = min(edge, max(image.width, image.height))
        }
        if let budget = config.maxImageTokens, config.doImageSplitting {
            // Lower the edge a tile at a time until the grid fits the budget.
            while edge > config.tileSize {
                let grid = grid(height: image.height, width: image.width, longestEdge: edge)
                if Self.tokens(rows: grid.rows, cols: grid.cols, tokensPerTile: config.tokensPerTile) <= budget { break }
                edge -= config.tileSize
            }
            edge = max(min(edge, config.longestEdge), 1)
        }
        return edge
    }

    /// The tile grid an image of this size gets at `longestEdge` (`0 × 0` when it is one tile).
    public func grid(height: Int, width: Int, longestEdge: Int) -> (rows: Int, cols: Int) {
        let (h1, w1) = Self.resizeOutputSize(height: height, width: width, longestEdge: longestEdge)
        let (h, w) = Self.resizeForVisionEncoder(height: h1, width: w1, tile: config.tileSize)
        guard h > config.tileSize || w > config.tileSize else { return (0, 0) }
        return ((h + config.tileSize - 1) / config.tileSize, (w + config.tileSize - 1) / config.tileSize)
    }

    /// Image tokens for a grid: `(rows·cols + 1)·S` when split, `S` for one tile.
    public static func tokens(rows: Int, cols: Int, tokensPerTile: Int) -> Int {
        rows == 0 && cols == 0 ? tokensPerTile : (rows * cols + 1) * tokensPerTile
    }

    /// transformers' `get_resize_output_image_size`: the longest edge becomes
    /// `longestEdge` exactly, the other keeps the aspect ratio (truncated, then
    /// rounded up to even), both capped at 4096.
    public static func resizeOutputSize(height: Int, width: Int, longestEdge: Int) -> (height: Int, width: Int) {
        var (h, w) = (height, width)
        let aspect = Double(w) / Double(h)
        if w >= h {
            w = longestEdge
            h = Int(Double(w) / aspect)
            if h % 2 != 0 { h += 1 }
        } else {
            h = longestEdge
            w = Int(Double(h) * aspect)
            if w % 2 != 0 { w += 1 }
        }
        h = max(h, 1)
        w = max(w, 1)
        let maximum = 4096
        let aspect2 = Double(w) / Double(h)
        if w >= h && w > maximum {
            w = maximum
            h = Int(Double(w) / aspect2)
        } else if h > w && h > maximum {
            h = maximum
            w = Int(Double(h) * aspect2)
        }
        return (max(h, 1), max(w, 1))
    }

    /// transformers' `resize_for_vision_encoder`: both sides up to multiples of the tile.
    public static func resizeForVisionEncoder(height: Int, width: Int, tile: Int) -> (height: Int, width: Int) {
        let aspect = Double(width) / Double(height)
        var (h, w) = (height, width)
        if w >= h {
            w = Int((Double(w) / Double(tile)).rounded(.up)) * tile
            h = Int(Double(w) / aspect)
            h = Int((Double(h) / Double(tile)).rounded(.up)) * tile
        } else {
            h = Int((Double(h) / Double(tile)).rounded(.up)) * tile
            w = Int(Double(h) * aspect)
            w = Int((Double(w) / Double(tile)).rounded(.up)) * tile
        }
        return (h, w)
    }
}

extension PixelBuffer {
    /// The RGB image these 3-channel pixels form.
    var image: Image { Image(validatedWidth: width, height: height, rgb: bytes) }
}
