/// A compression function over 64-byte blocks with a state of 32-bit words (SHA-1, SHA-256).
package protocol BlockCompression: Sendable {
    static var initialState: [UInt32] { get }
    /// Runs over `count` consecutive 64-byte blocks at `data`.
    static func compress(_ data: UnsafeRawPointer, count: Int, state: inout [UInt32])
}

/// An incremental hash: bytes in, blocks through the compression function, the
/// final state as lowercase hex.
package struct BlockDigest<Compression: BlockCompression>: Sendable {
    private var state = Compression.initialState
    private var blocks = BlockBuffer()

    package init() {}

    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var state = self.state
        blocks.feed(bytes) { Compression.compress($0, count: $1, state: &state) }
        self.state = state
    }

    package mutating func update(_ bytes: some Sequence<UInt8>) {
        Array(bytes).withUnsafeBytes { update($0) }
    }

    /// The digest as lowercase hex. The hasher must not be fed afterwards.
    package mutating func finalize() -> String {
        var state = self.state
        blocks.finish { Compression.compress($0, count: $1, state: &state) }
        return hexDigits(state)
    }
}

/// The 64-byte block framing SHA-1 and SHA-256 share: whole blocks go to the
/// compression function straight from the caller's buffer, a tail waits for more
/// input, and `finish` appends the 0x80 marker, zeros and the bit length.
struct BlockBuffer: Sendable {
    private var pending: [UInt8] = []
    private var byteCount: UInt64 = 0

    /// Hands every complete block of `pending + bytes` to `compress(pointer, blockCount)`.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, compress: (UnsafeRawPointer, Int) -> Void) {
        byteCount &+= UInt64(bytes.count)
        var rest = bytes[...]
        if !pending.isEmpty {
            let take = min(64 - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0.baseAddress!, 1) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = rest.count / 64
        if whole > 0, let base = bytes.baseAddress {
            compress(base + rest.startIndex, whole)
        }
        pending.append(contentsOf: rest.dropFirst(whole * 64))
    }

    /// Pads the message (FIPS 180-4 §5.1.1) and compresses the last one or two blocks.
    mutating func finish(compress: (UnsafeRawPointer, Int) -> Void) {
        let bitLength = byteCount &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBytes { compress($0.baseAddress!, tail.count / 64) }
        pending = []
    }
}

/// A block's sixteen big-endian words, the first rows of the message schedule.
func loadBigEndianWords(_ w: UnsafeMutablePointer<UInt32>, from block: UnsafeRawPointer) {
    let bytes = block.assumingMemoryBound(to: UInt8.self)
    var t = 0
    while t < 16 {
        let b = bytes + 4 * t
        w[t] = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
        t &+= 1
    }
}

/// Big-endian words as lowercase hex.
func hexDigits(_ words: [UInt32]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(words.count * 8)
    for word in words {
        for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((word >> UInt32(shift)) & 0xf)]) }
    }
    return String(decoding: out, as: UTF8.self)
}
