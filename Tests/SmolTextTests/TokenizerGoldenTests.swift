import Foundation
import SmolTensor
import SmolTestSupport
import SmolText
import Testing

/// The SmolLM2 tokenizer against HF `tokenizers` on a 2,000+ line corpus
/// (Scripts/reference/make_text_goldens.py).
@Suite("Tokenizer matches HF tokenizers")
struct TokenizerGoldenTests {
    static let tokenizer = Result { try Tokenizer(directory: TextFixtures.smolLM2) }

    static func corpus() throws -> (lines: [String], ids: [[Int]]) {
        let lines = try TextFixtures.jsonLines("tokenizer/corpus.jsonl", as: String.self)
        let ids = try TextFixtures.jsonLines("tokenizer/corpus_ids.jsonl", as: [Int].self)
        return (lines, ids)
    }

    @Test func corpusIdsAreIdentical() throws {
        let tokenizer = try Self.tokenizer.get()
        let (lines, expected) = try Self.corpus()
        #expect(lines.count >= 2000 && lines.count == expected.count)
        var failures: [String] = []
        for (line, want) in zip(lines, expected) {
            let got = tokenizer.encode(line)
            if got != want { failures.append("\(line.debugDescription): got \(got.prefix(12)), want \(want.prefix(12))") }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(lines.count) lines differ; first: \(failures.prefix(3))")
    }

    @Test func decodeInvertsEncode() throws {
        let tokenizer = try Self.tokenizer.get()
        let (lines, _) = try Self.corpus()
        // Lines with characters SmolLM2's vocabulary cannot spell (control bytes) lose
        // them in HF too; every other line must come back exactly.
        let (_, ids) = try Self.corpus()
        var failures: [String] = []
        for (line, lineIDs) in zip(lines, ids) where tokenizer.decode(lineIDs) == line {
            if tokenizer.decode(tokenizer.encode(line)) != line { failures.append(line) }
        }
        #expect(failures.isEmpty, "\(failures.count) lines do not round-trip; first: \(failures.prefix(3))")
        let lossless = zip(lines, ids).filter { tokenizer.decode($1) == $0 }.count
        #expect(lossless >= lines.count * 9 / 10, "only \(lossless) of \(lines.count) lines are representable")
    }

    struct DecodeCase: Decodable {
        let ids: [Int]
        let text: String
        let text_skip: String
    }

    @Test func decodeMatchesHF() throws {
        let tokenizer = try Self.tokenizer.get()
        let cases = try TextFixtures.jsonLines("tokenizer/decode.jsonl", as: DecodeCase.self)
        #expect(cases.count >= 100)
        for c in cases {
            #expect(tokenizer.decode(c.ids) == c.text, "\(c.ids.prefix(8))")
            #expect(tokenizer.decode(c.ids, skipSpecialTokens: true) == c.text_skip, "\(c.ids.prefix(8))")
        }
    }

    /// Streaming deltas concatenate to the full decode and never cut a character.
    @Test func streamingNeverSplitsCharacters() throws {
        let tokenizer = try Self.tokenizer.get()
        let (lines, ids) = try Self.corpus()
        // Only lines the vocabulary can spell (see decodeInvertsEncode).
        for (line, lineIDs) in zip(lines, ids) where tokenizer.decode(lineIDs) == line {
            var stream = StreamingDetokenizer(tokenizer: tokenizer, skipSpecialTokens: false)
            var text = ""
            for id in lineIDs {
                let delta = stream.append(id)
                #expect(!delta.contains("\u{FFFD}") || line.contains("\u{FFFD}"), "\(line.debugDescription)")
                text += delta
            }
            text += stream.finish()
            #expect(text == line)
        }
    }

    @Test func specialTokensAndConfig() throws {
        let tokenizer = try Self.tokenizer.get()
        #expect(tokenizer.id(of: "<|im_start|>") == 1 && tokenizer.id(of: "<|im_end|>") == 2)
        #expect(tokenizer.isSpecial(1) && !tokenizer.isSpecial(100))
        #expect(tokenizer.encode("<|im_start|>user\nhi<|im_end|>").first == 1)
        #expect(tokenizer.decode([1, 4093, 2], skipSpecialTokens: true) == tokenizer.token(of: 4093).map { _ in tokenizer.decode([4093]) })
        #expect(tokenizer.specialTokenStrings["eos_token"] != nil)
    }

    /// The GGUF file's vocabulary gives the same ids as tokenizer.json.
    @Test(.enabled(if: TestModels.available(TestModels.smolLM2GGUF)))
    func ggufTokenizerMatches() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(url: TestModels.smolLM2GGUF))
        let (lines, expected) = try Self.corpus()
        var failures = 0
        for (line, want) in zip(lines, expected) where tokenizer.encode(line) != want { failures += 1 }
        #expect(failures == 0, "\(failures) of \(lines.count) lines differ")
        #expect(tokenizer.vocabularySize == 49152)
    }
}

@Suite("Tokenizer loading errors")
struct TokenizerLoadingTests {
    static func write(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-\(UUID()).json")
        try Data(json.utf8).write(to: url)
        return url
    }

    static let minimal = #""model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}, "decoder": {"type": "ByteLevel"}"#

    @Test func unsupportedComponentsAreNamed() throws {
        let url = try Self.write(#"{"pre_tokenizer": {"type": "Metaspace"}, "# + Self.minimal + "}")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: TokenizerError.unsupportedComponent(file: url.path, component: "pre_tokenizer", type: "Metaspace")) {
            try Tokenizer(tokenizerFile: url)
        }
    }

    @Test func mergesInBothSpellings() throws {
        let strings = try Self.write("{" + Self.minimal + "}")
        let pairs = try Self.write(#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]}, "decoder": {"type": "ByteLevel"}}"#)
        defer { try? FileManager.default.removeItem(at: strings); try? FileManager.default.removeItem(at: pairs) }
        #expect(try Tokenizer(tokenizerFile: strings).encode("ab") == [2])
        #expect(try Tokenizer(tokenizerFile: pairs).encode("ab") == [2])
    }

    @Test func badFilesGiveTypedErrors() throws {
        let badMerge = try Self.write(#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a z"]}, "decoder": {"type": "ByteLevel"}}"#)
        let notJSON = try Self.write("{nope")
        defer { try? FileManager.default.removeItem(at: badMerge); try? FileManager.default.removeItem(at: notJSON) }
        #expect(throws: TokenizerError.invalidMerge(file: badMerge.path, merge: "a z")) { try Tokenizer(tokenizerFile: badMerge) }
        #expect(throws: TokenizerError.self) { try Tokenizer(tokenizerFile: notJSON) }
        #expect(throws: TokenizerError.fileNotFound(path: "/nonexistent/tokenizer.json")) {
            try Tokenizer(directory: URL(fileURLWithPath: "/nonexistent"))
        }
        let unknown = try Self.write("{" + Self.minimal + "}")
        defer { try? FileManager.default.removeItem(at: unknown) }
        // No token for "c" and no unknown token: dropped, as HF tokenizers does.
        #expect(try Tokenizer(tokenizerFile: unknown).encode("abc") == [2])
    }
}
