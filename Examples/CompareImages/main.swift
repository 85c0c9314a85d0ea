// Ask what differs between two images (the multi-image example of the SmolVLM2
// announcement), then ask a follow-up that reuses the cached images.
//
//     swift run CompareImages <model-directory> <first-image> <second-image>
import Foundation
import SmolVLM

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: CompareImages <model-directory> <first-image> <second-image>\n".utf8))
    exit(2)
}
do {
    let chat = try VisionChat(directory: URL(fileURLWithPath: arguments[1]))
    let options = ChatOptions(maxTokens: 64)
    let first = try await chat.respond(to: [
        .image(.file(URL(fileURLWithPath: arguments[2]))),
        .image(.file(URL(fileURLWithPath: arguments[3]))),
        .text("What differs between these two images?"),
    ], options: options)
    print(first.text)
    // The follow-up pays neither the encoder nor the shared prompt again.
    let second = try await chat.respond(to: [.text("Which one is brighter?")], options: options)
    print(second.text)
    print("(follow-up: \(second.prefilledTokenCount) of \(second.promptTokenCount) prompt tokens computed)")
} catch {
    FileHandle.standardError.write(Data("CompareImages: \(error.localizedDescription)\n".utf8))
    exit(1)
}
