import Foundation

/// Reads whole image files, turning Foundation's errors into ``ImageError``s.
enum ImageFileReading {
    /// The bytes of the local file at `url`.
    ///
    /// Only file URLs are read: decoding an image must never start a download.
    static func contents(of url: URL) throws(ImageError) -> Data {
        guard url.isFileURL else {
            throw .unreadable(path: url.absoluteString, reason: "not a file URL")
        }
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else {
            throw .unreadable(path: path, reason: "it is a directory")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
    }
}
