import ArgumentParser
import Foundation
import SmolVLM

/// Prints what the runtime will use on this machine.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show the threads and BLAS the runtime uses here.")

    func run() throws {
        let pool = ThreadPool.shared
        print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        print("threads: \(pool.threadCount) (set SMOLVLM_NUM_THREADS to change)")
        print("blas: \(RuntimeInfo.blasDescription)")
    }
}
