import Foundation
import SmolTensor

extension ChatTemplate {
    /// The template a llama.cpp GGUF file carries in `tokenizer.chat_template`.
    public init(gguf: GGUFFile) throws {
        guard let source = gguf.string("tokenizer.chat_template") else {
            throw ConfigError.invalidValue(file: gguf.url.path, key: "tokenizer.chat_template", reason: "missing")
        }
        try self.init(source)
    }

    /// The template of a model: a Hugging Face directory (transformers' lookup
    /// order, see ``load(directory:name:)``) or a `.gguf` file.
    public init(model url: URL) throws {
        if url.pathExtension == "gguf" {
            try self.init(gguf: GGUFFile(url: url))
        } else {
            self = try ChatTemplate.load(directory: url).template
        }
    }
}
