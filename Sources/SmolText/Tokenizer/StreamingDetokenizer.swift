/// Turns a stream of token ids into text deltas that never split a UTF-8
/// character: bytes of an unfinished character wait for the next token.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    private let skipSpecialTokens: Bool
    private var pending: [UInt8] = []

    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = true) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// The text that `id` completes (possibly empty).
    public mutating func append(_ id: Int) -> String {
        pending += tokenizer.decodedBytes([id], skipSpecialTokens: skipSpecialTokens)
        let cut = Self.completePrefixLength(pending)
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeSubrange(..<cut)
        return text
    }

    /// Whatever is left at the end of the stream (an unfinished character becomes U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Length of the longest prefix that does not end inside a character that
    /// later bytes could still complete.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        // A character is at most 4 bytes: only the last 3 can be an unfinished one.
        var i = bytes.count - 1
        let lowest = max(0, bytes.count - 3)
        while i >= lowest {
            let b = bytes[i]
            if b & 0xC0 == 0x80 { i -= 1; continue }  // continuation byte: keep looking for the lead
            let needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            return bytes.count - i < needed && b >= 0xC0 ? i : bytes.count
        }
        return bytes.count
    }
}
