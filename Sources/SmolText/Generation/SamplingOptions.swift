/// How the next token is chosen from the logits.
///
/// `temperature == 0` is greedy (argmax), the default and what transformers'
/// `do_sample=False` does. Otherwise the logits pass, in transformers' order,
/// the repetition penalty, temperature, top-k, top-p and min-p, and a token is
/// drawn with a seeded generator (reproducible here, but not the same stream as
/// PyTorch's).
public struct SamplingOptions: Sendable, Equatable {
    public var temperature: Float
    /// Keep the `topK` most likely tokens (0 = off).
    public var topK: Int
    /// Keep the smallest set whose probability reaches `topP` (1 = off).
    public var topP: Float
    /// Drop tokens below `minP ×` the top probability (0 = off).
    public var minP: Float
    /// Divide positive (multiply negative) logits of tokens already present (1 = off).
    public var repetitionPenalty: Float
    /// Seed of the random generator.
    public var seed: UInt64

    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, minP: Float = 0,
                repetitionPenalty: Float = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
    }

    /// Greedy decoding.
    public static let greedy = SamplingOptions()

    /// Throws for values outside their ranges.
    public func validate() throws(GenerationError) {
        guard temperature >= 0, temperature.isFinite else { throw .invalidOption(name: "temperature", reason: "must be ≥ 0") }
        guard topK >= 0 else { throw .invalidOption(name: "topK", reason: "must be ≥ 0") }
        guard topP > 0, topP <= 1 else { throw .invalidOption(name: "topP", reason: "must be in (0, 1]") }
        guard minP >= 0, minP <= 1 else { throw .invalidOption(name: "minP", reason: "must be in [0, 1]") }
        guard repetitionPenalty > 0, repetitionPenalty.isFinite else { throw .invalidOption(name: "repetitionPenalty", reason: "must be > 0") }
    }
}
