/// A model's chat template, compiled once and rendered many times, with the
/// output transformers' `apply_chat_template(..., tokenize=False)` gives.
///
/// The template language is the Jinja subset chat templates use, in the
/// environment transformers builds (`trim_blocks`, `lstrip_blocks`, the
/// loop-controls extension, its own `tojson`, `raise_exception`,
/// `strftime_now` and `namespace`).
///
/// ```swift
/// let template = try ChatTemplate(source)
/// let prompt = try template.render(
///     messages: [ChatMessage(role: "user", content: [.image, .text("What is in this image?")])],
///     addGenerationPrompt: true)
/// ```
public struct ChatTemplate: Sendable {
    /// The template text as given.
    public let source: String
    let nodes: [TemplateNode]

    /// Parses `source`; syntax errors, unknown filters and unknown tests are
    /// reported here with their line and column.
    public init(_ source: String) throws(TemplateError) {
        self.source = source
        nodes = try TemplateParser.parse(try TemplateLexer.tokenize(source))
    }

    /// Renders with exactly the variables in `context` (plus the globals
    /// `range`, `namespace`, `dict`, `raise_exception` and `strftime_now`,
    /// which context entries of the same name replace).
    public func render(_ context: [String: TemplateValue]) throws(TemplateError) -> String {
        try TemplateRenderer(context: context).render(nodes)
    }

    /// Renders a conversation with the variables transformers passes:
    /// `messages`, `add_generation_prompt`, `tools` and `documents` (both
    /// `None` unless given in `additionalContext`), and everything in
    /// `additionalContext` — typically the tokenizer's special tokens
    /// (`bos_token`, `eos_token`, …) and extra template arguments.
    ///
    /// Messages become dicts as transformers builds them, including its
    /// reasoning-field aliases (`reasoning_content`/`thinking`/`reasoning`).
    public func render(
        messages: [ChatMessage], addGenerationPrompt: Bool, additionalContext: [String: TemplateValue] = [:]
    ) throws(TemplateError) -> String {
        var context = additionalContext
        context["messages"] = .array(messages.map(\.templateValue))
        context["add_generation_prompt"] = .bool(addGenerationPrompt)
        // transformers passes tools=None and documents=None explicitly, so
        // `tools is defined` holds and `tools is none` decides.
        if context["tools"] == nil { context["tools"] = TemplateValue.none }
        if context["documents"] == nil { context["documents"] = TemplateValue.none }
        return try render(context)
    }
}
