import SmolTensor

/// Turns token strings back into text (`decoder` of tokenizer.json).
enum TokenDecoder: Sendable {
    /// Byte-level: map each character back to its byte; a token with a character
    /// outside the alphabet (an added token) contributes its own UTF-8 bytes.
    case byteLevel

    init(json: JSONValue, file: String) throws(TokenizerError) {
        guard let type = json["type"]?.stringValue else {
            throw .invalidField(file: file, field: "decoder.type", reason: "missing")
        }
        switch type {
        case "ByteLevel": self = .byteLevel
        default: throw .unsupportedComponent(file: file, component: "decoder", type: type)
        }
    }

    /// The bytes of `tokens` (lossy UTF-8 decoding happens once, at the end).
    func bytes<S: Sequence<String>>(_ tokens: S) -> [UInt8] {
        var out: [UInt8] = []
        for token in tokens {
            let start = out.count
            var mapped = true
            for scalar in token.unicodeScalars {
                guard let byte = ByteLevelAlphabet.bytes[scalar.value] else { mapped = false; break }
                out.append(byte)
            }
            if !mapped {
                out.removeSubrange(start...)
                out += token.utf8
            }
        }
        return out
    }
}
