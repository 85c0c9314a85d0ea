import ArgumentParser
import Foundation
import SmolVLM

/// Lists the tensors of a safetensors file or checkpoint directory.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors in a safetensors file, index or checkpoint directory.")

    @Argument(help: "A .safetensors file, a model.safetensors.index.json, a model directory, or a Hub repository ORG/NAME[@revision].")
    var path: String

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let checkpoint = try await SafetensorsCheckpoint(url: ModelArgument.resolve(path))
        let infos = checkpoint.tensorNames.compactMap { checkpoint.info(named: $0) }
        let parameters = infos.reduce(0) { $0 + (Tensor.elementCount(of: $1.shape) ?? 0) }
        let bytes = infos.reduce(0) { $0 + $1.byteCount }
        if json {
            let tensors = infos.map { ["name": $0.name, "dtype": $0.dtype.rawValue, "shape": $0.shape] as [String: Any] }
            let object: [String: Any] = [
                "files": checkpoint.files.map(\.url.path), "metadata": checkpoint.metadata,
                "parameters": parameters, "bytes": bytes, "tensors": tensors,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for (key, value) in checkpoint.metadata.sorted(by: { $0.key < $1.key }) { print("# \(key): \(value)") }
        let width = infos.map(\.name.count).max() ?? 0
        for info in infos {
            let name = info.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(info.dtype.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(info.shape)")
        }
        print("\(infos.count) tensors in \(checkpoint.files.count) file(s), \(parameters) parameters, \(bytes) bytes")
    }
}
