import Foundation
@testable import SmolHub
import SmolTestSupport
import Testing

/// Downloads from a fake Hub on loopback into a fresh cache.
@Suite("Hub downloads")
struct HubDownloadTests {
    /// Reads a symlink's target text without following it.
    static func linkTarget(_ url: URL) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: url.path)
    }

    @Test func freshDownloadWritesTheHuggingFaceCacheLayout() async throws {
        let fixture = try HubFixture()
        let folder = try await fixture.client().snapshot(fixture.repoID)

        #expect(folder == fixture.repoFolder.appendingPathComponent("snapshots/\(fixture.commit)"))
        #expect(try String(contentsOf: fixture.repoFolder.appendingPathComponent("refs/main"), encoding: .utf8) == fixture.commit)
        let snapshot = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(snapshot == HubFixture.modelFiles)
        for name in HubFixture.modelFiles {
            let file = fixture.file(name)
            let etag = file.lfs ? try FileDigest.sha256(of: folder.appendingPathComponent(name)) : ContentDigest.gitBlobID(of: file.data)
            #expect(try Self.linkTarget(folder.appendingPathComponent(name)) == "../../blobs/\(etag)")
            #expect(try Data(contentsOf: fixture.repoFolder.appendingPathComponent("blobs/\(etag)")) == file.data, "\(name)")
        }
        let blobs = try FileManager.default.contentsOfDirectory(atPath: fixture.repoFolder.appendingPathComponent("blobs").path)
        #expect(blobs.count == HubFixture.modelFiles.count && !blobs.contains { $0.hasSuffix(".incomplete") })
        #expect(FileManager.default.fileExists(atPath: fixture.cacheDirectory.appendingPathComponent("CACHEDIR.TAG").path))
        #expect(FileManager.default.fileExists(
            atPath: fixture.cacheDirectory.appendingPathComponent(".locks/models--smol-test--tiny-model").path))

        // Only what the model needs was fetched; the weights came from the CDN host without the token.
        let fetched = Set(fixture.hub.requests.filter { $0.method == "GET" }.compactMap(\.file))
        #expect(fetched == Set(HubFixture.modelFiles))
        let weights = fixture.hub.downloads(of: "model.safetensors")
        #expect(weights.count == 1 && weights[0].path.hasPrefix("/lfs/") && weights[0].headers["host"]?.hasPrefix("localhost:") == true)
    }

    @Test func aSecondCallFindsEverythingCached() async throws {
        let fixture = try HubFixture()
        let client = fixture.client()
        let first = try await client.snapshot(fixture.repoID)
        let before = fixture.hub.requests.count
        let second = try await client.snapshot(fixture.repoID)
        #expect(first == second)
        let later = fixture.hub.requests.dropFirst(before)
        #expect(later.map(\.path) == ["/api/models/smol-test/tiny-model/revision/main"], "only the listing: \(later.map(\.path))")
    }

    @Test func shardedWeightsFollowTheIndex() async throws {
        let index = #"{"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors", "c": "model-00001-of-00002.safetensors"}}"#
        var files = HubFixture.standardFiles().filter { $0.path != "model.safetensors" }
        files += [
            .init(path: "model.safetensors.index.json", data: Data(index.utf8)),
            .init(path: "model-00001-of-00002.safetensors", data: HubFixture.bytes(70_000, seed: 4)),
            .init(path: "model-00002-of-00002.safetensors", data: HubFixture.bytes(50_000, seed: 5)),
            .init(path: "old-model.safetensors", data: HubFixture.bytes(10_000, seed: 6)),
        ]
        let fixture = try HubFixture(files: files)
        let folder = try await fixture.client().snapshot(fixture.repoID)
        let snapshot = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(snapshot == ["chat_template.jinja", "config.json", "merges.txt", "model-00001-of-00002.safetensors",
                             "model-00002-of-00002.safetensors", "model.safetensors.index.json", "tokenizer.json",
                             "tokenizer_config.json"])
        #expect(try Data(contentsOf: folder.appendingPathComponent("model-00002-of-00002.safetensors"))
                == fixture.file("model-00002-of-00002.safetensors").data)
    }

    @Test func anIndexNamingAMissingShardIsAnError() async throws {
        var files = HubFixture.standardFiles().filter { $0.path != "model.safetensors" }
        files.append(.init(path: "model.safetensors.index.json", data: Data(#"{"weight_map": {"a": "model-1.safetensors"}}"#.utf8)))
        let fixture = try HubFixture(files: files)
        await #expect(throws: HubError.entryNotFound(repo: HubFixture.repo, file: "model-1.safetensors", revision: fixture.commit)) {
            try await fixture.client().snapshot(fixture.repoID)
        }
    }

    @Test func aRepositoryWithoutSafetensorsIsAnError() async throws {
        let fixture = try HubFixture(files: HubFixture.standardFiles().filter { $0.path != "model.safetensors" })
        await #expect(throws: HubError.noWeights(repo: HubFixture.repo, revision: "main")) {
            try await fixture.client().snapshot(fixture.repoID)
        }
        // Patterns fetch whatever matches instead.
        let folder = try await fixture.client().snapshot(fixture.repoID, files: .matching(["*.bin", "onnx/*"]))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("onnx/model.onnx").path))
        #expect(try Self.linkTarget(folder.appendingPathComponent("onnx/model.onnx")).hasPrefix("../../../blobs/"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["onnx", "pytorch_model.bin"])
    }

    @Test func resumesAfterACutConnection() async throws {
        let fixture = try HubFixture()
        fixture.hub.inject(.cutConnection(after: 100_000, times: 2), for: "model.safetensors")
        let folder = try await fixture.client().snapshot(fixture.repoID)
        #expect(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")) == fixture.file("model.safetensors").data)
        let ranges = fixture.hub.downloads(of: "model.safetensors").map { $0.headers["range"] }
        #expect(ranges == [nil, "bytes=100000-", "bytes=200000-"])
    }

    @Test func resumesWhatAnInterruptedRunLeft() async throws {
        let fixture = try HubFixture()
        fixture.hub.inject(.cutConnection(after: 120_000, times: 1), for: "model.safetensors")
        await #expect(throws: HubError.self) {
            try await fixture.client(maxRetries: 0).snapshot(fixture.repoID)
        }
        let weights = fixture.file("model.safetensors")
        let partial = fixture.repoFolder.appendingPathComponent("blobs/\(weights.sha256).incomplete")
        #expect(try Data(contentsOf: partial).count == 120_000)

        let folder = try await fixture.client(maxRetries: 0).snapshot(fixture.repoID)
        #expect(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")) == weights.data)
        #expect(fixture.hub.downloads(of: "model.safetensors").map { $0.headers["range"] } == [nil, "bytes=120000-"])
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }

    @Test func aFileTheHubDoesNotHaveIsA404() async throws {
        let fixture = try HubFixture()
        fixture.hub.inject(.missing, for: "tokenizer_config.json")
        let error = await #expect(throws: HubError.self) { try await fixture.client().snapshot(fixture.repoID) }
        #expect(error == .entryNotFound(repo: HubFixture.repo, file: "tokenizer_config.json", revision: fixture.commit))
        #expect(error?.description == "smol-test/tiny-model has no file 'tokenizer_config.json' at revision \(fixture.commit)")
        // The answer is remembered where huggingface_hub remembers it.
        #expect(FileManager.default.fileExists(
            atPath: fixture.repoFolder.appendingPathComponent(".no_exist/\(fixture.commit)/tokenizer_config.json").path))
    }

    @Test(arguments: ["model.safetensors", "config.json"])
    func aWrongETagDiscardsTheDownload(file: String) async throws {
        let fixture = try HubFixture()
        fixture.hub.inject(.wrongETag, for: file)
        let error = await #expect(throws: HubError.self) { try await fixture.client().snapshot(fixture.repoID) }
        guard case let .checksumMismatch(name, expected, actual)? = error else {
            Issue.record("expected a checksum mismatch, got \(String(describing: error))")
            return
        }
        #expect(name == file && expected == String(actual.reversed()))
        let blobs = try FileManager.default.contentsOfDirectory(atPath: fixture.repoFolder.appendingPathComponent("blobs").path)
        #expect(!blobs.contains { $0.hasPrefix(expected) }, "no blob or partial file under the wrong name: \(blobs)")
        let snapshot = fixture.repoFolder.appendingPathComponent("snapshots/\(fixture.commit)/\(file)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: snapshot.path)) == nil)
    }

    @Test func aRevisionPinnedByCommitStaysPinned() async throws {
        let fixture = try HubFixture()
        var newer = HubFixture.standardFiles()
        newer[2] = .init(path: "config.json", data: Data(#"{"model_type": "llama", "v": 2}"#.utf8))
        let latest = fixture.hub.publish(HubFixture.repo, files: newer)
        #expect(latest != fixture.commit)
        let client = fixture.client()

        let pinned = try await client.snapshot(fixture.repoID, revision: fixture.commit)
        #expect(pinned.lastPathComponent == fixture.commit)
        #expect(try Data(contentsOf: pinned.appendingPathComponent("config.json")) == fixture.file("config.json").data)
        // A commit needs no ref; the branch was not touched.
        #expect(!FileManager.default.fileExists(atPath: fixture.repoFolder.appendingPathComponent("refs").path))

        let main = try await client.snapshot(fixture.repoID)
        #expect(main.lastPathComponent == latest)
        #expect(try String(contentsOf: fixture.repoFolder.appendingPathComponent("refs/main"), encoding: .utf8) == latest)
        #expect(try Data(contentsOf: main.appendingPathComponent("config.json")) == newer[2].data)
        // Unchanged files share their blobs: the weights were downloaded once.
        #expect(fixture.hub.downloads(of: "model.safetensors").count == 1)

        // Offline, the pinned commit still resolves to the old files.
        let offline = try await fixture.client(offline: true).snapshot(fixture.repoID, revision: fixture.commit)
        #expect(offline == pinned)
    }

    @Test func branchesAndTagsAreRecordedInRefs() async throws {
        let fixture = try HubFixture()
        let tagged = fixture.hub.publish(HubFixture.repo, files: HubFixture.standardFiles(weights: 1000), branch: "v1.0")
        let folder = try await fixture.client().snapshot(fixture.repoID, revision: "v1.0")
        #expect(folder.lastPathComponent == tagged)
        #expect(try String(contentsOf: fixture.repoFolder.appendingPathComponent("refs/v1.0"), encoding: .utf8) == tagged)
        await #expect(throws: HubError.revisionNotFound(repo: HubFixture.repo, revision: "v9")) {
            try await fixture.client().snapshot(fixture.repoID, revision: "v9")
        }
    }

    @Test func privateRepositoriesNeedTheToken() async throws {
        let fixture = try HubFixture(token: "hf_secret")
        await #expect(throws: HubError.repositoryNotFound(repo: HubFixture.repo, status: 401)) {
            try await fixture.client().snapshot(fixture.repoID)
        }
        _ = try await fixture.client(token: "hf_secret").snapshot(fixture.repoID)
        let withToken = fixture.hub.requests.filter { $0.headers["authorization"] == "Bearer hf_secret" }
        #expect(withToken.contains { $0.path.hasPrefix("/api/") } && withToken.contains { $0.path.contains("/resolve/") })
        // The CDN never sees it.
        #expect(fixture.hub.requests.filter { $0.path.hasPrefix("/lfs/") }.allSatisfy { $0.headers["authorization"] == nil })
    }

    @Test func progressCountsEveryByteOnce() async throws {
        let fixture = try HubFixture()
        fixture.hub.inject(.cutConnection(after: 100_000, times: 1), for: "model.safetensors")
        let reports = ProgressLog()
        _ = try await fixture.client().snapshot(fixture.repoID) { reports.append($0) }
        let expected = HubFixture.modelFiles.reduce(Int64(0)) { $0 + Int64(fixture.file($1).data.count) }
        let last = try #require(reports.all.last)
        #expect(last.completedBytes == expected && last.totalBytes == expected)
        #expect(last.completedFiles == HubFixture.modelFiles.count && last.totalFiles == HubFixture.modelFiles.count)
        #expect(zip(reports.all, reports.all.dropFirst()).allSatisfy { $0.completedBytes <= $1.completedBytes })
    }

    @Test func cancellingStopsTheDownloadAndTheNextCallResumes() async throws {
        let fixture = try HubFixture(files: HubFixture.standardFiles(weights: 2_000_000))
        fixture.hub.inject(.hold(after: 200_000), for: "model.safetensors")
        let reports = ProgressLog()
        let task = Task { try await fixture.client().snapshot(fixture.repoID) { reports.append($0) } }
        // The server holds the weights after 200,000 bytes: wait until they are in.
        let total = HubFixture.modelFiles.reduce(Int64(0)) { $0 + Int64(fixture.file($1).data.count) }
        let held = total - 1_800_000
        for _ in 0..<6000 where (reports.all.last?.completedBytes ?? 0) < held {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        #expect(reports.all.last?.completedBytes == held && reports.all.last?.currentFile == "model.safetensors")
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }

        let partial = fixture.repoFolder.appendingPathComponent("blobs/\(fixture.file("model.safetensors").sha256).incomplete")
        #expect(try Data(contentsOf: partial).count == 200_000)
        fixture.hub.inject(nil, for: "model.safetensors")
        fixture.hub.releaseHeldResponses()
        let folder = try await fixture.client().snapshot(fixture.repoID)
        #expect(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")) == fixture.file("model.safetensors").data)
        #expect(fixture.hub.downloads(of: "model.safetensors").last?.headers["range"] == "bytes=200000-")
    }

    @Test func concurrentCallsShareOneCache() async throws {
        let fixture = try HubFixture()
        async let a = fixture.client().snapshot(fixture.repoID)
        async let b = fixture.client().snapshot(fixture.repoID)
        let (first, second) = try await (a, b)
        #expect(first == second)
        #expect(try Data(contentsOf: first.appendingPathComponent("model.safetensors")) == fixture.file("model.safetensors").data)
    }
}

/// Progress reports collected from any thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [HubProgress] = []
    func append(_ report: HubProgress) { lock.withLock { reports.append(report) } }
    var all: [HubProgress] { lock.withLock { reports } }
}
