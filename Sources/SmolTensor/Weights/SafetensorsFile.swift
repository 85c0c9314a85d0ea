import Foundation

/// One safetensors file, memory-mapped and validated when opened.
///
/// Every offset, length, dtype and shape in the header is checked against the
/// file before any tensor is handed out, so a malformed file is a
/// ``WeightsError`` rather than an out-of-bounds read.
public final class SafetensorsFile: WeightSource, @unchecked Sendable {
    /// The file's location.
    public let url: URL
    /// The string map stored under `__metadata__`.
    public let metadata: [String: String]
    /// Tensor names in header order.
    public let tensorNames: [String]

    private let file: MappedFile
    private let infos: [String: TensorInfo]

    /// Maps and validates the file at `url`.
    public init(url: URL) throws(WeightsError) {
        self.url = url
        file = try MappedFile(url: url)
        let header = try SafetensorsHeader(bytes: file.bytes, fileName: url.path)
        metadata = header.metadata
        tensorNames = header.tensors.map(\.name)
        infos = Dictionary(uniqueKeysWithValues: header.tensors.map { ($0.name, $0) })
    }

    public var sourceDescription: String { url.path }

    public func info(named name: String) -> TensorInfo? { infos[name] }

    /// The tensor called `name`: a zero-copy view of the mapping when its data is
    /// aligned for its dtype, otherwise an aligned copy.
    public func tensor(named name: String) throws(WeightsError) -> Tensor {
        guard let info = infos[name] else { throw .missingTensor(name: name, source: url.path) }
        let count = Tensor.elementCount(of: info.shape) ?? 0
        let bytes = UnsafeRawBufferPointer(start: file.base.map { $0 + info.fileOffset }, count: info.byteCount)
        let alignment = min(info.dtype.blockBytes, 8)
        if let pointer = bytes.baseAddress, info.byteCount > 0, Int(bitPattern: pointer) % alignment == 0 {
            return Tensor(view: pointer, shape: info.shape, dtype: info.dtype, count: count, owner: file)
        }
        return Tensor(validatedShape: info.shape, dtype: info.dtype, count: count, copying: bytes)
    }
}
