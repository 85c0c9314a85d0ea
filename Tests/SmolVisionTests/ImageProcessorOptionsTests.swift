import SmolVision
import Testing

/// The opt-in processor policies (off by default) and the defaults they leave alone.
@Suite("Image processor options")
struct ImageProcessorOptionsTests {
    static func config() -> ImageProcessorConfig {
        var config = ImageProcessorConfig()
        config.longestEdge = 2048
        config.tileSize = 512
        config.tokensPerTile = 64
        return config
    }

    static func image(width: Int, height: Int) throws -> Image {
        try Image(width: width, height: height, rgb: (0..<(width * height * 3)).map { UInt8($0 % 251) })
    }

    static func tokens(_ processor: ImageProcessor, _ image: Image) -> Int {
        let grid = processor.grid(for: image)
        return ImageProcessor.tokens(rows: grid.rows, cols: grid.cols, tokensPerTile: 64)
    }

    /// By default a 386-pixel image is scaled up to 2048 and costs 17 tiles, as in transformers.
    @Test func defaultsUpscaleSmallImages() throws {
        let processor = ImageProcessor(config: Self.config())
        let small = try Self.image(width: 386, height: 386)
        #expect(Self.tokens(processor, small) == 1088)
    }

    @Test func neverUpscalingKeepsASmallImageToOneTile() throws {
        var config = Self.config()
        config.upscaleSmallImages = false
        let processor = ImageProcessor(config: config)
        let small = try Self.image(width: 386, height: 300)
        #expect(processor.grid(for: small) == (0, 0))
        let frames = processor.frames(for: small)
        #expect(frames.frames.count == 1 && frames.frames[0].width == 512 && frames.frames[0].height == 512)
        // A large image is still capped by the longest edge as usual.
        #expect(processor.grid(for: try Self.image(width: 3000, height: 2000)) == (3, 4))
    }

    @Test func aTokenBudgetLowersTheLongestEdge() throws {
        var config = Self.config()
        config.maxImageTokens = 600
        let processor = ImageProcessor(config: config)
        let photo = try Self.image(width: 1024, height: 768)
        #expect(ImageProcessor(config: Self.config()).grid(for: photo) == (3, 4))  // 832 tokens by default
        #expect(processor.grid(for: photo) == (2, 2))
        #expect(Self.tokens(processor, photo) <= 600)
        let frames = processor.frames(for: photo)
        #expect(frames.rows == 2 && frames.cols == 2 && frames.frames.count == 5)
    }

    @Test func aLongestEdgeOverride() throws {
        var config = Self.config()
        config.longestEdge = 1024
        let processor = ImageProcessor(config: config)
        #expect(processor.grid(for: try Self.image(width: 1024, height: 768)) == (2, 2))
    }
}
