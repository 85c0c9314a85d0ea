import Foundation
import SmolConnector
import SmolTensor
import SmolText
import SmolVision

extension VisionLanguageModel {
    /// Loads a llama.cpp GGUF pair — the text model and its `mmproj` file, as in
    /// ggml-org/SmolVLM*-GGUF — checking that the two belong together.
    ///
    /// The text GGUF gives the SmolLM2 decoder (Q/K rows un-permuted), the tokenizer
    /// (`tokenizer.ggml.*`) and the chat template; the mmproj gives the SigLIP tower (`v.*`), the
    /// connector (`mm.model.fc.weight`) and the image settings (see ``MMProjConfig``). The decoder's
    /// matrices are kept in `precision.decoder` (stored tensors already in that format stay mapped,
    /// others are converted once, here); the mmproj's tensors, whatever their GGUF type, are widened
    /// to float32 at load and the encoder computes in `precision.encoder` like a directory's.
    /// Images are processed as transformers does, with the mmproj's sizes, mean and std (not
    /// llama.cpp's own resizing).
    /// Video uses transformers' SmolVLM2 defaults (``MMProjConfig/videoProcessorConfig``): the pair
    /// does not say whether it is SmolVLM or SmolVLM2, so video is offered for both.
    ///
    /// - Parameter precision: ``ModelPrecision/reference`` (float32, the default) or another pair;
    ///   the reference is exact only for an F32 pair (quantized files carry their own rounding).
    /// - Throws: ``PipelineError/unsupportedProjector(file:projectorType:)``,
    ///   ``PipelineError/invalidProjector(file:problems:)`` (missing or bad keys, listed),
    ///   ``PipelineError/mismatchedPair(textModel:mmproj:problems:)`` (projection width ≠ decoder
    ///   width, a tokenizer without SmolVLM's image tokens, …),
    ///   ``WeightsError/invalidWeights(source:problems:)`` listing every missing, misshapen or
    ///   unexpected mmproj tensor, or the typed error of the file that failed to load.
    public convenience init(textGGUF: URL, mmproj: URL, precision: ModelPrecision = .reference) throws {
        let projectorFile = try GGUFFile(url: mmproj)
        let projector = try MMProjConfig(gguf: projectorFile)
        let textFile = try GGUFFile(url: textGGUF)
        let text = try TextConfig(gguf: textFile)
        let tokenizer = try Tokenizer(gguf: textFile)

        var problems: [String] = []
        if projector.projectionDimension != text.hiddenSize {
            problems.append("the mmproj projects to \(projector.projectionDimension) (clip.vision.projection_dim) but the decoder is \(text.hiddenSize) wide (llama.embedding_length)")
        }
        let tokens = ImagePromptTokens(tokensPerTile: projector.imageSequenceLength)
        let imageID = tokenizer.id(of: tokens.image)
        for token in [tokens.image, tokens.fakeImage] where tokenizer.id(of: token) == nil {
            problems.append("the text model's tokenizer has no '\(token)' token (not a SmolVLM text model)")
        }
        if tokenizer.vocabularySize > text.vocabularySize {
            problems.append("the tokenizer has \(tokenizer.vocabularySize) ids but the decoder only \(text.vocabularySize)")
        }
        guard problems.isEmpty, let imageID else {
            throw PipelineError.mismatchedPair(textModel: textGGUF.path, mmproj: mmproj.path, problems: problems)
        }
        try MMProjTensors.validate(projectorFile, config: projector)

        let encoder = try VisionEncoder(config: projector.vision, weights: MMProjVisionWeights(file: projectorFile, config: projector),
                                        precision: precision.encoder)
        let projection = try projectorFile.tensor(named: MMProjTensors.projection).asFloat32()
        let connector = try Connector(scaleFactor: projector.scaleFactor, projection: projection)
        let decoder = try SmolLM2(gguf: textFile, precision: precision.decoder)
        var stops = Set(text.eosTokenIDs)
        if let endOfUtterance = tokenizer.id(of: tokens.endOfUtterance) { stops.insert(endOfUtterance) }

        try self.init(directory: textGGUF, config: ModelConfig(text: text, mmproj: projector, imageTokenID: imageID),
                      tokenizer: tokenizer, chatTemplate: ChatTemplate(gguf: textFile),
                      processorConfig: projector.imageProcessorConfig, videoConfig: projector.videoProcessorConfig,
                      imageTokenID: imageID, encoder: encoder, connector: connector, decoder: decoder, stopTokenIDs: stops)
    }
}
