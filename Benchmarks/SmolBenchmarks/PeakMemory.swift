#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's peak resident set size so far, in bytes (`getrusage`'s `ru_maxrss`:
/// kilobytes on Linux, bytes on Apple platforms).
func peakResidentBytes() -> Int {
    var usage = rusage()
    #if canImport(Darwin)
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss)
    #else
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }  // Glibc imports the enum, not its Int32
    return Int(usage.ru_maxrss) * 1024
    #endif
}
