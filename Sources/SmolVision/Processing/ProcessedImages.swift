import SmolTensor

/// What the image processor hands the vision encoder.
public struct ProcessedImages: Sendable {
    /// `[prompts, frames, 3, H, W]` float32, rescaled and normalised; frames a prompt
    /// lacks (to match the longest prompt) are all zero.
    public let pixelValues: Tensor
    /// `[prompts, frames, H, W]` int64: 1 on real pixels, 0 on padding.
    public let pixelAttentionMask: Tensor
    /// The tile grid of every image, per prompt (`rows = cols = 0` for an unsplit image).
    public let grids: [[(rows: Int, cols: Int)]]
    /// Real (non-padding) frames per prompt.
    public let frameCounts: [Int]
}

extension ImageProcessor {
    /// Processes prompts' images: `images[p]` are the images of prompt `p`, in order.
    public func process(_ images: [[Image]]) throws(TensorError) -> ProcessedImages {
        var perPrompt: [[Image]] = []
        var grids: [[(rows: Int, cols: Int)]] = []
        for promptImages in images {
            var frames: [Image] = []
            var promptGrids: [(rows: Int, cols: Int)] = []
            for image in promptImages {
                let result = self.frames(for: image)
                frames += result.frames
                promptGrids.append((result.rows, result.cols))
            }
            perPrompt.append(frames)
            grids.append(promptGrids)
        }
        let frameCount = perPrompt.map(\.count).max() ?? 0
        let height = perPrompt.joined().map(\.height).max() ?? 0
        let width = perPrompt.joined().map(\.width).max() ?? 0
        var values = try Tensor(zeros: [images.count, frameCount, 3, height, width])
        var mask = try Tensor(zeros: [images.count, frameCount, height, width], dtype: .int64)
        let plane = height * width
        let table = normalizationTable()
        // Frames are independent: one pool task per frame.
        let placed = perPrompt.enumerated().flatMap { p, frames in frames.enumerated().map { (p * frameCount + $0, $1) } }
        values.withUnsafeMutableFloats { out in
            let output = out.baseAddress!
            ThreadPool.shared.parallelFor(placed.count) { task in
                let (index, frame) = placed[task]
                let base = index * 3 * plane
                frame.pixels.withUnsafeBufferPointer { px in
                    for c in 0..<3 {
                        table[c].withUnsafeBufferPointer { lookup in
                            for y in 0..<frame.height {
                                let row = output + base + c * plane + y * width
                                let source = px.baseAddress! + y * frame.width * 3 + c
                                for x in 0..<frame.width { row[x] = lookup[Int(source[3 * x])] }
                            }
                        }
                    }
                }
            }
        }
        mask.withUnsafeMutableInt64s { out in
            for (p, frames) in perPrompt.enumerated() {
                for (f, frame) in frames.enumerated() {
                    let base = (p * frameCount + f) * plane
                    for y in 0..<frame.height { for x in 0..<frame.width { out[base + y * width + x] = 1 } }
                }
            }
        }
        return ProcessedImages(pixelValues: values, pixelAttentionMask: mask, grids: grids, frameCounts: perPrompt.map(\.count))
    }

    /// The float each byte value becomes per channel, computed as transformers
    /// does: rescale in float64, cast to float32, normalise in float32.
    func normalizationTable() -> [[Float]] {
        (0..<3).map { c in
            (0..<256).map { u in
                var v = config.doRescale ? Float(Double(u) * config.rescaleFactor) : Float(u)
                if config.doNormalize { v = (v - Float(config.mean[c])) / Float(config.std[c]) }
                return v
            }
        }
    }
}
