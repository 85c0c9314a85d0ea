import Foundation
import SmolConnector
import SmolTensor
import SmolText
import SmolVision

/// A SmolVLM or SmolVLM2 checkpoint loaded for inference: SigLIP encoder →
/// connector → SmolLM2 decoder, with its tokenizer, chat template and image
/// processor (transformers' `Idefics3ForConditionalGeneration` /
/// `SmolVLMForConditionalGeneration` plus their processors).
public final class VisionLanguageModel: Sendable {
    /// The model directory, or the text GGUF of a GGUF pair.
    public let directory: URL
    public let config: ModelConfig
    public let tokenizer: Tokenizer
    public let chatTemplate: ChatTemplate
    public let processorConfig: ImageProcessorConfig
    public let promptTokens: ImagePromptTokens
    /// How videos become frames; nil for checkpoints without video settings (SmolVLM v1).
    public let videoConfig: VideoProcessorConfig?
    /// The prompt text of videos.
    public let videoPromptTokens: VideoPromptTokens
    /// The template transformers uses when a message holds a video.
    public let videoChatTemplate: ChatTemplate
    public let encoder: VisionEncoder
    public let connector: Connector
    public let decoder: SmolLM2
    /// The id of `<image>`, resolved from the tokenizer.
    public let imageTokenID: Int
    /// Tokens that end a reply: generation_config's eos ids and `<end_of_utterance>`.
    public let stopTokenIDs: Set<Int>

    /// Loads a model directory in the Hugging Face layout, checking that its parts fit.
    ///
    /// - Parameter precision: the encoder's arithmetic and the decoder's weight format;
    ///   ``ModelPrecision/reference`` (float32, matching transformers) by default,
    ///   ``ModelPrecision/fast`` for a bfloat16 encoder and a Q8_0 decoder.
    /// - Throws: ``PipelineError/invalidModel(directory:problems:)`` listing every
    ///   inconsistency, or the typed error of the file that failed to load.
    public init(directory: URL, precision: ModelPrecision = .reference) throws {
        self.directory = directory
        let config = try ModelConfig(contentsOf: directory)
        self.config = config
        tokenizer = try Tokenizer(directory: directory)
        chatTemplate = try ChatTemplate.load(directory: directory).template
        var processorConfig = try ImageProcessorConfig(contentsOf: directory)
        processorConfig.tokensPerTile = config.imageSequenceLength
        self.processorConfig = processorConfig

        var problems: [String] = []
        let tokens = ImagePromptTokens(tokensPerTile: config.imageSequenceLength)
        let imageID = tokenizer.id(of: tokens.image)
        if imageID == nil { problems.append("the tokenizer has no '\(tokens.image)' token") }
        if let imageID, imageID != config.imageTokenID {
            problems.append("config.json says image_token_id \(config.imageTokenID) but the tokenizer gives '\(tokens.image)' id \(imageID)")
        }
        if tokenizer.id(of: tokens.fakeImage) == nil { problems.append("the tokenizer has no '\(tokens.fakeImage)' token") }
        if let sequenceLength = try Self.processorImageSequenceLength(directory), sequenceLength != config.imageSequenceLength {
            problems.append("processor_config.json image_seq_len \(sequenceLength) ≠ \(config.imageSequenceLength) from the vision config and scale factor")
        }
        if processorConfig.tileSize != config.vision.imageSize {
            problems.append("preprocessor_config.json tiles of \(processorConfig.tileSize) px but the vision tower takes \(config.vision.imageSize) px")
        }
        if tokenizer.vocabularySize > config.text.vocabularySize {
            problems.append("the tokenizer has \(tokenizer.vocabularySize) ids but the decoder only \(config.text.vocabularySize)")
        }
        guard problems.isEmpty, let imageID else { throw PipelineError.invalidModel(directory: directory.path, problems: problems) }
        imageTokenID = imageID
        promptTokens = tokens
        videoConfig = try VideoProcessorConfig(directory: directory)
        videoPromptTokens = VideoPromptTokens(image: tokens)
        videoChatTemplate = try ChatTemplate(VideoPromptTokens.chatTemplateSource)

        let weights = try SafetensorsCheckpoint(url: directory)
        encoder = try VisionEncoder(config: config.vision, weights: weights, precision: precision.encoder)
        connector = try Connector(weights: weights, scaleFactor: config.scaleFactor,
                                  visionHiddenSize: config.vision.hiddenSize, textHiddenSize: config.text.hiddenSize)
        decoder = try SmolLM2(config: config.text, weights: weights, prefix: "model.text_model.", headName: "lm_head.weight",
                              precision: precision.decoder)

        var stops = Set(try Self.generationEOS(directory))
        if let endOfUtterance = tokenizer.id(of: tokens.endOfUtterance) { stops.insert(endOfUtterance) }
        stopTokenIDs = stops
    }

    /// Loads a model directory with the two precisions given separately
    /// (``init(directory:precision:)`` with a ``ModelPrecision`` of them).
    ///
    /// - Parameters:
    ///   - decoderPrecision: the format the text decoder keeps its weight matrices in (`.float32`,
    ///     the reference numerics, by default; see ``WeightPrecision`` for the faster, smaller ones
    ///     and their measured quality).
    ///   - encoderPrecision: the vision encoder's arithmetic; ``VisionEncoder/Precision/bfloat16``
    ///     is about twice as fast on CPUs with AVX512-BF16 and slightly less exact.
    public convenience init(
        directory: URL, decoderPrecision: WeightPrecision = .float32, encoderPrecision: VisionEncoder.Precision = .float32
    ) throws {
        try self.init(directory: directory, precision: ModelPrecision(encoder: encoderPrecision, decoder: decoderPrecision))
    }

    /// The precisions in effect: the requested ones, except a bfloat16 encoder request
    /// on a CPU without AVX512-BF16, which computes float32.
    public var precision: ModelPrecision { ModelPrecision(encoder: encoder.precision, decoder: decoder.precision) }

    /// A model from parts already loaded and checked against each other (the GGUF-pair loader).
    init(directory: URL, config: ModelConfig, tokenizer: Tokenizer, chatTemplate: ChatTemplate,
         processorConfig: ImageProcessorConfig, videoConfig: VideoProcessorConfig?, imageTokenID: Int,
         encoder: VisionEncoder, connector: Connector, decoder: SmolLM2, stopTokenIDs: Set<Int>) throws {
        self.directory = directory
        self.config = config
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        self.processorConfig = processorConfig
        promptTokens = ImagePromptTokens(tokensPerTile: config.imageSequenceLength)
        self.videoConfig = videoConfig
        videoPromptTokens = VideoPromptTokens(image: promptTokens)
        videoChatTemplate = try ChatTemplate(VideoPromptTokens.chatTemplateSource)
        self.encoder = encoder
        self.connector = connector
        self.decoder = decoder
        self.imageTokenID = imageTokenID
        self.stopTokenIDs = stopTokenIDs
    }

    static func processorImageSequenceLength(_ directory: URL) throws(ConfigError) -> Int? {
        let url = directory.appendingPathComponent("processor_config.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try JSONConfig(contentsOf: url).int("image_seq_len")
    }

    static func generationEOS(_ directory: URL) throws(ConfigError) -> [Int] {
        let url = directory.appendingPathComponent("generation_config.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try JSONConfig(contentsOf: url).ints("eos_token_id") ?? []
    }
}
