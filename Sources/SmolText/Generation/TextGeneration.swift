import SmolTensor

/// What to generate and when to stop.
public struct GenerationRequest: Sendable {
    /// New tokens at most.
    public var maxTokens: Int
    public var sampling: SamplingOptions
    /// Tokens that end generation (end-of-sequence ids); the stop token is reported, not continued.
    public var stopTokenIDs: Set<Int>
    /// Generation ends once the text produced so far ends with one of these (it is included).
    public var stopStrings: [String]

    public init(maxTokens: Int = 256, sampling: SamplingOptions = .greedy,
                stopTokenIDs: Set<Int> = [], stopStrings: [String] = []) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopTokenIDs = stopTokenIDs
        self.stopStrings = stopStrings
    }
}

/// One generated token and the text it completes (empty for special tokens or an
/// unfinished UTF-8 character).
public struct GenerationPiece: Sendable, Equatable {
    public let tokenID: Int
    public let text: String
}

/// Why generation ended.
public enum StopReason: Sendable, Equatable {
    case stopToken
    case stopString
    case maxTokens
    case cancelled
}

extension SmolLM2 {
    /// Generates after a prompt, calling `emit` with each piece; `emit` returns false
    /// to stop early. The caller's `cache` ends holding the prompt and the generated tokens.
    ///
    /// - Parameters:
    ///   - embeddings: the prompt's input embeddings `[S, hidden]` (token embeddings,
    ///     possibly with image features written in).
    ///   - promptIDs: the prompt's ids (for the repetition penalty).
    public func generate(
        embeddings: Tensor, promptIDs: [Int], tokenizer: Tokenizer, request: GenerationRequest,
        cache: inout KVCache, emit: (GenerationPiece) throws -> Bool
    ) throws -> StopReason {
        guard request.maxTokens >= 0 else { throw GenerationError.invalidOption(name: "maxTokens", reason: "must be ≥ 0") }
        guard embeddings.rank == 2, embeddings.shape[0] > 0 else { throw GenerationError.emptyPrompt }
        let needed = cache.count + embeddings.shape[0]
        guard needed <= config.maxPositionEmbeddings else {
            throw GenerationError.promptTooLong(tokens: needed, limit: config.maxPositionEmbeddings)
        }
        var sampler = try Sampler(options: request.sampling)
        guard request.maxTokens > 0 else { return .maxTokens }
        var logits = try forward(embeddings: embeddings, cache: &cache).floats()
        var history = promptIDs
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        var text = ""
        let longestStop = request.stopStrings.map(\.count).max() ?? 0
        for step in 0..<request.maxTokens {
            let token = sampler.next(logits: logits, history: history)
            history.append(token)
            if request.stopTokenIDs.contains(token) {
                _ = try emit(GenerationPiece(tokenID: token, text: ""))
                return .stopToken
            }
            let delta = detokenizer.append(token)
            text += delta
            guard try emit(GenerationPiece(tokenID: token, text: delta)) else { return .cancelled }
            if longestStop > 0 {
                let tail = text.suffix(longestStop + 8)
                if request.stopStrings.contains(where: { !$0.isEmpty && tail.hasSuffix($0) }) { return .stopString }
                text = String(tail)
            }
            if step == request.maxTokens - 1 || cache.count >= config.maxPositionEmbeddings { break }
            try decode(token: token, cache: &cache, logits: &logits)
        }
        return .maxTokens
    }

    /// Generates after prompt ids, streaming pieces; cancelling the consuming task stops the work.
    public func stream(promptIDs: [Int], tokenizer: Tokenizer, request: GenerationRequest) -> AsyncThrowingStream<GenerationPiece, Error> {
        AsyncThrowingStream { continuation in
            let task = Task.detached { [self] in
                do {
                    var cache = KVCache(config: config, capacity: min(config.maxPositionEmbeddings, promptIDs.count + request.maxTokens))
                    _ = try generate(embeddings: embed(promptIDs), promptIDs: promptIDs, tokenizer: tokenizer,
                                     request: request, cache: &cache) { piece in
                        if Task.isCancelled { return false }
                        continuation.yield(piece)
                        return true
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
