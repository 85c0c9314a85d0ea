import ArgumentParser
import Foundation
import SmolVLM

/// Asks a question about zero or more images and streams the answer.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Ask a SmolVLM / SmolVLM2 model about images; the answer streams out.")

    @Option(help: "A model directory, or a Hub repository ORG/NAME[@revision].")
    var model = VisionLanguageModel.defaultModel

    @Option(name: .customLong("image"), help: "A PNG or JPEG file (repeat for several images).")
    var images: [String] = []

    @Argument(help: "The question.")
    var question: String

    @Option(help: "New tokens at most.")
    var maxTokens = 256

    @Flag(help: "Give each image one tile instead of splitting it.")
    var noSplitting = false

    func run() async throws {
        try await VisionCLI.ask(model: model, images: images, question: question,
                                maxTokens: maxTokens, splitting: noSplitting ? false : nil)
    }
}

/// Describes one image.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Describe an image.")

    @Argument(help: "A PNG or JPEG file.")
    var image: String

    @Option(help: "A model directory, or a Hub repository ORG/NAME[@revision].")
    var model = VisionLanguageModel.defaultModel

    @Option(help: "New tokens at most.")
    var maxTokens = 256

    func run() async throws {
        try await VisionCLI.ask(model: model, images: [image], question: "Can you describe this image?",
                                maxTokens: maxTokens, splitting: nil)
    }
}

enum VisionCLI {
    static func ask(model: String, images: [String], question: String, maxTokens: Int, splitting: Bool?) async throws {
        let chat = try await VisionChat(directory: ModelArgument.resolve(model))
        let content = images.map { ChatContent.image(.file(URL(fileURLWithPath: $0))) } + [.text(question)]
        let output = FileHandle.standardOutput
        for try await text in chat.stream(content, options: ChatOptions(maxTokens: maxTokens, imageSplitting: splitting)) {
            output.write(Data(text.utf8))
        }
        print("")
    }
}
