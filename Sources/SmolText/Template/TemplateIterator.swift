import Synchronization

/// A one-shot sequence, as Jinja's `map`, `select`, `reject`,
/// `selectattr`, `rejectattr`, `unique` and `items` filters (generators) and
/// `reverse` of a list (a reverse iterator) return it.
///
/// Python semantics follow: it is always true (even when empty), has no
/// length, cannot be indexed or serialised, and iterating it consumes it —
/// a second loop over the same iterator sees nothing. Templates usually
/// write `| list` to get a list.
public final class TemplateIterator: Sendable {
    /// Python's type name: `generator` or `list_reverseiterator`.
    public let typeName: String
    private let state: Mutex<(items: [TemplateValue], position: Int)>

    init(_ items: [TemplateValue], typeName: String = "generator") {
        self.typeName = typeName
        state = Mutex((items, 0))
    }

    /// Everything not consumed yet, consuming it.
    func drain() -> [TemplateValue] {
        state.withLock { state in
            defer { state.position = state.items.count }
            return Array(state.items[state.position...])
        }
    }

    /// The next item, consuming it.
    func next() -> TemplateValue? {
        state.withLock { state in
            guard state.position < state.items.count else { return nil }
            defer { state.position += 1 }
            return state.items[state.position]
        }
    }
}
