import Foundation

extension VisionChat {
    /// Loads a llama.cpp GGUF pair: the text model and its `mmproj` file
    /// (see ``VisionLanguageModel/init(textGGUF:mmproj:precision:)``).
    public init(textGGUF: URL, mmproj: URL, precision: ModelPrecision = .reference) throws {
        self.init(model: try VisionLanguageModel(textGGUF: textGGUF, mmproj: mmproj, precision: precision))
    }
}
