import Foundation
import SmolHub

extension VisionChat {
    /// A conversation with a model named by path or Hub repository, fetched as
    /// ``VisionLanguageModel/load(_:precision:hub:progress:)`` fetches it, loaded in `precision`
    /// (``ModelPrecision/reference``, float32, by default):
    ///
    /// ```swift
    /// let chat = try await VisionChat(model: "HuggingFaceTB/SmolVLM-256M-Instruct")
    /// ```
    public init(model: String = VisionLanguageModel.defaultModel, precision: ModelPrecision = .reference,
                hub: HubClient = HubClient(), progress: HubProgressHandler? = nil) async throws {
        let directory = try await ModelSource(model).localURL(hub: hub, progress: progress)
        try self.init(directory: directory, precision: precision)
    }
}
