import ArgumentParser
import Foundation
import SmolVLM

/// Prints token ids, exactly as the model's tokenizer produces them.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text (special-token strings are recognised; nothing is prepended).")

    @Option(help: "A model directory (tokenizer.json), a .gguf file, or a Hub repository ORG/NAME[@revision].")
    var model: String

    @Option(help: "The text to tokenize.")
    var text: String?

    @Option(help: "Tokenize each line of this file; prints one JSON array per line.")
    var file: String?

    @Flag(help: "Print {\"ids\": […]} instead of space-separated ids.")
    var json = false

    func validate() throws {
        guard (text == nil) != (file == nil) else { throw ValidationError("give exactly one of --text and --file") }
    }

    func run() async throws {
        let tokenizer = try await Tokenizer(contentsOf: ModelArgument.resolve(model))
        if let file {
            let contents = try String(contentsOfFile: file, encoding: .utf8)
            var lines = contents.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            for line in lines { print(Self.jsonArray(tokenizer.encode(line))) }
            return
        }
        let ids = tokenizer.encode(text ?? "")
        print(json ? "{\"ids\":\(Self.jsonArray(ids))}" : ids.map(String.init).joined(separator: " "))
    }

    static func jsonArray(_ ids: [Int]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
}
