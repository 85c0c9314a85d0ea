import Foundation

extension VisionChat {
    /// Loads a llama.cpp GGUF pair: the text model and its `mmproj` file
    /// (see ``VisionLanguageModel/init(textGGUF:mmproj:)``).
    public init(textGGUF: URL, mmproj: URL) throws {
        self.init(model: try VisionLanguageModel(textGGUF: textGGUF, mmproj: mmproj))
    }
}
