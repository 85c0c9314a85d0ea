/// The bytes behind one or more tensors: memory we allocated, or a read-only
/// slice of a memory-mapped weight file that must outlive every view of it.
@usableFromInline
final class TensorStorage: @unchecked Sendable {
    /// Start of the bytes. Writable only when `isOwned`.
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let byteCount: Int
    /// Keeps a mapped file (or other foreign owner) alive; nil for owned memory.
    let keepAlive: AnyObject?

    /// Alignment of owned allocations: a cache line, and enough for AVX-512 loads.
    static let alignment = 64

    @usableFromInline var isOwned: Bool { keepAlive == nil }
    /// Whether `base` came from `mmap` (else from the allocator), for owned memory.
    private let isPageMapped: Bool

    /// Allocates `byteCount` bytes, zero-filled when `zeroed`.
    init(byteCount: Int, zeroed: Bool) {
        self.byteCount = byteCount
        self.keepAlive = nil
        if let pages = PageAllocation.allocate(byteCount: byteCount) {
            // Fresh anonymous pages read as zero: `zeroed` costs nothing here.
            self.base = pages
            isPageMapped = true
            return
        }
        self.base = UnsafeMutableRawPointer.allocate(
            byteCount: max(byteCount, 1), alignment: TensorStorage.alignment)
        isPageMapped = false
        if zeroed { base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount) }
    }

    /// Wraps foreign bytes that `owner` keeps valid and never mutates.
    init(borrowing base: UnsafeRawPointer, byteCount: Int, owner: AnyObject) {
        self.base = UnsafeMutableRawPointer(mutating: base)
        self.byteCount = byteCount
        self.keepAlive = owner
        isPageMapped = false
    }

    deinit {
        guard keepAlive == nil else { return }
        if isPageMapped { PageAllocation.deallocate(base, byteCount: byteCount) } else { base.deallocate() }
    }
}
