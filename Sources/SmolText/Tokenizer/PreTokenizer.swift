import SmolTensor

/// Splits normalized text into pieces that BPE encodes independently, as the
/// `pre_tokenizer` of a tokenizer.json describes.
indirect enum PreTokenizer: Sendable {
    /// Applies each pre-tokenizer in turn to every piece.
    case sequence([PreTokenizer])
    /// Splits out numeric characters (Unicode `N*`, Rust's `char::is_numeric`):
    /// each on its own when `individual`, else as runs.
    case digits(individual: Bool)
    /// GPT-2 splitting (when `useRegex`) and the byte-to-character mapping.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)

    init(json: JSONValue, file: String) throws(TokenizerError) {
        guard let type = json["type"]?.stringValue else {
            throw .invalidField(file: file, field: "pre_tokenizer.type", reason: "missing")
        }
        switch type {
        case "Sequence":
            guard let items = json["pretokenizers"]?.arrayValue else {
                throw .invalidField(file: file, field: "pre_tokenizer.pretokenizers", reason: "missing")
            }
            var parts: [PreTokenizer] = []
            for item in items { parts.append(try PreTokenizer(json: item, file: file)) }
            self = .sequence(parts)
        case "Digits":
            self = .digits(individual: json["individual_digits"] == .bool(true))
        case "ByteLevel":
            self = .byteLevel(addPrefixSpace: json["add_prefix_space"] == .bool(true),
                              useRegex: json["use_regex"] != .bool(false))
        default:
            throw .unsupportedComponent(file: file, component: "pre_tokenizer", type: type)
        }
    }

    /// Splits every piece; byte-level pre-tokenizers also spell the result in the byte alphabet.
    func apply(_ pieces: [Substring]) -> [Substring] {
        switch self {
        case let .sequence(parts):
            return parts.reduce(pieces) { $1.apply($0) }
        case let .digits(individual):
            return pieces.flatMap { Self.splitDigits($0, individual: individual) }
        case let .byteLevel(addPrefixSpace, useRegex):
            return pieces.flatMap { piece -> [Substring] in
                var text = piece
                if addPrefixSpace && text.first != " " { text = Substring(" " + text) }
                let split = useRegex ? GPT2Splitter.split(text) : [text]
                return split.map { Substring(ByteLevelAlphabet.encode($0.unicodeScalars)) }
            }
        }
    }

    static func isNumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return (0x30...0x39).contains(scalar.value) }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    static func splitDigits(_ text: Substring, individual: Bool) -> [Substring] {
        let scalars = text.unicodeScalars
        var pieces: [Substring] = []
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let numeric = isNumeric(scalars[i])
            var j = scalars.index(after: i)
            if numeric && !individual {
                while j < scalars.endIndex && isNumeric(scalars[j]) { j = scalars.index(after: j) }
            }
            if numeric {
                if start < i { pieces.append(Substring(scalars[start..<i])) }
                pieces.append(Substring(scalars[i..<j]))
                start = j
            }
            i = j
        }
        if start < scalars.endIndex { pieces.append(Substring(scalars[start..<scalars.endIndex])) }
        return pieces
    }
}
