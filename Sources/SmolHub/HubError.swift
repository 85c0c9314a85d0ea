import Foundation

/// Errors from resolving and downloading models on the Hugging Face Hub.
public enum HubError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why the cache had to answer alone.
    public enum CacheOnlyReason: Equatable, Sendable, CustomStringConvertible {
        /// `HF_HUB_OFFLINE` (or the configuration) forbids network access.
        case offline
        /// The Hub could not be reached or refused the listing; the message says how.
        case hubUnavailable(String)

        public var description: String {
            switch self {
            case .offline: return "HF_HUB_OFFLINE is set"
            case let .hubUnavailable(message): return "the Hub could not be used (\(message))"
            }
        }
    }

    /// Not of the form `ORG/NAME`.
    case invalidRepoID(String)
    /// The repository does not exist, or is private and the token (`HF_TOKEN`) does not grant access.
    case repositoryNotFound(repo: String, status: Int)
    /// The repository is gated and the token is missing or has not been granted access.
    case gatedRepository(repo: String, status: Int)
    /// The repository has no such branch, tag or commit.
    case revisionNotFound(repo: String, revision: String)
    /// The repository has no such file at that revision.
    case entryNotFound(repo: String, file: String, revision: String)
    /// Any other failed request.
    case httpStatus(url: String, status: Int, message: String?)
    /// The connection failed (after retries, for downloads).
    case network(url: String, message: String)
    /// The server answered without the headers every Hub response carries (`X-Repo-Commit`, `ETag`).
    case notAHubResponse(url: String, missing: String)
    /// The listing or a header holds something that cannot name a cache file safely.
    case invalidResponse(url: String, problem: String)
    /// The repository offers no weights this SDK reads (safetensors, or the shards of an index).
    case noWeights(repo: String, revision: String)
    /// A downloaded file has another size than the Hub announced.
    case sizeMismatch(file: String, expected: Int64, actual: Int64)
    /// A downloaded file's SHA-256 (LFS) or git blob id differs from its ETag.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// Nothing usable is cached for the repository and revision, and the Hub cannot be asked.
    case notCached(repo: String, revision: String, cache: String, reason: CacheOnlyReason)
    /// The cached snapshot lacks files the model needs, and the Hub cannot be asked.
    case incompleteSnapshot(repo: String, revision: String, commit: String, missing: [String], reason: CacheOnlyReason)
    /// Reading or writing the cache failed.
    case fileSystem(path: String, message: String)

    public var description: String {
        switch self {
        case let .invalidRepoID(string):
            return "'\(string)' is not a Hub model id (ORG/NAME, optionally @revision)"
        case let .repositoryNotFound(repo, status):
            return "\(repo): repository not found on the Hub (HTTP \(status)); check the name, or set HF_TOKEN if it is private"
        case let .gatedRepository(repo, status):
            return "\(repo) is gated (HTTP \(status)): accept its conditions on the Hub and set HF_TOKEN to a token with access"
        case let .revisionNotFound(repo, revision):
            return "\(repo) has no revision '\(revision)'"
        case let .entryNotFound(repo, file, revision):
            return "\(repo) has no file '\(file)' at revision \(revision)"
        case let .httpStatus(url, status, message):
            return "\(url): HTTP \(status)" + (message.map { " (\($0))" } ?? "")
        case let .network(url, message):
            return "\(url): \(message)"
        case let .notAHubResponse(url, missing):
            return "\(url) answered without \(missing): HF_ENDPOINT does not seem to point to a Hugging Face Hub"
        case let .invalidResponse(url, problem):
            return "\(url): \(problem)"
        case let .noWeights(repo, revision):
            return "\(repo) at \(revision) has no model.safetensors or model.safetensors.index.json"
        case let .sizeMismatch(file, expected, actual):
            return "\(file): downloaded \(actual) bytes but the Hub announced \(expected); the partial file was removed, try again"
        case let .checksumMismatch(file, expected, actual):
            return "\(file): content hashes to \(actual) but the Hub's ETag is \(expected); the download was discarded"
        case let .notCached(repo, revision, cache, reason):
            return "\(repo) (revision \(revision)) is not in the Hugging Face cache at \(cache), and \(reason). "
                + "Download it once with network access (for example `smolvlm download \(repo)`)"
        case let .incompleteSnapshot(repo, revision, commit, missing, reason):
            return "the cached snapshot of \(repo) (revision \(revision), commit \(commit)) lacks "
                + missing.joined(separator: ", ") + ", and \(reason). Download it again with network access"
        case let .fileSystem(path, message):
            return "\(path): \(message)"
        }
    }
}

extension HubError: LocalizedError {
    public var errorDescription: String? { description }
}
