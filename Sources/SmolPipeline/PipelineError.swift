import Foundation
import SmolTensor
import SmolVision

/// Errors from assembling and running a SmolVLM pipeline.
public enum PipelineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The prompt has another number of `<image>` placeholders than images given.
    case imageCountMismatch(placeholders: Int, images: Int)
    /// The prompt has another number of `<video>` placeholders than videos given.
    case videoCountMismatch(placeholders: Int, videos: Int)
    /// Images and videos in one conversation: transformers' SmolVLM processor takes one or the other.
    case imagesAndVideosMixed
    /// A video was given to a checkpoint without video settings (SmolVLM v1).
    case videoUnsupported(directory: String)
    /// The tokenized prompt has another number of `<image>` tokens than the features.
    case featureCountMismatch(imageTokens: Int, features: Int)
    /// A token the model needs is missing from its tokenizer.
    case missingToken(String)
    /// The checkpoint does not fit together; every problem found is listed.
    case invalidModel(directory: String, problems: [String])
    /// An mmproj file whose projector is not SmolVLM's (`clip.projector_type` other than `idefics3`).
    case unsupportedProjector(file: String, projectorType: String)
    /// An mmproj file with missing or unusable hyperparameters; every problem found is listed.
    case invalidProjector(file: String, problems: [String])
    /// A text GGUF and an mmproj that do not belong together; every problem found is listed.
    case mismatchedPair(textModel: String, mmproj: String, problems: [String])
    /// Text that names no ``ModelPrecision`` (see ``ModelPrecision/init(parsing:)``).
    case invalidPrecision(String)

    public var description: String {
        switch self {
        case let .imageCountMismatch(placeholders, images):
            return "the prompt has \(placeholders) image placeholder(s) but \(images) image(s) were given"
        case let .videoCountMismatch(placeholders, videos):
            return "the prompt has \(placeholders) video placeholder(s) but \(videos) video(s) were given"
        case .imagesAndVideosMixed:
            return "a conversation can hold images or videos, not both (as transformers' SmolVLM processor)"
        case let .videoUnsupported(directory):
            return "\(directory) has no video settings (video_sampling); use a SmolVLM2 checkpoint for video"
        case let .featureCountMismatch(tokens, features):
            return "the prompt has \(tokens) <image> tokens but the images produced \(features) feature rows"
        case let .missingToken(token):
            return "the tokenizer has no token '\(token)'"
        case let .invalidModel(directory, problems):
            return "\(directory): " + problems.joined(separator: "; ")
        case let .unsupportedProjector(file, type):
            return "\(file): projector type '\(type)' is not SmolVLM's; expected clip.projector_type 'idefics3'"
        case let .invalidProjector(file, problems):
            return "\(file): not a usable SmolVLM mmproj: " + problems.joined(separator: "; ")
        case let .mismatchedPair(textModel, mmproj, problems):
            return "\(textModel) and \(mmproj) do not belong together: " + problems.joined(separator: "; ")
        case let .invalidPrecision(text):
            let encoders = VisionEncoder.Precision.allCases.map(\.rawValue).joined(separator: ", ")
            let decoders = WeightPrecision.allCases.map(\.rawValue).joined(separator: ", ")
            return "'\(text)' is not a precision; expected reference, fast, or ENCODER/DECODER with ENCODER one of "
                + "\(encoders) and DECODER one of \(decoders) (e.g. bfloat16/q8_0)"
        }
    }
}

extension PipelineError: LocalizedError {
    public var errorDescription: String? { description }
}
