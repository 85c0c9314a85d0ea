#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Picks tokens from logits according to ``SamplingOptions``.
public struct Sampler: Sendable {
    public let options: SamplingOptions
    private var random: SplitMix64

    public init(options: SamplingOptions) throws(GenerationError) {
        try options.validate()
        self.options = options
        random = SplitMix64(seed: options.seed)
    }

    /// The next token for `logits`, given the tokens seen so far (for the repetition penalty).
    public mutating func next(logits: [Float], history: [Int]) -> Int {
        // Plain greedy needs no copy of the logits (this runs once per generated token).
        if options.temperature == 0 && options.repetitionPenalty == 1 { return Self.argmax(logits) }
        var scores = logits
        if options.repetitionPenalty != 1 {
            // transformers' RepetitionPenaltyLogitsProcessor: each distinct previous token once.
            for id in Set(history) where id >= 0 && id < scores.count {
                scores[id] = scores[id] < 0 ? scores[id] * options.repetitionPenalty : scores[id] / options.repetitionPenalty
            }
        }
        if options.temperature == 0 { return Self.argmax(scores) }
        for i in scores.indices { scores[i] /= options.temperature }

        var candidates = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        if options.topK > 0 && options.topK < candidates.count { candidates.removeSubrange(options.topK...) }
        let top = scores[candidates[0]]
        var probabilities = candidates.map { expf(scores[$0] - top) }
        let total = probabilities.reduce(0, +)
        for i in probabilities.indices { probabilities[i] /= total }
        if options.topP < 1 {
            // Keep the smallest prefix whose mass reaches topP (at least one token).
            var mass: Float = 0
            var keep = 0
            while keep < probabilities.count {
                mass += probabilities[keep]
                keep += 1
                if mass >= options.topP { break }
            }
            candidates.removeSubrange(keep...)
            probabilities.removeSubrange(keep...)
        }
        if options.minP > 0 {
            let threshold = options.minP * probabilities[0]
            let keep = max(1, probabilities.prefix { $0 >= threshold }.count)
            candidates.removeSubrange(keep...)
            probabilities.removeSubrange(keep...)
        }
        let mass = probabilities.reduce(0, +)
        var draw = Float(Double(random.next() >> 11) * 0x1.0p-53) * mass
        for (i, p) in probabilities.enumerated() {
            draw -= p
            if draw < 0 { return candidates[i] }
        }
        return candidates[candidates.count - 1]
    }

    /// The index of the largest logit (the first on ties, as `torch.argmax`).
    public static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }
}

/// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64).
struct SplitMix64: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
