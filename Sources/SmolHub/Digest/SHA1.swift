/// SHA-1 (FIPS 180-4), for git object ids: the Hub's ETag of a file kept in git
/// (not LFS) is the SHA-1 of `"blob <size>\0"` followed by the content.
package typealias SHA1 = BlockDigest<SHA1Compression>

package enum SHA1Compression: BlockCompression {
    package static let initialState: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0]

    /// The compression function over `count` 64-byte blocks (see `SHA256` for the loop style).
    package static func compress(_ data: UnsafeRawPointer, count: Int, state: inout [UInt32]) {
        let w = UnsafeMutablePointer<UInt32>.allocate(capacity: 80)
        defer { w.deallocate() }
        var h0 = state[0], h1 = state[1], h2 = state[2], h3 = state[3], h4 = state[4]
        var block = 0
        while block < count {
            loadBigEndianWords(w, from: data + 64 * block)
            var t = 16
            while t < 80 {
                w[t] = (w[t &- 3] ^ w[t &- 8] ^ w[t &- 14] ^ w[t &- 16]).rotatedLeft(1)
                t &+= 1
            }
            var a = h0, b = h1, c = h2, d = h3, e = h4
            t = 0
            while t < 80 {
                let f: UInt32, k: UInt32
                if t < 20 {
                    f = (b & c) | (~b & d); k = 0x5a82_7999
                } else if t < 40 {
                    f = b ^ c ^ d; k = 0x6ed9_eba1
                } else if t < 60 {
                    f = (b & c) | (b & d) | (c & d); k = 0x8f1b_bcdc
                } else {
                    f = b ^ c ^ d; k = 0xca62_c1d6
                }
                let temp = a.rotatedLeft(5) &+ f &+ e &+ k &+ w[t]
                e = d; d = c; c = b.rotatedLeft(30); b = a; a = temp
                t &+= 1
            }
            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e
            block &+= 1
        }
        state = [h0, h1, h2, h3, h4]
    }
}

extension UInt32 {
    @_transparent func rotatedLeft(_ n: UInt32) -> UInt32 { (self << n) | (self >> (32 - n)) }
}
