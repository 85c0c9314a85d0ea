import Foundation

/// File checksums by the system's tool: hashing hundreds of MB in a debug build
/// of Swift code would dominate a test, and an independent implementation keeps
/// the fake Hub's ETags honest about ours.
public enum FileDigest {
    public struct ToolFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The SHA-256 of a file, as lowercase hex (`sha256sum`, or `shasum -a 256` on macOS).
    public static func sha256(of url: URL) throws -> String {
        let tools: [(path: String, arguments: [String])] = [
            ("/usr/bin/sha256sum", []), ("/usr/bin/shasum", ["-a", "256"]),
        ]
        guard let tool = tools.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ToolFailure(description: "neither sha256sum nor shasum is installed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool.path)
        process.arguments = tool.arguments + [url.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = String(data: data, encoding: .utf8),
              let digest = line.split(separator: " ").first else {
            throw ToolFailure(description: "\(tool.path) failed on \(url.path)")
        }
        return String(digest)
    }
}
