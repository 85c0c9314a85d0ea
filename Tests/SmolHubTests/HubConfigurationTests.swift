import Foundation
@testable import SmolHub
import Testing

/// Environment variables, repository ids and model sources, read as `huggingface_hub` reads them.
@Suite("Hub configuration")
struct HubConfigurationTests {
    @Test func theCacheFollowsHFHubCacheThenHFHomeThenXDG() {
        let home = ["HOME": "/home/u"]
        #expect(HubConfiguration(environment: home).cacheDirectory.path == "/home/u/.cache/huggingface/hub")
        #expect(HubConfiguration(environment: home.merging(["XDG_CACHE_HOME": "/x"]) { $1 }).cacheDirectory.path
                == "/x/huggingface/hub")
        #expect(HubConfiguration(environment: home.merging(["HF_HOME": "~/hf", "XDG_CACHE_HOME": "/x"]) { $1 }).cacheDirectory.path
                == "/home/u/hf/hub")
        #expect(HubConfiguration(environment: home.merging(["HF_HOME": "/h", "HUGGINGFACE_HUB_CACHE": "/legacy"]) { $1 })
                    .cacheDirectory.path == "/legacy")
        #expect(HubConfiguration(environment: home.merging(["HF_HUB_CACHE": "/c", "HUGGINGFACE_HUB_CACHE": "/legacy"]) { $1 })
                    .cacheDirectory.path == "/c")
    }

    @Test func endpointTokenAndOfflineMode() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("smolhub-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ["HF_HOME": home.path]
        var configuration = HubConfiguration(environment: environment)
        #expect(configuration.endpoint.absoluteString == "https://huggingface.co")
        #expect(configuration.token == nil && !configuration.offline)

        try Data("hf_from_file\n".utf8).write(to: home.appendingPathComponent("token"))
        environment["HF_ENDPOINT"] = "http://mirror.example:8080/"
        environment["HF_HUB_OFFLINE"] = "yes"
        configuration = HubConfiguration(environment: environment)
        #expect(configuration.endpoint.absoluteString == "http://mirror.example:8080")
        #expect(configuration.token == "hf_from_file" && configuration.offline)

        environment["HF_TOKEN"] = "hf_from_env"
        environment["HF_HUB_OFFLINE"] = "0"
        environment["TRANSFORMERS_OFFLINE"] = "1"
        configuration = HubConfiguration(environment: environment)
        #expect(configuration.token == "hf_from_env" && !configuration.offline, "HF_HUB_OFFLINE wins over TRANSFORMERS_OFFLINE")
    }

    @Test func repositoryIDsAreCheckedAsTheHubChecksThem() throws {
        #expect(try HubRepoID("HuggingFaceTB/SmolVLM-256M-Instruct").cacheFolderName == "models--HuggingFaceTB--SmolVLM-256M-Instruct")
        #expect(try HubRepoID("a/b.c_d-1").description == "a/b.c_d-1")
        for bad in ["gpt2", "a/b/c", "/b", "a/", "a--b/c", "a/b..c", "-a/b", "a/b.", "a b/c", "a/ü", String(repeating: "a", count: 60) + "/" + String(repeating: "b", count: 40)] {
            #expect(throws: HubError.invalidRepoID(bad)) { try HubRepoID(bad) }
        }
    }

    @Test func modelSourcesAreRepositoriesOrPaths() throws {
        let repo = try HubRepoID("HuggingFaceTB/SmolVLM-256M-Instruct")
        #expect(ModelSource("HuggingFaceTB/SmolVLM-256M-Instruct") == .hub(repo, revision: "main"))
        #expect(ModelSource("HuggingFaceTB/SmolVLM-256M-Instruct@v1.0") == .hub(repo, revision: "v1.0"))
        #expect(ModelSource("HuggingFaceTB/SmolVLM-256M-Instruct@refs/pr/1") == .hub(repo, revision: "refs/pr/1"))
        #expect(ModelSource("./HuggingFaceTB/SmolVLM-256M-Instruct") == .local(URL(fileURLWithPath: "./HuggingFaceTB/SmolVLM-256M-Instruct")))
        #expect(ModelSource("/models/x") == .local(URL(fileURLWithPath: "/models/x")))
        #expect(ModelSource("model.gguf") == .local(URL(fileURLWithPath: "model.gguf")))
        // An existing directory wins over the repository reading.
        #expect(ModelSource("Models/tiny-smolvlm2", exists: { $0 == "Models/tiny-smolvlm2" })
                == .local(URL(fileURLWithPath: "Models/tiny-smolvlm2")))
        #expect(ModelSource("Models/tiny-smolvlm2", exists: { _ in false }) == .hub(try HubRepoID("Models/tiny-smolvlm2"), revision: "main"))
    }

    @Test func pathsAreEncodedAsPythonQuotes() {
        #expect(URLPath.encode("refs/pr/1", keepingSlashes: false) == "refs%2Fpr%2F1")
        #expect(URLPath.encode("a b/ü.json", keepingSlashes: true) == "a%20b/%C3%BC.json")
        #expect(!URLPath.isSafeRelativePath("../x") && !URLPath.isSafeRelativePath("a//b") && URLPath.isSafeRelativePath("a/b.json"))
        #expect(HubAPI.normalizedEtag("W/\"abc\"") == "abc" && HubAPI.normalizedEtag("\"abc\"") == "abc")
    }
}
