import SmolText
import Testing

@Suite("Sampler")
struct SamplerTests {
    let logits: [Float] = [0.5, 3.0, 2.9, -1.0, 1.0]

    @Test func greedyTakesTheFirstMaximum() throws {
        var sampler = try Sampler(options: .greedy)
        #expect(sampler.next(logits: logits, history: []) == 1)
        #expect(Sampler.argmax([2, 5, 5, 1]) == 1)
    }

    @Test func topKOfOneIsGreedyAtAnyTemperature() throws {
        var sampler = try Sampler(options: SamplingOptions(temperature: 5, topK: 1, seed: 9))
        for _ in 0..<50 { #expect(sampler.next(logits: logits, history: []) == 1) }
    }

    @Test func seededSamplingIsReproducibleAndVaries() throws {
        let options = SamplingOptions(temperature: 1.5, seed: 42)
        var a = try Sampler(options: options), b = try Sampler(options: options)
        let first = (0..<200).map { _ in a.next(logits: logits, history: []) }
        let second = (0..<200).map { _ in b.next(logits: logits, history: []) }
        #expect(first == second)
        #expect(Set(first).count >= 3)
    }

    @Test func topPKeepsOnlyTheNucleus() throws {
        // Probabilities: token 1 0.467, token 2 0.423, token 4 0.063, …
        var sampler = try Sampler(options: SamplingOptions(temperature: 1, topP: 0.4, seed: 1))
        for _ in 0..<50 { #expect(sampler.next(logits: logits, history: []) == 1) }
        var wider = try Sampler(options: SamplingOptions(temperature: 1, topP: 0.85, seed: 1))
        #expect(Set((0..<200).map { _ in wider.next(logits: logits, history: []) }) == [1, 2])
    }

    @Test func minPDropsUnlikelyTokens() throws {
        var sampler = try Sampler(options: SamplingOptions(temperature: 1, minP: 0.5, seed: 3))
        #expect(Set((0..<200).map { _ in sampler.next(logits: logits, history: []) }).isSubset(of: [1, 2]))
    }

    @Test func repetitionPenaltyDemotesSeenTokens() throws {
        var sampler = try Sampler(options: SamplingOptions(repetitionPenalty: 1.5))
        // 3.0 / 1.5 = 2.0 < 2.9: token 2 wins once token 1 has been seen.
        #expect(sampler.next(logits: logits, history: [1]) == 2)
    }

    @Test func invalidOptionsAreRejected() {
        #expect(throws: GenerationError.self) { try Sampler(options: SamplingOptions(temperature: -1)) }
        #expect(throws: GenerationError.self) { try Sampler(options: SamplingOptions(topP: 0)) }
        #expect(throws: GenerationError.self) { try Sampler(options: SamplingOptions(repetitionPenalty: 0)) }
    }
}
