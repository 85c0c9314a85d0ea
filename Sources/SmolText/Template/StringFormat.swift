import Foundation

/// Python's `str.format`: `{}`, `{0}`, `{name}`, `{{`/`}}`, conversions
/// `!s`/`!r`, and the common format specs — fill, alignment `< > ^`, width,
/// `.precision` with types `f`, `e`, `g`, `%`, `d`, `s`.
enum StringFormat {
    static func format(_ template: String, _ arguments: TemplateArguments) throws(ValueError) -> String {
        let scalars = Array(template.unicodeScalars)
        var output = ""
        var automatic = 0
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "}" {
                guard i + 1 < scalars.count, scalars[i + 1] == "}" else {
                    throw ValueError("Single '}' encountered in format string")
                }
                output += "}"
                i += 2
                continue
            }
            guard c == "{" else {
                output.unicodeScalars.append(c)
                i += 1
                continue
            }
            if i + 1 < scalars.count, scalars[i + 1] == "{" {
                output += "{"
                i += 2
                continue
            }
            guard let close = scalars[i...].firstIndex(of: "}") else {
                throw ValueError("Single '{' encountered in format string")
            }
            let field = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
            i = close + 1
            var name = field, spec = "", conversion: Character?
            if let colon = name.firstIndex(of: ":") {
                spec = String(name[name.index(after: colon)...])
                name = String(name[..<colon])
            }
            if let bang = name.firstIndex(of: "!") {
                conversion = name[name.index(after: bang)...].first
                name = String(name[..<bang])
            }
            let value: TemplateValue
            if name.isEmpty {
                guard automatic < arguments.positional.count else {
                    throw ValueError("Replacement index \(automatic) out of range for positional args tuple")
                }
                value = arguments.positional[automatic]
                automatic += 1
            } else if let index = Int(name) {
                guard index >= 0, index < arguments.positional.count else {
                    throw ValueError("Replacement index \(index) out of range for positional args tuple")
                }
                value = arguments.positional[index]
            } else {
                guard let found = arguments.keyword[name] else { throw ValueError("KeyError: '\(name)'") }
                value = found
            }
            let text = conversion == "r" ? TemplateValue.string(value.pythonRepr) : value
            output += try apply(spec, to: text)
        }
        return output
    }

    private static func apply(_ spec: String, to value: TemplateValue) throws(ValueError) -> String {
        guard !spec.isEmpty else { return value.pythonString }
        var s = Array(spec.unicodeScalars)
        var fill: Unicode.Scalar = " "
        var align: Unicode.Scalar?
        if s.count >= 2, "<>^".unicodeScalars.contains(s[1]) {
            fill = s[0]
            align = s[1]
            s.removeFirst(2)
        } else if let first = s.first, "<>^".unicodeScalars.contains(first) {
            align = first
            s.removeFirst()
        }
        var width = 0
        while let first = s.first, first.isASCII, let digit = Int(String(first)) {
            width = width * 10 + digit
            s.removeFirst()
        }
        var precision: Int?
        if s.first == "." {
            s.removeFirst()
            var p = 0
            while let first = s.first, first.isASCII, let digit = Int(String(first)) {
                p = p * 10 + digit
                s.removeFirst()
            }
            precision = p
        }
        guard s.count <= 1 else { throw ValueError("unsupported format spec '\(spec)'") }
        let type = s.first
        var text: String
        switch (type, value.number) {
        case (nil, _) where value.stringValue != nil, ("s", _):
            text = value.pythonString
            if let precision { text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision))) }
        case let ("d", .int(n)?):
            text = String(n)
        case let (type?, number?) where "fFeEgG%".unicodeScalars.contains(type):
            let d = number.asDouble * (type == "%" ? 100 : 1)
            let conversion = type == "%" ? "f" : String(type)
            text = String(format: "%.\(precision ?? 6)\(conversion)", d) + (type == "%" ? "%" : "")
        case (nil, let number?):
            if let precision {
                text = String(format: "%.\(precision)g", number.asDouble)
            } else {
                text = value.pythonString
            }
        default:
            throw ValueError("unsupported format spec '\(spec)' for \(value.typeName)")
        }
        let padding = width - text.unicodeScalars.count
        guard padding > 0 else { return text }
        let pad = { (n: Int) in String(repeating: String(fill), count: n) }
        switch align ?? (value.number != nil ? ">" : "<") {
        case "<": return text + pad(padding)
        case ">": return pad(padding) + text
        default: return pad(padding / 2) + text + pad(padding - padding / 2)
        }
    }
}
