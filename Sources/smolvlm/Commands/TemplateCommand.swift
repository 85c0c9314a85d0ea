import ArgumentParser
import Foundation
import SmolVLM

/// Prints a conversation rendered with the model's own chat template.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Render a conversation with the model's chat template.")

    @Option(help: "A model directory, a .gguf file with tokenizer.chat_template, or a Hub repository ORG/NAME[@revision].")
    var model: String

    @Option(help: "A JSON file of messages in the Hugging Face shape.")
    var messages: String

    @Flag(help: "Append the assistant turn's opening (add_generation_prompt).")
    var addGenerationPrompt = false

    func run() async throws {
        let url = try await ModelArgument.resolve(model)
        let template = try ChatTemplate(model: url)
        let tokenizer = try Tokenizer(contentsOf: url)
        let conversation = try ChatMessage.conversation(contentsOf: URL(fileURLWithPath: messages))
        let text = try template.render(messages: conversation, addGenerationPrompt: addGenerationPrompt,
                                       additionalContext: tokenizer.specialTokenStrings.mapValues { .string($0) })
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
