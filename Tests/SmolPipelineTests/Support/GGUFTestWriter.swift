import Foundation
import SmolTensor

/// Writes GGUF v3 files for tests: a copy of an existing file with keys or tensors changed, to
/// exercise the loader's errors on files no converter would write.
struct GGUFTestWriter {
    var metadata: [(key: String, value: GGUFValue)]
    var tensors: [(name: String, shape: [Int], type: UInt32, data: Data)]

    static let typeCodes: [DType: UInt32] = [.float32: 0, .float16: 1, .q4_0: 2, .q4_1: 3, .q8_0: 8, .bfloat16: 30]

    init(copying file: GGUFFile) throws {
        metadata = file.metadataKeys.compactMap { key in file.metadata[key].map { (key, $0) } }
        let bytes = try Data(contentsOf: file.url)
        tensors = try file.tensorNames.map { name in
            guard let info = file.info(named: name), let code = Self.typeCodes[info.dtype] else {
                throw WeightsError.missingTensor(name: name, source: "GGUFTestWriter")
            }
            return (name, info.shape, code, bytes.subdata(in: info.fileOffset..<(info.fileOffset + info.byteCount)))
        }
    }

    mutating func set(_ key: String, _ value: GGUFValue) {
        if let index = metadata.firstIndex(where: { $0.key == key }) {
            metadata[index].value = value
        } else {
            metadata.append((key, value))
        }
    }

    mutating func remove(key: String) { metadata.removeAll { $0.key == key } }

    mutating func remove(tensor name: String) { tensors.removeAll { $0.name == name } }

    mutating func rename(tensor name: String, to newName: String) {
        if let index = tensors.firstIndex(where: { $0.name == name }) { tensors[index].name = newName }
    }

    /// Writes the file into a fresh temporary folder and returns its URL.
    func write(named fileName: String = "mmproj.gguf") throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(fileName)
        try encoded().write(to: url)
        return url
    }

    func encoded() -> Data {
        var out = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func string(_ s: String) { u64(UInt64(s.utf8.count)); out.append(contentsOf: Array(s.utf8)) }
        func type(of value: GGUFValue) -> UInt32 {
            switch value {
            case let .uint(v): return v <= UInt64(UInt32.max) ? 4 : 10
            case let .int(v): return Int64(Int32.min)...Int64(Int32.max) ~= v ? 5 : 11
            case .float: return 6
            case .bool: return 7
            case .string: return 8
            case .array: return 9
            }
        }
        func payload(_ value: GGUFValue) {
            switch value {
            case let .uint(v): if type(of: value) == 4 { u32(UInt32(v)) } else { u64(v) }
            case let .int(v): if type(of: value) == 5 { u32(UInt32(bitPattern: Int32(v))) } else { u64(UInt64(bitPattern: v)) }
            case let .float(v): u32(Float(v).bitPattern)
            case let .bool(v): out.append(v ? 1 : 0)
            case let .string(s): string(s)
            case let .array(items):
                u32(items.first.map { type(of: $0) } ?? 4)
                u64(UInt64(items.count))
                items.forEach(payload)
            }
        }
        let alignment = 32
        u32(0x4655_4747)
        u32(3)
        u64(UInt64(tensors.count))
        u64(UInt64(metadata.count))
        for (key, value) in metadata {
            string(key)
            u32(type(of: value))
            payload(value)
        }
        var offset = 0
        for tensor in tensors {
            string(tensor.name)
            u32(UInt32(tensor.shape.count))
            tensor.shape.reversed().forEach { u64(UInt64($0)) }
            u32(tensor.type)
            u64(UInt64(offset))
            offset += (tensor.data.count + alignment - 1) / alignment * alignment
        }
        out.append(Data(count: (alignment - out.count % alignment) % alignment))
        for tensor in tensors {
            out.append(tensor.data)
            out.append(Data(count: (alignment - tensor.data.count % alignment) % alignment))
        }
        return out
    }
}
