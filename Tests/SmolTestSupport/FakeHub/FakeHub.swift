import Foundation
import SmolHub

/// A Hugging Face Hub on loopback for tests, speaking the endpoints, headers and
/// redirects `huggingface_hub` relies on:
///
/// - `GET /api/models/ORG/NAME/revision/REV[?blobs=true]` — `sha` and `siblings`
///   (`rfilename`, `size`, `blobId`, `lfs`);
/// - `GET /api/models/ORG/NAME/tree/REV` — the file list `snapshot_download` reads;
/// - `HEAD`/`GET /ORG/NAME/resolve/REV/FILE` — files in git answer 200 with
///   `ETag` = git blob id; LFS files answer 302 to a CDN path on another host
///   name (`localhost` instead of `127.0.0.1`) with `X-Linked-Etag` = SHA-256 and
///   `X-Linked-Size`; all carry `X-Repo-Commit`; `Range` gives 206;
/// - errors with `X-Error-Code`: `RepoNotFound` (401), `RevisionNotFound` and
///   `EntryNotFound` (404).
///
/// Faults can be injected per file; every request is logged. Start one per test
/// and call ``stop()``.
public final class FakeHub: @unchecked Sendable {
    /// A file of a commit.
    public struct File: Sendable {
        public let path: String
        public let data: Data
        /// Served through an LFS-style redirect, named by its SHA-256.
        public let lfs: Bool
        /// The SHA-256 of `data` (LFS files only; empty otherwise).
        public let sha256: String
        /// The git blob id of `data`.
        public let gitBlobID: String

        /// `sha256`, when known, spares hashing large files again.
        public init(path: String, data: Data, lfs: Bool? = nil, sha256: String? = nil) {
            self.path = path
            self.data = data
            let lfs = lfs ?? path.hasSuffix(".safetensors")
            self.lfs = lfs
            self.sha256 = lfs ? sha256 ?? Self.sha256(data) : ""
            var sha1 = SHA1()
            sha1.update(Array("blob \(data.count)\0".utf8))
            data.withUnsafeBytes { sha1.update($0) }
            gitBlobID = sha1.finalize()
        }

        /// A model folder's top-level files; LFS ones are hashed by the system tool.
        public static func folder(_ url: URL) throws -> [File] {
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            return try names.compactMap { name in
                let file = url.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
                let data = try Data(contentsOf: file, options: .alwaysMapped)
                let lfs = name.hasSuffix(".safetensors")
                return File(path: name, data: data, lfs: lfs, sha256: lfs ? try FileDigest.sha256(of: file) : nil)
            }
        }

        static func sha256(_ data: Data) -> String {
            var hasher = SHA256()
            data.withUnsafeBytes { hasher.update($0) }
            return hasher.finalize()
        }
    }

    /// Something to go wrong when a file is requested.
    public enum Fault: Sendable {
        /// The file is listed, but resolving it answers 404 `EntryNotFound`.
        case missing
        /// The next `times` bodies stop after `bytes` bytes and the connection closes.
        case cutConnection(after: Int, times: Int)
        /// The ETag announced is not the digest of the bytes served.
        case wrongETag
        /// Every body stops after `bytes` bytes until ``FakeHub/releaseHeldResponses()``
        /// (or ``FakeHub/stop()``), to act on a download midway.
        case hold(after: Int)
    }

    /// A logged request.
    public struct LoggedRequest: Sendable {
        public let method: String
        /// Percent-decoded path, without the query.
        public let path: String
        /// Header names lowercased.
        public let headers: [String: String]
        /// The repository file a resolve or CDN request was for.
        public let file: String?
    }

    private struct Repo {
        var commits: [String: [File]] = [:]
        var branches: [String: String] = [:]
        var token: String?
    }

    private let lock = NSLock()
    private var repos: [String: Repo] = [:]
    private var faults: [String: Fault] = [:]
    private var log: [LoggedRequest] = []
    private let gate = LoopbackHTTPServer.Gate()
    private var server: LoopbackHTTPServer!

    public init() throws {
        server = try LoopbackHTTPServer { [unowned self] request in self.respond(request) }
    }

    /// `http://127.0.0.1:PORT`, for `HF_ENDPOINT`.
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(server.port)")! }

    public func stop() {
        server.stop()
        gate.open()
    }

    /// Lets every held body (``Fault/hold(after:)``) finish; later ones are no longer held.
    public func releaseHeldResponses() { gate.open() }

    /// Adds a commit to `repo` and points `branch` at it; returns its hash. A
    /// `token` makes the repository private: requests need `authorization: Bearer <token>`.
    @discardableResult
    public func publish(_ repo: String, files: [File], branch: String = "main", token: String? = nil) -> String {
        lock.withLock {
            var entry = repos[repo] ?? Repo()
            var hasher = SHA1()
            hasher.update(Array("\(repo) \(entry.commits.count) \(files.map(\.path))".utf8))
            let commit = hasher.finalize()
            entry.commits[commit] = files
            entry.branches[branch] = commit
            if let token { entry.token = token }
            repos[repo] = entry
            return commit
        }
    }

    public func inject(_ fault: Fault?, for path: String) {
        lock.withLock { faults[path] = fault }
    }

    public var requests: [LoggedRequest] { lock.withLock { log } }

    /// The GETs of a file's resolve URL or CDN location.
    public func downloads(of path: String) -> [LoggedRequest] {
        requests.filter { $0.method == "GET" && $0.file == path }
    }

    // MARK: - Routing

    private func respond(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let rawPath = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.target
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { String($0).removingPercentEncoding ?? String($0) }
        let file: String? = if segments.count == 2, segments[0] == "lfs" {
            lfsFile(sha256: segments[1])?.path
        } else if segments.count >= 5, segments[2] == "resolve" {
            segments.dropFirst(4).joined(separator: "/")
        } else {
            nil
        }
        lock.withLock {
            log.append(LoggedRequest(method: request.method, path: "/" + segments.joined(separator: "/"),
                                     headers: request.headers, file: file))
        }

        if segments.count == 2, segments[0] == "lfs" { return lfs(sha256: segments[1], request: request) }
        if segments.count >= 5, segments[0] == "api", segments[1] == "models", ["revision", "tree"].contains(segments[4]) {
            let repo = segments[2] + "/" + segments[3]
            let revision = segments.dropFirst(5).joined(separator: "/")
            return segments[4] == "revision" ? modelInfo(repo, revision: revision, request: request)
                : tree(repo, revision: revision, request: request)
        }
        if segments.count >= 5, segments[2] == "resolve" {
            let repo = segments[0] + "/" + segments[1]
            return resolve(repo, revision: segments[3], file: segments.dropFirst(4).joined(separator: "/"), request: request)
        }
        return error(404, code: nil)
    }

    /// The repository's files at a revision, or the error response to send.
    private func lookup(_ repo: String, revision: String, request: LoopbackHTTPServer.Request) -> Result<(String, [File]), ErrorResponse> {
        lock.withLock {
            guard let entry = repos[repo], entry.token == nil || request.headers["authorization"] == "Bearer \(entry.token!)" else {
                return .failure(ErrorResponse(response: error(401, code: "RepoNotFound")))
            }
            let commit = entry.branches[revision] ?? revision
            guard let files = entry.commits[commit] else {
                return .failure(ErrorResponse(response: error(404, code: "RevisionNotFound")))
            }
            return .success((commit, files))
        }
    }

    private struct ErrorResponse: Error { let response: LoopbackHTTPServer.Response }

    private func modelInfo(_ repo: String, revision: String, request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let (commit, files): (String, [File])
        switch lookup(repo, revision: revision, request: request) {
        case let .failure(failure): return failure.response
        case let .success(found): (commit, files) = found
        }
        let blobs = request.target.contains("blobs=true")
        let siblings: [[String: Any]] = files.map { file in
            var sibling: [String: Any] = ["rfilename": file.path]
            if blobs {
                sibling["size"] = file.data.count
                sibling["blobId"] = file.gitBlobID
                if file.lfs { sibling["lfs"] = ["sha256": file.sha256, "size": file.data.count, "pointerSize": 134] }
            }
            return sibling
        }
        let object: [String: Any] = ["_id": commit, "id": repo, "modelId": repo, "sha": commit, "private": false,
                                     "gated": false, "disabled": false, "tags": [], "siblings": siblings]
        return json(object)
    }

    private func tree(_ repo: String, revision: String, request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let files: [File]
        switch lookup(repo, revision: revision, request: request) {
        case let .failure(failure): return failure.response
        case let .success(found): files = found.1
        }
        let entries: [[String: Any]] = files.map { file in
            var entry: [String: Any] = ["type": "file", "oid": file.gitBlobID, "size": file.data.count, "path": file.path]
            if file.lfs { entry["lfs"] = ["oid": file.sha256, "size": file.data.count, "pointerSize": 134] }
            return entry
        }
        return json(entries)
    }

    private func resolve(_ repo: String, revision: String, file path: String, request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let (commit, files): (String, [File])
        switch lookup(repo, revision: revision, request: request) {
        case let .failure(failure): return failure.response
        case let .success(found): (commit, files) = found
        }
        let fault = lock.withLock { faults[path] }
        guard let file = files.first(where: { $0.path == path }), !isMissing(fault) else {
            var response = error(404, code: "EntryNotFound")
            response.headers.append(("X-Repo-Commit", commit))
            return response
        }
        if file.lfs {
            let body = Data("Found. Redirecting to /lfs/\(file.sha256)".utf8)
            return LoopbackHTTPServer.Response(status: 302, headers: [
                ("Location", "http://localhost:\(server.port)/lfs/\(file.sha256)"),
                ("X-Repo-Commit", commit),
                ("X-Linked-Etag", "\"\(announcedDigest(file, fault: fault))\""),
                ("X-Linked-Size", String(file.data.count)),
                ("ETag", "W/\"\(file.gitBlobID)\""),
                ("Content-Type", "text/plain; charset=utf-8"),
            ], body: body)
        }
        var response = content(file, fault: fault, request: request)
        response.headers += [("X-Repo-Commit", commit), ("ETag", "\"\(announcedDigest(file, fault: fault))\"")]
        return response
    }

    /// The CDN side of an LFS redirect.
    private func lfs(sha256: String, request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        guard let file = lfsFile(sha256: sha256) else { return error(404, code: nil) }
        let fault = lock.withLock { faults[file.path] }
        var response = content(file, fault: fault, request: request)
        response.headers.append(("ETag", "\"\(sha256)\""))
        return response
    }

    private func lfsFile(sha256: String) -> File? {
        lock.withLock { repos.values.lazy.flatMap { $0.commits.values.joined() }.first { $0.lfs && $0.sha256 == sha256 } }
    }

    /// The file's bytes, honouring `Range: bytes=N-` and the injected delivery faults.
    private func content(_ file: File, fault: Fault?, request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        var status = 200
        var body = file.data
        var headers: [(String, String)] = [("Accept-Ranges", "bytes"), ("Content-Type", "application/octet-stream")]
        if let range = request.headers["range"], range.hasPrefix("bytes="), let dash = range.firstIndex(of: "-"),
           let start = Int(range[range.index(range.startIndex, offsetBy: 6)..<dash]) {
            guard start < file.data.count else {
                return LoopbackHTTPServer.Response(status: 416, headers: [("Content-Range", "bytes */\(file.data.count)")])
            }
            status = 206
            body = file.data.subdata(in: start..<file.data.count)
            headers.append(("Content-Range", "bytes \(start)-\(file.data.count - 1)/\(file.data.count)"))
        }
        var delivery = LoopbackHTTPServer.Response.Delivery.whole
        if request.method == "GET" {
            switch fault {
            case let .cutConnection(after, times) where times > 0:
                lock.withLock { faults[file.path] = .cutConnection(after: after, times: times - 1) }
                delivery = .cut(after: after)
            case let .hold(after):
                delivery = .held(after: after, gate: gate)
            default:
                break
            }
        }
        return LoopbackHTTPServer.Response(status: status, headers: headers, body: body, delivery: delivery)
    }

    private func announcedDigest(_ file: File, fault: Fault?) -> String {
        let digest = file.lfs ? file.sha256 : file.gitBlobID
        guard case .wrongETag = fault else { return digest }
        return String(digest.reversed())
    }

    private func isMissing(_ fault: Fault?) -> Bool {
        if case .missing = fault { return true }
        return false
    }

    private func error(_ status: Int, code: String?) -> LoopbackHTTPServer.Response {
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        if let code { headers += [("X-Error-Code", code), ("X-Error-Message", code)] }
        return LoopbackHTTPServer.Response(status: status, headers: headers, body: Data("{\"error\":\"\(code ?? "Not Found")\"}".utf8))
    }

    private func json(_ object: Any) -> LoopbackHTTPServer.Response {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return LoopbackHTTPServer.Response(status: 200, headers: [("Content-Type", "application/json")], body: data)
    }
}
