import Foundation

/// Runs a program to completion and returns what it printed on standard output.
/// - Throws: ``ReferenceScript/Failure`` naming `what` when it exits with a nonzero status.
func runCapturingOutput(_ executable: URL, arguments: [String], what: String) throws -> Data {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ReferenceScript.Failure(description: "\(what) exited with status \(process.terminationStatus)")
    }
    return data
}

/// This benchmark program itself, for measurements that need a process of their own.
var benchmarkExecutable: URL { URL(fileURLWithPath: CommandLine.arguments[0]) }
