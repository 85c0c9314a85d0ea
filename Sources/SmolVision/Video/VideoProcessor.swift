import Foundation
import SmolTensor

/// transformers' `SmolVLMVideoProcessor`: samples frames, resizes each to the encoder's square
/// tile without splitting, rescales and normalises.
public struct VideoProcessor: Sendable {
    public var config: VideoProcessorConfig

    public init(config: VideoProcessorConfig) {
        self.config = config
    }

    /// Samples, decodes and processes a video file. Each frame is resized as soon as it is
    /// decoded, so memory holds at most one full-size frame plus the small tiles.
    ///
    /// - Parameter frameLimit: a further cap on the number of frames (below `sampling.maxFrames`),
    ///   e.g. from a memory budget; sampling spreads the fewer frames over the whole video.
    public func process(contentsOf url: URL, frameLimit: Int? = nil, pixelLimit: Int = Image.defaultPixelLimit) throws -> ProcessedVideo {
        let decoder = try VideoDecoder(contentsOf: url, pixelLimit: pixelLimit)
        var sampling = config.sampling
        if let frameLimit { sampling.maxFrames = max(1, min(sampling.maxFrames, frameLimit)) }
        let metadata = decoder.metadata
        let indices = sampling.frameIndices(for: metadata)
        var tiles: [Image] = []
        var times: [Double] = []
        try decoder.forEachFrame(at: indices) { frame in
            tiles.append(tile(frame.image))
            // The prompt states index / fps, not the frame's own timestamp, as transformers does.
            times.append(metadata.framesPerSecond > 0 ? Double(frame.index) / metadata.framesPerSecond : frame.time)
        }
        return try package(tiles: tiles, times: times, wholeSeconds: Int(metadata.duration))
    }

    /// Processes frames the caller already holds (taken as they are: no sampling).
    public func process(_ video: SampledVideo) throws -> ProcessedVideo {
        try package(tiles: video.frames.map(tile), times: video.times, wholeSeconds: video.wholeSeconds)
    }

    /// The frame's longest edge to `longestEdge` (aspect kept, the other side rounded up to even),
    /// then the square tile.
    func tile(_ image: Image) -> Image {
        let (height, width) = Self.longestEdgeSize(height: image.height, width: image.width, longestEdge: config.longestEdge)
        let first = VideoResize.resize(image, width: width, height: height)
        return VideoResize.resize(first, width: config.tileSize, height: config.tileSize)
    }

    /// `get_resize_output_image_size` of transformers' video processor: the image processor's rule
    /// with the edge capped at 4096 first.
    static func longestEdgeSize(height: Int, width: Int, longestEdge: Int) -> (height: Int, width: Int) {
        ImageProcessor.resizeOutputSize(height: height, width: width, longestEdge: min(4096, longestEdge))
    }

    private func package(tiles: [Image], times: [Double], wholeSeconds: Int) throws -> ProcessedVideo {
        let size = config.tileSize
        let plane = size * size
        var values = try Tensor(zeros: [tiles.count, 3, size, size])
        // torchvision's fused rescale + normalise: (x − mean/r) / (std/r) in float32.
        let scale = Float(1.0 / config.rescaleFactor)
        let mean = config.mean.map { Float($0) * scale }
        let std = config.std.map { Float($0) * scale }
        let table = (0..<3).map { c in (0..<256).map { (Float($0) - mean[c]) / std[c] } }
        values.withUnsafeMutableFloats { out in
            for (f, tile) in tiles.enumerated() {
                tile.pixels.withUnsafeBufferPointer { px in
                    for i in 0..<plane {
                        for c in 0..<3 { out[(f * 3 + c) * plane + i] = table[c][Int(px[i * 3 + c])] }
                    }
                }
            }
        }
        return ProcessedVideo(pixelValues: values, times: times, wholeSeconds: wholeSeconds)
    }
}
