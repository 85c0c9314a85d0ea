import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches one blob into its `.incomplete` file, resuming whatever an earlier
/// attempt or run left there with a `Range` request, and checks size and ETag
/// digest before the caller moves it into place.
struct BlobDownload {
    let api: HubAPI
    let file: String
    let metadata: FileMetadata
    let partial: URL
    let progress: ProgressTracker

    /// The server answered 416 to a resumed request: the partial file was dropped.
    private struct RangeRejected: Error {}

    func run() async throws {
        let state = try PartialFile(url: partial, metadata: metadata)
        progress.add(bytes: state.offset)
        do {
            try await transfer(into: state)
        } catch {
            state.closeAfterFailure()
            throw error
        }
        try state.close()
        try verify(state)
    }

    /// GETs from the current offset until the file is whole, resuming after broken
    /// connections (the retry budget refills whenever bytes arrived, as in `huggingface_hub`).
    private func transfer(into state: PartialFile) async throws {
        var retriesLeft = api.configuration.maxRetries
        while !state.isComplete {
            let start = state.offset
            do {
                try await attempt(state)
            } catch where HTTPTransport.isCancellation(error) {
                throw CancellationError()
            } catch where error is RangeRejected || HTTPTransport.isTransient(error) {
                if state.offset > start { retriesLeft = api.configuration.maxRetries }
                guard retriesLeft > 0 else {
                    throw HubError.network(url: metadata.location.absoluteString,
                                           message: "\(error.localizedDescription) after \(state.offset) bytes; run again to resume")
                }
                retriesLeft -= 1
                try await Task.sleep(nanoseconds: UInt64(api.configuration.retryDelay * 1e9))
            }
        }
    }

    /// One GET from the current offset to the end.
    private func attempt(_ state: PartialFile) async throws {
        var request = api.request(metadata.location, method: "GET")
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        let offset = state.offset
        if offset > 0 { request.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
        let progress = self.progress
        _ = try await api.transport.stream(request, onResponse: { response in
            switch response.status {
            case 206:
                guard let range = response.header("Content-Range"), Self.rangeStart(range) == offset else {
                    throw HubError.invalidResponse(
                        url: response.url.absoluteString,
                        problem: "asked for bytes from \(offset), got Content-Range \(response.header("Content-Range") ?? "none")")
                }
            case 200 where offset > 0:
                // The server ignored the range: start over.
                progress.add(bytes: -offset)
                try state.restart()
            case 416:
                progress.add(bytes: -offset)
                try state.restart()
                throw RangeRejected()
            case 300...:
                throw HubError.httpStatus(url: response.url.absoluteString, status: response.status,
                                          message: response.header("X-Error-Message"))
            default:
                break
            }
        }, onData: { data in
            try state.append(data)
            progress.add(bytes: Int64(data.count))
        })
        guard let expected = state.expectedSize else { return state.markComplete() }
        // A body that ended early without a transport error still resumes.
        if state.offset < expected { throw URLError(.networkConnectionLost) }
    }

    private func verify(_ state: PartialFile) throws {
        if let expected = state.expectedSize, state.offset != expected {
            try discard()
            throw HubError.sizeMismatch(file: file, expected: expected, actual: state.offset)
        }
        if let actual = state.digest(), actual != metadata.etag.lowercased() {
            try discard()
            throw HubError.checksumMismatch(file: file, expected: metadata.etag, actual: actual)
        }
    }

    /// Removes a partial file whose bytes are wrong, so the next run starts afresh.
    private func discard() throws(HubError) {
        do { try FileManager.default.removeItem(at: partial) } catch {
            throw HubError.fileSystem(path: partial.path, message: error.localizedDescription)
        }
    }

    /// The first byte of `bytes a-b/total`.
    static func rangeStart(_ contentRange: String) -> Int64? {
        guard let units = contentRange.split(separator: " ").last, let dash = units.firstIndex(of: "-") else { return nil }
        return Int64(units[..<dash])
    }
}

/// The `.incomplete` file, its running digest and byte count, shared with the
/// URLSession delegate thread that appends to it.
private final class PartialFile: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle
    private let url: URL
    private let metadata: FileMetadata
    private var hasher: ContentDigest
    private var bytes: Int64 = 0
    private var completeWithoutSize = false

    var expectedSize: Int64? { metadata.size }

    /// Opens (or creates) the file; bytes already there are hashed so the digest
    /// covers the whole blob after a resume. A file longer than the blob is emptied.
    init(url: URL, metadata: FileMetadata) throws(HubError) {
        self.url = url
        self.metadata = metadata
        hasher = ContentDigest(etag: metadata.etag, size: metadata.size)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: url.path),
               !FileManager.default.createFile(atPath: url.path, contents: nil) {
                throw HubError.fileSystem(path: url.path, message: "cannot create the download file")
            }
            handle = try FileHandle(forUpdating: url)
            let existing = Int64(try handle.seekToEnd())
            if let size = metadata.size, existing > size {
                try handle.truncate(atOffset: 0)
            } else if existing > 0 {
                try handle.seek(toOffset: 0)
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                    chunk.withUnsafeBytes { hasher.update($0) }
                    bytes += Int64(chunk.count)
                }
            }
        } catch let error as HubError {
            throw error
        } catch {
            throw HubError.fileSystem(path: url.path, message: error.localizedDescription)
        }
    }

    var offset: Int64 { lock.withLock { bytes } }

    var isComplete: Bool {
        lock.withLock { completeWithoutSize || metadata.size == bytes }
    }

    func markComplete() { lock.withLock { completeWithoutSize = true } }

    func append(_ data: Data) throws {
        try lock.withLock {
            do { try handle.write(contentsOf: data) } catch {
                throw HubError.fileSystem(path: url.path, message: error.localizedDescription)
            }
            data.withUnsafeBytes { hasher.update($0) }
            bytes += Int64(data.count)
        }
    }

    func restart() throws {
        try lock.withLock {
            do { try handle.truncate(atOffset: 0) } catch {
                throw HubError.fileSystem(path: url.path, message: error.localizedDescription)
            }
            hasher = ContentDigest(etag: metadata.etag, size: metadata.size)
            bytes = 0
        }
    }

    func digest() -> String? { lock.withLock { hasher.finalize() } }

    func close() throws(HubError) {
        do { try handle.close() } catch {
            throw HubError.fileSystem(path: url.path, message: error.localizedDescription)
        }
    }

    /// Closes after another error, which is the one worth reporting.
    func closeAfterFailure() {
        try? handle.close()
    }
}
