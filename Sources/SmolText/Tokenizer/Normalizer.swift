import Foundation
import SmolTensor

/// Text normalization before pre-tokenization (`normalizer` of tokenizer.json).
indirect enum Normalizer: Sendable {
    case sequence([Normalizer])
    case nfc, nfd, nfkc, nfkd
    case lowercase

    init(json: JSONValue, file: String) throws(TokenizerError) {
        guard let type = json["type"]?.stringValue else {
            throw .invalidField(file: file, field: "normalizer.type", reason: "missing")
        }
        switch type {
        case "Sequence":
            guard let items = json["normalizers"]?.arrayValue else {
                throw .invalidField(file: file, field: "normalizer.normalizers", reason: "missing")
            }
            var parts: [Normalizer] = []
            for item in items { parts.append(try Normalizer(json: item, file: file)) }
            self = .sequence(parts)
        case "NFC": self = .nfc
        case "NFD": self = .nfd
        case "NFKC": self = .nfkc
        case "NFKD": self = .nfkd
        case "Lowercase": self = .lowercase
        default: throw .unsupportedComponent(file: file, component: "normalizer", type: type)
        }
    }

    func apply(_ text: String) -> String {
        switch self {
        case let .sequence(parts): return parts.reduce(text) { $1.apply($0) }
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        case .lowercase: return text.lowercased()
        }
    }
}
