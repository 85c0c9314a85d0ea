/// Jinja's compile-time check for unknown filters and tests: an unknown
/// name fails the compile, except inside an `if` statement or a conditional
/// expression (a "soft" frame), where it only fails if it runs — templates
/// guard optional filters that way. Loops, macros, set, filter and with
/// blocks open a fresh frame, where the check applies again.
extension TemplateParser {
    static func checkFiltersAndTests(_ expression: Expression, soft: Bool) throws(TemplateError) {
        switch expression.kind {
        case .literal, .name:
            return
        case let .unknownFilter(base, name, arguments):
            if !soft { throw .unknownFilter(name: name, location: expression.location) }
            try checkFiltersAndTests(base, soft: soft)
            try check(arguments, soft: soft)
        case let .unknownTest(base, name, arguments):
            try checkFiltersAndTests(base, soft: soft)
            if !soft { throw .unknownTest(name: name, location: expression.location) }
            try check(arguments, soft: soft)
        case let .list(items), let .tuple(items), let .concat(items):
            for item in items { try checkFiltersAndTests(item, soft: soft) }
        case let .dict(entries):
            for entry in entries {
                try checkFiltersAndTests(entry.key, soft: soft)
                try checkFiltersAndTests(entry.value, soft: soft)
            }
        case let .attribute(base, _), let .negate(base), let .plus(base), let .not(base):
            try checkFiltersAndTests(base, soft: soft)
        case let .item(base, key):
            try checkFiltersAndTests(base, soft: soft)
            try checkFiltersAndTests(key, soft: soft)
        case let .slice(base, start, stop, step):
            try checkFiltersAndTests(base, soft: soft)
            for part in [start, stop, step] {
                if let part { try checkFiltersAndTests(part, soft: soft) }
            }
        case let .call(callee, arguments):
            try checkFiltersAndTests(callee, soft: soft)
            try check(arguments, soft: soft)
        case let .filter(base, _, arguments), let .test(base, _, arguments, _):
            try checkFiltersAndTests(base, soft: soft)
            try check(arguments, soft: soft)
        case let .binary(_, left, right), let .and(left, right), let .or(left, right):
            try checkFiltersAndTests(left, soft: soft)
            try checkFiltersAndTests(right, soft: soft)
        case let .compare(first, operations):
            try checkFiltersAndTests(first, soft: soft)
            for (_, operand) in operations { try checkFiltersAndTests(operand, soft: soft) }
        case let .conditional(condition, then, otherwise):
            try checkFiltersAndTests(then, soft: true)
            try checkFiltersAndTests(condition, soft: true)
            if let otherwise { try checkFiltersAndTests(otherwise, soft: true) }
        }
    }

    private static func check(_ arguments: CallArguments, soft: Bool) throws(TemplateError) {
        for argument in arguments.positional { try checkFiltersAndTests(argument, soft: soft) }
        for argument in arguments.keyword { try checkFiltersAndTests(argument.value, soft: soft) }
        if let splat = arguments.splat { try checkFiltersAndTests(splat, soft: soft) }
        if let keywordSplat = arguments.keywordSplat { try checkFiltersAndTests(keywordSplat, soft: soft) }
    }
}
