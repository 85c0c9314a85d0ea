import Foundation
import SmolTensor
import SmolText
import Testing

@Suite("ChatTemplate: messages and context as transformers builds them")
struct ChatTemplateMessageTests {
    /// HF-shaped conversations and what transformers 5.24 renders for them with
    /// the probe template below, through `Idefics3Processor.apply_chat_template`
    /// (the SmolLM2 tokenizer from Fixtures/smollm2, so its special tokens are in
    /// the context). Recorded from the reference venv.
    static let probe = "{{ messages | tojson }}|{{ tools is defined }}|{{ tools is none }}|{{ documents is none }}"
        + "|{{ bos_token }}|{{ eos_token }}|{{ add_generation_prompt }}"

    static let conversations: [(json: String, expected: String)] = [
        // Image parts keep their "path" / "url" keys unchanged.
        (#"[{"role": "user", "content": [{"type": "image", "path": "photo.jpg"}, {"type": "image", "url": "https://x/y.png"}, {"type": "text", "text": "Compare."}]}]"#,
         #"[{"role": "user", "content": [{"type": "image", "path": "photo.jpg"}, {"type": "image", "url": "https://x/y.png"}, {"type": "text", "text": "Compare."}]}]|True|True|True|<|im_start|>|<|im_end|>|True"#),
        // OpenAI image_url parts become image parts; null inside a part stays.
        (#"[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/a.png"}}, {"type": "video", "path": "clip.mp4", "extra": null}]}]"#,
         #"[{"role": "user", "content": [{"type": "image", "url": "https://x/a.png"}, {"type": "video", "path": "clip.mp4", "extra": null}]}]|True|True|True|<|im_start|>|<|im_end|>|True"#),
        // Message keys whose value is null are dropped.
        (#"[{"role": "assistant", "content": null, "tool_calls": [{"name": "f"}], "name": null}]"#,
         #"[{"role": "assistant", "tool_calls": [{"name": "f"}]}]|True|True|True|<|im_start|>|<|im_end|>|True"#),
        // Key order is the JSON's.
        (#"[{"content": "hi", "role": "user"}]"#,
         #"[{"content": "hi", "role": "user"}]|True|True|True|<|im_start|>|<|im_end|>|True"#),
        // Reasoning aliases.
        (#"[{"role": "assistant", "content": "ok", "reasoning": "because"}]"#,
         #"[{"thinking": "because", "role": "assistant", "content": "ok", "reasoning": "because", "reasoning_content": "because"}]|True|True|True|<|im_start|>|<|im_end|>|True"#),
        (#"[{"role": "assistant", "reasoning_content": "r", "content": "ok", "thinking": "t0"}]"#,
         #"[{"thinking": "t0", "role": "assistant", "reasoning_content": "r", "content": "ok"}]|True|True|True|<|im_start|>|<|im_end|>|True"#),
    ]

    static let specialTokens: [String: TemplateValue] = [
        "bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "unk_token": "<|endoftext|>", "pad_token": "<|im_end|>",
    ]

    @Test func conversationsReachTheTemplateAsInTransformers() throws {
        let template = try ChatTemplate(Self.probe)
        for (json, expected) in Self.conversations {
            let messages = try ChatMessage.conversation(fromJSON: json)
            let rendered = try template.render(
                messages: messages, addGenerationPrompt: true, additionalContext: Self.specialTokens)
            #expect(rendered == expected, "\(json)")
        }
    }

    @Test func typedMessagesBuildHFShapedDicts() throws {
        let messages = [
            ChatMessage(role: "system", content: "Be brief."),
            ChatMessage(role: "user", content: [.image(path: "a.png"), .video, .text("Describe.")]),
        ]
        let rendered = try ChatTemplate("{{ messages | tojson }}").render(messages: messages, addGenerationPrompt: false)
        #expect(rendered == #"[{"role": "system", "content": "Be brief."}, {"role": "user", "content": [{"type": "image", "path": "a.png"}, {"type": "video"}, {"type": "text", "text": "Describe."}]}]"#)
    }

    @Test func partsExposeTheirFields() throws {
        let messages = try ChatMessage.conversation(fromJSON: #"""
            {"messages": [{"role": "user", "content": [{"type": "image", "url": "u.png"}, {"type": "text", "text": "Hi"}]}]}
            """#)
        guard case let .parts(parts)? = messages.first?.content else {
            Issue.record("expected parts")
            return
        }
        #expect(parts.map(\.type) == ["image", "text"])
        #expect(parts[0].location == "u.png" && parts[1].text == "Hi")
        #expect(parts[0] == .image(url: "u.png"))
    }

    @Test func extraContextAndOverrides() throws {
        let template = try ChatTemplate("{{ tools | length }}|{{ documents }}|{{ custom }}")
        let rendered = try template.render(
            messages: [], addGenerationPrompt: false,
            additionalContext: ["tools": [["name": "f"]], "custom": 7])
        #expect(rendered == "1|None|7")
    }

    @Test func malformedConversationsAreConfigErrors() {
        #expect(throws: ConfigError.self) { try ChatMessage.conversation(fromJSON: "[1, 2") }
        #expect(throws: ConfigError.invalidValue(file: "messages", key: "messages[0].role", reason: "expected a string")) {
            try ChatMessage.conversation(fromJSON: #"[{"content": "x"}]"#)
        }
        #expect(throws: ConfigError.invalidValue(file: "messages", key: "messages[0].content", reason: "expected a string or a list of parts")) {
            try ChatMessage.conversation(fromJSON: #"[{"role": "user", "content": 3}]"#)
        }
        #expect(throws: ConfigError.invalidValue(file: "messages", key: "messages", reason: "expected a list of messages")) {
            try ChatMessage.conversation(fromJSON: #"{"role": "user"}"#)
        }
    }
}
