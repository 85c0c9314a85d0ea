#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// Drops this tensor's pages of a mapped weight file from memory (the whole
    /// pages inside its bytes). Reading the tensor again maps them back in from the
    /// file, so this is always safe; it keeps the resident size down after a
    /// mapped tensor has been converted to another format and is no longer read.
    /// Does nothing for tensors that own their memory.
    package func releaseMappedPages() {
        guard isMapped, byteCount > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let start = Int(bitPattern: storage.base + byteOffset)
        let first = (start + page - 1) / page * page
        let end = (start + byteCount) / page * page
        guard end > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(pointer, end - first, Int32(MADV_DONTNEED))
    }
}
