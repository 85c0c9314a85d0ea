import Foundation
import SmolTensor
import SmolVision

/// One valid file of `Fixtures/decode/cases.json` (made with Pillow; see the README there).
struct DecodeCase: Decodable, Sendable, CustomStringConvertible {
    struct Size: Decodable, Sendable { let width: Int, height: Int }
    let name: String
    let file: String
    let container: String
    let expected: String
    let orientation: Int
    let hasAlpha: Bool
    let pilMode: String
    let size: Size
    let storedSize: Size
    let tensors: [String]

    var description: String { name }
}

/// One file of `Fixtures/decode/malformed/cases.json`.
struct MalformedCase: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let file: String
    let category: String
    let description: String
}

enum DecodeFixtures {
    enum Failure: Error, CustomStringConvertible {
        case missingFolder
        case missingTensor(String, file: String)
        case notBytes(String, file: String)

        var description: String {
            switch self {
            case .missingFolder: "the Fixtures resource folder is not in the test bundle"
            case let .missingTensor(name, file): "\(file) has no tensor '\(name)'"
            case let .notBytes(name, file): "tensor '\(name)' of \(file) is not U8"
            }
        }
    }

    /// `Fixtures/decode` in the test bundle.
    static func folder() throws -> URL {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw Failure.missingFolder
        }
        return fixtures.appendingPathComponent("decode")
    }

    static func url(_ file: String) throws -> URL { try folder().appendingPathComponent(file) }
    static func malformedURL(_ file: String) throws -> URL { try folder().appendingPathComponent("malformed/\(file)") }

    private struct Index<Case: Decodable>: Decodable { let cases: [Case] }

    private static func index<Case: Decodable>(_ path: String) throws -> [Case] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = try Data(contentsOf: folder().appendingPathComponent(path))
        return try decoder.decode(Index<Case>.self, from: data).cases
    }

    static func loadCases() throws -> [DecodeCase] { try index("cases.json") }
    static func loadMalformedCases() throws -> [MalformedCase] { try index("malformed/cases.json") }

    // Test arguments are computed before any test runs, where nothing can be
    // reported; a missing index gives no arguments, and the `indexesLoad`
    // tests fail loudly instead.
    static let cases: [DecodeCase] = (try? loadCases()) ?? []
    static let malformedCases: [MalformedCase] = (try? loadMalformedCases()) ?? []

    static func cases(_ names: String...) -> [DecodeCase] {
        cases.filter { names.contains($0.name) }
    }

    /// The U8 tensor `name` of a case's `.expected.safetensors`: shape and bytes.
    static func expectedTensor(_ name: String, of testCase: DecodeCase) throws -> (shape: [Int], bytes: [UInt8]) {
        let file = try SafetensorsFile(url: url(testCase.expected))
        guard file.tensorNames.contains(name) else { throw Failure.missingTensor(name, file: testCase.expected) }
        let tensor = try file.tensor(named: name)
        guard tensor.dtype == .uint8 else { throw Failure.notBytes(name, file: testCase.expected) }
        return (tensor.shape, tensor.withUnsafeRawBytes { Array($0) })
    }

    /// How two byte buffers of equal length differ, for readable failure messages.
    static func difference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
        guard actual.count == expected.count else { return "\(actual.count) bytes, expected \(expected.count)" }
        var count = 0, largest = 0, first: Int?
        for i in actual.indices where actual[i] != expected[i] {
            count += 1
            largest = max(largest, abs(Int(actual[i]) - Int(expected[i])))
            if first == nil { first = i }
        }
        guard let first else { return nil }
        return "\(count) of \(expected.count) bytes differ (max |Δ| \(largest)); first at byte \(first): \(actual[first]) ≠ \(expected[first])"
    }
}
