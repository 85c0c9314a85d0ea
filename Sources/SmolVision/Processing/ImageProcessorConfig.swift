import Foundation
import SmolTensor

/// `preprocessor_config.json` of a SmolVLM / SmolVLM2 checkpoint, with the
/// defaults of transformers' `Idefics3ImageProcessor` / `SmolVLMImageProcessor`
/// for absent keys, plus this SDK's opt-in options (all off by default, so the
/// defaults reproduce transformers exactly).
public struct ImageProcessorConfig: Sendable, Equatable {
    public var doConvertRGB = true
    public var doResize = true
    /// `size.longest_edge`: the image's longest edge is scaled to this first.
    public var longestEdge = 4 * 364
    public var doImageSplitting = true
    /// `max_image_size.longest_edge`: the square tile the encoder sees.
    public var tileSize = 364
    public var doRescale = true
    public var rescaleFactor = 1.0 / 255.0
    public var doNormalize = true
    public var mean: [Double] = [0.5, 0.5, 0.5]
    public var std: [Double] = [0.5, 0.5, 0.5]
    public var doPad = true

    /// Opt-in: when false, an image is never scaled up before tiling (its longest
    /// edge becomes at most its own size), so a small image costs one tile
    /// instead of up to 17. transformers always scales up.
    public var upscaleSmallImages = true
    /// Opt-in: the most image tokens one image may cost; the longest edge is
    /// lowered one tile at a time until it fits (see ``ImageProcessor/tokens(rows:cols:tokensPerTile:)``).
    public var maxImageTokens: Int? = nil
    /// Image tokens per tile (the model's `image_seq_len`, 64 or 81), for `maxImageTokens`.
    public var tokensPerTile = 64

    public init() {}

    /// Reads `preprocessor_config.json` from a model directory, or the file itself.
    public init(contentsOf url: URL) throws(ConfigError) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let file = exists && isDirectory.boolValue ? url.appendingPathComponent("preprocessor_config.json") : url
        try self.init(config: JSONConfig(contentsOf: file))
    }

    package init(config c: JSONConfig) throws(ConfigError) {
        doConvertRGB = try c.bool("do_convert_rgb", default: true)
        doResize = try c.bool("do_resize", default: true)
        if let size = try c.nested("size") { longestEdge = try size.positiveInt("longest_edge", default: longestEdge) }
        doImageSplitting = try c.bool("do_image_splitting", default: true)
        if let tile = try c.nested("max_image_size") { tileSize = try tile.positiveInt("longest_edge", default: tileSize) }
        let resample = try c.int("resample", default: 1)
        guard resample == 1 else {
            throw c.invalid("resample", "only LANCZOS (1), the filter SmolVLM was trained with, is supported; got \(resample)")
        }
        doRescale = try c.bool("do_rescale", default: true)
        rescaleFactor = try c.double("rescale_factor", default: 1.0 / 255.0)
        doNormalize = try c.bool("do_normalize", default: true)
        mean = try Self.triple(c, "image_mean", default: mean)
        std = try Self.triple(c, "image_std", default: std)
        guard std.allSatisfy({ $0 != 0 }) else { throw c.invalid("image_std", "must not contain 0") }
        doPad = try c.bool("do_pad", default: true)
    }

    /// A per-channel value: a list of 3 numbers, or one number for all channels.
    static func triple(_ c: JSONConfig, _ key: String, default fallback: [Double]) throws(ConfigError) -> [Double] {
        guard c.has(key) else { return fallback }
        if let single = c.object[key]?.doubleValue { return [single, single, single] }
        guard let items = c.object[key]?.arrayValue, items.count == 3 else {
            throw c.invalid(key, "expected a number or a list of 3 numbers")
        }
        var values: [Double] = []
        for item in items {
            guard let v = item.doubleValue else { throw c.invalid(key, "expected numbers") }
            values.append(v)
        }
        return values
    }
}
