/// GPT-2's reversible map between bytes and printable Unicode characters, used
/// by byte-level BPE so that every byte sequence is a string of visible symbols.
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) map to themselves; the
/// other 68 bytes map, in byte order, to U+0100, U+0101, … (so space is `Ġ`).
enum ByteLevelAlphabet {
    /// `scalar[b]` is the character standing for byte `b`.
    static let scalars: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a character stands for, or nil for characters outside the alphabet.
    static let bytes: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, scalar) in scalars.enumerated() { map[scalar.value] = UInt8(b) }
        return map
    }()

    /// `text`'s UTF-8 bytes spelled in the alphabet.
    static func encode(_ text: Substring.UnicodeScalarView) -> String {
        var out = String.UnicodeScalarView()
        for byte in String(text).utf8 { out.append(scalars[Int(byte)]) }
        return String(out)
    }
}
