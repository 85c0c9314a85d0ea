import Foundation

/// Python's printf-style `format % values` (and Jinja's `format` filter):
/// `%s %r %d %i %f %e %g %x %o %c %%`, with flags, width, precision and
/// `%(name)s` keys. A tuple on the right supplies one value per conversion.
enum PrintfFormat {
    static func format(_ format: String, _ arguments: TemplateValue) throws(ValueError) -> String {
        let scalars = Array(format.unicodeScalars)
        var positional: [TemplateValue]
        var mapping: TemplateObject?
        switch arguments {
        case let .tuple(values): positional = values
        case let .object(object):
            mapping = object
            positional = [arguments]
        default: positional = [arguments]
        }
        // Python treats any indexable right operand that is not a tuple or a
        // string (a list, a dict) as a mapping, which lifts the check that
        // every value was used.
        let lenient = mapping != nil || arguments.arrayValue != nil || arguments.isUndefined
        var nextArgument = 0
        var output = String.UnicodeScalarView()
        var i = 0
        func take() throws(ValueError) -> TemplateValue {
            guard nextArgument < positional.count else {
                throw ValueError("not enough arguments for format string")
            }
            defer { nextArgument += 1 }
            return positional[nextArgument]
        }
        while i < scalars.count {
            let c = scalars[i]
            guard c == "%" else {
                output.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < scalars.count else { throw ValueError("incomplete format") }
            var value: TemplateValue?
            if scalars[i] == "(" {
                guard let close = scalars[i...].firstIndex(of: ")") else { throw ValueError("incomplete format key") }
                let key = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                guard let mapping else { throw ValueError("format requires a mapping") }
                guard let found = mapping[key] else { throw ValueError("KeyError: '\(key)'") }
                value = found
                i = close + 1
            }
            var flags = Set<Unicode.Scalar>()
            while i < scalars.count, "-+ #0".unicodeScalars.contains(scalars[i]) {
                flags.insert(scalars[i])
                i += 1
            }
            var width = 0
            if i < scalars.count, scalars[i] == "*" {
                guard case let .int(n)? = try take().number else { throw ValueError("* wants int") }
                width = n
                i += 1
            } else {
                while i < scalars.count, let digit = Int(String(scalars[i])), scalars[i].isASCII {
                    width = width * 10 + digit
                    i += 1
                }
            }
            var precision: Int?
            if i < scalars.count, scalars[i] == "." {
                i += 1
                var p = 0
                while i < scalars.count, let digit = Int(String(scalars[i])), scalars[i].isASCII {
                    p = p * 10 + digit
                    i += 1
                }
                precision = p
            }
            guard i < scalars.count else { throw ValueError("incomplete format") }
            let conversion = scalars[i]
            i += 1
            if conversion == "%" {
                output.append("%")
                continue
            }
            let argument: TemplateValue
            if let value { argument = value } else { argument = try take() }
            var text = try convert(argument, conversion, flags: flags, precision: precision)
            let length = text.unicodeScalars.count
            if width > length {
                let padding = width - length
                if flags.contains("-") {
                    text += String(repeating: " ", count: padding)
                } else if flags.contains("0"), "diouxXeEfFgG".unicodeScalars.contains(conversion) {
                    let signed = text.hasPrefix("-") || text.hasPrefix("+") || text.hasPrefix(" ")
                    let sign = signed ? String(text.removeFirst()) : ""
                    text = sign + String(repeating: "0", count: padding) + text
                } else {
                    text = String(repeating: " ", count: padding) + text
                }
            }
            output.append(contentsOf: text.unicodeScalars)
        }
        if !lenient, nextArgument < positional.count {
            throw ValueError("not all arguments converted during string formatting")
        }
        return String(output)
    }

    private static func convert(
        _ value: TemplateValue, _ conversion: Unicode.Scalar, flags: Set<Unicode.Scalar>, precision: Int?
    ) throws(ValueError) -> String {
        func signed(_ text: String, negative: Bool) -> String {
            if negative { return text }
            if flags.contains("+") { return "+" + text }
            if flags.contains(" ") { return " " + text }
            return text
        }
        switch conversion {
        case "s":
            let text = value.pythonString
            return precision.map { String(String.UnicodeScalarView(text.unicodeScalars.prefix($0))) } ?? text
        case "r", "a":
            return value.pythonRepr
        case "d", "i", "u", "x", "X", "o":
            let integer: Int
            switch value.number {
            case let .int(n)?: integer = n
            case let .double(d)?:
                guard d.isFinite, let truncated = Int(exactly: d.rounded(.towardZero)) else {
                    throw ValueError("cannot convert float to integer")
                }
                integer = truncated
            case nil: throw ValueError("%\(conversion) format: a real number is required, not \(value.typeName)")
            }
            let radix = conversion == "x" || conversion == "X" ? 16 : conversion == "o" ? 8 : 10
            var digits = String(integer.magnitude, radix: radix, uppercase: conversion == "X")
            if flags.contains("#"), radix != 10 { digits = (radix == 16 ? "0\(conversion)" : "0o") + digits }
            return signed((integer < 0 ? "-" : "") + digits, negative: integer < 0)
        case "f", "F", "e", "E", "g", "G":
            guard let number = value.number else {
                throw ValueError("must be real number, not \(value.typeName)")
            }
            let d = number.asDouble
            let text = String(format: "%\(flags.contains("#") ? "#" : "").\(precision ?? 6)\(conversion)", d)
            return signed(text, negative: text.hasPrefix("-"))
        case "c":
            if case let .string(s) = value, s.unicodeScalars.count == 1 { return s }
            if case let .int(n)? = value.number, let scalar = Unicode.Scalar(UInt32(clamping: max(n, 0))) {
                return String(scalar)
            }
            throw ValueError("%c requires an int or a single character")
        default:
            throw ValueError("unsupported format character '\(conversion)'")
        }
    }
}
