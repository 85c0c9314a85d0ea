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
