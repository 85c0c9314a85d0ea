import Foundation
@testable import SmolHub
import Testing

/// SHA-256 and SHA-1 against the FIPS 180 examples and git's blob ids.
@Suite("Digests")
struct DigestTests {
    static func sha256(_ text: String) -> String {
        var hasher = SHA256()
        hasher.update(Array(text.utf8))
        return hasher.finalize()
    }

    static func sha1(_ text: String) -> String {
        var hasher = SHA1()
        hasher.update(Array(text.utf8))
        return hasher.finalize()
    }

    @Test func sha256KnownAnswers() {
        #expect(Self.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func sha1KnownAnswers() {
        #expect(Self.sha1("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(Self.sha1("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Self.sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    /// A million 'a's fed in uneven pieces crosses every block-boundary case.
    @Test func piecewiseInputEqualsWholeInput() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var sha256 = SHA256(), sha1 = SHA1()
        var offset = 0, step = 1
        while offset < million.count {
            let end = min(million.count, offset + step)
            sha256.update(million[offset..<end])
            sha1.update(million[offset..<end])
            offset = end
            step = step * 3 % 1_000 + 1
        }
        #expect(sha256.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(sha1.finalize() == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    /// `git hash-object` ids, as the Hub sends them for files kept in git.
    @Test func gitBlobIDs() {
        #expect(ContentDigest.gitBlobID(of: Data()) == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
        #expect(ContentDigest.gitBlobID(of: Data("hello\n".utf8)) == "ce013625030ba8dba906f756967f9e9ca394464a")
    }
}
