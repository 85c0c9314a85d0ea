/// Finds the EXIF orientation of a file from its metadata the way Pillow's
/// `Image.getexif()` does (src/PIL/Image.py `getexif`, `Exif.load`;
/// src/PIL/TiffImagePlugin.py `ImageFileDirectory_v2.load`), so that
/// `ExifOrientation` is applied exactly when `ImageOps.exif_transpose` would.
///
/// Sources, in Pillow's order: the EXIF block (JPEG APP1, PNG eXIf); for a PNG
/// without one, ImageMagick's hex "Raw profile type exif" text; and, when the
/// EXIF has no Orientation entry at all, `tiff:Orientation` in the XMP packet.
///
/// Where Pillow raises instead (an EXIF block that is not a classic TIFF
/// structure, BigTIFF, a profile text that is not hex), this returns no
/// orientation and the image is used as stored.
package struct OrientationMetadata: Sendable {
    package var exif: [UInt8]?
    package var xmp: [UInt8]?
    package var exifProfileText: [UInt8]?

    package init(exif: [UInt8]? = nil, xmp: [UInt8]? = nil, exifProfileText: [UInt8]? = nil) {
        self.exif = exif
        self.xmp = xmp
        self.exifProfileText = exifProfileText
    }

    /// The orientation `exif_transpose` applies, or nil when it leaves the
    /// image alone (no tag, or a value outside 2...8).
    package var orientation: ExifOrientation? {
        let value: OrientationValue
        if let block = exif ?? exifProfileText.flatMap(Self.decodeProfileText) {
            value = Self.orientationEntry(inExif: block)
        } else {
            value = .absent
        }
        switch value {
        case .integer(let number): return Self.transposing(number)
        case .notAnInteger: return nil
        case .absent: return xmp.flatMap(Self.xmpOrientation).flatMap(Self.transposing)
        }
    }

    private static func transposing(_ value: Int) -> ExifOrientation? {
        value == 1 ? nil : ExifOrientation(rawValue: value)
    }

    /// What IFD0 holds for tag 274.
    enum OrientationValue: Equatable {
        case absent
        /// Present with a value Python compares equal to this integer.
        case integer(Int)
        /// Present, but a string, bytes, or a fraction that is no integer.
        case notAnInteger
    }

    /// Bytes per value of each TIFF field type Pillow can load; entries of
    /// other types are skipped.
    private static func unitSize(ofType type: Int) -> Int? {
        switch type {
        case 1, 2, 6, 7: 1 // BYTE, ASCII, SBYTE, UNDEFINED
        case 3, 8: 2 // SHORT, SSHORT
        case 4, 9, 11, 13: 4 // LONG, SLONG, FLOAT, IFD
        case 5, 10, 12, 16: 8 // RATIONAL, SRATIONAL, DOUBLE, LONG8
        default: nil
        }
    }

    /// The Orientation entry of IFD0 in a TIFF-structured EXIF block.
    static func orientationEntry(inExif block: [UInt8]) -> OrientationValue {
        var start = 0
        // Pillow strips every leading "Exif\0\0" (JPEG APP1 keeps it; PNG eXIf
        // gets one prepended).
        let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]
        while block[start...].starts(with: exifHeader) { start += 6 }
        let data = block[start...]
        guard data.count >= 8 else { return .absent }
        let base = data.startIndex
        let reader: EndianReader
        switch (data[base], data[base + 1], data[base + 2], data[base + 3]) {
        // Pillow also accepts the two byte orders with a swapped magic number.
        case (0x4D, 0x4D, 0x00, 0x2A), (0x4D, 0x4D, 0x2A, 0x00): reader = EndianReader(bytes: data, bigEndian: true)
        case (0x49, 0x49, 0x2A, 0x00), (0x49, 0x49, 0x00, 0x2A): reader = EndianReader(bytes: data, bigEndian: false)
        default: return .absent // includes BigTIFF, which Pillow cannot read from EXIF
        }
        let ifd = Int(reader.uint32(at: 4) ?? 0)
        guard let entryCount = reader.uint16(at: ifd) else { return .absent }
        var found: (type: Int, payload: ArraySlice<UInt8>)?
        for index in 0..<Int(entryCount) {
            let entry = ifd + 2 + 12 * index
            // A short entry ends the directory; so does a value that lies
            // outside the block (Pillow's loop stops on the read error and
            // keeps what it has).
            guard let tag = reader.uint16(at: entry), let type = reader.uint16(at: entry + 2),
                  let count = reader.uint32(at: entry + 4) else { break }
            guard let unit = unitSize(ofType: Int(type)) else { continue }
            let size = Int(count) * unit
            let payload: ArraySlice<UInt8>
            if size > 4 {
                guard let offset = reader.uint32(at: entry + 8), let bytes = reader.slice(at: Int(offset), count: size) else { break }
                payload = bytes
            } else {
                guard let bytes = reader.slice(at: entry + 8, count: size) else { break }
                payload = bytes
            }
            // An entry with no values is skipped; a repeated tag replaces the earlier one.
            if tag == 274 && size > 0 { found = (Int(type), payload) }
        }
        guard let found else { return .absent }
        return firstValue(type: found.type, payload: EndianReader(bytes: found.payload, bigEndian: reader.bigEndian))
    }

    /// The first value of an entry (Pillow keeps the first when a
    /// single-valued tag has more), as Python would compare it with an int.
    private static func firstValue(type: Int, payload: EndianReader) -> OrientationValue {
        func integer(_ value: Int?) -> OrientationValue { value.map(OrientationValue.integer) ?? .notAnInteger }
        func integral(_ value: Double) -> OrientationValue {
            value.rounded(.towardZero) == value && abs(value) < 1e15 ? .integer(Int(value)) : .notAnInteger
        }
        func fraction(_ numerator: Int?, _ denominator: Int?) -> OrientationValue {
            guard let numerator, let denominator, denominator != 0, numerator % denominator == 0 else { return .notAnInteger }
            return .integer(numerator / denominator)
        }
        switch type {
        case 3: return integer(payload.uint16(at: 0).map(Int.init))
        case 8: return integer(payload.uint16(at: 0).map { Int(Int16(bitPattern: $0)) })
        case 4, 13: return integer(payload.uint32(at: 0).map(Int.init))
        case 9: return integer(payload.uint32(at: 0).map { Int(Int32(bitPattern: $0)) })
        case 6: return integer(payload.slice(at: 0, count: 1)?.first.map { Int(Int8(bitPattern: $0)) })
        case 16: return integer(payload.uint64(at: 0).flatMap { $0 <= UInt64(Int.max) ? Int($0) : nil })
        case 5: return fraction(payload.uint32(at: 0).map(Int.init), payload.uint32(at: 4).map(Int.init))
        case 10:
            return fraction(payload.uint32(at: 0).map { Int(Int32(bitPattern: $0)) },
                            payload.uint32(at: 4).map { Int(Int32(bitPattern: $0)) })
        case 11: return payload.uint32(at: 0).map { integral(Double(Float(bitPattern: $0))) } ?? .notAnInteger
        case 12: return payload.uint64(at: 0).map { integral(Double(bitPattern: $0)) } ?? .notAnInteger
        default: return .notAnInteger // BYTE and UNDEFINED load as bytes, ASCII as a string
        }
    }

    /// ImageMagick's "Raw profile type exif": a header of three lines
    /// (empty, "exif", the length), then hex digits over several lines.
    /// Pillow joins the lines after the third and reads them with
    /// `bytes.fromhex`, which allows ASCII whitespace between digit pairs.
    static func decodeProfileText(_ text: [UInt8]) -> [UInt8]? {
        let lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count > 3 else { return [] }
        let hex = lines[3...].joined()
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in hex {
            if high == nil, [0x20, 0x09, 0x0D, 0x0B, 0x0C].contains(character) { continue }
            guard let nibble = hexValue(character) else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The digit after the first `tiff:Orientation="` or `tiff:Orientation>`
    /// (Pillow's regular expression `tiff:Orientation(="|>)([0-9])`).
    static func xmpOrientation(_ xmp: [UInt8]) -> Int? {
        let name = Array("tiff:Orientation".utf8)
        guard xmp.count > name.count else { return nil }
        var index = 0
        while index + name.count < xmp.count {
            if xmp[index] == name[0], xmp[index..<index + name.count].elementsEqual(name) {
                var next = index + name.count
                if xmp[next] == UInt8(ascii: "=") && next + 1 < xmp.count && xmp[next + 1] == UInt8(ascii: "\"") {
                    next += 2
                } else if xmp[next] == UInt8(ascii: ">") {
                    next += 1
                } else {
                    index += 1
                    continue
                }
                if next < xmp.count, let digit = hexValue(xmp[next]), digit < 10 { return Int(digit) }
            }
            index += 1
        }
        return nil
    }
}
