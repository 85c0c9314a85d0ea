import Foundation

/// Runs `body` `warmup` times untimed, then `runs` times, and returns the
/// median duration in seconds: wall-clock time, or with `cpu` the CPU time of
/// the whole process (all threads), which other processes on a shared machine
/// barely change.
func medianSeconds(runs: Int, warmup: Int = 1, cpu: Bool = false, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<max(runs, 1) {
        if cpu {
            let start = processCPUSeconds()
            try body()
            samples.append(processCPUSeconds() - start)
        } else {
            samples.append(try clock.measure(body).seconds)
        }
    }
    return median(samples)
}

/// CPU time this process has used, in seconds.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
