import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a lock file, the kind `huggingface_hub`'s `filelock`
/// takes on `.locks/…/<etag>.lock`: two processes, Swift or Python, never write
/// the same blob at once. Waiting polls, so it neither blocks a thread nor
/// ignores task cancellation.
struct FileLock {
    private let descriptor: Int32

    static func acquire(_ url: URL) async throws -> FileLock {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw HubError.fileSystem(path: url.path, message: error.localizedDescription)
        }
        let descriptor = open(url.path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw HubError.fileSystem(path: url.path, message: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let message = String(cString: strerror(errno))
                close(descriptor)
                throw HubError.fileSystem(path: url.path, message: "cannot lock: \(message)")
            }
            do {
                try await Task.sleep(nanoseconds: 100_000_000)
            } catch {
                close(descriptor)
                throw error
            }
        }
        return FileLock(descriptor: descriptor)
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
