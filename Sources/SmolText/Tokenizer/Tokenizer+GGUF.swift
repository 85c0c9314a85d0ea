import SmolTensor

extension Tokenizer {
    /// Builds the tokenizer a GGUF file describes in its `tokenizer.ggml.*` metadata
    /// (GPT-2-style BPE; `pre` selects the pre-tokenizer).
    ///
    /// Control tokens (type 3) become special added tokens, user-defined tokens
    /// (type 4) non-special added tokens, as llama.cpp's converter writes them.
    public convenience init(gguf: GGUFFile) throws(TokenizerError) {
        let file = gguf.url.path
        let model = gguf.string("tokenizer.ggml.model") ?? ""
        guard model == "gpt2" else { throw .unsupportedComponent(file: file, component: "tokenizer.ggml.model", type: model) }
        guard let tokens = gguf.strings("tokenizer.ggml.tokens") else {
            throw .invalidField(file: file, field: "tokenizer.ggml.tokens", reason: "missing")
        }
        let types = gguf.ints("tokenizer.ggml.token_type") ?? []
        guard types.isEmpty || types.count == tokens.count else {
            throw .invalidField(file: file, field: "tokenizer.ggml.token_type", reason: "\(types.count) types for \(tokens.count) tokens")
        }
        var mergePairs: [(String, String)] = []
        for merge in gguf.strings("tokenizer.ggml.merges") ?? [] {
            let parts = merge.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .invalidMerge(file: file, merge: merge) }
            mergePairs.append((String(parts[0]), String(parts[1])))
        }
        var vocabulary: [String: Int] = [:]
        var addedTokens: [AddedToken] = []
        for (id, token) in tokens.enumerated() {
            vocabulary[token] = id
            let type = types.isEmpty ? 1 : types[id]
            if type == 3 || type == 4 { addedTokens.append(AddedToken(id: id, content: token, special: type == 3)) }
        }
        let pre = gguf.string("tokenizer.ggml.pre") ?? "default"
        let preTokenizer: PreTokenizer
        switch pre {
        case "smollm":
            preTokenizer = .sequence([.digits(individual: true), .byteLevel(addPrefixSpace: false, useRegex: true)])
        case "gpt-2", "default":
            preTokenizer = .byteLevel(addPrefixSpace: false, useRegex: true)
        default:
            throw .unsupportedComponent(file: file, component: "tokenizer.ggml.pre", type: pre)
        }
        var specials: [String: String] = [:]
        for (key, name) in [("tokenizer.ggml.bos_token_id", "bos_token"), ("tokenizer.ggml.eos_token_id", "eos_token"),
                            ("tokenizer.ggml.unknown_token_id", "unk_token"), ("tokenizer.ggml.padding_token_id", "pad_token")] {
            if let id = gguf.int(key), tokens.indices.contains(id) { specials[name] = tokens[id] }
        }
        try self.init(vocabulary: vocabulary, merges: mergePairs, addedTokens: addedTokens,
                      normalizer: nil, preTokenizer: preTokenizer, decoder: .byteLevel, postProcessor: nil,
                      unknownToken: nil, specialTokenStrings: specials, source: file)
    }
}
