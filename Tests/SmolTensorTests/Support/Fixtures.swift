import Foundation
import SmolTensor
import Testing

/// Locates the committed fixtures (copied into the test bundle).
enum Fixtures {
    static let directory: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures folder missing from the test bundle")
        }
        return url
    }()

    static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    /// An op golden written by Scripts/reference/make_op_goldens.py.
    static func opCase(_ name: String) throws -> SafetensorsFile {
        try SafetensorsFile(url: url("ops/\(name).safetensors"))
    }
}

extension SafetensorsFile {
    /// A float metadata parameter of a golden case.
    func parameter(_ key: String) throws -> Float {
        let text = try #require(metadata[key], "metadata key \(key) missing")
        return try #require(Float(text), "metadata \(key)=\(text) is not a number")
    }

    func intParameter(_ key: String) throws -> Int {
        let text = try #require(metadata[key], "metadata key \(key) missing")
        return try #require(Int(text), "metadata \(key)=\(text) is not an integer")
    }
}

