import Foundation
import SmolPipeline
import SmolTensor
import SmolTestSupport
import SmolVision
import Testing

/// ``ModelPrecision``: its text form, and that every loader applies it.
@Suite("Model precision")
struct ModelPrecisionTests {
    static let directory = TestModels.root.appendingPathComponent("Models/tiny-smolvlm2")
    /// What a bfloat16 encoder request gives on this CPU (float32 without AVX512-BF16).
    static let fastInEffect = ModelPrecision(
        encoder: VisionEncoder.isAccelerated(.bfloat16) ? .bfloat16 : .float32, decoder: .q8_0)

    // MARK: Text form

    @Test func namedPrecisions() throws {
        #expect(try ModelPrecision(parsing: "reference") == .reference)
        #expect(try ModelPrecision(parsing: "fast") == .fast)
        #expect(ModelPrecision.reference == ModelPrecision(encoder: .float32, decoder: .float32))
        #expect(ModelPrecision.fast == ModelPrecision(encoder: .bfloat16, decoder: .q8_0))
        #expect(ModelPrecision.reference.description == "float32/float32")
        #expect(ModelPrecision.fast.description == "bfloat16/q8_0")
    }

    @Test func everyPairRoundTripsThroughItsDescription() throws {
        for encoder in VisionEncoder.Precision.allCases {
            for decoder in WeightPrecision.allCases {
                let precision = ModelPrecision(encoder: encoder, decoder: decoder)
                #expect(precision.description == "\(encoder.rawValue)/\(decoder.rawValue)")
                #expect(try ModelPrecision(parsing: precision.description) == precision)
            }
        }
    }

    @Test(arguments: ["", "Reference", "FAST", "float32", "float32/", "/q8_0", "bfloat16/q8_0/", "float16/float32",
                      "bfloat16/q8", "bfloat16 / q8_0", "q8_0/bfloat16"])
    func badTextIsATypedError(_ text: String) {
        #expect(throws: PipelineError.invalidPrecision(text)) { try ModelPrecision(parsing: text) }
        let message = PipelineError.invalidPrecision(text).description
        #expect(message.contains("'\(text)'") && message.contains("reference, fast") && message.contains("q4_1"))
    }

    // MARK: Loading

    @Test(.enabled(if: TestModels.available(directory)))
    func directoryLoadsInTheRequestedPrecision() throws {
        #expect(try VisionLanguageModel(directory: Self.directory).precision == .reference)
        let fast = try VisionLanguageModel(directory: Self.directory, precision: .fast)
        #expect(fast.decoder.precision == .q8_0)
        #expect(fast.encoder.precision == Self.fastInEffect.encoder)
        #expect(fast.precision == Self.fastInEffect)
        // The two-argument initializer is the same loader.
        let separate = try VisionLanguageModel(directory: Self.directory, decoderPrecision: .q4_1)
        #expect(separate.precision == ModelPrecision(encoder: .float32, decoder: .q4_1))
    }

    @Test(.enabled(if: TestModels.available(directory)))
    func loadByNameAppliesThePrecision() async throws {
        let model = try await VisionLanguageModel.load(Self.directory.path, precision: .fast)
        #expect(model.precision == Self.fastInEffect)
        let chat = try await VisionChat(model: Self.directory.path, precision: ModelPrecision(encoder: .float32, decoder: .bfloat16))
        #expect(chat.model.precision == ModelPrecision(encoder: .float32, decoder: .bfloat16))
    }

    @Test(.enabled(if: GGUFPairTests.available("tiny-smolvlm2")))
    func ggufPairAppliesThePrecision() throws {
        let chat = try VisionChat(textGGUF: GGUFPairTests.text("tiny-smolvlm2"), mmproj: GGUFPairTests.mmproj("tiny-smolvlm2"),
                                  precision: .fast)
        #expect(chat.model.precision == Self.fastInEffect)
        let reference = try VisionLanguageModel(textGGUF: GGUFPairTests.text("tiny-smolvlm2"),
                                                mmproj: GGUFPairTests.mmproj("tiny-smolvlm2"))
        #expect(reference.precision == .reference)
    }

    // MARK: Answers

    /// `fast` answers the golden question (tiny-smolvlm2/single_unsplit, whose first-step top-2
    /// logit margin is 0.52) with transformers' float32 first token.
    @Test(.enabled(if: TestModels.available(directory)))
    func fastKeepsTheGoldenFirstToken() async throws {
        let chat = try VisionChat(directory: Self.directory, precision: .fast)
        let image = PipelineGoldenTests.fixtures.appendingPathComponent("images/scene_96x64.png")
        let answer = try await chat.respond(to: [.image(.file(image)), .text("Describe this image.")],
                                            options: ChatOptions(maxTokens: 4, imageSplitting: false))
        let golden = try SafetensorsFile(url: PipelineGoldenTests.fixtures
            .appendingPathComponent("tiny-smolvlm2/single_unsplit/golden.safetensors"))
        #expect(answer.promptTokenCount == (try golden.tensor(named: "input_ids").ints()).count)
        #expect(answer.tokens.first == (try golden.tensor(named: "tokens").ints()).first)

        let run = try GoldenRun(chat.model, fixture: "tiny-smolvlm2", case: "single_unsplit")
        print("\(chat.model.precision) on tiny-smolvlm2/single_unsplit: connector error \(run.connectorError), "
              + "first-step logits \(run.logitError), greedy agreement \(run.sharedPrefix)/\(run.expectedTokens.count)")
    }
}
