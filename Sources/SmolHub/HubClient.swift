import Foundation

/// Downloads models from the Hugging Face Hub into the cache `huggingface_hub`
/// uses, and finds them there again — with Swift or Python, online or offline.
///
/// ```swift
/// let hub = HubClient()   // HF_ENDPOINT, HF_HUB_CACHE / HF_HOME, HF_TOKEN, HF_HUB_OFFLINE
/// let folder = try await hub.snapshot(HubRepoID("HuggingFaceTB/SmolVLM-256M-Instruct")) { progress in
///     print(progress.completedBytes, "of", progress.totalBytes)
/// }
/// ```
///
/// Cancelling the calling task stops a download; its `.incomplete` file stays
/// and the next call resumes it.
public struct HubClient: Sendable {
    public let configuration: HubConfiguration
    private let api: HubAPI

    public init(configuration: HubConfiguration = HubConfiguration()) {
        self.configuration = configuration
        api = HubAPI(configuration: configuration)
    }

    public var cache: HubCache { HubCache(directory: configuration.cacheDirectory) }

    /// The snapshot folder of `repo` at `revision` (a branch, tag or commit hash)
    /// holding the selected files, downloading what the cache lacks.
    ///
    /// Online, the Hub's listing decides the commit and the files; a `revision`
    /// that is a branch or tag is recorded in `refs/`. When offline, or when the
    /// Hub cannot be reached or refuses the listing, the cache answers alone and
    /// a missing snapshot or file is an error that names it.
    public func snapshot(_ repo: HubRepoID, revision: String = "main", files selection: HubFileSelection = .model,
                         progress: HubProgressHandler? = nil) async throws -> URL {
        if configuration.offline {
            return try cachedSnapshot(repo, revision: revision, selection: selection, reason: .offline)
        }
        let listing: ModelListing
        do {
            listing = try await api.listing(repo, revision: revision)
        } catch let error as HubError {
            return try fallback(repo, revision: revision, selection: selection, after: error)
        }
        let tracker = ProgressTracker(handler: progress)
        try cache.tag()
        try cache.recordRef(repo, revision: revision, commit: listing.commit)
        let listed = Set(listing.files.map(\.path))
        var sizes: [String: Int64] = [:]
        for file in listing.files { sizes[file.path] = file.size }
        func listedBytes(_ files: [String]) -> Int64 { files.reduce(0) { $0 + (sizes[$1] ?? 0) } }
        var paths = selection.initialFiles(from: listing.files.map(\.path))
        guard selection.hasWeights(paths) else { throw HubError.noWeights(repo: repo.description, revision: revision) }

        let index = HubFileSelection.weightIndex
        tracker.plan(files: paths.count, bytes: listedBytes(paths))
        if selection.followsWeightIndex, paths.contains(index) {
            // The index is read before anything else: it names the shards to fetch.
            try await fetch(repo, commit: listing.commit, file: index, listedSize: sizes[index], tracker: tracker)
            let shards = try HubFileSelection.shards(inIndex: cache.pointer(repo, commit: listing.commit, file: index))
            for shard in shards where !listed.contains(shard) {
                throw HubError.entryNotFound(repo: repo.description, file: shard, revision: listing.commit)
            }
            paths = paths.filter { $0 != index } + shards
            tracker.plan(files: paths.count + 1, bytes: listedBytes(paths + [index]))
        }
        for path in paths {
            try Task.checkCancellation()
            try await fetch(repo, commit: listing.commit, file: path, listedSize: sizes[path], tracker: tracker)
        }
        return cache.snapshotFolder(repo, commit: listing.commit)
    }

    /// One file into the snapshot: nothing if it is already linked there, a link
    /// if its blob is cached (under another commit, say), else a verified download.
    private func fetch(_ repo: HubRepoID, commit: String, file: String, listedSize: Int64?, tracker: ProgressTracker) async throws {
        let pointer = cache.pointer(repo, commit: commit, file: file)
        if FileManager.default.fileExists(atPath: pointer.path) {
            return tracker.skip(file, bytes: listedSize ?? 0)
        }
        let metadata: FileMetadata
        do {
            metadata = try await api.metadata(repo, commit: commit, file: file)
        } catch let error as HubError {
            // Remembered where huggingface_hub remembers it.
            if case .entryNotFound = error { try cache.recordMissing(repo, commit: commit, file: file) }
            throw error
        }
        guard metadata.commit == commit else {
            throw HubError.invalidResponse(url: metadata.location.absoluteString,
                                           problem: "asked for commit \(commit), the Hub answered for \(metadata.commit)")
        }
        tracker.begin(file, listed: listedSize, expected: metadata.size)
        let blob = cache.blob(repo, etag: metadata.etag)
        let lock = try await FileLock.acquire(cache.lockFile(repo, etag: metadata.etag))
        defer { lock.release() }
        if !FileManager.default.fileExists(atPath: blob.path) {
            let partial = cache.partialBlob(repo, etag: metadata.etag)
            try await BlobDownload(api: api, file: file, metadata: metadata, partial: partial, progress: tracker).run()
            guard rename(partial.path, blob.path) == 0 else {
                throw HubError.fileSystem(path: blob.path, message: "cannot move the download into place: \(String(cString: strerror(errno)))")
            }
        } else {
            tracker.add(bytes: metadata.size ?? 0)
        }
        try cache.link(repo, commit: commit, file: file, etag: metadata.etag)
        tracker.finish(file)
    }

    /// As huggingface_hub: when the listing fails (an unreachable Hub, a refused
    /// token, a missing repository) the cache answers if it can. When it holds
    /// nothing, a connection failure says so and the Hub's own refusal is
    /// reported as it is. A revision the Hub says does not exist is final.
    private func fallback(_ repo: HubRepoID, revision: String, selection: HubFileSelection,
                          after error: HubError) throws(HubError) -> URL {
        if case .revisionNotFound = error { throw error }
        let reason = HubError.CacheOnlyReason.hubUnavailable(error.description)
        if case .network = error {} else if try cache.commit(repo, revision: revision) == nil { throw error }
        return try cachedSnapshot(repo, revision: revision, selection: selection, reason: reason)
    }

    /// The snapshot the cache holds for `revision`, checked for the files the
    /// selection needs: those of the commit's cached listing when Python left one,
    /// else the config, tokenizer and weights.
    func cachedSnapshot(_ repo: HubRepoID, revision: String, selection: HubFileSelection,
                        reason: HubError.CacheOnlyReason) throws(HubError) -> URL {
        let notCached = HubError.notCached(repo: repo.description, revision: revision, cache: cache.directory.path, reason: reason)
        guard let commit = try cache.commit(repo, revision: revision) else { throw notCached }
        let folder = cache.snapshotFolder(repo, commit: commit)
        guard FileManager.default.fileExists(atPath: folder.path) else { throw notCached }
        var required: [String]
        if let listed = try cache.cachedListing(repo, commit: commit) {
            required = selection.initialFiles(from: listed)
            if selection.followsWeightIndex, required.contains(HubFileSelection.weightIndex) {
                let index = folder.appendingPathComponent(HubFileSelection.weightIndex)
                if FileManager.default.fileExists(atPath: index.path) { required += try HubFileSelection.shards(inIndex: index) }
            }
        } else {
            required = try selection.requiredFiles(inSnapshot: folder)
        }
        let missing = required.filter { !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
        guard missing.isEmpty else {
            throw HubError.incompleteSnapshot(repo: repo.description, revision: revision, commit: commit, missing: missing, reason: reason)
        }
        return folder
    }
}
