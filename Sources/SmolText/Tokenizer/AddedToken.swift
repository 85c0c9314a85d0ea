/// A token matched verbatim in the input before any other processing
/// (`added_tokens` of tokenizer.json): control tokens such as `<|im_start|>`
/// and vocabulary additions such as `<image>`.
public struct AddedToken: Sendable, Equatable {
    public let id: Int
    public let content: String
    /// Special tokens are dropped by `decode(skipSpecialTokens: true)`.
    public let special: Bool
    /// Absorb whitespace on the left / right of a match.
    public let lstrip: Bool
    public let rstrip: Bool
    /// Match only when not inside a word.
    public let singleWord: Bool

    public init(id: Int, content: String, special: Bool, lstrip: Bool = false, rstrip: Bool = false, singleWord: Bool = false) {
        self.id = id
        self.content = content
        self.special = special
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
    }
}

/// Finds added tokens in text, leftmost first and longest among those starting
/// at the same place, over a byte trie.
struct AddedTokenMatcher: Sendable {
    /// One segment of the input: plain text for the normal pipeline, or an added token.
    enum Segment: Equatable {
        case text(Substring)
        case token(Int)
    }

    private struct Node: Sendable {
        var children: [UInt8: Int] = [:]
        var token: Int? = nil  // index into `tokens`
    }

    private var nodes = [Node()]
    private let tokens: [AddedToken]
    private var firstBytes = [Bool](repeating: false, count: 256)

    init(_ tokens: [AddedToken]) {
        self.tokens = tokens
        for (index, token) in tokens.enumerated() where !token.content.isEmpty {
            var node = 0
            for byte in token.content.utf8 {
                if let child = nodes[node].children[byte] {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].children[byte] = nodes.count - 1
                    node = nodes.count - 1
                }
            }
            if nodes[node].token == nil { nodes[node].token = index }
            firstBytes[Int(token.content.utf8.first!)] = true
        }
    }

    var isEmpty: Bool { nodes.count == 1 }

    /// Splits `text` into plain-text runs and added tokens.
    func segments(_ text: String) -> [Segment] {
        guard !isEmpty else { return text.isEmpty ? [] : [.text(Substring(text))] }
        let utf8 = Array(text.utf8)
        var result: [Segment] = []
        var plainStart = 0
        var i = 0
        while i < utf8.count {
            guard firstBytes[Int(utf8[i])], let (index, length) = longestMatch(utf8, at: i),
                  accepts(tokens[index], utf8, start: i, end: i + length) else {
                i += 1
                continue
            }
            let token = tokens[index]
            var left = i, right = i + length
            if token.lstrip { while left > plainStart && Self.isSpace(utf8[left - 1]) { left -= 1 } }
            if token.rstrip { while right < utf8.count && Self.isSpace(utf8[right]) { right += 1 } }
            if plainStart < left { result.append(.text(Self.substring(text, utf8, plainStart, left))) }
            result.append(.token(token.id))
            plainStart = right
            i = right
        }
        if plainStart < utf8.count { result.append(.text(Self.substring(text, utf8, plainStart, utf8.count))) }
        return result
    }

    private func longestMatch(_ bytes: [UInt8], at start: Int) -> (Int, Int)? {
        var node = 0
        var best: (Int, Int)? = nil
        var i = start
        while i < bytes.count, let child = nodes[node].children[bytes[i]] {
            node = child
            i += 1
            if let token = nodes[node].token { best = (token, i - start) }
        }
        return best
    }

    /// `single_word` tokens must not touch word characters on either side.
    private func accepts(_ token: AddedToken, _ bytes: [UInt8], start: Int, end: Int) -> Bool {
        guard token.singleWord else { return true }
        func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7a) || b == 0x5f }
        if start > 0 && isWordByte(bytes[start - 1]) { return false }
        if end < bytes.count && isWordByte(bytes[end]) { return false }
        return true
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0d).contains(b) }

    /// The substring of `text` between two UTF-8 offsets that lie on scalar boundaries.
    private static func substring(_ text: String, _ utf8: [UInt8], _ from: Int, _ to: Int) -> Substring {
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: from)
        let end = text.utf8.index(start, offsetBy: to - from)
        return text[start..<end]
    }
}
