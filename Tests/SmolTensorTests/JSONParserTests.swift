@testable import SmolTensor
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesValuesInOrder() throws {
        let value = try JSONParser.parse(#"{"b": [1, -2.5e1, true, null], "a": {"s": "x\"\u00e9\ud83d\ude00\n"}}"#)
        let entries = try #require(value.objectEntries)
        #expect(entries.map(\.key) == ["b", "a"])
        #expect(value["b"] == .array([.integer(1), .number(-25), .bool(true), .null]))
        #expect(value["a"]?["s"]?.stringValue == "x\"é😀\n")
    }

    @Test func keepsDuplicateKeys() throws {
        let value = try JSONParser.parse(#"{"k": 1, "k": 2}"#)
        #expect(value.objectEntries?.count == 2)
    }

    @Test func bigIntegersStayExact() throws {
        #expect(try JSONParser.parse("9007199254740993") == .integer(9_007_199_254_740_993))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"\u{01}\"", "\"\\x\"", "[1] 2", "-"])
    func rejectsInvalid(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsDeepNesting() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }
}
