import Foundation

/// The functions transformers' environment provides to every template:
/// Jinja's `range`, `dict` and `namespace`, and transformers'
/// `raise_exception` and `strftime_now`. A context entry of the same name
/// takes precedence.
enum GlobalFunction: Sendable {
    case range, namespace, dict, raiseException, strftimeNow
    /// `loop.cycle(a, b, …)` for the iteration with this zero-based index.
    case loopCycle(index: Int)

    static let byName: [String: GlobalFunction] = [
        "range": .range, "namespace": .namespace, "dict": .dict,
        "raise_exception": .raiseException, "strftime_now": .strftimeNow,
    ]

    /// Jinja's sandbox refuses ranges longer than this.
    private static let maximumRange = 100_000

    var name: String {
        switch self {
        case .range: return "range"
        case .namespace: return "namespace"
        case .dict: return "dict"
        case .raiseException: return "raise_exception"
        case .strftimeNow: return "strftime_now"
        case .loopCycle: return "cycle"
        }
    }

    func call(_ arguments: TemplateArguments) throws(ValueError) -> TemplateValue {
        switch self {
        case .range:
            guard arguments.keyword.isEmpty else { throw ValueError("range() takes no keyword arguments") }
            var bounds: [Int] = []
            for value in arguments.positional {
                guard case let .int(n)? = value.number else {
                    throw ValueError("'\(value.typeName)' object cannot be interpreted as an integer")
                }
                bounds.append(n)
            }
            let (start, stop, step): (Int, Int, Int)
            switch bounds.count {
            case 1: (start, stop, step) = (0, bounds[0], 1)
            case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
            case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
            default: throw ValueError("range expected 1 to 3 arguments, got \(bounds.count)")
            }
            guard step != 0 else { throw ValueError("range() arg 3 must not be zero") }
            let values = Swift.stride(from: start, to: stop, by: step)
            guard values.underestimatedCount <= Self.maximumRange else {
                throw ValueError("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).")
            }
            return .array(values.map { .int($0) })
        case .namespace, .dict:
            let attributes = try Self.dictionary(arguments, callee: name)
            if case .dict = self { return .object(attributes) }
            for key in attributes.stringKeys where key.hasPrefix("_") {
                throw ValueError("Chat templates cannot store underscore-prefixed attributes on a namespace, but got '\(key)'")
            }
            return .namespace(TemplateNamespace(attributes))
        case .raiseException:
            let message = try BoundArguments(arguments, ["message"], callee: name).required(0)
            var error = ValueError(message.pythonString)
            error.raised = true
            throw error
        case .strftimeNow:
            guard let format = try BoundArguments(arguments, ["format"], callee: name).string(0) else {
                throw ValueError("strftime_now() needs a format string")
            }
            return .string(Strftime.format(format, date: Date(), timeZone: .current))
        case let .loopCycle(index):
            guard !arguments.positional.isEmpty else { throw ValueError("no items for cycling given") }
            return arguments.positional[index % arguments.positional.count]
        }
    }

    /// `dict(mapping_or_pairs, **kwargs)`, the arguments `namespace()` takes too.
    private static func dictionary(_ arguments: TemplateArguments, callee: String) throws(ValueError) -> TemplateObject {
        guard arguments.positional.count <= 1 else {
            throw ValueError("\(callee) expected at most 1 positional argument, got \(arguments.positional.count)")
        }
        var result = TemplateObject()
        if let source = arguments.positional.first {
            switch source {
            case .undefined:
                throw ValueError(TemplateValue.undefinedMessage)
            case let .object(object):
                result = object
            case let .namespace(namespace):
                result = namespace.attributes
            default:
                for pair in try source.iterated() {
                    let items = try pair.iterated()
                    guard items.count == 2, TemplateObject.isHashable(items[0]) else {
                        throw ValueError("\(callee): expected (key, value) pairs with hashable keys")
                    }
                    result[key: items[0]] = items[1]
                }
            }
        }
        for (key, value) in zip(arguments.keyword.keys, arguments.keyword.values) { result[key: key] = value }
        return result
    }
}
