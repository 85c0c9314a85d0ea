import ArgumentParser

@main
struct SmolVLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smolvlm",
        abstract: "Run SmolVLM and SmolVLM2 vision-language models on the CPU.",
        subcommands: [GenerateCommand.self, TokenizeCommand.self, TemplateCommand.self, InspectCommand.self, InfoCommand.self])
}
