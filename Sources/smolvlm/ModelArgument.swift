import ArgumentParser
import Foundation
import SmolVLM

/// `--model` as every command reads it: a path, or a Hub repository
/// `ORG/NAME[@revision]` fetched into the shared Hugging Face cache with a
/// progress bar (see `HubConfiguration` for the environment it honours).
enum ModelArgument {
    /// A name that is neither on disk nor on the Hub: both readings are reported.
    struct NotFound: Error, CustomStringConvertible {
        let argument: String
        let hubError: HubError
        var description: String {
            "'\(argument)' is not a file or directory, and as a Hub model: \(hubError)"
        }
    }

    static func resolve(_ argument: String) async throws -> URL {
        let source = ModelSource(argument)
        do {
            return try await fetch(source)
        } catch let error as HubError where looksLikeMistypedPath(argument) {
            switch error {
            case .repositoryNotFound, .notCached: throw NotFound(argument: argument, hubError: error)
            default: throw error
            }
        }
    }

    /// `Models/tiny` when `Models/` exists: more likely a path with a typo than a repository.
    private static func looksLikeMistypedPath(_ argument: String) -> Bool {
        guard !argument.contains("@"), let first = argument.split(separator: "/").first else { return false }
        return FileManager.default.fileExists(atPath: String(first))
    }

    /// The local folder or file of `source`, downloading with a progress bar on stderr.
    static func fetch(_ source: ModelSource, files: HubFileSelection = .model) async throws -> URL {
        guard case .hub = source else { return try await source.localURL() }
        let bar = ProgressBar(label: source.description)
        defer { bar.finish() }
        return try await source.localURL(files: files, progress: bar.update)
    }
}

/// `--precision` as every command that loads a model reads it (declared once, here).
struct PrecisionOption: ParsableArguments {
    // Optional so that help states the default by name rather than as float32/float32.
    @Option(name: .customLong("precision"),
            help: ArgumentHelp("""
                How the model computes: 'reference' (the default: float32 throughout, matching transformers' \
                float32 outputs), 'fast' (bfloat16 vision encoder, Q8_0 decoder weights: faster, slightly less \
                exact), or ENCODER/DECODER with ENCODER float32|bfloat16 and DECODER float32|bfloat16|q8_0|q4_0|q4_1. \
                Text-only models use the DECODER half.
                """, valueName: "reference|fast|ENC/DEC"),
            transform: { text in try ModelPrecision(parsing: text) })
    var parsed: ModelPrecision?

    /// The chosen precision, ``ModelPrecision/reference`` when none was given.
    var value: ModelPrecision { parsed ?? .reference }
}
