/// Runs `body` `warmup` times untimed, then `runs` times, and returns the
/// median duration in seconds.
func medianSeconds(runs: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<max(runs, 1) { samples.append(try clock.measure(body).seconds) }
    return median(samples)
}
