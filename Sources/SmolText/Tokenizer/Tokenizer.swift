import Foundation
import SmolTensor

/// A byte-level BPE tokenizer that runs a Hugging Face `tokenizer.json` (or the
/// same vocabulary from a GGUF file) exactly as the `tokenizers` library does.
///
/// Pipeline: added tokens are split out first (leftmost, longest), every other
/// run of text is normalized, pre-tokenized, and encoded by BPE.
public final class Tokenizer: Sendable {
    /// Token strings by id (`nil` for ids with no token).
    private let tokens: [String?]
    private let ids: [String: Int]
    private let specialIDs: Set<Int>
    private let added: AddedTokenMatcher
    private let normalizer: Normalizer?
    private let preTokenizer: PreTokenizer?
    private let model: BPEModel
    private let decoder: TokenDecoder
    private let postProcessor: PostProcessor?

    /// The added tokens (specials and additions such as `<image>`).
    public let addedTokens: [AddedToken]
    /// Special-token strings from `tokenizer_config.json` (`bos_token`, `eos_token`, …).
    public let specialTokenStrings: [String: String]

    init(vocabulary: [String: Int], merges: [(String, String)], addedTokens: [AddedToken],
         normalizer: Normalizer?, preTokenizer: PreTokenizer?, decoder: TokenDecoder,
         postProcessor: PostProcessor?, unknownToken: String?, specialTokenStrings: [String: String],
         source: String) throws(TokenizerError) {
        model = try BPEModel(vocabulary: vocabulary, merges: merges, unknownToken: unknownToken, file: source)
        var ids = vocabulary
        for token in addedTokens { ids[token.content] = token.id }
        let size = (ids.values.max() ?? -1) + 1
        var tokens = [String?](repeating: nil, count: size)
        for (token, id) in ids where id >= 0 { tokens[id] = token }
        self.tokens = tokens
        self.ids = ids
        self.addedTokens = addedTokens
        specialIDs = Set(addedTokens.filter(\.special).map(\.id))
        added = AddedTokenMatcher(addedTokens)
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.decoder = decoder
        self.postProcessor = postProcessor
        self.specialTokenStrings = specialTokenStrings
    }

    /// Number of ids (one more than the largest id).
    public var vocabularySize: Int { tokens.count }

    /// The id of a token string (a vocabulary entry or an added token).
    public func id(of token: String) -> Int? { ids[token] }

    /// The token string of an id.
    public func token(of id: Int) -> String? { id >= 0 && id < tokens.count ? tokens[id] : nil }

    /// Whether `id` is a special added token (skipped by `decode(skipSpecialTokens: true)`).
    public func isSpecial(_ id: Int) -> Bool { specialIDs.contains(id) }

    /// Token ids for `text`. Added-token strings in the text (`<|im_start|>`,
    /// `<image>`) become their ids. Nothing is added around the text unless
    /// `addSpecialTokens` is true and the tokenizer has a post-processor that adds tokens.
    /// Characters the vocabulary cannot spell are dropped, as in HF `tokenizers`.
    public func encode(_ text: String, addSpecialTokens: Bool = false) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(text.utf8.count / 3 + 4)
        for segment in added.segments(text) {
            switch segment {
            case let .token(id):
                result.append(id)
            case let .text(run):
                let normalized = normalizer.map { Substring($0.apply(String(run))) } ?? run
                let pieces = preTokenizer?.apply([normalized]) ?? [normalized]
                for piece in pieces where !piece.isEmpty { model.encode(piece, into: &result) }
            }
        }
        if addSpecialTokens, let postProcessor {
            result = postProcessor.prefix + result + postProcessor.suffix
        }
        return result
    }

    /// Text for `ids`; invalid UTF-8 (a cut multi-byte character) becomes U+FFFD, and
    /// ids outside the vocabulary are skipped, as the `tokenizers` library does.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        String(decoding: decodedBytes(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }

    /// The raw bytes `ids` decode to (what ``StreamingDetokenizer`` assembles).
    func decodedBytes(_ ids: [Int], skipSpecialTokens: Bool) -> [UInt8] {
        let strings = ids.lazy
            .filter { !(skipSpecialTokens && self.specialIDs.contains($0)) }
            .compactMap { self.token(of: $0) }
        return decoder.bytes(strings)
    }
}
