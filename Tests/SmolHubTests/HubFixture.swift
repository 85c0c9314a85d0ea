import Foundation
@testable import SmolHub
import SmolTestSupport

/// A fake Hub with a small synthetic model, a fresh cache folder and a client for both.
/// Immutable after `init` (the fake Hub locks its own state).
final class HubFixture: @unchecked Sendable {
    static let repo = "smol-test/tiny-model"
    let hub: FakeHub
    let cacheDirectory: URL
    let commit: String
    let files: [FakeHub.File]

    /// The files ``HubFileSelection/model`` must fetch from ``standardFiles``.
    static let modelFiles = ["chat_template.jinja", "config.json", "merges.txt", "model.safetensors",
                             "tokenizer.json", "tokenizer_config.json"]

    init(files: [FakeHub.File] = HubFixture.standardFiles(), token: String? = nil) throws {
        hub = try FakeHub()
        self.files = files
        commit = hub.publish(Self.repo, files: files, token: token)
        cacheDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("smolhub-\(UUID().uuidString)")
    }

    deinit {
        hub.stop()
        try? FileManager.default.removeItem(at: cacheDirectory)
    }

    func client(token: String? = nil, offline: Bool = false, maxRetries: Int = 3, endpoint: URL? = nil) -> HubClient {
        var configuration = HubConfiguration(endpoint: endpoint ?? hub.endpoint, cacheDirectory: cacheDirectory,
                                             token: token, offline: offline)
        configuration.maxRetries = maxRetries
        configuration.retryDelay = 0
        return HubClient(configuration: configuration)
    }

    var repoID: HubRepoID { try! HubRepoID(Self.repo) }
    var repoFolder: URL { cacheDirectory.appendingPathComponent("models--smol-test--tiny-model") }

    func file(_ path: String) -> FakeHub.File { files.first { $0.path == path }! }

    /// Deterministic bytes that do not repeat within a block, so a misplaced range shows.
    static func bytes(_ count: Int, seed: UInt64) -> Data {
        var state = seed &+ 0x9e37_79b9_7f4a_7c15
        var data = Data(count: count)
        for i in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            data[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return data
    }

    /// A checkpoint's usual files plus ones a model does not need.
    static func standardFiles(weights: Int = 300_000) -> [FakeHub.File] {
        [
            .init(path: ".gitattributes", data: Data("*.safetensors filter=lfs\n".utf8)),
            .init(path: "README.md", data: Data("# tiny\n".utf8)),
            .init(path: "config.json", data: Data(#"{"model_type": "llama"}"#.utf8)),
            .init(path: "tokenizer.json", data: Data(#"{"model": {"type": "BPE"}}"#.utf8)),
            .init(path: "tokenizer_config.json", data: Data("{}".utf8)),
            .init(path: "chat_template.jinja", data: Data("{{ messages }}".utf8)),
            .init(path: "merges.txt", data: Data("#version: 0.2\n".utf8)),
            .init(path: "model.safetensors", data: bytes(weights, seed: 1)),
            .init(path: "pytorch_model.bin", data: bytes(1000, seed: 2), lfs: true),
            .init(path: "onnx/model.onnx", data: bytes(1000, seed: 3), lfs: true),
        ]
    }
}
