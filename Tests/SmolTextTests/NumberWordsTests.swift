import Foundation
import Testing
@testable import SmolText

/// Number words against Python's num2words (the video prompt's frame count).
@Suite("Number words match num2words")
struct NumberWordsTests {
    struct Golden: Decodable {
        let pairs: [Pair]
        struct Pair: Decodable {
            let number: Int
            let words: String
            init(from decoder: Decoder) throws {
                var container = try decoder.unkeyedContainer()
                number = try container.decode(Int.self)
                words = try container.decode(String.self)
            }
        }
    }

    @Test func everyGoldenNumber() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: TextFixtures.url("num2words/cardinals.json")))
        #expect(golden.pairs.count > 1000)
        for pair in golden.pairs {
            #expect(NumberWords.cardinal(pair.number) == pair.words, "\(pair.number)")
        }
    }

    @Test func negativeNumbers() {
        #expect(NumberWords.cardinal(-21) == "minus twenty-one")
    }
}
