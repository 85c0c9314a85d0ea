import CSmolGEMM
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Large buffers as whole pages from the kernel, given back when released.
///
/// Through malloc, the large short-lived activations of an encoder pass stayed in
/// the heap after they were freed (glibc raises its mmap threshold as such blocks
/// are freed, so the next ones come from the heap and fragment it), adding ~200 MB
/// to the peak resident size of a photo's prompt. Fresh pages also read as zero.
package enum PageAllocation {
    /// Buffers from this size on are page-mapped.
    package static let minimumByteCount = 1 << 20

    /// Zero-filled, page-aligned memory, or nil when `byteCount` is below
    /// ``minimumByteCount`` or the kernel refuses (use the allocator then).
    package static func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
        guard byteCount >= minimumByteCount else { return nil }
        guard let pages = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              pages != MAP_FAILED else { return nil }
        return pages
    }

    /// Releases memory from ``allocate(byteCount:)`` with the same `byteCount`.
    package static func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        munmap(pointer, byteCount)
    }
}

/// Memory of any size, 64-byte aligned: page-mapped when large (``PageAllocation``,
/// zero-filled), from the allocator and uninitialized otherwise.
package struct LargeBuffer {
    /// A cache line, and enough for AVX-512 loads.
    package static let alignment = 64

    package let pointer: UnsafeMutableRawPointer
    package let byteCount: Int
    /// Whether the memory came from ``PageAllocation`` (and so started out zero).
    package let isPageMapped: Bool

    package init(byteCount: Int) {
        self.byteCount = byteCount
        if let pages = PageAllocation.allocate(byteCount: byteCount) {
            (pointer, isPageMapped) = (pages, true)
        } else {
            (pointer, isPageMapped) = (UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: Self.alignment), false)
        }
    }

    package func deallocate() {
        if isPageMapped { PageAllocation.deallocate(pointer, byteCount: byteCount) } else { pointer.deallocate() }
    }
}

extension PageAllocation {
    /// Gives the allocator's free memory back to the system (glibc's `malloc_trim`;
    /// nothing with other C libraries). Called after a stage that freed many medium-sized
    /// buffers, so the next stage's peak does not sit on top of them.
    package static func returnFreedMemory() {
        smol_return_freed_memory()
    }
}
