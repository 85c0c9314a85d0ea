import Foundation
import SmolTensor
import SmolText
import Testing

@Suite("ChatTemplate: Jinja behaviour matches transformers' environment")
struct TemplateJinjaTests {
    static func context(_ json: String) throws -> [String: TemplateValue] {
        guard case let .object(object) = TemplateValue(try JSONParser.parse(json)) else { return [:] }
        return Dictionary(uniqueKeysWithValues: object.entries.map { ($0.key.pythonString, $0.value) })
    }

    @Test(arguments: TemplateJinjaCases.all)
    func rendersLikeTransformers(_ testCase: TemplateJinjaCases.Case) throws {
        let template = try ChatTemplate(testCase.template)
        let rendered = try template.render(try Self.context(testCase.context))
        #expect(rendered == testCase.expected)
    }

    /// Python objects without a stable text form (generators, dict views)
    /// render without the memory address Python prints.
    @Test func objectsPrintWithoutAddresses() throws {
        #expect(try ChatTemplate("{{ [1] | map('string') }}").render([:]) == "<generator object>")
        #expect(try ChatTemplate("{{ {'a': 1}.items() }}").render([:]) == "[('a', 1)]")
    }

    @Test func contextOverridesGlobals() throws {
        let fixed = TemplateFunction(name: "range") { _ throws(TemplateError) in .string("mine") }
        #expect(try ChatTemplate("{{ range(3) }}").render(["range": .function(fixed)]) == "mine")
    }

    /// `strftime_now` with an injected date gives reproducible output.
    @Test func strftimeNowWithFixedDate() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14 22:13:20 UTC
        let function = TemplateFunction.strftimeNow(fixedDate: date, timeZone: TimeZone(identifier: "UTC")!)
        let template = try ChatTemplate(#"{{ strftime_now("%d %b %Y %H:%M:%S %A %j") }}|{{ strftime_now("%z%Z") }}"#)
        #expect(try template.render(["strftime_now": .function(function)]) == "14 Nov 2023 22:13:20 Tuesday 318|")
    }

    /// Without an injected date, `strftime_now` formats the current time.
    @Test func strftimeNowDefaultsToNow() throws {
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        #expect(try ChatTemplate(#"{{ strftime_now("%Y") }}"#).render([:]) == String(year))
    }

    @Test func valuesRenderAsPythonStr() {
        let inner: TemplateValue = ["k": [1.0, "it's"]]
        let value: TemplateValue = ["a", 1, 2.5, true, nil, inner]
        #expect(value.pythonString == #"['a', 1, 2.5, True, None, {'k': [1.0, "it's"]}]"#)
        #expect(TemplateValue.double(1e16).pythonString == "1e+16")
        #expect(TemplateValue.double(123456789012345.6).pythonString == "123456789012345.6")
        #expect(TemplateValue.double(.infinity).pythonString == "inf")
        #expect(TemplateValue.undefined.pythonString.isEmpty)
        #expect(!TemplateValue.undefined.isTruthy && !TemplateValue.string("").isTruthy && TemplateValue.string(" ").isTruthy)
    }

    @Test func jsonValuesConvert() throws {
        let json = try JSONParser.parse(#"{"b": [1, 2.0, null, true], "a": "x", "b": "last"}"#)
        let value = TemplateValue(json)
        // A repeated key keeps its first position and its last value, as in Python.
        #expect(value.objectValue?.keys == ["b", "a"])
        #expect(value["b"] == "last")
        let list: TemplateValue = .array([.int(1), .double(2.0), .none])
        #expect(TemplateValue(try JSONParser.parse("[1, 2.0, null]")) == list)
    }

    @Test func renderingIsFast() throws {
        let source = try String(contentsOf: TextFixtures.url("templates/smolvlm2_video.jinja"), encoding: .utf8)
        let template = try ChatTemplate(source)
        var messages: [ChatMessage] = []
        for i in 0..<5 {
            messages.append(ChatMessage(role: "user", content: [.image, .text("Question \(i)?")]))
            messages.append(ChatMessage(role: "assistant", content: [.text("Answer \(i).")]))
        }
        _ = try template.render(messages: messages, addGenerationPrompt: true)
        let clock = ContinuousClock()
        let iterations = 200
        let elapsed = try clock.measure {
            for _ in 0..<iterations { _ = try template.render(messages: messages, addGenerationPrompt: true) }
        }
        let perRender = elapsed / iterations
        // Generous for a debug build on a loaded machine; release renders in microseconds.
        #expect(perRender < .milliseconds(2), "one 10-message render took \(perRender)")
    }
}
