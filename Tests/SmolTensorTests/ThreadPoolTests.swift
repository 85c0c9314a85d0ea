import Synchronization
import SmolTensor
import Testing

@Suite("ThreadPool")
struct ThreadPoolTests {
    @Test(arguments: [1, 2, 4])
    func visitsEveryIndexOnce(threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        for count in [0, 1, 2, 3, 17, 1000] {
            let hits = Mutex([Int](repeating: 0, count: count))
            pool.parallelFor(count) { i in hits.withLock { $0[i] += 1 } }
            #expect(hits.withLock { $0.allSatisfy { $0 == 1 } }, "count \(count)")
        }
    }

    @Test func chunksCoverTheRangeWithoutOverlap() {
        let pool = ThreadPool(threadCount: 3)
        let total = Atomic<Int>(0)
        let covered = Mutex([Int](repeating: 0, count: 101))
        pool.parallelChunks(101, minimumChunk: 10) { range in
            total.wrappingAdd(range.count, ordering: .relaxed)
            covered.withLock { for i in range { $0[i] += 1 } }
        }
        #expect(total.load(ordering: .relaxed) == 101)
        #expect(covered.withLock { $0.allSatisfy { $0 == 1 } })
    }

    @Test func nestedLoopsRunSerially() {
        let pool = ThreadPool(threadCount: 2)
        let sum = Atomic<Int>(0)
        pool.parallelFor(4) { i in
            pool.parallelFor(5) { j in sum.wrappingAdd(i * 5 + j, ordering: .relaxed) }
        }
        #expect(sum.load(ordering: .relaxed) == (0..<20).reduce(0, +))
    }

    @Test func manyConsecutiveLoops() {
        let pool = ThreadPool(threadCount: 2)
        let sum = Atomic<Int>(0)
        for _ in 0..<2000 { pool.parallelFor(3) { i in sum.wrappingAdd(i, ordering: .relaxed) } }
        #expect(sum.load(ordering: .relaxed) == 2000 * 3)
    }

    @Test func concurrentCallersAreSafe() async {
        let pool = ThreadPool(threadCount: 2)
        let sum = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { for _ in 0..<200 { pool.parallelFor(8) { _ in sum.add(1) } } }
            }
        }
        #expect(sum.value == 4 * 200 * 8)
    }
}

/// A shareable atomic counter.
final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    func add(_ n: Int) { storage.wrappingAdd(n, ordering: .relaxed) }
    var value: Int { storage.load(ordering: .relaxed) }
}
