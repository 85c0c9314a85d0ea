import Foundation

/// Writes tensors in the safetensors format, byte-compatible with the
/// reference `safetensors` library for the same tensors and metadata.
public enum SafetensorsWriter {
    /// The reference library's tensor order: by dtype, widest alignment class
    /// first (its `Dtype` enum order, descending), then by name.
    static func orderRank(_ dtype: DType) -> Int {
        switch dtype {
        case .bool: return 0
        case .uint8: return 1
        case .float16: return 5
        case .bfloat16: return 6
        case .int32: return 7
        case .float32: return 9
        case .int64: return 11
        case .q8_0, .q4_0, .q4_1, .q4_K, .q5_K, .q6_K: return -1
        }
    }

    /// The file's bytes for `tensors` and `metadata`.
    ///
    /// Throws for quantized dtypes (safetensors has none) and duplicate names.
    public static func serialize(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]
    ) throws(WeightsError) -> [UInt8] {
        var seen = Set<String>()
        for (name, tensor) in tensors {
            guard seen.insert(name).inserted, name != "__metadata__" else {
                throw .duplicateTensor(file: "(writer)", tensor: name)
            }
            guard tensor.dtype.safetensorsName != nil else {
                throw .unexpectedDType(name: name, dtype: tensor.dtype, detail: "safetensors cannot store it")
            }
        }
        let ordered = tensors.sorted {
            let (l, r) = (orderRank($0.tensor.dtype), orderRank($1.tensor.dtype))
            return l != r ? l > r : $0.name < $1.name
        }

        var header = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let entries = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(entries.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            let bytes = tensor.byteCount
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(name)):{\"dtype\":\"\(tensor.dtype.safetensorsName!)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        // Pad with spaces so the data section starts 8-byte aligned.
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }

        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count)
        for _ in 0..<8 { out.append(UInt8(length & 0xff)); length >>= 8 }
        out += headerBytes
        for (_, tensor) in ordered {
            tensor.withUnsafeRawBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Writes `tensors` and `metadata` to `url`, replacing any file there.
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to url: URL
    ) throws(WeightsError) {
        let bytes = try serialize(tensors, metadata: metadata)
        do { try Data(bytes).write(to: url, options: .atomic) } catch {
            throw .cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    /// JSON string literal with the escapes serde_json emits.
    static func jsonString(_ s: String) -> String {
        var out = ""
        JSONStringWriter.write(s, into: &out)
        return out
    }
}
