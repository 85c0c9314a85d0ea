import ArgumentParser
import Foundation
import SmolVLM

/// Asks a question about zero or more images and streams the answer.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Ask a SmolVLM / SmolVLM2 model about images; the answer streams out.")

    @Option(help: "A model directory, a Hub repository ORG/NAME[@revision], or the text .gguf of a GGUF pair.")
    var model = VisionLanguageModel.defaultModel

    @Option(help: "The mmproj file of a llama.cpp GGUF pair; --model is then the text .gguf.")
    var mmproj: String?

    @Option(name: .customLong("image"), help: "A PNG or JPEG file (repeat for several images).")
    var images: [String] = []

    @Argument(help: "The question.")
    var question: String

    @Option(help: "New tokens at most.")
    var maxTokens = 256

    @Flag(help: "Give each image one tile instead of splitting it.")
    var noSplitting = false

    @OptionGroup var precision: PrecisionOption

    func run() async throws {
        try await VisionCLI.ask(model: model, mmproj: mmproj, precision: precision.value, images: images, question: question,
                                maxTokens: maxTokens, splitting: noSplitting ? false : nil)
    }
}

/// Describes one image.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Describe an image.")

    @Argument(help: "A PNG or JPEG file.")
    var image: String

    @Option(help: "A model directory, a Hub repository ORG/NAME[@revision], or the text .gguf of a GGUF pair.")
    var model = VisionLanguageModel.defaultModel

    @Option(help: "The mmproj file of a llama.cpp GGUF pair; --model is then the text .gguf.")
    var mmproj: String?

    @Option(help: "New tokens at most.")
    var maxTokens = 256

    @OptionGroup var precision: PrecisionOption

    func run() async throws {
        try await VisionCLI.ask(model: model, mmproj: mmproj, precision: precision.value, images: [image],
                                question: "Can you describe this image?",
                                maxTokens: maxTokens, splitting: nil)
    }
}

enum VisionCLI {
    /// A conversation with `--model` (a directory or Hub repository), or with a GGUF pair when
    /// `--mmproj` is given (both local files), loaded in `precision`.
    static func chat(model: String, mmproj: String?, precision: ModelPrecision) async throws -> VisionChat {
        guard let mmproj else { return try await VisionChat(directory: ModelArgument.resolve(model), precision: precision) }
        guard model.hasSuffix(".gguf") else { throw ValidationError("--mmproj goes with --model <text .gguf file>") }
        return try VisionChat(textGGUF: URL(fileURLWithPath: model), mmproj: URL(fileURLWithPath: mmproj), precision: precision)
    }

    static func ask(model: String, mmproj: String?, precision: ModelPrecision, images: [String], question: String,
                    maxTokens: Int, splitting: Bool?) async throws {
        let chat = try await chat(model: model, mmproj: mmproj, precision: precision)
        let content = images.map { ChatContent.image(.file(URL(fileURLWithPath: $0))) } + [.text(question)]
        let output = FileHandle.standardOutput
        for try await text in chat.stream(content, options: ChatOptions(maxTokens: maxTokens, imageSplitting: splitting)) {
            output.write(Data(text.utf8))
        }
        print("")
    }
}
