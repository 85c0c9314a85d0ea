import Foundation
import SmolTensor

/// Which file a model directory's chat template came from.
public enum ChatTemplateOrigin: Equatable, Sendable, CustomStringConvertible {
    /// `processor_config.json`, key `"chat_template"` (a processor keeps it
    /// over the template files, with a warning).
    case processorConfig
    /// `chat_template.json`, key `"chat_template"`: the legacy processor file.
    case chatTemplateJSON
    /// `chat_template.jinja`.
    case chatTemplateJinja
    /// `additional_chat_templates/<name>.jinja`.
    case additionalTemplate(name: String)
    /// `tokenizer_config.json`, key `"chat_template"`: a string, or a list of
    /// `{"name", "template"}` where `name` is the one chosen.
    case tokenizerConfig(name: String?)

    /// The file, relative to the model directory.
    public var fileName: String {
        switch self {
        case .processorConfig: return "processor_config.json"
        case .chatTemplateJSON: return "chat_template.json"
        case .chatTemplateJinja: return "chat_template.jinja"
        case let .additionalTemplate(name): return "additional_chat_templates/\(name).jinja"
        case .tokenizerConfig: return "tokenizer_config.json"
        }
    }

    public var description: String {
        switch self {
        case let .tokenizerConfig(name?): return "tokenizer_config.json (template '\(name)')"
        default: return fileName
        }
    }
}

/// A chat template read from a model directory, and where it was found.
public struct LoadedChatTemplate: Sendable {
    /// The compiled template; its `source` is the text as read.
    public let template: ChatTemplate
    /// The file (and entry) it came from.
    public let origin: ChatTemplateOrigin
}

extension ChatTemplate {
    /// Finds and compiles a model directory's chat template the way
    /// transformers 5 does, processor first, tokenizer second:
    ///
    /// 1. `processor_config.json` `"chat_template"`, when present and not null
    ///    (`ProcessorMixin.get_processor_dict` keeps it over the files);
    /// 2. `chat_template.json` `"chat_template"` (legacy; transformers refuses
    ///    it next to `additional_chat_templates/`);
    /// 3. `chat_template.jinja` as the default template, and
    ///    `additional_chat_templates/<name>.jinja` as named ones;
    /// 4. `tokenizer_config.json` `"chat_template"`: a string, or a list of
    ///    `{"name", "template"}` (`PreTrainedTokenizerBase.__init__`).
    ///
    /// With several named templates, `name` picks one and nil means
    /// `"default"`, which must exist (as in `get_chat_template`).
    ///
    /// - Throws: `ConfigError` when no template is found or a file is
    ///   unreadable or malformed; `TemplateError` when the template does not
    ///   compile.
    public static func load(directory: URL, name: String? = nil) throws -> LoadedChatTemplate {
        let (source, origin) = try findSource(directory: directory, name: name)
        return LoadedChatTemplate(template: try ChatTemplate(source), origin: origin)
    }

    /// The template text and its origin, without compiling it.
    public static func findSource(
        directory: URL, name: String? = nil
    ) throws(ConfigError) -> (source: String, origin: ChatTemplateOrigin) {
        // 1. processor_config.json
        let processorConfig = directory.appendingPathComponent("processor_config.json")
        if let json = try readJSON(processorConfig), let value = json["chat_template"], value != .null {
            let templates = try namedTemplates(value, file: processorConfig.path)
            let (_, text) = try choose(templates, name: name, file: processorConfig.path)
            return (text, .processorConfig)
        }

        // 2 and 3. chat_template.json, or chat_template.jinja with additional templates.
        let additional = try additionalTemplates(directory)
        let legacy = directory.appendingPathComponent("chat_template.json")
        if let json = try readJSON(legacy) {
            guard additional.isEmpty else {
                throw .inconsistent(
                    file: legacy.path,
                    reason: "a legacy chat_template.json next to additional_chat_templates/ is not supported; "
                        + "replace it with chat_template.jinja")
            }
            guard let text = json["chat_template"]?.stringValue else {
                throw .invalidValue(file: legacy.path, key: "chat_template", reason: "expected a string")
            }
            let (_, chosen) = try choose([("default", text)], name: name, file: legacy.path)
            return (chosen, .chatTemplateJSON)
        }
        var files: [(name: String, text: String, origin: ChatTemplateOrigin)] = additional.map {
            ($0.name, $0.text, .additionalTemplate(name: $0.name))
        }
        let jinja = directory.appendingPathComponent("chat_template.jinja")
        if let text = try readText(jinja) {
            files.removeAll { $0.name == "default" }
            files.append(("default", text, .chatTemplateJinja))
        }
        if !files.isEmpty {
            let (chosen, text) = try choose(files.map { ($0.name, $0.text) }, name: name, file: directory.path)
            let origin = files.first { $0.name == chosen }?.origin ?? .chatTemplateJinja
            return (text, origin)
        }

        // 4. tokenizer_config.json
        let tokenizerConfig = directory.appendingPathComponent("tokenizer_config.json")
        if let json = try readJSON(tokenizerConfig), let value = json["chat_template"], value != .null {
            let templates = try namedTemplates(value, file: tokenizerConfig.path)
            let (chosen, text) = try choose(templates, name: name, file: tokenizerConfig.path)
            return (text, .tokenizerConfig(name: value.stringValue == nil ? chosen : nil))
        }
        throw .fileNotFound(path: jinja.path)
    }

    /// A `"chat_template"` value: one string, a list of `{"name", "template"}`,
    /// or an object of name to template.
    private static func namedTemplates(_ value: JSONValue, file: String) throws(ConfigError) -> [(String, String)] {
        switch value {
        case let .string(text):
            return [("default", text)]
        case let .array(items):
            var templates: [(String, String)] = []
            for item in items {
                guard let name = item["name"]?.stringValue, let text = item["template"]?.stringValue else {
                    throw .invalidValue(
                        file: file, key: "chat_template", reason: "list entries need string 'name' and 'template'")
                }
                templates.append((name, text))
            }
            return templates
        case let .object(entries):
            var templates: [(String, String)] = []
            for (name, entry) in entries {
                guard let text = entry.stringValue else {
                    throw .invalidValue(file: file, key: "chat_template.\(name)", reason: "expected a string")
                }
                templates.append((name, text))
            }
            return templates
        default:
            throw .invalidValue(file: file, key: "chat_template", reason: "expected a string or a list of templates")
        }
    }

    private static func choose(
        _ templates: [(String, String)], name: String?, file: String
    ) throws(ConfigError) -> (String, String) {
        let wanted = name ?? "default"
        if let found = templates.last(where: { $0.0 == wanted }) { return found }
        let available = templates.map(\.0).sorted().joined(separator: ", ")
        let reason = name == nil
            ? "several chat templates and none named 'default'; pass a name (available: \(available))"
            : "no chat template named '\(wanted)' (available: \(available))"
        throw .invalidValue(file: file, key: "chat_template", reason: reason)
    }

    private static func additionalTemplates(_ directory: URL) throws(ConfigError) -> [(name: String, text: String)] {
        let folder = directory.appendingPathComponent("additional_chat_templates")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw .unreadable(path: folder.path, reason: error.localizedDescription)
        }
        var templates: [(name: String, text: String)] = []
        for file in names.sorted() where file.hasSuffix(".jinja") {
            let url = folder.appendingPathComponent(file)
            if let text = try readText(url) { templates.append((String(file.dropLast(6)), text)) }
        }
        return templates
    }

    private static func readText(_ url: URL) throws(ConfigError) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: url.path, reason: "not valid UTF-8")
        }
        return text
    }

    private static func readJSON(_ url: URL) throws(ConfigError) -> JSONValue? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        do { return try JSONParser.parse(contentsOf: data) } catch {
            throw .invalidJSON(file: url.path, reason: error.description)
        }
    }
}
