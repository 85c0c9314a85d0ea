// Describe an image with VisionChat.
//
//     swift run DescribeImage <model-directory> <image.png|jpg>
import Foundation
import SmolVLM

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: DescribeImage <model-directory> <image>\n".utf8))
    exit(2)
}
do {
    let chat = try VisionChat(directory: URL(fileURLWithPath: arguments[1]))
    let reply = try await chat.respond(
        to: [.image(.file(URL(fileURLWithPath: arguments[2]))), .text("Can you describe this image?")],
        options: ChatOptions(maxTokens: 64))
    print(reply.text)
    print("(\(reply.promptTokenCount) prompt tokens, \(reply.imageTokenCount) of them image tokens, "
          + String(format: "%.2f s to the first token)", reply.prefillSeconds))
} catch {
    FileHandle.standardError.write(Data("DescribeImage: \(error.localizedDescription)\n".utf8))
    exit(1)
}
