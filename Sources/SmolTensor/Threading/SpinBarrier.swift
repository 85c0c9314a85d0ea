import CSmolMatVec

/// A reusable barrier for the members of one ``ThreadPool/parallelTeam(_:)`` call:
/// `wait()` returns once `count` threads have called it. Waiters spin (the
/// others are normally microseconds away), then yield the CPU.
package final class SpinBarrier: @unchecked Sendable {
    private let barrier: OpaquePointer
    /// Threads the barrier waits for.
    package let count: Int

    package init(count: Int) {
        guard let created = smol_barrier_create(Int32(count)) else { fatalError("out of memory for a barrier") }
        barrier = created
        self.count = count
    }

    deinit { smol_barrier_destroy(barrier) }

    @inline(__always)
    package func wait() { smol_barrier_wait(barrier) }
}
