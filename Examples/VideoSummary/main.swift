// Summarise a video with VisionChat, then ask a follow-up question that reuses the encoded frames.
//
//     swift run VideoSummary <smolvlm2-model-directory> <video.mp4|mov|webm> [max-frames]
import Foundation
import SmolVLM

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: VideoSummary <model-directory> <video> [max-frames]\n".utf8))
    exit(2)
}
do {
    let chat = try VisionChat(directory: URL(fileURLWithPath: arguments[1]))
    let options = ChatOptions(maxTokens: 64, maxVideoFrames: arguments.count == 4 ? Int(arguments[3]) : nil)
    let summary = try await chat.respond(
        to: [.video(.file(URL(fileURLWithPath: arguments[2]))), .text("Summarise this video in two sentences.")],
        options: options)
    print(summary.text)
    let frames = summary.imageTokenCount / chat.model.config.imageSequenceLength
    print("(\(frames) frames, \(summary.promptTokenCount) prompt tokens, "
          + String(format: "%.2f s to the first token)", summary.prefillSeconds))

    // The second turn reuses the frames' features and the KV cache of the first.
    let followUp = try await chat.respond(to: [.text("What happens at the end?")], options: options)
    print(followUp.text)
    print("(\(followUp.prefilledTokenCount) of \(followUp.promptTokenCount) prompt tokens computed)")
} catch {
    FileHandle.standardError.write(Data("VideoSummary: \(error.localizedDescription)\n".utf8))
    exit(1)
}
