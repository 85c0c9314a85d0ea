#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A fixed set of worker threads that run data-parallel loops for the kernels.
///
/// One pool is shared by every kernel (``ThreadPool/shared``). BLAS is given the
/// same thread count, and BLAS is only ever called from outside a pool loop, so
/// the two never run at once and never oversubscribe the cores.
public final class ThreadPool: @unchecked Sendable {
    /// Threads that run a loop, counting the calling thread.
    public let threadCount: Int

    private let state: PoolState
    private let workerCount: Int

    /// A pool of `threadCount` threads (the caller plus `threadCount - 1` workers).
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        workerCount = self.threadCount - 1
        state = PoolState()
        for index in 0..<workerCount {
            // Workers hold the state, not the pool, so the pool's deinit can stop them.
            let thread = Thread { [state] in state.workerLoop() }
            thread.name = "smolvlm-worker-\(index + 1)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit { state.shutDown() }

    /// Calls `body(i)` for every `i` in `0..<count`, spread over the pool's threads,
    /// and returns when all calls have finished. A nested call runs serially.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        guard count > 1, workerCount > 0,
              state.busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for i in 0..<count { body(i) }
            return
        }
        defer { state.busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { escapable in
            state.run(escapable, count: count)
        }
    }

    /// Splits `0..<count` into about one contiguous range per thread (each at least
    /// `minimumChunk` long) and calls `body` on each range in parallel.
    public func parallelChunks(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = max(1, min(threadCount, count / max(minimumChunk, 1)))
        if chunks == 1 { body(0..<count); return }
        parallelFor(chunks) { chunk in
            let start = count * chunk / chunks
            let end = count * (chunk + 1) / chunks
            body(start..<end)
        }
    }
}

/// What the pool's caller and workers share.
///
/// The caller never waits for a worker that has not started: tasks are claimed
/// from a counter, the caller claims whatever is left, and it waits only for
/// claimed tasks to complete. A worker that wakes after the job is closed skips
/// it. On a busy machine (more runnable threads than cores) a loop therefore
/// costs no scheduling latency beyond the work itself.
private final class PoolState: @unchecked Sendable {
    let condition = NSCondition()
    var generation = 0
    var shuttingDown = false
    /// The current job and its task count; set and cleared under `condition`.
    var job: ((Int) -> Void)?
    var taskCount = 0
    let nextTask = Atomic<Int>(0)
    let completed = Atomic<Int>(0)
    /// `openBit` while the job accepts workers, plus the number of workers inside it.
    let entry = Atomic<Int>(0)
    static let openBit = 1 << 40
    let busy = Atomic<Bool>(false)

    func run(_ body: @escaping (Int) -> Void, count: Int) {
        condition.lock()
        job = body
        taskCount = count
        nextTask.store(0, ordering: .relaxed)
        completed.store(0, ordering: .relaxed)
        entry.store(Self.openBit, ordering: .releasing)
        generation += 1
        condition.broadcast()
        condition.unlock()

        runTasks(body, count: count)
        // Tasks that workers claimed may still be running.
        var spins = 0
        while completed.load(ordering: .acquiring) < count { Self.pause(&spins) }
        // Close the job, then wait for the workers inside it to leave: `body` must not
        // outlive the caller's frame.
        entry.wrappingSubtract(Self.openBit, ordering: .acquiringAndReleasing)
        spins = 0
        while entry.load(ordering: .acquiring) != 0 { Self.pause(&spins) }
        condition.lock()
        job = nil
        condition.unlock()
    }

    /// Spins briefly, then yields, then sleeps in short naps (long tasks).
    static func pause(_ spins: inout Int) {
        spins += 1
        if spins < 2000 { return }
        if spins < 2200 { sched_yield(); return }
        usleep(50)
    }

    func shutDown() {
        condition.lock()
        shuttingDown = true
        condition.broadcast()
        condition.unlock()
    }

    private func runTasks(_ body: (Int) -> Void, count: Int) {
        while true {
            let i = nextTask.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { return }
            body(i)
            completed.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// Joins the current job if it is still open.
    private func enter() -> Bool {
        var value = entry.load(ordering: .acquiring)
        while value & Self.openBit != 0 {
            let (exchanged, current) = entry.compareExchange(
                expected: value, desired: value + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            value = current
        }
        return false
    }

    /// Runs tasks of the current job. The job's closure is released when this
    /// returns, before the worker leaves the job, as the caller's
    /// `withoutActuallyEscaping` requires.
    private func runCurrentJob() {
        condition.lock()
        let body = job
        let count = taskCount
        condition.unlock()
        if let body { runTasks(body, count: count) }
    }

    func workerLoop() {
        var seen = 0
        while true {
            condition.lock()
            while generation == seen && !shuttingDown { condition.wait() }
            if shuttingDown { condition.unlock(); return }
            seen = generation
            condition.unlock()

            guard enter() else { continue }
            runCurrentJob()
            entry.wrappingSubtract(1, ordering: .releasing)
        }
    }
}

extension ThreadPool {
    private static let sharedPool = Mutex<ThreadPool?>(nil)

    /// Threads to use by default: `SMOLVLM_NUM_THREADS` if set, else the active core count.
    public static var defaultThreadCount: Int {
        if let value = ProcessInfo.processInfo.environment["SMOLVLM_NUM_THREADS"],
           let n = Int(value), n > 0 {
            return n
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// The pool every kernel uses. Created on first use with ``defaultThreadCount``.
    public static var shared: ThreadPool {
        sharedPool.withLock { pool in
            if let pool { return pool }
            let created = ThreadPool(threadCount: defaultThreadCount)
            BLAS.setThreadCount(created.threadCount)
            pool = created
            return created
        }
    }

    /// Replaces the shared pool with one of `threadCount` threads and gives BLAS the same count.
    /// Call it before starting work; loops already running keep the old pool.
    public static func setSharedThreadCount(_ threadCount: Int) {
        let created = ThreadPool(threadCount: threadCount)
        sharedPool.withLock { $0 = created }
        BLAS.setThreadCount(created.threadCount)
    }
}
