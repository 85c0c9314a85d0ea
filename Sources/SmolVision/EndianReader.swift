/// Bounds-checked reads of TIFF integers from a byte slice (offsets count
/// from the slice start); nil for anything outside it.
struct EndianReader {
    let bytes: ArraySlice<UInt8>
    let bigEndian: Bool

    func slice(at offset: Int, count: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else { return nil }
        let start = bytes.startIndex + offset
        return bytes[start..<start + count]
    }

    private func value(at offset: Int, byteCount: Int) -> UInt64? {
        guard let field = slice(at: offset, count: byteCount) else { return nil }
        let ordered: [UInt8] = bigEndian ? Array(field) : Array(field.reversed())
        return ordered.reduce(0) { $0 << 8 | UInt64($1) }
    }

    func uint16(at offset: Int) -> UInt16? { value(at: offset, byteCount: 2).map { UInt16($0) } }
    func uint32(at offset: Int) -> UInt32? { value(at: offset, byteCount: 4).map { UInt32($0) } }
    func uint64(at offset: Int) -> UInt64? { value(at: offset, byteCount: 8) }
}
