/// Splits template source into tokens the way Jinja's lexer does with
/// transformers' settings: `trim_blocks=True` (the newline right after a
/// block or comment tag is dropped), `lstrip_blocks=True` (spaces and tabs
/// before a block or comment tag on its own line are dropped), `-`/`+`
/// whitespace control on both sides of tags, newlines normalised to `\n` and
/// one trailing newline of the source removed (`keep_trailing_newline=False`).
struct TemplateLexer {
    let source: [Unicode.Scalar]
    let lineStarts: [Int]
    var position = 0
    var tokens: [TemplateToken] = []
    /// Whether the last match ended with a newline; lstrip also applies to a
    /// tag at the very start of a line that has no text before it.
    var lineStarting = true

    enum TagKind { case variable, block }

    static func tokenize(_ text: String) throws(TemplateError) -> [TemplateToken] {
        var lexer = TemplateLexer(normalizing: text)
        try lexer.run()
        return lexer.tokens
    }

    private init(normalizing text: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let c = pending {
            pending = iterator.next()
            if c == "\r" {
                scalars.append("\n")
                if pending == "\n" { pending = iterator.next() }
            } else {
                scalars.append(c)
            }
        }
        if scalars.last == "\n" { scalars.removeLast() }
        source = scalars
        var starts = [0]
        for (i, c) in scalars.enumerated() where c == "\n" { starts.append(i + 1) }
        lineStarts = starts
    }

    func location(_ offset: Int) -> TemplateLocation {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return TemplateLocation(line: low + 1, column: offset - lineStarts[low] + 1)
    }

    func syntaxError(_ message: String, at offset: Int) -> TemplateError {
        .syntax(message: message, location: location(offset))
    }

    func scalar(at offset: Int) -> Unicode.Scalar? {
        offset < source.count ? source[offset] : nil
    }

    func matches(_ text: String, at offset: Int) -> Bool {
        var i = offset
        for c in text.unicodeScalars {
            guard i < source.count, source[i] == c else { return false }
            i += 1
        }
        return true
    }

    func skipSpaces(from offset: Int) -> Int {
        var i = offset
        while i < source.count, PythonString.isSpace(source[i]) { i += 1 }
        return i
    }

    mutating func emit(_ kind: TemplateToken.Kind, at offset: Int) {
        tokens.append(TemplateToken(kind: kind, location: location(offset)))
    }

    // MARK: Text and tag openings

    private mutating func run() throws(TemplateError) {
        while position < source.count {
            guard let open = nextTagOpening(from: position) else {
                emitText(position, source.count)
                break
            }
            let sign = scalar(at: open + 2)
            let hasSign = sign == "-" || sign == "+"
            let second = source[open + 1]
            if second == "%", let raw = rawBlockOpening(at: open) {
                emitText(position, strippedTextEnd(position, open, sign: sign, isVariable: false))
                try lexRaw(from: raw, openedAt: open)
                continue
            }
            emitText(position, strippedTextEnd(position, open, sign: sign, isVariable: second == "{"))
            let contentStart = open + 2 + (hasSign ? 1 : 0)
            switch second {
            case "{":
                emit(.variableBegin, at: open)
                position = contentStart
                try lexTag(.variable, openedAt: open)
            case "%":
                emit(.blockBegin, at: open)
                position = contentStart
                try lexTag(.block, openedAt: open)
            default:
                try skipComment(from: contentStart, openedAt: open)
            }
        }
        emit(.end, at: source.count)
    }

    private func nextTagOpening(from start: Int) -> Int? {
        var i = start
        while i + 1 < source.count {
            if source[i] == "{" {
                let next = source[i + 1]
                if next == "{" || next == "%" || next == "#" { return i }
            }
            i += 1
        }
        return nil
    }

    private mutating func emitText(_ start: Int, _ end: Int) {
        guard end > start else { return }
        emit(.text(String(String.UnicodeScalarView(source[start..<end]))), at: start)
    }

    /// Where the text before a tag ends once whitespace control is applied:
    /// `-` strips all whitespace; otherwise lstrip_blocks strips a block or
    /// comment tag's indentation when only whitespace precedes it on its line.
    private func strippedTextEnd(_ start: Int, _ end: Int, sign: Unicode.Scalar?, isVariable: Bool) -> Int {
        if sign == "-" {
            var i = end
            while i > start, PythonString.isSpace(source[i - 1]) { i -= 1 }
            return i
        }
        guard sign != "+", !isVariable else { return end }
        var lineStart = end
        while lineStart > start, source[lineStart - 1] != "\n" { lineStart -= 1 }
        guard lineStart > start || lineStarting else { return end }
        guard lineStart < end else { return end }
        for i in lineStart..<end where !PythonString.isSpace(source[i]) { return end }
        return lineStart
    }

    // MARK: Comments and raw blocks

    private mutating func skipComment(from bodyStart: Int, openedAt open: Int) throws(TemplateError) {
        var close = bodyStart
        while true {
            guard close + 1 < source.count else { throw syntaxError("missing end of comment tag '#}'", at: open) }
            if source[close] == "#", source[close + 1] == "}" { break }
            close += 1
        }
        let sign: Unicode.Scalar? = close > bodyStart ? source[close - 1] : nil
        finishTag(afterClose: close + 2, sign: sign)
    }

    /// After a block or comment closes: `-` eats the following whitespace,
    /// `+` keeps it, and otherwise trim_blocks drops one newline.
    mutating func finishTag(afterClose: Int, sign: Unicode.Scalar?) {
        var end = afterClose
        if sign == "-" {
            end = skipSpaces(from: end)
        } else if sign != "+", scalar(at: end) == "\n" {
            end += 1
        }
        lineStarting = end > 0 && source[end - 1] == "\n"
        position = end
    }

    /// `{% raw %}` (with optional whitespace control): returns where the raw
    /// text starts. Jinja does not trim the newline after this tag.
    private func rawBlockOpening(at open: Int) -> Int? {
        var i = open + 2
        if scalar(at: i) == "-" || scalar(at: i) == "+" { i += 1 }
        i = skipSpaces(from: i)
        guard matches("raw", at: i) else { return nil }
        i = skipSpaces(from: i + 3)
        if matches("-%}", at: i) { return skipSpaces(from: i + 3) }
        if matches("%}", at: i) { return i + 2 }
        return nil
    }

    private mutating func lexRaw(from bodyStart: Int, openedAt open: Int) throws(TemplateError) {
        var i = bodyStart
        while let tag = nextTagOpening(from: i) {
            i = tag + 1
            guard source[tag + 1] == "%" else { continue }
            var j = tag + 2
            let sign = scalar(at: j)
            if sign == "-" || sign == "+" { j += 1 }
            j = skipSpaces(from: j)
            guard matches("endraw", at: j) else { continue }
            j = skipSpaces(from: j + 6)
            let closeSign: Unicode.Scalar?
            if matches("+%}", at: j) || matches("-%}", at: j) {
                closeSign = source[j]
                j += 3
            } else if matches("%}", at: j) {
                closeSign = nil
                j += 2
            } else {
                continue
            }
            emitText(bodyStart, strippedTextEnd(bodyStart, tag, sign: sign, isVariable: false))
            finishTag(afterClose: j, sign: closeSign)
            return
        }
        throw syntaxError("missing '{% endraw %}' for this raw block", at: open)
    }
}

