import Foundation

/// Where a model comes from: a local directory or file, or a repository on the Hub.
public enum ModelSource: Sendable, Equatable, CustomStringConvertible {
    /// A directory in the Hugging Face layout, or a single model file.
    case local(URL)
    /// `ORG/NAME` at a branch, tag or commit.
    case hub(HubRepoID, revision: String)

    /// Reads what a user typed: a path that exists is local; otherwise
    /// `ORG/NAME` or `ORG/NAME@revision` is a Hub repository (default revision
    /// `main`); anything else is taken as a path (and fails when loaded).
    /// A path that starts with `/`, `./`, `../` or `~` is never a repository.
    public init(_ string: String) {
        self.init(string, exists: { FileManager.default.fileExists(atPath: $0) })
    }

    init(_ string: String, exists: (String) -> Bool) {
        let expanded = HubConfiguration.expandingTilde(string, environment: ProcessInfo.processInfo.environment)
        let looksLikePath = ["/", "./", "../", "~"].contains { string.hasPrefix($0) }
        if looksLikePath || exists(expanded) {
            self = .local(URL(fileURLWithPath: expanded))
            return
        }
        let (name, revision) = Self.splitRevision(string)
        // Not a repository id: then it is a path, and loading it will say it is missing.
        if let repo = try? HubRepoID(name), !revision.isEmpty {
            self = .hub(repo, revision: revision)
        } else {
            self = .local(URL(fileURLWithPath: expanded))
        }
    }

    /// A Hub repository `ORG/NAME` or `ORG/NAME@revision`, never a path.
    public init(hubReference string: String) throws(HubError) {
        let (name, revision) = Self.splitRevision(string)
        guard !revision.isEmpty else { throw HubError.invalidRepoID(string) }
        self = .hub(try HubRepoID(name), revision: revision)
    }

    public var description: String {
        switch self {
        case let .local(url): return url.path
        case let .hub(repo, revision): return revision == "main" ? repo.description : "\(repo)@\(revision)"
        }
    }

    /// The local directory or file: itself, or the Hub snapshot (downloaded as needed).
    public func localURL(hub: HubClient = HubClient(), files: HubFileSelection = .model,
                         progress: HubProgressHandler? = nil) async throws -> URL {
        switch self {
        case let .local(url): return url
        case let .hub(repo, revision): return try await hub.snapshot(repo, revision: revision, files: files, progress: progress)
        }
    }

    private static func splitRevision(_ string: String) -> (String, String) {
        guard let at = string.firstIndex(of: "@") else { return (string, "main") }
        return (String(string[..<at]), String(string[string.index(after: at)...]))
    }
}
