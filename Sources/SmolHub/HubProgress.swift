import Foundation

/// How far a model download has come, for a progress bar.
public struct HubProgress: Sendable, Equatable {
    /// Bytes in the cache so far among the files to fetch (cached files count as done).
    public var completedBytes: Int64
    /// Bytes of all files to fetch, as far as known (it grows when a size is learnt late).
    public var totalBytes: Int64
    /// Files done, of `totalFiles`.
    public var completedFiles: Int
    public var totalFiles: Int
    /// The file being downloaded, if any.
    public var currentFile: String?

    public init(completedBytes: Int64 = 0, totalBytes: Int64 = 0, completedFiles: Int = 0, totalFiles: Int = 0,
                currentFile: String? = nil) {
        self.completedBytes = completedBytes
        self.totalBytes = totalBytes
        self.completedFiles = completedFiles
        self.totalFiles = totalFiles
        self.currentFile = currentFile
    }

    /// `completedBytes / totalBytes`, between 0 and 1 (1 when there is nothing to fetch).
    public var fraction: Double {
        totalBytes > 0 ? min(1, Double(completedBytes) / Double(totalBytes)) : 1
    }
}

/// Receives progress from any thread.
public typealias HubProgressHandler = @Sendable (HubProgress) -> Void

/// The running totals of one snapshot download, reported on every change.
final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var state = HubProgress()
    private let handler: HubProgressHandler?

    init(handler: HubProgressHandler?) {
        self.handler = handler
    }

    func plan(files: Int, bytes: Int64) {
        update { $0.totalFiles = files; $0.totalBytes = bytes }
    }

    /// A file starts; `expected` corrects the total when the listing lacked its size.
    func begin(_ file: String, listed: Int64?, expected: Int64?) {
        update {
            $0.currentFile = file
            if let expected, expected != (listed ?? 0) { $0.totalBytes += expected - (listed ?? 0) }
        }
    }

    func add(bytes: Int64) {
        update { $0.completedBytes += bytes }
    }

    func finish(_ file: String) {
        update { $0.completedFiles += 1; $0.currentFile = nil }
    }

    /// A file found in the cache: its bytes count as done at once.
    func skip(_ file: String, bytes: Int64) {
        update { $0.completedFiles += 1; $0.completedBytes += bytes }
    }

    var current: HubProgress { lock.withLock { state } }

    private func update(_ change: (inout HubProgress) -> Void) {
        let snapshot: HubProgress = lock.withLock {
            change(&state)
            return state
        }
        handler?(snapshot)
    }
}
