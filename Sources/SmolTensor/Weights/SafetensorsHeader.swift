/// The parsed and validated header of a safetensors file.
///
/// Layout: an 8-byte little-endian header length `n`, `n` bytes of JSON
/// (`{"__metadata__": {…}, name: {"dtype", "shape", "data_offsets"}, …}`), then
/// the data section that `data_offsets` index into.
struct SafetensorsHeader {
    /// The header length limit the reference implementation enforces.
    static let maxHeaderLength: UInt64 = 100_000_000

    var metadata: [String: String] = [:]
    /// Tensors in header order.
    var tensors: [TensorInfo] = []

    /// Parses and validates the header of a `fileSize`-byte file at `bytes`.
    init(bytes: UnsafeRawBufferPointer, fileName file: String) throws(WeightsError) {
        let fileSize = bytes.count
        guard fileSize >= 8 else { throw .truncatedHeader(file: file, fileSize: fileSize) }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= SafetensorsHeader.maxHeaderLength else {
            throw .headerTooLarge(file: file, headerLength: length)
        }
        guard length <= UInt64(fileSize - 8) else {
            throw .headerLengthPastEOF(file: file, headerLength: length, fileSize: fileSize)
        }
        let dataStart = 8 + Int(length)
        let dataSize = fileSize - dataStart
        let json: JSONValue
        do {
            json = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart]))
        } catch {
            throw .invalidHeader(file: file, reason: "not valid JSON: \(error.description)")
        }
        guard let entries = json.objectEntries else {
            throw .invalidHeader(file: file, reason: "the header is not a JSON object")
        }

        var seen = Set<String>()
        for (name, value) in entries {
            guard seen.insert(name).inserted else { throw .duplicateTensor(file: file, tensor: name) }
            if name == "__metadata__" {
                metadata = try Self.parseMetadata(value, file: file)
                continue
            }
            tensors.append(try Self.parseEntry(name: name, value: value, file: file,
                                               dataStart: dataStart, dataSize: dataSize))
        }
        try Self.checkOverlaps(tensors, dataStart: dataStart, file: file)
    }

    private static func parseMetadata(_ value: JSONValue, file: String) throws(WeightsError) -> [String: String] {
        guard let entries = value.objectEntries else {
            throw .invalidHeader(file: file, reason: "__metadata__ is not an object")
        }
        var metadata: [String: String] = [:]
        for (key, value) in entries {
            guard let string = value.stringValue else {
                throw .invalidHeader(file: file, reason: "__metadata__ value for '\(key)' is not a string")
            }
            metadata[key] = string
        }
        return metadata
    }

    private static func parseEntry(
        name: String, value: JSONValue, file: String, dataStart: Int, dataSize: Int
    ) throws(WeightsError) -> TensorInfo {
        guard value.objectEntries != nil else {
            throw .invalidTensorEntry(file: file, tensor: name, field: "(entry)", reason: "not an object")
        }
        guard let dtypeName = value["dtype"]?.stringValue else {
            throw .invalidTensorEntry(file: file, tensor: name, field: "dtype", reason: "missing or not a string")
        }
        guard let dtype = DType(safetensorsName: dtypeName) else {
            throw .unsupportedDType(file: file, tensor: name, dtype: dtypeName)
        }
        guard let dims = value["shape"]?.arrayValue else {
            throw .invalidTensorEntry(file: file, tensor: name, field: "shape", reason: "missing or not an array")
        }
        var shape: [Int] = []
        for dim in dims {
            guard case let .integer(d) = dim else {
                throw .invalidTensorEntry(file: file, tensor: name, field: "shape", reason: "dimensions must be integers")
            }
            shape.append(d)
        }
        guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2,
              case let .integer(begin) = offsets[0], case let .integer(end) = offsets[1],
              begin >= 0, end >= 0 else {
            throw .invalidTensorEntry(file: file, tensor: name, field: "data_offsets",
                                      reason: "must be two non-negative integers")
        }
        guard let count = Tensor.elementCount(of: shape),
              let expectedBytes = dtype.byteCount(forElements: count) else {
            throw .invalidShape(file: file, tensor: name, shape: shape)
        }
        guard begin <= end else { throw .invalidOffsets(file: file, tensor: name, begin: begin, end: end) }
        guard end <= dataSize else {
            throw .offsetsPastEOF(file: file, tensor: name, end: end, dataSize: dataSize)
        }
        guard end - begin == expectedBytes else {
            throw .sizeMismatch(file: file, tensor: name, expectedBytes: expectedBytes, actualBytes: end - begin)
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape,
                          fileOffset: dataStart + begin, byteCount: end - begin)
    }

    private static func checkOverlaps(_ tensors: [TensorInfo], dataStart: Int, file: String) throws(WeightsError) {
        let ranges = tensors.filter { $0.byteCount > 0 }.sorted { $0.fileOffset < $1.fileOffset }
        for (previous, next) in zip(ranges, ranges.dropFirst())
        where next.fileOffset < previous.fileOffset + previous.byteCount {
            throw .overlappingTensors(file: file, first: previous.name, second: next.name)
        }
    }
}
