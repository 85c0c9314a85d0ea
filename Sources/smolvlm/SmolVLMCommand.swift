import ArgumentParser

@main
struct SmolVLMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smolvlm",
        abstract: "Run SmolVLM and SmolVLM2 vision-language models on the CPU.",
        subcommands: [ChatCommand.self, DescribeCommand.self, VideoCommand.self, GenerateCommand.self, PreprocessCommand.self, TokenizeCommand.self, TemplateCommand.self, InspectCommand.self, DownloadCommand.self, ModelsCommand.self, InfoCommand.self])
}
