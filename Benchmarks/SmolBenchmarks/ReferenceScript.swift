import Foundation

/// Runs a measurement script from Scripts/reference with the reference venv's
/// Python, so PyTorch is timed in the same session as our code.
enum ReferenceScript {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The repository root: the benchmark is run from it by `swift run`.
    static var root: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

    /// Runs `script` and decodes the one JSON object it prints as `[String: Double]`.
    static func run(_ script: String, arguments: [String]) throws -> [String: Double] {
        guard let numbers = try runJSON(script, arguments: arguments) as? [String: Double] else {
            throw Failure(description: "\(script) did not print a JSON object of numbers")
        }
        return numbers
    }

    /// Runs `script` and returns the JSON object it prints.
    static func runJSON(_ script: String, arguments: [String]) throws -> [String: Any] {
        let python = root.appendingPathComponent("Scripts/reference/.venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Failure(description: "no reference venv at \(python.path); see Scripts/reference/README.md")
        }
        let data = try runCapturingOutput(
            python, arguments: [root.appendingPathComponent("Scripts/reference/\(script)").path] + arguments, what: script)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "\(script) did not print a JSON object")
        }
        return object
    }
}
