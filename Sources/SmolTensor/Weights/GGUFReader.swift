/// A bounds-checked little-endian cursor over a GGUF file's bytes.
struct GGUFReader {
    let bytes: UnsafeRawBufferPointer
    let file: String
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    func error(_ reason: String) -> WeightsError { .invalidGGUF(file: file, reason: "\(reason) (at byte \(offset))") }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(WeightsError) -> T {
        let size = MemoryLayout<T>.size
        guard offset <= bytes.count - size else { throw error("unexpected end of file") }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    mutating func readString() throws(WeightsError) -> String {
        let length = try read(UInt64.self)
        guard length <= UInt64(bytes.count - offset) else { throw error("string of \(length) bytes runs past the end") }
        let start = offset
        offset += Int(length)
        guard let string = String(validating: bytes[start..<offset], as: UTF8.self) else {
            throw error("string is not valid UTF-8")
        }
        return string
    }

    /// Reads a value of GGUF type code `type`; arrays nest at most `depth` deep.
    mutating func readValue(type: UInt32, depth: Int = 0) throws(WeightsError) -> GGUFValue {
        switch type {
        case 0: return .uint(UInt64(try read(UInt8.self)))
        case 1: return .int(Int64(try read(Int8.self)))
        case 2: return .uint(UInt64(try read(UInt16.self)))
        case 3: return .int(Int64(try read(Int16.self)))
        case 4: return .uint(UInt64(try read(UInt32.self)))
        case 5: return .int(Int64(try read(Int32.self)))
        case 6: return .float(Double(Float(bitPattern: try read(UInt32.self))))
        case 7:
            let raw = try read(UInt8.self)
            guard raw <= 1 else { throw error("bool value \(raw)") }
            return .bool(raw == 1)
        case 8: return .string(try readString())
        case 9:
            guard depth < 4 else { throw error("arrays nested too deep") }
            let elementType = try read(UInt32.self)
            let count = try read(UInt64.self)
            // Every element takes at least one byte, which bounds a forged count.
            guard count <= UInt64(bytes.count - offset) else { throw error("array of \(count) elements runs past the end") }
            var items: [GGUFValue] = []
            items.reserveCapacity(Int(count))
            for _ in 0..<count { items.append(try readValue(type: elementType, depth: depth + 1)) }
            return .array(items)
        case 10: return .uint(try read(UInt64.self))
        case 11: return .int(try read(Int64.self))
        case 12: return .float(Double(bitPattern: try read(UInt64.self)))
        default: throw error("unknown metadata value type \(type)")
        }
    }
}
