import ArgumentParser
import Foundation
import SmolVLM

/// Fetches a model into the Hugging Face cache and prints its folder.
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a model from the Hugging Face Hub into the shared cache and print its folder.",
        discussion: """
            Only the files a model needs are fetched (configs, tokenizer, chat template, safetensors weights); \
            --include picks files by pattern instead. The cache is huggingface_hub's (HF_HUB_CACHE, HF_HOME); \
            HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE are honoured.
            """)

    @Argument(help: "ORG/NAME, optionally @branch, @tag or @commit.")
    var model: String

    @Option(name: .customLong("include"), help: "Fetch the files matching this shell pattern instead (repeatable).")
    var patterns: [String] = []

    func run() async throws {
        let folder = try await ModelArgument.fetch(ModelSource(hubReference: model),
                                                   files: patterns.isEmpty ? .model : .matching(patterns))
        print(folder.path)
    }
}
