import Foundation

/// Writes small PNG files for tests: every row uses filter 0 and the zlib
/// stream uses stored (uncompressed) deflate blocks, which keeps the writer
/// short and the files exact.
enum TestPNG {
    /// A chunk: length, type, payload, CRC-32 of type and payload.
    static func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(payload.count)) + typeBytes + payload + bigEndian(crc32(typeBytes + payload))
    }

    /// A complete file. `rows` are packed samples (see ``pack(_:bitDepth:)``) without filter bytes.
    static func file(
        width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]],
        before: [(String, [UInt8])] = [], after: [(String, [UInt8])] = []
    ) -> Data {
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colorType, 0, 0, 0]
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
        for (type, payload) in before { bytes += chunk(type, payload) }
        bytes += chunk("IDAT", zlibStored(rows.flatMap { [0] + $0 }))
        for (type, payload) in after { bytes += chunk(type, payload) }
        bytes += chunk("IEND", [])
        return Data(bytes)
    }

    /// Packs samples of `bitDepth` bits (1, 2, 4, 8) most significant first;
    /// 16-bit samples are written big-endian.
    static func pack(_ samples: [Int], bitDepth: Int) -> [UInt8] {
        if bitDepth == 16 { return samples.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }
        if bitDepth == 8 { return samples.map { UInt8($0) } }
        let perByte = 8 / bitDepth
        return stride(from: 0, to: samples.count, by: perByte).map { start in
            var byte = 0
            for k in 0..<perByte {
                let sample = start + k < samples.count ? samples[start + k] : 0
                byte |= sample << (8 - bitDepth * (k + 1))
            }
            return UInt8(byte)
        }
    }

    /// A zlib stream of stored deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let final: UInt8 = offset + count == data.count ? 1 : 0
            out += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// Builds EXIF blocks (a TIFF header and IFD0) for tests.
enum TestExif {
    struct Entry {
        var tag: UInt16 = 274
        var type: UInt16
        var count: UInt32
        /// The value bytes in the block's byte order; stored inline when at
        /// most 4 bytes, after the directory otherwise.
        var value: [UInt8]
        /// Overrides the offset of an out-of-line value.
        var offsetOverride: UInt32? = nil
    }

    static func short(_ value: UInt16, bigEndian: Bool = false) -> Entry {
        Entry(type: 3, count: 1, value: bytes(UInt64(value), 2, bigEndian))
    }

    static func bytes(_ value: UInt64, _ count: Int, _ bigEndian: Bool) -> [UInt8] {
        let little = (0..<count).map { UInt8((value >> (8 * UInt64($0))) & 0xFF) }
        return bigEndian ? little.reversed() : little
    }

    /// "Exif\0\0" (optional), the TIFF header, IFD0 with `entries`, their out-of-line values.
    static func block(_ entries: [Entry], bigEndian: Bool = false, exifHeader: Bool = true) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0x4D, 0x4D, 0x00, 0x2A] : [0x49, 0x49, 0x2A, 0x00]
        out += bytes(8, 4, bigEndian)
        out += bytes(UInt64(entries.count), 2, bigEndian)
        var extra: [UInt8] = []
        let extraStart = 8 + 2 + 12 * entries.count + 4
        for entry in entries {
            out += bytes(UInt64(entry.tag), 2, bigEndian) + bytes(UInt64(entry.type), 2, bigEndian)
            out += bytes(UInt64(entry.count), 4, bigEndian)
            if entry.value.count <= 4 {
                out += entry.value + [UInt8](repeating: 0, count: 4 - entry.value.count)
            } else {
                out += bytes(UInt64(entry.offsetOverride ?? UInt32(extraStart + extra.count)), 4, bigEndian)
                extra += entry.value
            }
        }
        out += [0, 0, 0, 0] + extra
        return (exifHeader ? Array("Exif".utf8) + [0, 0] : []) + out
    }
}

/// Inserts marker segments right after a JPEG's SOI.
enum TestJPEG {
    static func inserting(_ segments: [(marker: UInt8, payload: [UInt8])], into jpeg: Data) -> Data {
        var bytes = Array(jpeg)
        var inserted: [UInt8] = []
        for (marker, payload) in segments {
            let length = payload.count + 2
            inserted += [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        }
        bytes.insert(contentsOf: inserted, at: 2)
        return Data(bytes)
    }

    static func xmpSegment(_ packet: String) -> (marker: UInt8, payload: [UInt8]) {
        (0xE1, Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array(packet.utf8))
    }
}
