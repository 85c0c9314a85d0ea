import Foundation
import SmolTensor
import SmolText
import Testing

/// Renders every conversation in `Fixtures/templates/cases.json` — written by
/// `Scripts/reference/make_text_goldens.py templates` with transformers'
/// `apply_chat_template` — and requires the exact same string.
@Suite("ChatTemplate: byte-identical to transformers on the golden conversations")
struct ChatTemplateGoldenTests {
    struct Case {
        let template: String
        let messages: JSONValue
        let addGenerationPrompt: Bool
        let expected: String?
        let errorType: String?
    }

    static let templateNames = ["smollm2", "smolvlm", "smolvlm2_video"]

    static func loadCases() throws -> [Case] {
        let url = TextFixtures.url("templates/cases.json")
        let json = try JSONParser.parse(contentsOf: try Data(contentsOf: url))
        guard let list = json.arrayValue else {
            Issue.record("cases.json is not a list")
            return []
        }
        return list.map { entry in
            Case(
                template: entry["template"]?.stringValue ?? "",
                messages: entry["messages"] ?? .null,
                addGenerationPrompt: entry["add_generation_prompt"] == .bool(true),
                expected: entry["expected"]?.stringValue,
                errorType: entry["error"]?["type"]?.stringValue)
        }
    }

    static func loadTemplate(_ name: String) throws -> ChatTemplate {
        let source = try String(contentsOf: TextFixtures.url("templates/\(name).jinja"), encoding: .utf8)
        return try ChatTemplate(source)
    }

    @Test func casesArePresent() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 90, "cases.json has \(cases.count) cases; the acceptance bar needs at least 90")
        for name in Self.templateNames {
            let rendered = cases.filter { $0.template == name && $0.expected != nil }.count
            #expect(rendered >= 30, "template \(name) has only \(rendered) rendered conversations")
        }
    }

    @Test(arguments: templateNames)
    func rendersEveryConversationIdentically(_ name: String) throws {
        let template = try Self.loadTemplate(name)
        let cases = try Self.loadCases().filter { $0.template == name }
        #expect(!cases.isEmpty, "no cases for \(name)")
        var passed = 0, renderable = 0
        for (index, golden) in cases.enumerated() {
            let messages = try ChatMessage.conversation(json: golden.messages, source: "cases.json[\(name) #\(index)]")
            let result = Result { () throws(TemplateError) in
                try template.render(messages: messages, addGenerationPrompt: golden.addGenerationPrompt)
            }
            if let expected = golden.expected {
                renderable += 1
                switch result {
                case let .success(rendered):
                    #expect(rendered == expected, "\(name) #\(index)")
                    if rendered == expected { passed += 1 }
                case let .failure(error):
                    Issue.record("\(name) #\(index): \(error)")
                }
            } else {
                // transformers raised (UndefinedError, TypeError); so must we.
                guard case let .failure(error) = result else {
                    Issue.record("\(name) #\(index): expected a \(golden.errorType ?? "render") error")
                    continue
                }
                guard case .runtime = error else {
                    Issue.record("\(name) #\(index): expected a runtime error, got \(error)")
                    continue
                }
            }
        }
        #expect(passed == renderable, "\(name): \(passed)/\(renderable) byte-identical")
    }

    /// The fixture templates are the SmolLM2 and SmolVLM ones verbatim; they
    /// must also come out of a model directory unchanged.
    @Test func fixtureTemplatesRoundTripThroughLoading() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("template-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try String(contentsOf: TextFixtures.url("templates/smolvlm.jinja"), encoding: .utf8)
        try Data(source.utf8).write(to: directory.appendingPathComponent("chat_template.jinja"))
        let loaded = try ChatTemplate.load(directory: directory)
        #expect(loaded.origin == .chatTemplateJinja)
        #expect(loaded.template.source == source)
    }
}
