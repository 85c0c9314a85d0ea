import Synchronization

/// The arguments of a call from a template: `f(1, 'a', key=value)`.
public struct TemplateArguments: Sendable {
    /// The positional arguments, in order.
    public var positional: [TemplateValue]
    /// The keyword arguments, in the order written.
    public var keyword: TemplateObject

    /// Arguments for calling a function directly (in tests, for instance).
    public init(positional: [TemplateValue] = [], keyword: TemplateObject = TemplateObject()) {
        self.positional = positional
        self.keyword = keyword
    }
}

/// A function a template can call. Put one in the render context to provide
/// or override a global, e.g. a fixed-date `strftime_now`.
public struct TemplateFunction: Sendable {
    /// The name it reports in messages and `repr`.
    public let name: String
    let kind: Kind

    indirect enum Kind: Sendable {
        case native(@Sendable (TemplateArguments) throws(TemplateError) -> TemplateValue)
        case global(GlobalFunction)
        case method(receiver: TemplateValue, name: String)
        case macro(Macro)
        /// The body of a `{% call %}` block, run over the names visible where
        /// the block is.
        case caller(Macro, captured: [(name: String, value: TemplateValue)])
    }

    /// A function implemented in Swift. Errors it throws reach the caller of
    /// `render` unchanged.
    public init(
        name: String,
        _ body: @escaping @Sendable (_ arguments: TemplateArguments) throws(TemplateError) -> TemplateValue
    ) {
        self.name = name
        self.kind = .native(body)
    }

    init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// The object `namespace(...)` returns: attributes that `{% set ns.x = … %}`
/// can change from inside a loop, where plain `set` would only bind a
/// loop-local name.
///
/// Namespaces are made while rendering and shared by reference, as in Python.
public final class TemplateNamespace: Sendable {
    private let storage: Mutex<TemplateObject>

    init(_ attributes: TemplateObject) {
        storage = Mutex(attributes)
    }

    /// The attributes as they are now.
    public var attributes: TemplateObject {
        storage.withLock { $0 }
    }

    subscript(name: String) -> TemplateValue? {
        storage.withLock { $0[name] }
    }

    func set(_ name: String, to value: TemplateValue) {
        storage.withLock { $0[name] = value }
    }
}
