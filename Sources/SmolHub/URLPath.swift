/// Percent-encoding and path checks for the names that go into Hub URLs and cache paths.
enum URLPath {
    /// Encodes as Python's `urllib.parse.quote`: letters, digits and `_.-~` stay,
    /// `/` stays only for file paths (a revision like `refs/pr/1` becomes `refs%2Fpr%2F1`).
    static func encode(_ string: String, keepingSlashes: Bool) -> String {
        var out = ""
        for byte in string.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "_.-~".contains(c) || (keepingSlashes && c == "/")) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// A repository file path that stays inside a snapshot folder: relative,
    /// `/`-separated, without empty, `.` or `..` components or backslashes.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// A single file name made of letters, digits, `-`, `_` and `.` (blob names come from ETags).
    static func isSafeFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".."
            && name.utf8.allSatisfy { c in
                (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) || c == 45 || c == 95 || c == 46
            }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
