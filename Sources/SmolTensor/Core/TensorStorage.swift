/// The bytes behind one or more tensors: memory we allocated, or a read-only
/// slice of a memory-mapped weight file that must outlive every view of it.
@usableFromInline
final class TensorStorage: @unchecked Sendable {
    /// Start of the bytes. Writable only when `isOwned`.
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let byteCount: Int
    /// Keeps a mapped file (or other foreign owner) alive; nil for owned memory.
    let keepAlive: AnyObject?

    @usableFromInline var isOwned: Bool { keepAlive == nil }
    /// The allocation behind owned storage (page-mapped when large), nil for borrowed bytes.
    private let owned: LargeBuffer?

    /// Allocates `byteCount` bytes, zero-filled when `zeroed`.
    init(byteCount: Int, zeroed: Bool) {
        let buffer = LargeBuffer(byteCount: byteCount)
        self.byteCount = byteCount
        self.base = buffer.pointer
        self.keepAlive = nil
        owned = buffer
        // Fresh pages already read as zero.
        if zeroed && !buffer.isPageMapped { base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount) }
    }

    /// Wraps foreign bytes that `owner` keeps valid and never mutates.
    init(borrowing base: UnsafeRawPointer, byteCount: Int, owner: AnyObject) {
        self.base = UnsafeMutableRawPointer(mutating: base)
        self.byteCount = byteCount
        self.keepAlive = owner
        owned = nil
    }

    deinit { owned?.deallocate() }
}
