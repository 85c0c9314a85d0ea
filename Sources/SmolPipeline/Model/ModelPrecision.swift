import SmolTensor
import SmolVision

/// The arithmetic a ``VisionLanguageModel`` is loaded for: the vision encoder's
/// products and the format the text decoder keeps its weight matrices in.
///
/// ``reference`` (the default everywhere) computes in float32 and matches
/// transformers' float32 model, which the goldens are made from; ``fast`` trades
/// a measured, bounded amount of exactness for speed and memory
/// (Documentation/Performance.md). Any other pair can be named as
/// `ENCODER/DECODER`, e.g. `bfloat16/q4_1`.
public struct ModelPrecision: Sendable, Hashable, CustomStringConvertible {
    /// The vision encoder's products (a bfloat16 request computes float32 on CPUs
    /// without AVX512-BF16; ``VisionEncoder/precision`` reports what is in effect).
    public var encoder: VisionEncoder.Precision
    /// The format of the decoder's weight matrices (see ``WeightPrecision``).
    public var decoder: WeightPrecision

    public init(encoder: VisionEncoder.Precision, decoder: WeightPrecision) {
        self.encoder = encoder
        self.decoder = decoder
    }

    /// float32 throughout: the outputs match transformers' float32 model.
    public static let reference = ModelPrecision(encoder: .float32, decoder: .float32)
    /// A bfloat16 encoder and a Q8_0 decoder: faster and smaller, within the
    /// bounds the precision tests measure against the float32 goldens.
    public static let fast = ModelPrecision(encoder: .bfloat16, decoder: .q8_0)

    /// Reads `reference`, `fast`, or `ENCODER/DECODER` with the raw values of
    /// ``VisionEncoder/Precision`` and ``WeightPrecision`` (e.g. `bfloat16/q8_0`).
    /// - Throws: ``PipelineError/invalidPrecision(_:)`` naming `text`.
    public init(parsing text: String) throws(PipelineError) {
        switch text {
        case "reference": self = .reference
        case "fast": self = .fast
        default:
            let halves = text.split(separator: "/", omittingEmptySubsequences: false)
            guard halves.count == 2, let encoder = VisionEncoder.Precision(rawValue: String(halves[0])),
                  let decoder = WeightPrecision(rawValue: String(halves[1])) else { throw .invalidPrecision(text) }
            self.init(encoder: encoder, decoder: decoder)
        }
    }

    /// The `ENCODER/DECODER` form, which ``init(parsing:)`` reads back.
    public var description: String { "\(encoder.rawValue)/\(decoder.rawValue)" }
}
