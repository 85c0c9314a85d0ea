import Foundation
import SmolTensor
import SmolVision

/// The hyperparameters of a llama.cpp `mmproj` file for SmolVLM / SmolVLM2
/// (`clip.projector_type` `idefics3`, as `convert_hf_to_gguf.py --mmproj` writes it):
/// the SigLIP tower, the connector and the image settings.
///
/// The keys are llama.cpp's (`tools/mtmd/clip-impl.h`). Required, as llama.cpp requires them:
/// `clip.vision.{embedding_length, feed_forward_length, block_count, attention.head_count,
/// attention.layer_norm_epsilon, image_size, patch_size, projection_dim, image_mean, image_std}`,
/// `clip.has_vision_encoder` and `clip.use_gelu` true. Optional: `clip.vision.projector.scale_factor`
/// (else read off `mm.model.fc.weight`) and `clip.vision.preproc_image_size` (else 4 × the tile,
/// the ratio of every released SmolVLM checkpoint).
public struct MMProjConfig: Sendable, Equatable {
    /// The only projector type this loader accepts.
    public static let projectorType = "idefics3"

    public var vision: VisionConfig
    /// Pixel-shuffle factor `s` of the connector.
    public var scaleFactor: Int
    /// `clip.vision.projection_dim`: the decoder width the connector projects to.
    public var projectionDimension: Int
    /// The processor's `size.longest_edge` (`clip.vision.preproc_image_size`).
    public var longestEdge: Int
    public var mean: [Double]
    public var std: [Double]

    /// Image tokens per tile: `(imageSize / patchSize)² / s²`.
    public var imageSequenceLength: Int {
        vision.patchesPerSide * vision.patchesPerSide / (scaleFactor * scaleFactor)
    }

    /// Reads and checks the hyperparameters of an mmproj file.
    ///
    /// - Throws: ``PipelineError/unsupportedProjector(file:projectorType:)`` for another projector,
    ///   ``PipelineError/invalidProjector(file:problems:)`` listing every missing or unusable key.
    public init(gguf: GGUFFile) throws(PipelineError) {
        let file = gguf.url.path
        let architecture = gguf.string("general.architecture") ?? ""
        guard architecture == "clip" else {
            throw .invalidProjector(file: file, problems: [
                "general.architecture is '\(architecture)', not 'clip': this is not an mmproj file",
            ])
        }
        let type = gguf.string("clip.projector_type") ?? gguf.string("clip.vision.projector_type") ?? ""
        guard type == Self.projectorType else { throw .unsupportedProjector(file: file, projectorType: type) }

        var problems: [String] = []
        func positive(_ key: String) -> Int {
            guard let value = gguf.int(key), value > 0 else {
                problems.append(gguf.metadata[key] == nil ? "\(key) is missing" : "\(key) is not a positive integer")
                return 1
            }
            return value
        }
        func triple(_ key: String) -> [Double] {
            let values = gguf.metadata[key]?.arrayValue?.compactMap(\.doubleValue) ?? []
            guard values.count == 3, gguf.metadata[key]?.arrayValue?.count == 3 else {
                problems.append(gguf.metadata[key] == nil ? "\(key) is missing" : "\(key) is not 3 numbers")
                return [1, 1, 1]
            }
            return values
        }
        if gguf.metadata["clip.has_vision_encoder"]?.boolValue != true {
            problems.append("clip.has_vision_encoder is not true")
        }
        if gguf.metadata["clip.use_gelu"]?.boolValue != true || gguf.metadata["clip.use_silu"]?.boolValue == true {
            problems.append("clip.use_gelu is not true: SigLIP's MLP is GELU (tanh), llama.cpp would run another activation")
        }
        let hidden = positive("clip.vision.embedding_length")
        let intermediate = positive("clip.vision.feed_forward_length")
        let layers = positive("clip.vision.block_count")
        let heads = positive("clip.vision.attention.head_count")
        let imageSize = positive("clip.vision.image_size")
        let patchSize = positive("clip.vision.patch_size")
        projectionDimension = positive("clip.vision.projection_dim")
        let epsilonKey = "clip.vision.attention.layer_norm_epsilon"
        let epsilon = gguf.double(epsilonKey)
        if epsilon == nil { problems.append("\(epsilonKey) is missing") }
        mean = triple("clip.vision.image_mean")
        std = triple("clip.vision.image_std")
        if std.contains(0) { problems.append("clip.vision.image_std contains 0") }

        let scaleKey = "clip.vision.projector.scale_factor"
        if gguf.metadata[scaleKey] != nil {
            scaleFactor = positive(scaleKey)
        } else if let inferred = Self.scaleFactor(projection: gguf.info(named: MMProjTensors.projection)?.shape, visionHidden: hidden) {
            scaleFactor = inferred
        } else {
            problems.append("\(scaleKey) is missing and \(MMProjTensors.projection) does not show it")
            scaleFactor = 1
        }
        let edgeKey = "clip.vision.preproc_image_size"
        longestEdge = gguf.metadata[edgeKey] == nil ? 4 * imageSize : positive(edgeKey)

        var vision: VisionConfig?
        if problems.isEmpty {
            do {
                vision = try VisionConfig(hiddenSize: hidden, intermediateSize: intermediate, layerCount: layers,
                                          attentionHeads: heads, imageSize: imageSize, patchSize: patchSize,
                                          layerNormEpsilon: Float(epsilon ?? 0))
            } catch {
                problems.append(error.description)
            }
            if let vision, vision.patchesPerSide % scaleFactor != 0 {
                problems.append("\(vision.patchesPerSide) patches per side is not a multiple of \(scaleKey) \(scaleFactor)")
            }
        }
        guard problems.isEmpty, let vision else { throw .invalidProjector(file: file, problems: problems) }
        self.vision = vision
    }

    /// `s` such that the projection takes `visionHidden·s²` inputs, if there is one.
    static func scaleFactor(projection shape: [Int]?, visionHidden: Int) -> Int? {
        guard let shape, shape.count == 2, visionHidden > 0, shape[1] % visionHidden == 0 else { return nil }
        let squared = shape[1] / visionHidden
        let s = Int(Double(squared).squareRoot().rounded())
        return s > 0 && s * s == squared ? s : nil
    }

    /// transformers' image processor with this file's sizes, mean and std (PIL LANCZOS, rescale 1/255,
    /// splitting on): llama.cpp resizes differently, this SDK stays transformers-exact.
    public var imageProcessorConfig: ImageProcessorConfig {
        var config = ImageProcessorConfig()
        config.longestEdge = longestEdge
        config.tileSize = vision.imageSize
        config.mean = mean
        config.std = std
        config.tokensPerTile = imageSequenceLength
        return config
    }

    /// Video settings, which an mmproj does not carry: transformers' SmolVLM2 defaults (1 frame per
    /// second, at most 64 frames, 1 s skipped at both ends of long videos) with this file's sizes.
    public var videoProcessorConfig: VideoProcessorConfig {
        var config = VideoProcessorConfig()
        config.longestEdge = longestEdge
        config.tileSize = vision.imageSize
        config.mean = mean
        config.std = std
        return config
    }
}
