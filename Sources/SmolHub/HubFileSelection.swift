import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files of a repository to fetch.
public struct HubFileSelection: Sendable, Equatable {
    private enum Rule: Sendable, Equatable {
        case model
        case patterns([String])
    }

    private let rule: Rule

    /// What a Hugging Face checkpoint directory needs, and no more: the top-level
    /// JSON files (configs, tokenizer, processor, chat template, the weight index),
    /// `*.jinja` chat templates (also `additional_chat_templates/`), `merges.txt`,
    /// and the safetensors weights — the shards `model.safetensors.index.json`
    /// names, else `model.safetensors`. No ONNX, PyTorch pickles, GGUF or docs.
    public static let model = HubFileSelection(rule: .model)

    /// Files whose repository path matches any of these shell patterns (`fnmatch`,
    /// as `huggingface_hub`'s `allow_patterns`; `*` also crosses `/`).
    public static func matching(_ patterns: [String]) -> HubFileSelection {
        HubFileSelection(rule: .patterns(patterns))
    }

    /// The weight index whose shards ``model`` fetches.
    static let weightIndex = "model.safetensors.index.json"

    /// The files chosen from a listing, before weights named by an index are known.
    func initialFiles(from paths: [String]) -> [String] {
        switch rule {
        case let .patterns(patterns):
            return paths.filter { path in patterns.contains { fnmatch($0, path, 0) == 0 } }
        case .model:
            var chosen = paths.filter(Self.isModelSupportFile)
            if !paths.contains(Self.weightIndex), paths.contains("model.safetensors") {
                chosen.append("model.safetensors")
            }
            return chosen
        }
    }

    /// Whether the listing's weights come from an index to be read first.
    var followsWeightIndex: Bool { rule == .model }

    /// Whether the chosen files include weights this SDK reads.
    func hasWeights(_ files: [String]) -> Bool {
        rule != .model || files.contains(Self.weightIndex) || files.contains("model.safetensors")
    }

    /// The files a cached snapshot must hold when no listing says more: the
    /// config, the tokenizer and the weights (the index's shards, or the single file).
    func requiredFiles(inSnapshot folder: URL) throws(HubError) -> [String] {
        guard rule == .model else { return [] }
        var required = ["config.json", "tokenizer.json"]
        let index = folder.appendingPathComponent(Self.weightIndex)
        if FileManager.default.fileExists(atPath: index.path) {
            required += try Self.shards(inIndex: index)
        } else {
            required.append("model.safetensors")
        }
        return required
    }

    private static func isModelSupportFile(_ path: String) -> Bool {
        if path.hasPrefix("additional_chat_templates/") {
            return path.hasSuffix(".jinja") && path.split(separator: "/").count == 2
        }
        guard !path.contains("/") else { return false }
        return path.hasSuffix(".json") || path.hasSuffix(".jinja") || path == "merges.txt"
    }

    /// The distinct files of an index's `weight_map`, in first-seen order.
    static func shards(inIndex url: URL) throws(HubError) -> [String] {
        struct Index: Decodable { let weight_map: [String: String] }
        let index: Index
        do {
            index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: url))
        } catch {
            throw HubError.invalidResponse(url: url.path, problem: "not a safetensors index (\(error.localizedDescription))")
        }
        var seen = Set<String>()
        var shards: [String] = []
        for name in index.weight_map.keys.sorted() {
            let shard = index.weight_map[name]!
            guard URLPath.isSafeRelativePath(shard) else {
                throw HubError.invalidResponse(url: url.path, problem: "unsafe shard name '\(shard)'")
            }
            if seen.insert(shard).inserted { shards.append(shard) }
        }
        return shards.sorted()
    }
}
