import Foundation
import SmolText
import Testing

/// Templates Jinja rejects are rejected here too, with a position.
@Suite("ChatTemplate: errors carry their position")
struct ChatTemplateErrorTests {
    static func compileError(_ source: String) -> TemplateError? {
        do {
            _ = try ChatTemplate(source)
            return nil
        } catch {
            return error
        }
    }

    static func renderError(_ source: String, _ context: [String: TemplateValue] = [:]) -> TemplateError? {
        do {
            _ = try ChatTemplate(source).render(context)
            return nil
        } catch {
            return error
        }
    }

    static func at(_ line: Int, _ column: Int) -> TemplateLocation { TemplateLocation(line: line, column: column) }

    @Test func unterminatedTags() {
        #expect(Self.compileError("Hello {{ name")?.location == Self.at(1, 7))
        #expect(Self.compileError("a\nb {% if x\n  and y")?.location == Self.at(2, 3))
        #expect(Self.compileError("x {# never closed")?.location == Self.at(1, 3))
        #expect(Self.compileError("{{ 'open string }}")?.location == Self.at(1, 4))
        #expect(Self.compileError("{% raw %}abc")?.location == Self.at(1, 1))
        guard case let .syntax(message, _)? = Self.compileError("Hello {{ name") else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(message.contains("'}}'"))
    }

    @Test func unclosedAndStrayBlocks() {
        guard case let .syntax(message, location)? = Self.compileError("ok\n  {% for x in xs %}{{ x }}") else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(location == Self.at(2, 3))
        #expect(message.contains("'for'") && message.contains("'endfor'"))
        #expect(Self.compileError("{% if a %}x{% endfor %}")?.location == Self.at(1, 12))
        #expect(Self.compileError("text {% endif %}")?.location == Self.at(1, 6))
        #expect(Self.compileError("{% frobnicate %}")?.location == Self.at(1, 1))
        #expect(Self.compileError("{% include 'x.jinja' %}")?.location == Self.at(1, 1))
        #expect(Self.compileError("{% break %}")?.location == Self.at(1, 1))
    }

    @Test func badExpressions() {
        #expect(Self.compileError("{{ a ! b }}")?.location == Self.at(1, 6))
        #expect(Self.compileError("{{ }}")?.location == Self.at(1, 4))
        #expect(Self.compileError("{{ (1, 2 }}")?.location == Self.at(1, 10))
        #expect(Self.compileError("{{ f(a=1, 2) }}")?.location == Self.at(1, 11))
        #expect(Self.compileError("{% set 1 = 2 %}")?.location == Self.at(1, 8))
        #expect(Self.compileError("{{ x is defined is string }}") != nil)
    }

    @Test func unknownFiltersAndTestsFailAtCompileTime() {
        #expect(Self.compileError("line one\n{{ x | trim | nosuch(1) }}") == .unknownFilter(name: "nosuch", location: Self.at(2, 15)))
        #expect(Self.compileError("{{ x is frob }}") == .unknownTest(name: "frob", location: Self.at(1, 9)))
        #expect(Self.compileError("{% if a %}{% for x in y %}{{ x | nosuch }}{% endfor %}{% endif %}")?.location == Self.at(1, 34))
        #expect(Self.compileError("{% set x %}a{% endset %}{% filter nosuch %}b{% endfilter %}") == .unknownFilter(name: "nosuch", location: Self.at(1, 35)))
    }

    /// Inside an `if` or a conditional expression Jinja defers the check to
    /// the moment the filter or test runs, so templates can guard optional ones.
    @Test func unknownFiltersInsideConditionsFailOnlyWhenRun() throws {
        let guarded = try ChatTemplate("{% if parse %}{{ args | from_json }}{% else %}{{ args }}{% endif %}")
        #expect(try guarded.render(["args": "{}", "parse": false]) == "{}")
        #expect(throws: TemplateError.unknownFilter(name: "from_json", location: Self.at(1, 25))) {
            try guarded.render(["args": "{}", "parse": true])
        }
        let test = try ChatTemplate("{% if x is frob %}y{% endif %}")
        #expect(throws: TemplateError.unknownTest(name: "frob", location: Self.at(1, 12))) { try test.render([:]) }
        #expect(try ChatTemplate("{{ x | nosuch if false else 'ok' }}").render([:]) == "ok")
    }

    @Test func raiseException() {
        let source = "{% for m in messages %}{% if m.role not in ['user', 'assistant'] %}"
            + "{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}"
        let messages: TemplateValue = [["role": "user"], ["role": "tool"]]
        #expect(Self.renderError(source, ["messages": messages]) == .raised("Only user and assistant roles are supported!"))
        #expect(Self.renderError(source, ["messages": [["role": "user"]]]) == nil)
        #expect(TemplateError.raised("boom").description.contains("boom"))
    }

    @Test func runtimeErrorsPointAtTheExpression() {
        #expect(Self.renderError("{{ 1 + 'a' }}")?.location == Self.at(1, 4))
        #expect(Self.renderError("x\n  {{ missing.attr }}")?.location == Self.at(2, 6))
        #expect(Self.renderError("{{ missing['k'] }}") == .runtime(message: "'missing' is undefined", location: Self.at(1, 4)))
        #expect(Self.renderError("{{ 1 // 0 }}")?.location == Self.at(1, 4))
        #expect(Self.renderError("{{ 'x' ~ undefined_fn() }}")?.location == Self.at(1, 10))
        #expect(Self.renderError("{{ [1].append(2) }}") != nil)  // the sandbox is immutable
        #expect(Self.renderError("{% set x = 1 %}{% set x.y = 2 %}")?.location == Self.at(1, 16))
        #expect(Self.renderError("{% for a, b in [[1, 2, 3]] %}{% endfor %}")?.location == Self.at(1, 1))
        #expect(Self.renderError("{{ x | tojson }}")?.location == Self.at(1, 8))
        #expect(Self.renderError("{{ range(1000000) | length }}") != nil)
    }

    @Test func descriptionsNameThePosition() {
        let error = TemplateError.syntax(message: "unexpected '}'", location: Self.at(3, 14))
        #expect(error.description == "template syntax error at line 3, column 14: unexpected '}'")
        #expect(error.errorDescription == error.description)
        #expect(TemplateError.unknownFilter(name: "f", location: Self.at(1, 2)).description == "unknown filter 'f' at line 1, column 2")
    }
}
