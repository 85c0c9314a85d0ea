/// Which names a piece of template reads, so that a loop only builds its
/// `loop` variable when the body uses it.
extension Expression {
    func reads(_ name: String) -> Bool {
        switch kind {
        case .literal: return false
        case let .name(found): return found == name
        case let .list(items), let .tuple(items), let .concat(items): return items.contains { $0.reads(name) }
        case let .dict(entries): return entries.contains { $0.key.reads(name) || $0.value.reads(name) }
        case let .attribute(base, _): return base.reads(name)
        case let .item(base, key): return base.reads(name) || key.reads(name)
        case let .slice(base, start, stop, step):
            return base.reads(name) || [start, stop, step].contains { $0?.reads(name) ?? false }
        case let .call(callee, arguments): return callee.reads(name) || arguments.reads(name)
        case let .filter(base, _, arguments), let .test(base, _, arguments, _),
             let .unknownFilter(base, _, arguments), let .unknownTest(base, _, arguments):
            return base.reads(name) || arguments.reads(name)
        case let .negate(operand), let .plus(operand), let .not(operand): return operand.reads(name)
        case let .binary(_, left, right), let .and(left, right), let .or(left, right):
            return left.reads(name) || right.reads(name)
        case let .compare(first, operations): return first.reads(name) || operations.contains { $0.1.reads(name) }
        case let .conditional(condition, then, otherwise):
            return condition.reads(name) || then.reads(name) || (otherwise?.reads(name) ?? false)
        }
    }
}

extension CallArguments {
    func reads(_ name: String) -> Bool {
        positional.contains { $0.reads(name) } || keyword.contains { $0.value.reads(name) }
            || (splat?.reads(name) ?? false) || (keywordSplat?.reads(name) ?? false)
    }
}

extension TemplateNode {
    /// Whether the node reads `name`. `throughLoops: false` skips nested loop
    /// bodies, which bind their own `loop`; macro bodies have their own scope.
    func reads(_ name: String, throughLoops: Bool) -> Bool {
        switch self {
        case .text, .breakLoop, .continueLoop, .macro: return false
        case let .output(expression): return expression.reads(name)
        case let .ifChain(branches, otherwise):
            return branches.contains { $0.condition.reads(name) || $0.body.reads(name, throughLoops: throughLoops) }
                || otherwise.reads(name, throughLoops: throughLoops)
        case let .forLoop(inner):
            return inner.iterable.reads(name) || inner.otherwise.reads(name, throughLoops: throughLoops)
                || (throughLoops && (inner.body.reads(name, throughLoops: true) || (inner.condition?.reads(name) ?? false)))
        case let .set(_, expression, _): return expression.reads(name)
        case let .setBlock(_, filters, body, _), let .filterBlock(filters, body):
            return filters.contains { $0.1.reads(name) } || body.reads(name, throughLoops: throughLoops)
        case let .with(assignments, body):
            return assignments.contains { $0.1.reads(name) } || body.reads(name, throughLoops: throughLoops)
        case let .callBlock(callee, arguments, caller, _):
            return callee.reads(name) || arguments.reads(name) || caller.body.reads(name, throughLoops: throughLoops)
        }
    }
}

extension Array where Element == TemplateNode {
    func reads(_ name: String, throughLoops: Bool) -> Bool { contains { $0.reads(name, throughLoops: throughLoops) } }

    /// Whether a loop body reads its own `loop` variable.
    var readsEnclosingLoop: Bool { reads("loop", throughLoops: false) }
}
