import Foundation

/// A checkpoint made of one or more safetensors files: a single
/// `model.safetensors`, or shards listed by `model.safetensors.index.json`
/// (the Hugging Face layout).
public final class SafetensorsCheckpoint: WeightSource, @unchecked Sendable {
    /// The files, in the order they were opened.
    public let files: [SafetensorsFile]
    public let tensorNames: [String]
    public let sourceDescription: String
    private let owners: [String: SafetensorsFile]

    /// Opens a checkpoint from a directory, an index JSON file or a single
    /// `.safetensors` file.
    ///
    /// A directory is read through its `model.safetensors.index.json` when present,
    /// else its `model.safetensors`, else every `*.safetensors` file in it.
    public init(url: URL) throws(WeightsError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .fileNotFound(path: url.path)
        }
        sourceDescription = url.path
        let files: [SafetensorsFile]
        var owners: [String: SafetensorsFile] = [:]
        if isDirectory.boolValue {
            let index = url.appendingPathComponent("model.safetensors.index.json")
            let single = url.appendingPathComponent("model.safetensors")
            if FileManager.default.fileExists(atPath: index.path) {
                (files, owners) = try Self.openIndexed(index)
            } else if FileManager.default.fileExists(atPath: single.path) {
                files = [try SafetensorsFile(url: single)]
            } else {
                let names: [String]
                do { names = try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
                    throw .cannotOpen(path: url.path, reason: error.localizedDescription)
                }
                let shards = names.filter { $0.hasSuffix(".safetensors") }.sorted()
                guard !shards.isEmpty else { throw .fileNotFound(path: single.path) }
                var opened: [SafetensorsFile] = []
                for shard in shards { opened.append(try SafetensorsFile(url: url.appendingPathComponent(shard))) }
                files = opened
            }
        } else if url.pathExtension == "json" {
            (files, owners) = try Self.openIndexed(url)
        } else {
            files = [try SafetensorsFile(url: url)]
        }

        var names: [String] = []
        if owners.isEmpty {
            for file in files {
                for name in file.tensorNames {
                    if owners[name] != nil { throw .duplicateTensor(file: file.url.path, tensor: name) }
                    owners[name] = file
                    names.append(name)
                }
            }
        } else {
            for file in files { names += file.tensorNames.filter { owners[$0] === file } }
        }
        self.files = files
        self.owners = owners
        self.tensorNames = names
    }

    /// Reads an index's `weight_map`, opens each shard once, and checks that every
    /// mapped tensor is in the shard the index names.
    private static func openIndexed(
        _ index: URL
    ) throws(WeightsError) -> ([SafetensorsFile], [String: SafetensorsFile]) {
        let data: Data
        do { data = try Data(contentsOf: index) } catch {
            throw .cannotOpen(path: index.path, reason: error.localizedDescription)
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(contentsOf: data)
        } catch {
            throw .invalidIndex(file: index.path, reason: "not valid JSON: \(error.description)")
        }
        guard let map = json["weight_map"]?.objectEntries else {
            throw .invalidIndex(file: index.path, reason: "no 'weight_map' object")
        }
        let directory = index.deletingLastPathComponent()
        var shards: [String: SafetensorsFile] = [:]
        var order: [SafetensorsFile] = []
        var owners: [String: SafetensorsFile] = [:]
        for (name, value) in map {
            guard let shardName = value.stringValue else {
                throw .invalidIndex(file: index.path, reason: "weight_map entry '\(name)' is not a file name")
            }
            guard !shardName.contains("/"), !shardName.hasPrefix(".") else {
                throw .invalidIndex(file: index.path, reason: "shard name '\(shardName)' leaves the directory")
            }
            let shard: SafetensorsFile
            if let open = shards[shardName] {
                shard = open
            } else {
                shard = try SafetensorsFile(url: directory.appendingPathComponent(shardName))
                shards[shardName] = shard
                order.append(shard)
            }
            guard shard.info(named: name) != nil else {
                throw .invalidIndex(file: index.path, reason: "tensor '\(name)' is not in its shard \(shardName)")
            }
            guard owners[name] == nil else { throw .duplicateTensor(file: index.path, tensor: name) }
            owners[name] = shard
        }
        return (order, owners)
    }

    public func info(named name: String) -> TensorInfo? { owners[name]?.info(named: name) }

    public func tensor(named name: String) throws(WeightsError) -> Tensor {
        guard let file = owners[name] else { throw .missingTensor(name: name, source: sourceDescription) }
        return try file.tensor(named: name)
    }

    /// Metadata of all files merged (later files win on conflicts).
    public var metadata: [String: String] {
        files.reduce(into: [:]) { merged, file in merged.merge(file.metadata) { $1 } }
    }
}
