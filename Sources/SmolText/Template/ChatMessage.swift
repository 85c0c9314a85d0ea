import Foundation
import SmolTensor

/// One message of a conversation, shaped as Hugging Face chat messages are:
/// `{"role": "user", "content": "Hi"}` or
/// `{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "…"}]}`.
public struct ChatMessage: Sendable, Equatable {
    /// A message's content: plain text, or a list of typed parts.
    public enum Content: Sendable, Equatable {
        case text(String)
        case parts([ContentPart])
    }

    /// `"system"`, `"user"`, `"assistant"`, `"tool"`, …
    public var role: String
    /// nil when the message has no content key (e.g. an assistant turn that
    /// only carries `tool_calls`).
    public var content: Content?
    /// Other keys the template may read (`tool_calls`, `name`,
    /// `reasoning_content`, …), after `role` and `content`. Keys whose value
    /// is `None` are left out, as transformers drops them.
    public var additionalFields: TemplateObject
    /// The key order of a message read from JSON, which the template sees
    /// when it iterates the message dict.
    var keyOrder: [String]?

    /// A message with any content (nil leaves the `content` key out).
    public init(role: String, content: Content?, additionalFields: TemplateObject = TemplateObject()) {
        self.role = role
        self.content = content
        self.additionalFields = additionalFields
    }

    /// A plain-text message: `{"role": role, "content": content}`.
    public init(role: String, content: String, additionalFields: TemplateObject = TemplateObject()) {
        self.init(role: role, content: .text(content), additionalFields: additionalFields)
    }

    /// A multimodal message whose content is a list of typed parts.
    public init(role: String, content: [ContentPart], additionalFields: TemplateObject = TemplateObject()) {
        self.init(role: role, content: .parts(content), additionalFields: additionalFields)
    }

    /// The dict the template sees as an item of `messages`.
    public var templateValue: TemplateValue {
        var fields = TemplateObject()
        fields.appendNew("role", .string(role))
        switch content {
        case let .text(text)?: fields.appendNew("content", .string(text))
        case let .parts(parts)?: fields.appendNew("content", .array(parts.map { .object($0.fields) }))
        case nil: break
        }
        for (key, value) in zip(additionalFields.keys, additionalFields.values) {
            if case .none = value { continue }
            fields[key: key] = value
        }
        guard let keyOrder else { return .object(Self.aliasingReasoning(fields)) }
        var ordered = TemplateObject()
        for key in keyOrder {
            if let value = fields[key] { ordered[key] = value }
        }
        for (key, value) in zip(fields.keys, fields.values) where ordered[key: key] == nil { ordered[key: key] = value }
        return .object(Self.aliasingReasoning(ordered))
    }

    /// transformers' `_alias_reasoning_fields`: reasoning given under any of
    /// its names is also exposed as `thinking` (first) and `reasoning_content`.
    private static func aliasingReasoning(_ message: TemplateObject) -> TemplateObject {
        let names = ["reasoning_content", "thinking", "reasoning"]
        guard let reasoning = names.lazy.compactMap({ message[$0] }).first(where: { $0 != TemplateValue.none }) else {
            return message
        }
        var aliased = TemplateObject()
        aliased.appendNew("thinking", reasoning)
        for (key, value) in zip(message.keys, message.values) { aliased[key: key] = value }
        aliased["reasoning_content"] = reasoning
        return aliased
    }
}

/// One part of a multimodal message: a dict with a `"type"` key such as
/// `{"type": "text", "text": "…"}`, `{"type": "image"}` or
/// `{"type": "image", "path": "photo.jpg"}`. Every key reaches the template
/// unchanged.
public struct ContentPart: Sendable, Equatable {
    /// The part's dict, `"type"` included, as the template sees it.
    public var fields: TemplateObject

    /// A part with exactly these keys.
    public init(fields: TemplateObject) {
        self.fields = fields
    }

    /// `{"type": "text", "text": text}`.
    public static func text(_ text: String) -> ContentPart {
        ContentPart(fields: ["type": "text", "text": .string(text)])
    }

    /// An image whose pixels are supplied separately.
    public static let image = ContentPart(fields: ["type": "image"])
    /// A video whose frames are supplied separately.
    public static let video = ContentPart(fields: ["type": "video"])

    /// `{"type": "image", "path": path}`: an image the caller loads from a file.
    public static func image(path: String) -> ContentPart {
        ContentPart(fields: ["type": "image", "path": .string(path)])
    }

    /// `{"type": "image", "url": url}`.
    public static func image(url: String) -> ContentPart {
        ContentPart(fields: ["type": "image", "url": .string(url)])
    }

    /// `{"type": "video", "path": path}`.
    public static func video(path: String) -> ContentPart {
        ContentPart(fields: ["type": "video", "path": .string(path)])
    }

    /// The `"type"` value (`"text"`, `"image"`, `"video"`, …).
    public var type: String? { fields["type"]?.stringValue }
    /// The `"text"` of a text part.
    public var text: String? { fields["text"]?.stringValue }
    /// Where an image or video part says to load it from (`"path"`, `"url"`
    /// or `"image"`/`"video"` holding a string), if it does.
    public var location: String? {
        for key in ["path", "url", "image", "video"] {
            if let value = fields[key]?.stringValue { return value }
        }
        return nil
    }
}

extension ChatMessage {
    /// Reads a conversation in the Hugging Face JSON shape: a list of
    /// messages (or an object whose `"messages"` is that list).
    ///
    /// Like a processor's `apply_chat_template`, an OpenAI-style part
    /// `{"type": "image_url", "image_url": {"url": u}}` becomes
    /// `{"type": "image", "url": u}`; other parts pass through unchanged.
    public static func conversation(fromJSON text: String, source: String = "messages") throws(ConfigError) -> [ChatMessage] {
        let json: JSONValue
        do { json = try JSONParser.parse(text) } catch {
            throw .invalidJSON(file: source, reason: error.description)
        }
        return try conversation(json: json, source: source)
    }

    /// Reads a conversation JSON file (see ``conversation(fromJSON:source:)``).
    public static func conversation(contentsOf url: URL) throws(ConfigError) -> [ChatMessage] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .fileNotFound(path: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        let json: JSONValue
        do { json = try JSONParser.parse(contentsOf: data) } catch {
            throw .invalidJSON(file: url.path, reason: error.description)
        }
        return try conversation(json: json, source: url.path)
    }

    package static func conversation(json: JSONValue, source: String) throws(ConfigError) -> [ChatMessage] {
        guard let list = (json["messages"] ?? json).arrayValue else {
            throw .invalidValue(file: source, key: "messages", reason: "expected a list of messages")
        }
        var messages: [ChatMessage] = []
        for (index, entry) in list.enumerated() {
            messages.append(try message(entry, key: "messages[\(index)]", source: source))
        }
        return messages
    }

    private static func message(_ json: JSONValue, key: String, source: String) throws(ConfigError) -> ChatMessage {
        guard let entries = json.objectEntries else {
            throw .invalidValue(file: source, key: key, reason: "expected an object")
        }
        guard let role = json["role"]?.stringValue else {
            throw .invalidValue(file: source, key: "\(key).role", reason: "expected a string")
        }
        var content: Content?
        switch json["content"] {
        case nil, .null?:
            content = nil
        case let .string(text)?:
            content = .text(text)
        case let .array(items)?:
            var parts: [ContentPart] = []
            for (index, item) in items.enumerated() {
                guard item.objectEntries != nil, case let .object(fields) = TemplateValue(item) else {
                    throw .invalidValue(file: source, key: "\(key).content[\(index)]", reason: "expected an object")
                }
                parts.append(normalizingImageURL(ContentPart(fields: fields)))
            }
            content = .parts(parts)
        default:
            throw .invalidValue(file: source, key: "\(key).content", reason: "expected a string or a list of parts")
        }
        var additional = TemplateObject()
        for (name, value) in entries where name != "role" && name != "content" && value != .null {
            additional[name] = TemplateValue(value)
        }
        var message = ChatMessage(role: role, content: content, additionalFields: additional)
        message.keyOrder = entries.map(\.key)
        return message
    }

    /// ProcessorMixin's OpenAI `image_url` conversion.
    private static func normalizingImageURL(_ part: ContentPart) -> ContentPart {
        guard part.type == "image_url", let info = part.fields["image_url"] else { return part }
        let url: TemplateValue
        if case let .object(object) = info { url = object["url"] ?? "" } else { url = info }
        return ContentPart(fields: ["type": "image", "url": url])
    }
}
