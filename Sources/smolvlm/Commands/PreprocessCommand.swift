import ArgumentParser
import Foundation
import SmolVLM

/// Writes what the vision encoder sees for an image, for inspection.
struct PreprocessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Run the model's image processor and write pixel_values, pixel_attention_mask, rows and cols to a safetensors file.")

    @Option(help: "A model directory or Hub repository ORG/NAME[@revision] (its preprocessor_config.json is used).")
    var model: String

    @Option(help: "A PNG or JPEG file.")
    var image: String

    @Flag(help: "One tile per image instead of splitting.")
    var noSplitting = false

    @Option(help: "The output .safetensors file.")
    var out: String

    func run() async throws {
        var config = try await ImageProcessorConfig(contentsOf: ModelArgument.resolve(model))
        if noSplitting { config.doImageSplitting = false }
        let input = try Image(contentsOf: URL(fileURLWithPath: image))
        let processed = try ImageProcessor(config: config).process([[input]])
        let grid = processed.grids[0][0]
        try SafetensorsWriter.write([
            ("pixel_values", processed.pixelValues),
            ("pixel_attention_mask", processed.pixelAttentionMask),
            ("rows", try Tensor(shape: [1], int64s: [Int64(grid.rows)])),
            ("cols", try Tensor(shape: [1], int64s: [Int64(grid.cols)])),
        ], to: URL(fileURLWithPath: out))
        print("\(image): \(input.width)×\(input.height) → \(processed.pixelValues.shape) (rows \(grid.rows), cols \(grid.cols)) → \(out)")
    }
}
