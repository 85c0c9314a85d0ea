import Foundation
@testable import SmolHub
import SmolTestSupport
import Testing

/// The cache answering alone: `HF_HUB_OFFLINE`, or a Hub that cannot be reached.
@Suite("Hub offline")
struct HubOfflineTests {
    @Test func offlineWithACompleteCacheNeedsNoNetwork() async throws {
        let fixture = try HubFixture()
        let online = try await fixture.client().snapshot(fixture.repoID)
        fixture.hub.stop()
        let before = fixture.hub.requests.count
        let offline = try await fixture.client(offline: true).snapshot(fixture.repoID)
        #expect(offline == online)
        #expect(fixture.hub.requests.count == before)
    }

    @Test func offlineWithAnIncompleteCacheNamesTheMissingFiles() async throws {
        let fixture = try HubFixture()
        let folder = try await fixture.client().snapshot(fixture.repoID)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("model.safetensors"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer.json"))
        let error = await #expect(throws: HubError.self) { try await fixture.client(offline: true).snapshot(fixture.repoID) }
        #expect(error == .incompleteSnapshot(repo: HubFixture.repo, revision: "main", commit: fixture.commit,
                                             missing: ["tokenizer.json", "model.safetensors"], reason: .offline))
        #expect(error?.description == "the cached snapshot of smol-test/tiny-model (revision main, commit \(fixture.commit)) "
                + "lacks tokenizer.json, model.safetensors, and HF_HUB_OFFLINE is set. Download it again with network access")
    }

    @Test func offlineWithAnIncompleteShardedCacheNamesTheShard() async throws {
        let index = #"{"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}"#
        var files = HubFixture.standardFiles().filter { $0.path != "model.safetensors" }
        files += [
            .init(path: "model.safetensors.index.json", data: Data(index.utf8)),
            .init(path: "model-00001-of-00002.safetensors", data: HubFixture.bytes(7_000, seed: 4)),
            .init(path: "model-00002-of-00002.safetensors", data: HubFixture.bytes(5_000, seed: 5)),
        ]
        let fixture = try HubFixture(files: files)
        // An interrupted first run: the second shard never arrived.
        fixture.hub.inject(.cutConnection(after: 10, times: 1), for: "model-00002-of-00002.safetensors")
        await #expect(throws: HubError.self) { try await fixture.client(maxRetries: 0).snapshot(fixture.repoID) }
        await #expect(throws: HubError.incompleteSnapshot(
            repo: HubFixture.repo, revision: "main", commit: fixture.commit,
            missing: ["model-00002-of-00002.safetensors"], reason: .offline)) {
            try await fixture.client(offline: true).snapshot(fixture.repoID)
        }
    }

    @Test func offlineWithNothingCachedSaysHowToGetIt() async throws {
        let fixture = try HubFixture()
        let error = await #expect(throws: HubError.self) { try await fixture.client(offline: true).snapshot(fixture.repoID) }
        #expect(error == .notCached(repo: HubFixture.repo, revision: "main", cache: fixture.cacheDirectory.path, reason: .offline))
        #expect(error?.description == "smol-test/tiny-model (revision main) is not in the Hugging Face cache at "
                + "\(fixture.cacheDirectory.path), and HF_HUB_OFFLINE is set. Download it once with network access "
                + "(for example `smolvlm download smol-test/tiny-model`)")
        #expect(fixture.hub.requests.isEmpty)
    }

    /// `huggingface_hub` writes `trees/<commit>.json`; offline, its listing decides what must be there.
    @Test func aCachedListingFromPythonDecidesCompleteness() async throws {
        let fixture = try HubFixture()
        let folder = try await fixture.client().snapshot(fixture.repoID)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("merges.txt"))
        // Without a listing only config, tokenizer and weights are known to be needed.
        _ = try await fixture.client(offline: true).snapshot(fixture.repoID)
        let listing = #"{"format_version": 1, "files": {"config.json": {"size": 1, "blob_id": "x"}, "merges.txt": {"size": 1, "blob_id": "y"}, "README.md": {"size": 1, "blob_id": "z"}}}"#
        let trees = fixture.repoFolder.appendingPathComponent("trees")
        try FileManager.default.createDirectory(at: trees, withIntermediateDirectories: true)
        try Data(listing.utf8).write(to: trees.appendingPathComponent("\(fixture.commit).json"))
        await #expect(throws: HubError.incompleteSnapshot(repo: HubFixture.repo, revision: "main", commit: fixture.commit,
                                                          missing: ["merges.txt"], reason: .offline)) {
            try await fixture.client(offline: true).snapshot(fixture.repoID)
        }
    }

    @Test func anUnreachableHubFallsBackToTheCache() async throws {
        let fixture = try HubFixture()
        let online = try await fixture.client().snapshot(fixture.repoID)
        fixture.hub.stop()
        #expect(try await fixture.client().snapshot(fixture.repoID) == online)

        // Nothing cached: the error says both.
        let other = try HubRepoID("smol-test/other")
        let error = await #expect(throws: HubError.self) { try await fixture.client().snapshot(other) }
        guard case let .notCached(repo, revision, cache, .hubUnavailable(message))? = error else {
            Issue.record("expected 'not cached, Hub unavailable', got \(String(describing: error))")
            return
        }
        #expect(repo == "smol-test/other" && revision == "main" && cache == fixture.cacheDirectory.path)
        #expect(message.hasPrefix(fixture.hub.endpoint.absoluteString + "/api/models/smol-test/other/revision/main"))
        #expect(error?.description.contains("is not in the Hugging Face cache at") == true)
    }

    /// A refusal by the Hub is reported as it is when the cache cannot help.
    @Test func aMissingRepositoryIsReportedAsSuch() async throws {
        let fixture = try HubFixture()
        await #expect(throws: HubError.repositoryNotFound(repo: "smol-test/other", status: 401)) {
            try await fixture.client().snapshot(HubRepoID("smol-test/other"))
        }
    }

    @Test func anEndpointThatIsNotAHubIsNamed() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Data(#"{"sha": "0123456789012345678901234567890123456789", "siblings": [{"rfilename": "model.safetensors"}]}"#.utf8)) }
        defer { server.stop() }
        let fixture = try HubFixture()
        let client = fixture.client(endpoint: URL(string: "http://127.0.0.1:\(server.port)")!)
        await #expect(throws: HubError.notAHubResponse(
            url: "http://127.0.0.1:\(server.port)/smol-test/tiny-model/resolve/0123456789012345678901234567890123456789/model.safetensors",
            missing: "the X-Repo-Commit header")) {
            try await client.snapshot(fixture.repoID)
        }
    }
}
