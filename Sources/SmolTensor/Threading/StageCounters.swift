import CSmolMatVec

/// Work counters for a sequence of dependent stages, each split into chunks that
/// the threads of one ``ThreadPool/parallelFor(_:_:)`` claim dynamically.
///
/// A thread works on stage `s` only once stage `s − 1` is complete, and claims
/// chunks until none is left. Nothing waits for a thread that has not started,
/// so the loop degrades gracefully when a worker is not scheduled (a busy
/// machine): the threads that run do all the work.
package final class StageCounters: @unchecked Sendable {
    private let stages: OpaquePointer
    /// Stages the counters can track.
    package let capacity: Int

    package init(capacity: Int) {
        guard let created = smol_stages_create(Int32(capacity)) else { fatalError("out of memory for stage counters") }
        stages = created
        self.capacity = capacity
    }

    deinit { smol_stages_destroy(stages) }

    /// Zeroes stages `0..<count`; call only while no thread uses the counters.
    package func reset(count: Int) { smol_stages_reset(stages, Int32(count)) }

    /// Calls `body(chunk)` for chunks of `stage` (of `chunks`) that this thread claims,
    /// after waiting for stage `stage − 1` (of `previousChunks`) to complete.
    /// `prepare` runs once, before the first chunk this thread claims.
    @inline(__always)
    package func run(stage: Int, chunks: Int, after previousChunks: Int?,
                     prepare: () -> Void = {}, _ body: (Int) -> Void) {
        if let previousChunks, stage > 0 { smol_stages_wait(stages, Int32(stage - 1), Int32(previousChunks)) }
        var prepared = false
        while true {
            let chunk = smol_stages_claim(stages, Int32(stage), Int32(chunks))
            if chunk < 0 { return }
            if !prepared { prepare(); prepared = true }
            body(Int(chunk))
            smol_stages_finish(stages, Int32(stage))
        }
    }

    /// Returns once all `chunks` chunks of `stage` are complete.
    package func wait(stage: Int, chunks: Int) { smol_stages_wait(stages, Int32(stage), Int32(chunks)) }
}
