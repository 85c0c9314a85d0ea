import Foundation
import SmolTensor
import SmolText
import Testing

/// Template lookup in a model directory, in transformers 5's order
/// (ProcessorMixin.get_processor_dict, then the tokenizer's from_pretrained).
@Suite("ChatTemplate.load: transformers' lookup order")
struct ChatTemplateLoadingTests {
    /// A scratch model directory with the given files.
    final class ModelDirectory {
        let url: URL

        init(_ files: [String: String]) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("chat-template-\(UUID())")
            for (path, text) in files {
                let file = url.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func load(name: String? = nil) throws -> (source: String, origin: ChatTemplateOrigin) {
            let loaded = try ChatTemplate.load(directory: url, name: name)
            return (loaded.template.source, loaded.origin)
        }
    }

    static let tokenizerConfig = #"{"bos_token": "<s>", "chat_template": "from tokenizer_config"}"#

    @Test func tokenizerConfigString() throws {
        let model = try ModelDirectory(["tokenizer_config.json": Self.tokenizerConfig])
        let loaded = try model.load()
        #expect(loaded.source == "from tokenizer_config" && loaded.origin == .tokenizerConfig(name: nil))
    }

    @Test func tokenizerConfigNamedList() throws {
        let model = try ModelDirectory(["tokenizer_config.json": #"""
            {"chat_template": [{"name": "default", "template": "plain"}, {"name": "tool_use", "template": "tools"}]}
            """#])
        #expect(try model.load() == ("plain", .tokenizerConfig(name: "default")))
        #expect(try model.load(name: "tool_use") == ("tools", .tokenizerConfig(name: "tool_use")))
        #expect(throws: ConfigError.self) { try model.load(name: "rag") }
    }

    @Test func namedTemplatesWithoutDefaultNeedAName() throws {
        let model = try ModelDirectory(["tokenizer_config.json": #"{"chat_template": [{"name": "a", "template": "A"}]}"#])
        #expect(throws: ConfigError.self) { try model.load() }
        #expect(try model.load(name: "a").source == "A")
    }

    @Test func jinjaFileBeatsTokenizerConfig() throws {
        let model = try ModelDirectory([
            "tokenizer_config.json": Self.tokenizerConfig,
            "chat_template.jinja": "from jinja file\n",
        ])
        #expect(try model.load() == ("from jinja file\n", .chatTemplateJinja))
    }

    @Test func additionalTemplates() throws {
        let model = try ModelDirectory([
            "chat_template.jinja": "default one",
            "additional_chat_templates/tool_use.jinja": "tool one",
        ])
        #expect(try model.load() == ("default one", .chatTemplateJinja))
        #expect(try model.load(name: "tool_use") == ("tool one", .additionalTemplate(name: "tool_use")))
    }

    /// A processor reads the legacy chat_template.json before chat_template.jinja.
    @Test func legacyProcessorJSON() throws {
        let model = try ModelDirectory([
            "chat_template.json": #"{"chat_template": "from chat_template.json"}"#,
            "chat_template.jinja": "from jinja",
            "tokenizer_config.json": Self.tokenizerConfig,
        ])
        #expect(try model.load() == ("from chat_template.json", .chatTemplateJSON))
    }

    @Test func legacyJSONWithAdditionalTemplatesIsRefused() throws {
        let model = try ModelDirectory([
            "chat_template.json": #"{"chat_template": "legacy"}"#,
            "additional_chat_templates/x.jinja": "x",
        ])
        #expect(throws: ConfigError.self) { try model.load() }
    }

    @Test func processorConfigBeatsEverything() throws {
        let model = try ModelDirectory([
            "processor_config.json": #"{"image_seq_len": 64, "chat_template": "from processor_config"}"#,
            "chat_template.json": #"{"chat_template": "legacy"}"#,
            "chat_template.jinja": "jinja",
        ])
        #expect(try model.load() == ("from processor_config", .processorConfig))
        let withoutTemplate = try ModelDirectory([
            "processor_config.json": #"{"image_seq_len": 64, "chat_template": null}"#,
            "chat_template.jinja": "jinja",
        ])
        #expect(try withoutTemplate.load() == ("jinja", .chatTemplateJinja))
    }

    @Test func missingAndInvalid() throws {
        let empty = try ModelDirectory(["config.json": "{}"])
        #expect(throws: ConfigError.fileNotFound(path: empty.url.appendingPathComponent("chat_template.jinja").path)) {
            try empty.load()
        }
        let noTemplate = try ModelDirectory(["tokenizer_config.json": #"{"bos_token": "<s>"}"#])
        #expect(throws: ConfigError.self) { try noTemplate.load() }
        let badJSON = try ModelDirectory(["chat_template.json": "{not json"])
        #expect(throws: ConfigError.self) { try badJSON.load() }
        let wrongType = try ModelDirectory(["tokenizer_config.json": #"{"chat_template": 42}"#])
        #expect(throws: ConfigError.self) { try wrongType.load() }
        let badTemplate = try ModelDirectory(["chat_template.jinja": "{% for x in y %}"])
        #expect(throws: TemplateError.self) { try badTemplate.load() }
    }

    /// The committed SmolLM2 tokenizer files carry the template in
    /// tokenizer_config.json; it is the one the goldens were rendered with.
    @Test func smolLM2Fixture() throws {
        let loaded = try ChatTemplate.load(directory: TextFixtures.smolLM2)
        #expect(loaded.origin == .tokenizerConfig(name: nil))
        let golden = try String(contentsOf: TextFixtures.url("templates/smollm2.jinja"), encoding: .utf8)
        #expect(loaded.template.source == golden)
    }
}
