/// Writes JSON string literals the way Python's `json.dumps` and Rust's serde_json do.
package enum JSONStringWriter {
    /// Appends `value` as a JSON string literal. Quotes, backslashes and control
    /// characters are escaped (short forms where JSON has them, else `\\u00xx`);
    /// with `ensureASCII` every non-ASCII character becomes `\\uXXXX` (surrogate
    /// pairs beyond the BMP). This is both `json.dumps` and serde_json's output.
    package static func write(_ value: String, into output: inout String, ensureASCII: Bool = false) {
        output += "\""
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || (ensureASCII && byte >= 0x80) {
            needsEscape = true
            break
        }
        guard needsEscape else {
            output += value
            output += "\""
            return
        }
        for c in value.unicodeScalars {
            switch c {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if c.value < 0x20 || (ensureASCII && c.value >= 0x80) {
                    // Beyond the BMP, ensure_ascii writes a UTF-16 surrogate pair.
                    for unit in String(c).utf16 {
                        let hex = String(unit, radix: 16)
                        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    output.unicodeScalars.append(c)
                }
            }
        }
        output += "\""
    }
}
