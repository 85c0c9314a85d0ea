import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A file of a repository, as the model-info listing gives it.
struct RemoteFile: Equatable, Sendable {
    /// The path inside the repository, `/`-separated.
    let path: String
    /// Bytes, when the listing carries sizes (`?blobs=true`).
    let size: Int64?
}

/// What a revision of a repository holds: its commit and files.
struct ModelListing: Sendable {
    let commit: String
    let files: [RemoteFile]
}

/// What a `HEAD …/resolve/<commit>/<file>` says about a file.
struct FileMetadata: Sendable, Equatable {
    let commit: String
    /// The name of the file's blob: `X-Linked-Etag` or `ETag`, quotes and `W/` removed.
    let etag: String
    let size: Int64?
    /// Where the bytes are: the Hub URL, or the CDN location its redirect named.
    let location: URL
}

/// The Hub's HTTP endpoints, and how their failures map to ``HubError``.
struct HubAPI: Sendable {
    let configuration: HubConfiguration
    let transport: HTTPTransport

    init(configuration: HubConfiguration) {
        self.configuration = configuration
        transport = HTTPTransport(timeout: configuration.timeout)
    }

    /// `GET /api/models/ORG/NAME/revision/<revision>?blobs=true`: the commit and the file list.
    func listing(_ repo: HubRepoID, revision: String) async throws -> ModelListing {
        let path = "/api/models/\(repo)/revision/\(URLPath.encode(revision, keepingSlashes: false))"
        guard let url = URL(string: configuration.endpoint.absoluteString + path + "?blobs=true") else {
            throw HubError.invalidRepoID(repo.description)
        }
        let (response, body) = try await send(request(url, method: "GET"), followRedirects: true)
        try check(response, repo: repo, revision: revision, file: nil)
        struct Info: Decodable {
            let sha: String?
            let siblings: [Sibling]?
            struct Sibling: Decodable {
                let rfilename: String
                let size: Int64?
            }
        }
        let info: Info
        do { info = try JSONDecoder().decode(Info.self, from: body) } catch {
            throw HubError.invalidResponse(url: url.absoluteString, problem: "the model info is not the Hub's JSON (\(error))")
        }
        guard let commit = info.sha, HubRevision.isCommitHash(commit) else {
            throw HubError.invalidResponse(url: url.absoluteString, problem: "the model info has no commit hash ('sha')")
        }
        let files = try (info.siblings ?? []).map { sibling throws(HubError) in
            guard URLPath.isSafeRelativePath(sibling.rfilename) else {
                throw HubError.invalidResponse(url: url.absoluteString, problem: "unsafe file name '\(sibling.rfilename)'")
            }
            return RemoteFile(path: sibling.rfilename, size: sibling.size)
        }
        return ModelListing(commit: commit, files: files)
    }

    /// The URL `huggingface_hub` builds for a file: `<endpoint>/ORG/NAME/resolve/<revision>/<file>`.
    func resolveURL(_ repo: HubRepoID, revision: String, file: String) -> URL {
        let path = "/\(repo)/resolve/\(URLPath.encode(revision, keepingSlashes: false))/\(URLPath.encode(file, keepingSlashes: true))"
        return URL(string: configuration.endpoint.absoluteString + path)!
    }

    /// `HEAD` on the file's resolve URL, following redirects only while they stay
    /// on the Hub: a redirect to a CDN carries the metadata itself (`X-Linked-Etag`,
    /// `X-Linked-Size`) and the token must not follow it.
    func metadata(_ repo: HubRepoID, commit: String, file: String) async throws -> FileMetadata {
        var url = resolveURL(repo, revision: commit, file: file)
        for _ in 0..<10 {
            var headRequest = request(url, method: "HEAD")
            headRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
            let (response, _) = try await send(headRequest, followRedirects: false)
            let isRedirect = (300..<400).contains(response.status)
            if !isRedirect { try check(response, repo: repo, revision: commit, file: file) }
            let location = response.header("Location").flatMap { URL(string: $0, relativeTo: url)?.absoluteURL }
            if isRedirect, let location, isHub(location, from: url) {
                url = location
                continue
            }
            return try parseMetadata(response, requested: url, location: isRedirect ? location : nil)
        }
        throw HubError.invalidResponse(url: url.absoluteString, problem: "too many redirects")
    }

    private func parseMetadata(_ response: HTTPTransport.Response, requested: URL, location: URL?) throws(HubError) -> FileMetadata {
        guard let commit = response.header("X-Repo-Commit") else {
            throw HubError.notAHubResponse(url: requested.absoluteString, missing: "the X-Repo-Commit header")
        }
        guard HubRevision.isCommitHash(commit) else {
            throw HubError.invalidResponse(url: requested.absoluteString, problem: "X-Repo-Commit '\(commit)' is not a commit hash")
        }
        guard let rawEtag = response.header("X-Linked-Etag") ?? response.header("ETag") else {
            throw HubError.notAHubResponse(url: requested.absoluteString, missing: "an ETag")
        }
        let etag = Self.normalizedEtag(rawEtag)
        guard URLPath.isSafeFileName(etag) else {
            throw HubError.invalidResponse(url: requested.absoluteString, problem: "ETag '\(rawEtag)' cannot name a cache file")
        }
        let sizeHeader = response.header("X-Linked-Size") ?? (location == nil ? response.header("Content-Length") : nil)
        return FileMetadata(commit: commit, etag: etag, size: sizeHeader.flatMap { Int64($0) }, location: location ?? requested)
    }

    /// `W/"abc"` and `"abc"` → `abc`, as `huggingface_hub` names blobs.
    static func normalizedEtag(_ etag: String) -> String {
        var value = Substring(etag)
        if value.hasPrefix("W/") { value = value.dropFirst(2) }
        return String(value).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// A request with the token attached when it goes to the Hub.
    func request(_ url: URL, method: String) -> URLRequest {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("smolvlm-swift; hf_hub-compatible", forHTTPHeaderField: "user-agent")
        if let token = configuration.token, isHub(url, from: configuration.endpoint) {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "authorization")
        }
        return request
    }

    /// Whether `url` is served by the Hub (the endpoint's origin or `from`'s).
    func isHub(_ url: URL, from: URL) -> Bool {
        HTTPTransport.sameOrigin(url, from) || HTTPTransport.sameOrigin(url, configuration.endpoint)
    }

    private func send(_ request: URLRequest, followRedirects: Bool) async throws -> (HTTPTransport.Response, Data) {
        do {
            return try await transport.fetch(request, followRedirects: followRedirects)
        } catch where HTTPTransport.isCancellation(error) {
            throw CancellationError()
        } catch where HTTPTransport.urlErrorCode(error) != nil {
            throw HubError.network(url: request.url?.absoluteString ?? "", message: error.localizedDescription)
        }
    }

    /// Turns an error status into the error the Hub's `X-Error-Code` names.
    func check(_ response: HTTPTransport.Response, repo: HubRepoID, revision: String, file: String?) throws(HubError) {
        guard response.status >= 400 else { return }
        switch response.header("X-Error-Code") {
        case "RepoNotFound": throw HubError.repositoryNotFound(repo: repo.description, status: response.status)
        case "GatedRepo": throw HubError.gatedRepository(repo: repo.description, status: response.status)
        case "RevisionNotFound": throw HubError.revisionNotFound(repo: repo.description, revision: revision)
        case "EntryNotFound": throw HubError.entryNotFound(repo: repo.description, file: file ?? "", revision: revision)
        default:
            // The Hub answers 401 for private and missing repositories alike.
            if response.status == 401 { throw HubError.repositoryNotFound(repo: repo.description, status: 401) }
            if response.status == 404, let file {
                throw HubError.entryNotFound(repo: repo.description, file: file, revision: revision)
            }
            throw HubError.httpStatus(url: response.url.absoluteString, status: response.status,
                                      message: response.header("X-Error-Message"))
        }
    }
}
