import Foundation
import Testing

/// The committed text fixtures (copied into the test bundle).
enum TextFixtures {
    static let directory: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures folder missing from the test bundle")
        }
        return url
    }()

    static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    /// The SmolLM2 tokenizer files (tokenizer.json, tokenizer_config.json, …).
    static var smolLM2: URL { url("smollm2") }

    /// Lines of a JSONL file, each decoded as `T`.
    static func jsonLines<T: Decodable>(_ relative: String, as: T.Type) throws -> [T] {
        let text = try String(contentsOf: url(relative), encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n", omittingEmptySubsequences: true).map {
            try decoder.decode(T.self, from: Data($0.utf8))
        }
    }
}
