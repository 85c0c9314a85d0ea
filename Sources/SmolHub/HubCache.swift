import Foundation

/// The cache layout `huggingface_hub` uses, so that Swift and Python share downloads:
///
/// ```
/// <cache>/CACHEDIR.TAG
/// <cache>/.locks/models--ORG--NAME/<etag>.lock
/// <cache>/models--ORG--NAME/blobs/<etag>                 the bytes, named by ETag
/// <cache>/models--ORG--NAME/refs/<revision>               a branch or tag's commit hash
/// <cache>/models--ORG--NAME/snapshots/<commit>/<file>     relative symlinks into blobs/
/// <cache>/models--ORG--NAME/.no_exist/<commit>/<file>     files the Hub said do not exist
/// <cache>/models--ORG--NAME/trees/<commit>.json           a commit's file listing (written by Python)
/// ```
public struct HubCache: Sendable {
    /// The cache root (`HF_HUB_CACHE`).
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func repositoryFolder(_ repo: HubRepoID) -> URL {
        directory.appendingPathComponent(repo.cacheFolderName)
    }

    /// The folder of a commit's files, whether or not it exists.
    public func snapshotFolder(_ repo: HubRepoID, commit: String) -> URL {
        repositoryFolder(repo).appendingPathComponent("snapshots").appendingPathComponent(commit)
    }

    func blob(_ repo: HubRepoID, etag: String) -> URL {
        repositoryFolder(repo).appendingPathComponent("blobs").appendingPathComponent(etag)
    }

    /// Where a download in progress accumulates; it survives an interrupted run
    /// and the next one resumes it with a `Range` request.
    func partialBlob(_ repo: HubRepoID, etag: String) -> URL {
        repositoryFolder(repo).appendingPathComponent("blobs").appendingPathComponent(etag + ".incomplete")
    }

    func pointer(_ repo: HubRepoID, commit: String, file: String) -> URL {
        snapshotFolder(repo, commit: commit).appendingPathComponent(file)
    }

    func lockFile(_ repo: HubRepoID, etag: String) -> URL {
        directory.appendingPathComponent(".locks").appendingPathComponent(repo.cacheFolderName)
            .appendingPathComponent(etag + ".lock")
    }

    func refFile(_ repo: HubRepoID, revision: String) -> URL {
        repositoryFolder(repo).appendingPathComponent("refs").appendingPathComponent(revision)
    }

    /// The commit a branch or tag pointed to when it was last resolved, if cached.
    public func commit(_ repo: HubRepoID, revision: String) throws(HubError) -> String? {
        if HubRevision.isCommitHash(revision) { return revision }
        let file = refFile(repo, revision: revision)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let text = try readText(file)
        return HubRevision.isCommitHash(text) ? text : nil
    }

    /// Records `revision → commit`, replacing the file atomically and only when it changes.
    func recordRef(_ repo: HubRepoID, revision: String, commit: String) throws(HubError) {
        guard revision != commit else { return }
        let file = refFile(repo, revision: revision)
        if FileManager.default.fileExists(atPath: file.path), try readText(file) == commit { return }
        try writeAtomically(Data(commit.utf8), to: file)
    }

    /// Points the snapshot's `file` at the blob through a relative symlink (replacing any old entry).
    func link(_ repo: HubRepoID, commit: String, file: String, etag: String) throws(HubError) {
        let pointer = pointer(repo, commit: commit, file: file)
        let depth = 2 + file.split(separator: "/").count - 1
        let target = String(repeating: "../", count: depth) + "blobs/" + etag
        let folder = pointer.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(pointer.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: target)
        } catch {
            throw HubError.fileSystem(path: pointer.path, message: "cannot create the snapshot link: \(error.localizedDescription)")
        }
        guard rename(temporary.path, pointer.path) == 0 else {
            let message = String(cString: strerror(errno))
            _ = unlink(temporary.path)
            throw HubError.fileSystem(path: pointer.path, message: "cannot create the snapshot link: \(message)")
        }
    }

    /// Remembers that the Hub has no `file` at `commit`, as `huggingface_hub` does.
    func recordMissing(_ repo: HubRepoID, commit: String, file: String) throws(HubError) {
        let marker = repositoryFolder(repo).appendingPathComponent(".no_exist").appendingPathComponent(commit)
            .appendingPathComponent(file)
        do {
            try FileManager.default.createDirectory(at: marker.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: marker.path) { try Data().write(to: marker) }
        } catch {
            throw HubError.fileSystem(path: marker.path, message: error.localizedDescription)
        }
    }

    /// Writes the Cache Directory Tagging Standard marker that `huggingface_hub`
    /// writes, so that backup tools skip the cache.
    func tag() throws(HubError) {
        let file = directory.appendingPathComponent("CACHEDIR.TAG")
        guard !FileManager.default.fileExists(atPath: file.path) else { return }
        let text = "Signature: 8a477f597d28d172789f06886806bc55\n"
            + "# This file is a cache directory tag created by huggingface_hub.\n"
            + "# For information about cache directory tags, see:\n#\thttps://bford.info/cachedir/\n"
        try writeAtomically(Data(text.utf8), to: file)
    }

    /// The file listing `huggingface_hub` caches per commit (`trees/<commit>.json`,
    /// format 1), or nil when absent or of another format.
    func cachedListing(_ repo: HubRepoID, commit: String) throws(HubError) -> [String]? {
        let file = repositoryFolder(repo).appendingPathComponent("trees").appendingPathComponent(commit + ".json")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        struct Listing: Decodable {
            let format_version: Int
            let files: [String: Entry]
            struct Entry: Decodable { let size: Int64 }
        }
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw HubError.fileSystem(path: file.path, message: error.localizedDescription)
        }
        guard let listing = try? JSONDecoder().decode(Listing.self, from: data), listing.format_version == 1 else {
            return nil  // huggingface_hub ignores a listing it cannot read, and so do we
        }
        return listing.files.keys.sorted()
    }

    private func readText(_ file: URL) throws(HubError) -> String {
        do {
            return try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw HubError.fileSystem(path: file.path, message: error.localizedDescription)
        }
    }

    func writeAtomically(_ data: Data, to file: URL) throws(HubError) {
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file, options: .atomic)
        } catch {
            throw HubError.fileSystem(path: file.path, message: error.localizedDescription)
        }
    }
}

/// Revision strings: branch and tag names, or 40-hex-digit commit hashes.
enum HubRevision {
    static func isCommitHash(_ string: String) -> Bool {
        string.count == 40 && string.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
