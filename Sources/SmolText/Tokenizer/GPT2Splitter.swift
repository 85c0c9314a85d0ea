/// GPT-2's pre-tokenization pattern, as HF `tokenizers` runs it for ByteLevel
/// with `use_regex` (Oniguruma, Unicode mode):
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// Hand-written as a scanner over Unicode scalars (what the regex matches on),
/// which is exact and much faster than a regex engine.
enum GPT2Splitter {
    enum Class { case letter, number, space, other }

    @inline(__always)
    static func classify(_ scalar: Unicode.Scalar) -> Class {
        // ASCII fast path; the general-category lookup is comparatively slow.
        let v = scalar.value
        if v < 0x80 {
            switch v {
            case 0x41...0x5A, 0x61...0x7A: return .letter
            case 0x30...0x39: return .number
            case 0x09...0x0D, 0x20: return .space
            default: return .other
            }
        }
        if scalar.properties.isWhitespace { return .space }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// Splits `text` into the pieces the pattern matches (every scalar lands in one piece).
    static func split(_ text: Substring) -> [Substring] {
        let scalars = text.unicodeScalars
        var pieces: [Substring] = []
        var i = scalars.startIndex
        let end = scalars.endIndex
        while i < end {
            let start = i
            let c = scalars[i]
            let next = scalars.index(after: i)

            // Contractions: 's 't 'm 'd 're 've 'll (lowercase only, as in the pattern).
            if c == "'" && next < end {
                let a = scalars[next]
                if a == "s" || a == "t" || a == "m" || a == "d" {
                    i = scalars.index(after: next)
                    pieces.append(Substring(scalars[start..<i]))
                    continue
                }
                let afterA = scalars.index(after: next)
                if afterA < end {
                    let b = scalars[afterA]
                    if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") {
                        i = scalars.index(after: afterA)
                        pieces.append(Substring(scalars[start..<i]))
                        continue
                    }
                }
            }

            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional leading space,
            // then a run of one class.
            var runStart = i
            if c == " " && next < end && classify(scalars[next]) != .space {
                runStart = next
            }
            let runClass = classify(scalars[runStart])
            if runClass != .space {
                i = scalars.index(after: runStart)
                while i < end && classify(scalars[i]) == runClass { i = scalars.index(after: i) }
                pieces.append(Substring(scalars[start..<i]))
                continue
            }

            // Whitespace: `\s+(?!\S)` takes the run but leaves its last scalar to lead
            // the following word; a lone space before a word falls to `\s+`.
            var j = i
            while j < end && classify(scalars[j]) == .space { j = scalars.index(after: j) }
            if j < end {
                let last = scalars.index(before: j)
                i = last > start ? last : j
            } else {
                i = j
            }
            pieces.append(Substring(scalars[start..<i]))
        }
        return pieces
    }
}
