import Foundation

/// A model repository found in the cache.
public struct CachedModel: Sendable, Equatable {
    public let repo: HubRepoID
    /// The repository's folder.
    public let folder: URL
    /// Bytes of its complete blobs (a blob Python links into its shared store counts at the target's size).
    public let sizeOnDisk: Int64
    /// Bytes of downloads waiting to be resumed (`*.incomplete`).
    public let partialBytes: Int64
    /// Complete blobs.
    public let blobCount: Int
    /// Cached commits (snapshot folder names).
    public let commits: [String]
    /// Branch and tag names with the commit each pointed to when last resolved.
    public let refs: [String: String]
}

extension HubCache {
    /// Every `models--ORG--NAME` folder of the cache, sorted by repository id.
    /// A missing cache directory holds no models.
    public func models() throws(HubError) -> [CachedModel] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: directory.path) else { return [] }
        let names: [String]
        do { names = try manager.contentsOfDirectory(atPath: directory.path) } catch {
            throw HubError.fileSystem(path: directory.path, message: error.localizedDescription)
        }
        var models: [CachedModel] = []
        for name in names.sorted() where name.hasPrefix("models--") {
            let parts = name.dropFirst("models--".count).components(separatedBy: "--")
            guard parts.count == 2, let repo = try? HubRepoID(parts.joined(separator: "/")) else { continue }
            models.append(try model(repo))
        }
        return models
    }

    private func model(_ repo: HubRepoID) throws(HubError) -> CachedModel {
        let folder = repositoryFolder(repo)
        var size: Int64 = 0, partial: Int64 = 0, blobs = 0
        for blob in try entries(folder.appendingPathComponent("blobs")) {
            // Following symlinks: Python's Xet store keeps the bytes elsewhere.
            let bytes = try fileSize(blob.resolvingSymlinksInPath())
            if blob.lastPathComponent.hasSuffix(".incomplete") {
                partial += bytes
            } else {
                size += bytes
                blobs += 1
            }
        }
        let commits = try entries(folder.appendingPathComponent("snapshots")).map(\.lastPathComponent).sorted()
        var refs: [String: String] = [:]
        let refsFolder = folder.appendingPathComponent("refs")
        if FileManager.default.fileExists(atPath: refsFolder.path) {
            let names: [String]
            do { names = try FileManager.default.subpathsOfDirectory(atPath: refsFolder.path) } catch {
                throw HubError.fileSystem(path: refsFolder.path, message: error.localizedDescription)
            }
            // Names with a slash (`refs/pr/1`) are nested folders; only the files are refs.
            for name in names.sorted() {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: refsFolder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                if !isDirectory.boolValue, let commit = try commit(repo, revision: name) { refs[name] = commit }
            }
        }
        return CachedModel(repo: repo, folder: folder, sizeOnDisk: size, partialBytes: partial, blobCount: blobs,
                           commits: commits, refs: refs)
    }

    private func entries(_ folder: URL) throws(HubError) -> [URL] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).map { folder.appendingPathComponent($0) }
        } catch {
            throw HubError.fileSystem(path: folder.path, message: error.localizedDescription)
        }
    }

    private func fileSize(_ url: URL) throws(HubError) -> Int64 {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            throw HubError.fileSystem(path: url.path, message: error.localizedDescription)
        }
    }
}
