/// Lexing inside `{{ }}` and `{% %}`: names, numbers, strings and operators
/// with Python's literal rules, up to the closing delimiter.
extension TemplateLexer {
    mutating func lexTag(_ kind: TagKind, openedAt open: Int) throws(TemplateError) {
        var expectedClosers: [Unicode.Scalar] = []
        while true {
            guard position < source.count else {
                let closer = kind == .block ? "%}" : "}}"
                throw syntaxError("unterminated tag: expected '\(closer)' before the end of the template", at: open)
            }
            // End tags only count outside brackets, so `{{ {'a': {}} }}` works.
            if expectedClosers.isEmpty, closeTag(kind) { return }
            let c = source[position]
            if PythonString.isSpace(c) {
                position = skipSpaces(from: position)
            } else if c.isASCII, ("0"..."9").contains(c) {
                try lexNumber()
            } else if c == "_" || c.properties.isXIDStart {
                lexName()
            } else if c == "'" || c == "\"" {
                try lexString()
            } else {
                try lexOperator(&expectedClosers)
            }
        }
    }

    /// Matches the end of the current tag, emitting it and applying
    /// whitespace control to what follows.
    private mutating func closeTag(_ kind: TagKind) -> Bool {
        switch kind {
        case .block:
            if matches("+%}", at: position) || matches("-%}", at: position) {
                emit(.blockEnd, at: position)
                finishTag(afterClose: position + 3, sign: source[position])
                return true
            }
            if matches("%}", at: position) {
                emit(.blockEnd, at: position)
                finishTag(afterClose: position + 2, sign: nil)
                return true
            }
        case .variable:
            if matches("-}}", at: position) {
                emit(.variableEnd, at: position)
                position = skipSpaces(from: position + 3)
                lineStarting = source[position - 1] == "\n"
                return true
            }
            if matches("}}", at: position) {
                emit(.variableEnd, at: position)
                position += 2
                lineStarting = false
                return true
            }
        }
        return false
    }

    private mutating func lexName() {
        let start = position
        position += 1
        while position < source.count {
            let c = source[position]
            guard c == "_" || c.properties.isXIDContinue else { break }
            position += 1
        }
        emit(.name(String(String.UnicodeScalarView(source[start..<position]))), at: start)
    }

    func isDigit(_ offset: Int, radix: Int = 10) -> Bool {
        guard let c = scalar(at: offset), c.isASCII else { return false }
        return Int(String(c), radix: radix) != nil
    }

    /// The end of `digit (_? digit)*` starting at `offset` (which must be a digit).
    func digitRun(from offset: Int, radix: Int = 10) -> Int {
        var i = offset + 1
        while true {
            if isDigit(i, radix: radix) {
                i += 1
            } else if scalar(at: i) == "_", isDigit(i + 1, radix: radix) {
                i += 2
            } else {
                return i
            }
        }
    }

    private mutating func lexNumber() throws(TemplateError) {
        let start = position
        let source = self.source
        let text: (Int, Int) -> String = { a, b in
            String(String.UnicodeScalarView(source[a..<b])).replacingUnderscores()
        }
        // Floats first, as Jinja tries them first; not right after a dot, so
        // `a.0.1` is two item lookups.
        if start == 0 || source[start - 1] != "." {
            let integerEnd = digitRun(from: start)
            var end = integerEnd
            var isFloat = false
            if scalar(at: end) == ".", isDigit(end + 1) {
                end = digitRun(from: end + 1)
                isFloat = true
            }
            if let e = scalar(at: end), e == "e" || e == "E" {
                var exponent = end + 1
                if scalar(at: exponent) == "+" || scalar(at: exponent) == "-" { exponent += 1 }
                if isDigit(exponent) {
                    end = digitRun(from: exponent)
                    isFloat = true
                }
            }
            if isFloat {
                guard let value = Double(text(start, end)) else {
                    throw syntaxError("invalid number literal", at: start)
                }
                emit(.float(value), at: start)
                position = end
                return
            }
        }
        var end: Int
        var radix = 10
        var digitsStart = start
        if source[start] == "0", let prefix = scalar(at: start + 1).map({ String($0).lowercased() }),
           let prefixRadix = ["b": 2, "o": 8, "x": 16][prefix],
           isDigit(start + 2, radix: prefixRadix) || (scalar(at: start + 2) == "_" && isDigit(start + 3, radix: prefixRadix))
        {
            radix = prefixRadix
            digitsStart = start + 2
            end = scalar(at: digitsStart) == "_" ? digitRun(from: digitsStart + 1, radix: radix) : digitRun(from: digitsStart, radix: radix)
        } else if source[start] == "0" {
            // Only zeros may follow a leading zero: `007` is not one literal.
            end = start + 1
            while true {
                if scalar(at: end) == "0" {
                    end += 1
                } else if scalar(at: end) == "_", scalar(at: end + 1) == "0" {
                    end += 2
                } else {
                    break
                }
            }
        } else {
            end = digitRun(from: start)
        }
        guard let value = Int(text(digitsStart, end), radix: radix) else {
            throw syntaxError("integer literal too large", at: start)
        }
        emit(.integer(value), at: start)
        position = end
    }

    private mutating func lexString() throws(TemplateError) {
        let start = position
        let quote = source[start]
        var i = start + 1
        var value = String.UnicodeScalarView()
        while true {
            guard i < source.count else { throw syntaxError("unterminated string literal", at: start) }
            let c = source[i]
            if c == quote { break }
            if c == "\\" {
                guard i + 1 < source.count else { throw syntaxError("unterminated string literal", at: start) }
                i = try unescape(at: i, into: &value)
            } else {
                value.append(c)
                i += 1
            }
        }
        emit(.string(String(value)), at: start)
        position = i + 1
    }

    /// Decodes the escape at `offset` (a backslash) as Python's
    /// `unicode-escape` codec does, returning the offset after it.
    private func unescape(at offset: Int, into value: inout String.UnicodeScalarView) throws(TemplateError) -> Int {
        let c = source[offset + 1]
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}",
            "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}",
        ]
        if let replacement = simple[c] {
            value.append(replacement)
            return offset + 2
        }
        if c == "\n" { return offset + 2 }  // a backslash-newline continues the line
        if let octal = Int(String(c), radix: 8), c.isASCII {
            var code = octal, i = offset + 2
            while i < offset + 4, isDigit(i, radix: 8) {
                code = code * 8 + (Int(String(source[i]), radix: 8) ?? 0)
                i += 1
            }
            value.append(Unicode.Scalar(UInt32(code)) ?? "\u{FFFD}")
            return i
        }
        let hexLength: [Unicode.Scalar: Int] = ["x": 2, "u": 4, "U": 8]
        if let length = hexLength[c] {
            let digitsStart = offset + 2
            guard digitsStart + length <= source.count,
                  (digitsStart..<digitsStart + length).allSatisfy({ isDigit($0, radix: 16) }),
                  let code = UInt32(String(String.UnicodeScalarView(source[digitsStart..<digitsStart + length])), radix: 16)
            else {
                throw syntaxError("truncated \\\(c) escape in string literal", at: offset)
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw syntaxError("invalid code point in \\\(c) escape", at: offset)
            }
            value.append(scalar)
            return digitsStart + length
        }
        // Python keeps an unknown escape as written.
        value.append("\\")
        value.append(c)
        return offset + 2
    }

    private static let twoCharacterOperators: Set<String> = ["//", "**", "==", "!=", ">=", "<="]
    private static let oneCharacterOperators: Set<Unicode.Scalar> = [
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "=", ".", ":", "|", ",", ";", "<", ">",
    ]

    private mutating func lexOperator(_ expectedClosers: inout [Unicode.Scalar]) throws(TemplateError) {
        let start = position
        if start + 1 < source.count {
            let pair = String(String.UnicodeScalarView(source[start...start + 1]))
            if Self.twoCharacterOperators.contains(pair) {
                emit(.op(pair), at: start)
                position += 2
                return
            }
        }
        let c = source[start]
        guard Self.oneCharacterOperators.contains(c) else {
            throw syntaxError("unexpected character '\(c.escaped(asASCII: false))'", at: start)
        }
        switch c {
        case "{": expectedClosers.append("}")
        case "(": expectedClosers.append(")")
        case "[": expectedClosers.append("]")
        case "}", ")", "]":
            guard let expected = expectedClosers.popLast() else {
                throw syntaxError("unexpected '\(c)'", at: start)
            }
            guard expected == c else { throw syntaxError("unexpected '\(c)', expected '\(expected)'", at: start) }
        default:
            break
        }
        emit(.op(String(c)), at: start)
        position += 1
    }
}

private extension String {
    func replacingUnderscores() -> String { filter { $0 != "_" } }
}
