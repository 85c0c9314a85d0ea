import Foundation
import SmolHub

extension VisionLanguageModel {
    /// The model used when none is named: small enough for any machine.
    public static let defaultModel = "HuggingFaceTB/SmolVLM-256M-Instruct"

    /// Loads a model by name: a directory in the Hugging Face layout, or a Hub
    /// repository `ORG/NAME[@revision]`, fetched into (or found in) the cache
    /// that Python's `huggingface_hub` shares.
    ///
    /// - Parameters:
    ///   - model: a path, or `ORG/NAME` with an optional `@branch`, `@tag` or `@commit`.
    ///   - precision: the encoder's arithmetic and the decoder's weight format
    ///     (``ModelPrecision/reference``, float32 and matching transformers, by default).
    ///   - hub: where the Hub and the cache are (by default from `HF_ENDPOINT`,
    ///     `HF_HUB_CACHE`/`HF_HOME`, `HF_TOKEN`, `HF_HUB_OFFLINE`).
    ///   - progress: download progress, reported from any thread.
    /// - Throws: ``HubError`` when the model cannot be fetched or found offline,
    ///   else what ``init(directory:precision:)`` throws.
    public static func load(_ model: String = defaultModel, precision: ModelPrecision = .reference,
                            hub: HubClient = HubClient(), progress: HubProgressHandler? = nil) async throws -> VisionLanguageModel {
        let directory = try await ModelSource(model).localURL(hub: hub, progress: progress)
        return try VisionLanguageModel(directory: directory, precision: precision)
    }
}
