// The pipeline composed by hand from the layers, without VisionChat: image
// processor → SigLIP encoder → connector → prompt expansion → SmolLM2 decoder.
//
//     swift run CustomPipeline <model-directory> <image.png|jpg>
import Foundation
import SmolConnector
import SmolPipeline
import SmolTensor
import SmolText
import SmolVision

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: CustomPipeline <model-directory> <image>\n".utf8))
    exit(2)
}
do {
    let directory = URL(fileURLWithPath: arguments[1])
    let config = try ModelConfig(contentsOf: directory)
    let weights = try SafetensorsCheckpoint(url: directory)
    let tokenizer = try Tokenizer(directory: directory)
    let template = try ChatTemplate(model: directory)

    // Vision: one unsplit tile through the encoder and the connector.
    var processorConfig = try ImageProcessorConfig(contentsOf: directory)
    processorConfig.doImageSplitting = false
    let image = try Image(contentsOf: URL(fileURLWithPath: arguments[2]))
    let processed = try ImageProcessor(config: processorConfig).process([[image]])
    let encoder = try VisionEncoder(config: config.vision, weights: weights)
    let patches = try encoder.encode(pixelValues: processed.pixelValues).lastHiddenState
    let connector = try Connector(weights: weights, scaleFactor: config.scaleFactor,
                                  visionHiddenSize: config.vision.hiddenSize, textHiddenSize: config.text.hiddenSize)
    let features = try connector(patches)  // [1, image_seq_len, text hidden]

    // Text: render, expand the <image> placeholder, tokenize once.
    let rendered = try template.render(
        messages: [ChatMessage(role: "user", content: [.image, .text("What is in this image?")])],
        addGenerationPrompt: true)
    let prompt = try ImagePromptTokens(tokensPerTile: config.imageSequenceLength).expand(rendered, grids: [(0, 0)])
    let ids = tokenizer.encode(prompt)

    // Splice the features in at the <image> positions and decode greedily.
    let decoder = try SmolLM2(config: config.text, weights: weights, prefix: "model.text_model.")
    var embeddings = try decoder.embed(ids)
    let imageID = config.imageTokenID
    let hidden = config.text.hiddenSize
    let rows = try features.floats()
    embeddings.withUnsafeMutableFloats { out in
        for (k, position) in ids.indices.filter({ ids[$0] == imageID }).enumerated() {
            for j in 0..<hidden { out[position * hidden + j] = rows[k * hidden + j] }
        }
    }
    var cache = KVCache(config: config.text, capacity: ids.count + 48)
    var answer = ""
    let stop = Set([tokenizer.id(of: "<end_of_utterance>")].compactMap { $0 })
    _ = try decoder.generate(embeddings: embeddings, promptIDs: ids, tokenizer: tokenizer,
                             request: GenerationRequest(maxTokens: 48, stopTokenIDs: stop), cache: &cache) { piece in
        answer += piece.text
        return true
    }
    print(answer)
} catch {
    FileHandle.standardError.write(Data("CustomPipeline: \(error.localizedDescription)\n".utf8))
    exit(1)
}
