import Foundation
@testable import SmolHub
import SmolTestSupport
import Testing

/// What `smolvlm models` lists.
@Suite("Hub cache listing")
struct HubCacheTests {
    @Test func listsModelsWithSizesRefsAndPartialDownloads() async throws {
        let fixture = try HubFixture()
        let client = fixture.client()
        #expect(try client.cache.models().isEmpty)
        _ = try await client.snapshot(fixture.repoID)
        let partial = fixture.repoFolder.appendingPathComponent("blobs/abc.incomplete")
        try Data(count: 1234).write(to: partial)

        let models = try client.cache.models()
        let model = try #require(models.first)
        #expect(models.count == 1 && model.repo == fixture.repoID)
        let expected = HubFixture.modelFiles.reduce(Int64(0)) { $0 + Int64(fixture.file($1).data.count) }
        #expect(model.sizeOnDisk == expected && model.blobCount == HubFixture.modelFiles.count)
        #expect(model.partialBytes == 1234)
        #expect(model.commits == [fixture.commit] && model.refs == ["main": fixture.commit])
    }
}
