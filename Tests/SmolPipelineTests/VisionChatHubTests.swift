import Foundation
import SmolHub
import SmolPipeline
import SmolTestSupport
import Testing

/// Models named by Hub repository, served by a fake Hub from the tiny SmolVLM2 checkpoint.
@Suite("VisionChat from the Hub")
struct VisionChatHubTests {
    static let directory = TestModels.root.appendingPathComponent("Models/tiny-smolvlm2")

    @Test(.enabled(if: TestModels.available(directory)))
    func aRepositoryNameLoadsLikeItsDirectory() async throws {
        let hub = try FakeHub()
        defer { hub.stop() }
        let files = try FakeHub.File.folder(Self.directory)
        hub.publish("smol-test/tiny-smolvlm2", files: files + [.init(path: "README.md", data: Data("# tiny\n".utf8))])
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("smolhub-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let client = HubClient(configuration: HubConfiguration(endpoint: hub.endpoint, cacheDirectory: cache))

        let fromHub = try await VisionChat(model: "smol-test/tiny-smolvlm2", hub: client)
        let snapshot = fromHub.model.directory
        #expect(snapshot.path.hasPrefix(cache.appendingPathComponent("models--smol-test--tiny-smolvlm2/snapshots/").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: snapshot.path).sorted() == files.map(\.path).sorted())

        let local = try VisionChat(directory: Self.directory)
        let options = ChatOptions(maxTokens: 6)
        let expected = try await local.respond(to: [.text("Hello")], options: options)
        let answer = try await fromHub.respond(to: [.text("Hello")], options: options)
        #expect(answer.tokens == expected.tokens)

        // Offline, the same name loads from the cache; a model that was never fetched says so.
        let offline = HubClient(configuration: HubConfiguration(endpoint: hub.endpoint, cacheDirectory: cache, offline: true))
        let reloaded = try await VisionLanguageModel.load("smol-test/tiny-smolvlm2", hub: offline)
        #expect(reloaded.directory == snapshot)
        await #expect(throws: HubError.notCached(repo: VisionLanguageModel.defaultModel, revision: "main", cache: cache.path,
                                                 reason: .offline)) {
            try await VisionLanguageModel.load(hub: offline)
        }
    }
}
