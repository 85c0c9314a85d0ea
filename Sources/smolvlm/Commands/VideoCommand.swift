import ArgumentParser
import Foundation
import SmolVLM

/// Asks a SmolVLM2 model about a video file.
struct VideoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "video", abstract: "Ask a SmolVLM2 model about a video (MP4, MOV, WebM, …); the answer streams out.")

    @Argument(help: "A video file.")
    var file: String

    @Argument(help: "The question.")
    var question: String = "Describe this video in detail."

    @Option(help: "A SmolVLM2 model directory, a Hub repository ORG/NAME[@revision], or the text .gguf of a GGUF pair.")
    var model = "HuggingFaceTB/SmolVLM2-256M-Video-Instruct"

    @Option(help: "The mmproj file of a llama.cpp GGUF pair (video then uses transformers' SmolVLM2 defaults: 1 fps, 64 frames).")
    var mmproj: String?

    @Option(help: "Frames to sample per second (default: the checkpoint's video_sampling.fps).")
    var fps: Double?

    @Option(help: "The most frames to sample (default: the checkpoint's video_sampling.max_frames).")
    var maxFrames: Int?

    @Option(help: "New tokens at most.")
    var maxTokens = 256

    @Flag(help: "Print the frame count and timings to stderr.")
    var verbose = false

    @OptionGroup var precision: PrecisionOption

    func validate() throws {
        if let fps, !(fps > 0) { throw ValidationError("--fps must be positive") }
        if let maxFrames, maxFrames < 1 { throw ValidationError("--max-frames must be at least 1") }
    }

    func run() async throws {
        let chat = try await VisionCLI.chat(model: model, mmproj: mmproj, precision: precision.value)
        let options = ChatOptions(maxTokens: maxTokens, videoFramesPerSecond: fps, maxVideoFrames: maxFrames)
        let content: [ChatContent] = [.video(.file(URL(fileURLWithPath: file))), .text(question)]
        let output = FileHandle.standardOutput
        var response: ChatResponse?
        if verbose {
            response = try await chat.respond(to: content, options: options)
            output.write(Data(response!.text.utf8))
        } else {
            for try await text in chat.stream(content, options: options) { output.write(Data(text.utf8)) }
        }
        print("")
        if let response {
            let frames = response.imageTokenCount / max(1, chat.model.config.imageSequenceLength)
            FileHandle.standardError.write(Data("""
                \(frames) frames, \(response.promptTokenCount) prompt tokens; prefill \(String(format: "%.2f", response.prefillSeconds)) s, \
                \(response.tokens.count) tokens in \(String(format: "%.2f", response.decodeSeconds)) s

                """.utf8))
        }
    }
}
