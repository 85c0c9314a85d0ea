import Foundation

/// A GGUF file (llama.cpp's format), memory-mapped and validated when opened.
///
/// Tensor shapes are reported in PyTorch order (GGUF stores `ne[]` innermost
/// first); data is row-major as in PyTorch. Quantized tensors keep their
/// block dtype (`q8_0`, `q4_1`, …) and can be dequantized with `asFloat32()`.
public final class GGUFFile: WeightSource, @unchecked Sendable {
    public let url: URL
    /// Format version (2 or 3).
    public let version: UInt32
    /// Key–value metadata in file order.
    public let metadataKeys: [String]
    public let metadata: [String: GGUFValue]
    public let tensorNames: [String]

    private let file: MappedFile
    private let infos: [String: TensorInfo]

    /// ggml type codes this reader maps to a ``DType``.
    static let types: [UInt32: DType] = [
        0: .float32, 1: .float16, 2: .q4_0, 3: .q4_1, 8: .q8_0,
        12: .q4_K, 13: .q5_K, 14: .q6_K, 26: .int32, 27: .int64, 30: .bfloat16,
    ]

    public init(url: URL) throws(WeightsError) {
        self.url = url
        file = try MappedFile(url: url)
        var reader = GGUFReader(bytes: file.bytes, file: url.path)
        guard file.size >= 4, try reader.read(UInt32.self) == 0x4655_4747 else {
            throw .invalidGGUF(file: url.path, reason: "missing GGUF magic")
        }
        version = try reader.read(UInt32.self)
        guard version == 2 || version == 3 else {
            throw .invalidGGUF(file: url.path, reason: "unsupported version \(version)")
        }
        let tensorCount = try reader.read(UInt64.self)
        let keyCount = try reader.read(UInt64.self)
        // Each entry needs well over 8 bytes, which bounds forged counts before any allocation.
        guard tensorCount <= UInt64(file.size / 8), keyCount <= UInt64(file.size / 8) else {
            throw .invalidGGUF(file: url.path, reason: "\(tensorCount) tensors / \(keyCount) keys cannot fit in \(file.size) bytes")
        }

        var keys: [String] = []
        var metadata: [String: GGUFValue] = [:]
        for _ in 0..<keyCount {
            let key = try reader.readString()
            let type = try reader.read(UInt32.self)
            guard metadata[key] == nil else { throw .invalidGGUF(file: url.path, reason: "metadata key '\(key)' repeats") }
            metadata[key] = try reader.readValue(type: type)
            keys.append(key)
        }

        var pending: [(name: String, dtype: DType, shape: [Int], offset: UInt64, bytes: Int)] = []
        var seen = Set<String>()
        for _ in 0..<tensorCount {
            let name = try reader.readString()
            guard seen.insert(name).inserted else { throw .duplicateTensor(file: url.path, tensor: name) }
            let dimensions = try reader.read(UInt32.self)
            guard (1...4).contains(dimensions) else {
                throw .invalidGGUF(file: url.path, reason: "tensor '\(name)' has \(dimensions) dimensions")
            }
            var ne: [Int] = []
            for _ in 0..<dimensions {
                let n = try reader.read(UInt64.self)
                guard n <= UInt64(Int32.max) else { throw .invalidShape(file: url.path, tensor: name, shape: [Int(truncatingIfNeeded: n)]) }
                ne.append(Int(n))
            }
            let typeCode = try reader.read(UInt32.self)
            let offset = try reader.read(UInt64.self)
            guard let dtype = GGUFFile.types[typeCode] else {
                throw .unsupportedDType(file: url.path, tensor: name, dtype: "ggml type \(typeCode)")
            }
            let shape = Array(ne.reversed())
            guard ne[0] % dtype.blockElements == 0, let count = Tensor.elementCount(of: shape),
                  let bytes = dtype.byteCount(forElements: count) else {
                throw .invalidShape(file: url.path, tensor: name, shape: shape)
            }
            pending.append((name, dtype, shape, offset, bytes))
        }

        let alignment = metadata["general.alignment"]?.intValue ?? 32
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw .invalidGGUF(file: url.path, reason: "general.alignment \(alignment) is not a power of two")
        }
        let dataStart = (reader.offset + alignment - 1) / alignment * alignment
        let dataSize = max(0, file.size - dataStart)
        var infos: [String: TensorInfo] = [:]
        for t in pending {
            guard t.offset % UInt64(alignment) == 0 else {
                throw .invalidTensorEntry(file: url.path, tensor: t.name, field: "offset", reason: "\(t.offset) is not aligned to \(alignment)")
            }
            guard t.offset <= UInt64(dataSize), UInt64(t.bytes) <= UInt64(dataSize) - t.offset else {
                throw .offsetsPastEOF(file: url.path, tensor: t.name, end: Int(clamping: t.offset) + t.bytes, dataSize: dataSize)
            }
            infos[t.name] = TensorInfo(name: t.name, dtype: t.dtype, shape: t.shape,
                                       fileOffset: dataStart + Int(t.offset), byteCount: t.bytes)
        }
        let ranges = infos.values.filter { $0.byteCount > 0 }.sorted { $0.fileOffset < $1.fileOffset }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.fileOffset < a.fileOffset + a.byteCount {
            throw .overlappingTensors(file: url.path, first: a.name, second: b.name)
        }
        self.metadataKeys = keys
        self.metadata = metadata
        self.tensorNames = pending.map(\.name)
        self.infos = infos
    }

    public var sourceDescription: String { url.path }

    public func info(named name: String) -> TensorInfo? { infos[name] }

    public func tensor(named name: String) throws(WeightsError) -> Tensor {
        guard let info = infos[name] else { throw .missingTensor(name: name, source: url.path) }
        let count = Tensor.elementCount(of: info.shape) ?? 0
        let bytes = UnsafeRawBufferPointer(start: file.base.map { $0 + info.fileOffset }, count: info.byteCount)
        let alignment = min(info.dtype.blockElements > 1 ? 2 : info.dtype.blockBytes, 8)
        if let pointer = bytes.baseAddress, info.byteCount > 0, Int(bitPattern: pointer) % alignment == 0 {
            return Tensor(view: pointer, shape: info.shape, dtype: info.dtype, count: count, owner: file)
        }
        return Tensor(validatedShape: info.shape, dtype: info.dtype, count: count, copying: bytes)
    }

    // MARK: Typed metadata

    public func string(_ key: String) -> String? { metadata[key]?.stringValue }
    public func int(_ key: String) -> Int? { metadata[key]?.intValue }
    public func double(_ key: String) -> Double? { metadata[key]?.doubleValue }

    /// A string array (e.g. `tokenizer.ggml.tokens`).
    public func strings(_ key: String) -> [String]? {
        guard let items = metadata[key]?.arrayValue else { return nil }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let s = item.stringValue else { return nil }
            result.append(s)
        }
        return result
    }

    /// An integer array (e.g. `tokenizer.ggml.token_type`).
    public func ints(_ key: String) -> [Int]? {
        guard let items = metadata[key]?.arrayValue else { return nil }
        var result: [Int] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let v = item.intValue else { return nil }
            result.append(v)
        }
        return result
    }
}
