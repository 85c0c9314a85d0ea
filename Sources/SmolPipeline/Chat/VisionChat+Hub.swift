import Foundation
import SmolHub

extension VisionChat {
    /// A conversation with a model named by path or Hub repository, fetched as
    /// ``VisionLanguageModel/load(_:hub:progress:)`` fetches it:
    ///
    /// ```swift
    /// let chat = try await VisionChat(model: "HuggingFaceTB/SmolVLM-256M-Instruct")
    /// ```
    public init(model: String = VisionLanguageModel.defaultModel, hub: HubClient = HubClient(),
                progress: HubProgressHandler? = nil) async throws {
        let directory = try await ModelSource(model).localURL(hub: hub, progress: progress)
        try self.init(directory: directory)
    }
}
