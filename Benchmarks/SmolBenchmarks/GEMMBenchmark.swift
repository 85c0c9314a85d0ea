import ArgumentParser
import Foundation
import SmolTensor

/// sgemm throughput for the two shapes that dominate SmolVLM: a vision-encoder
/// MLP product and the decoder's vocabulary projection for one token.
struct GEMMBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm", abstract: "sgemm GFLOP/s for a vision-shaped and a decode-shaped product.")

    @Option(help: "Timed runs per shape (the median is reported).")
    var runs = 7

    @Option(help: "Threads for BLAS and the kernels (default: SMOLVLM_NUM_THREADS or all cores).")
    var threads: Int?

    @Flag(help: "Also time PyTorch on the same shapes (needs Scripts/reference/.venv) and print the ratio.")
    var reference = false

    func run() throws {
        if let threads { ThreadPool.setSharedThreadCount(threads) }
        let threadCount = ThreadPool.shared.threadCount
        print("threads: \(threadCount)   blas: \(RuntimeInfo.blasDescription)")
        // The reference runs first, while this process's BLAS threads are idle.
        let torch: [String: Double] = reference
            ? try ReferenceScript.run("bench_gemm_torch.py", arguments: ["--runs", "\(runs)", "--threads", "\(threadCount)"])
            : [:]
        print("shape                               median ms    GFLOP/s" + (reference ? "   torch ms   torch/ours" : ""))
        // The products are written as the model computes them: x · Wᵀ with W kept [out, in].
        let shapes: [(name: String, key: String, m: Int, k: Int, n: Int)] = [
            ("vision  1024×768 · 768×3072", "vision", 1024, 768, 3072),
            ("decode  1×576 · 576×49280", "decode", 1, 576, 49280),
        ]
        var generator = SystemRandomNumberGenerator()
        for shape in shapes {
            let x = try Tensor(shape: [shape.m, shape.k],
                               floats: (0..<shape.m * shape.k).map { _ in Float.random(in: -1...1, using: &generator) })
            let w = try Tensor(shape: [shape.n, shape.k],
                               floats: (0..<shape.n * shape.k).map { _ in Float.random(in: -1...1, using: &generator) })
            let seconds = try medianSeconds(runs: runs) { _ = try x.linear(weight: w) }
            let flops = 2.0 * Double(shape.m) * Double(shape.k) * Double(shape.n)
            let name = shape.name.padding(toLength: 34, withPad: " ", startingAt: 0)
            var line = "\(name) \(String(format: "%9.3f", seconds * 1e3))  \(String(format: "%9.1f", flops / seconds / 1e9))"
            if let torchMs = torch[shape.key] {
                line += String(format: "  %9.3f  %9.2f", torchMs, torchMs / (seconds * 1e3))
            }
            print(line)
        }
    }
}
