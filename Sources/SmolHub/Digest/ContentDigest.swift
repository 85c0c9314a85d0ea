import Foundation

/// What an ETag promises about a file's bytes, and the running hash that checks it.
///
/// The Hub's ETag is the SHA-256 of the content for LFS files (64 hex digits) and
/// the git blob id for files kept in git (40 hex digits: SHA-1 of
/// `"blob <size>\0" + content`). Any other ETag shape is only an opaque name.
struct ContentDigest {
    private enum Kind { case sha256(SHA256), gitBlob(SHA1), none }
    private var kind: Kind
    let expected: String

    init(etag: String, size: Int64?) {
        expected = etag.lowercased()
        let hex = expected.allSatisfy { $0.isHexDigit }
        if hex && expected.count == 64 {
            kind = .sha256(SHA256())
        } else if hex && expected.count == 40, let size {
            var sha1 = SHA1()
            sha1.update(Array("blob \(size)\0".utf8))
            kind = .gitBlob(sha1)
        } else {
            kind = .none
        }
    }

    /// Whether the ETag names a digest of the content.
    var isVerifiable: Bool {
        if case .none = kind { return false }
        return true
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch kind {
        case var .sha256(hasher): hasher.update(bytes); kind = .sha256(hasher)
        case var .gitBlob(hasher): hasher.update(bytes); kind = .gitBlob(hasher)
        case .none: break
        }
    }

    /// The digest of what was fed, or nil when the ETag is not a digest.
    mutating func finalize() -> String? {
        switch kind {
        case var .sha256(hasher): return hasher.finalize()
        case var .gitBlob(hasher): return hasher.finalize()
        case .none: return nil
        }
    }

    static func gitBlobID(of data: Data) -> String {
        var digest = ContentDigest(etag: String(repeating: "0", count: 40), size: Int64(data.count))
        data.withUnsafeBytes { digest.update($0) }
        return digest.finalize()!
    }
}
