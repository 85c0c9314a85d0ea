import Foundation

/// Where the Hub is, where the cache is, and how to talk to it, read from the
/// same environment variables `huggingface_hub` reads.
public struct HubConfiguration: Sendable, Equatable {
    /// The public Hub; `HF_ENDPOINT` replaces it (a mirror, a proxy, a test server).
    public static let defaultEndpoint = URL(string: "https://huggingface.co")!

    /// The Hub's base URL, without a trailing slash.
    public var endpoint: URL
    /// The cache root holding `models--ORG--NAME/` folders.
    public var cacheDirectory: URL
    /// Sent as `authorization: Bearer …` to the Hub (never to a CDN it redirects to).
    public var token: String?
    /// Use the cache only: no request leaves the machine.
    public var offline: Bool
    /// How often a download resumes after a broken connection before giving up
    /// (counted since the last received byte, as `huggingface_hub` counts).
    public var maxRetries: Int = 5
    /// Seconds between a broken connection and the resumed request.
    public var retryDelay: Double = 1
    /// Seconds a request may wait for the server before it fails.
    public var timeout: Double = 10

    public init(endpoint: URL, cacheDirectory: URL, token: String? = nil, offline: Bool = false) {
        self.endpoint = Self.trimmed(endpoint)
        self.cacheDirectory = cacheDirectory
        self.token = token
        self.offline = offline
    }

    /// Reads `HF_ENDPOINT`, `HF_HUB_CACHE` (or `HUGGINGFACE_HUB_CACHE`, else
    /// `HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
    /// `~/.cache/huggingface/hub`), `HF_TOKEN` (else the token file
    /// `HF_TOKEN_PATH` or `HF_HOME/token` that `hf auth login` writes) and
    /// `HF_HUB_OFFLINE` (or `TRANSFORMERS_OFFLINE`; `1`, `ON`, `YES`, `TRUE`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        func path(_ string: String) -> URL { URL(fileURLWithPath: Self.expandingTilde(string, environment: environment)) }

        let home = value("HF_HOME").map(path)
            ?? path(value("XDG_CACHE_HOME") ?? "~/.cache").appendingPathComponent("huggingface")
        let cache = (value("HF_HUB_CACHE") ?? value("HUGGINGFACE_HUB_CACHE")).map(path) ?? home.appendingPathComponent("hub")
        let endpoint = value("HF_ENDPOINT").flatMap { URL(string: $0) } ?? Self.defaultEndpoint

        var token = value("HF_TOKEN") ?? value("HUGGING_FACE_HUB_TOKEN")
        if token == nil {
            let file = value("HF_TOKEN_PATH").map(path) ?? home.appendingPathComponent("token")
            // An unreadable token file counts as none, as a missing one does: the
            // request then fails with the Hub's own "not found / gated" answer.
            if FileManager.default.fileExists(atPath: file.path),
               let text = try? String(contentsOf: file, encoding: .utf8) {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                token = trimmed.isEmpty ? nil : trimmed
            }
        }
        let truthy: Set<String> = ["1", "ON", "YES", "TRUE"]
        let offline = (value("HF_HUB_OFFLINE") ?? value("TRANSFORMERS_OFFLINE")).map { truthy.contains($0.uppercased()) } ?? false
        self.init(endpoint: endpoint, cacheDirectory: cache, token: token, offline: offline)
    }

    static func trimmed(_ url: URL) -> URL {
        var string = url.absoluteString
        while string.hasSuffix("/") { string.removeLast() }
        return URL(string: string) ?? url
    }

    static func expandingTilde(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
