import Foundation
import SmolTensor

/// The `.json` companions of the safetensors fixtures: every tensor's dtype,
/// shape and values, written by Scripts/reference/make_safetensors_fixtures.py.
struct ExpectedTensors: Decodable {
    struct Entry: Decodable {
        let dtype: String
        let shape: [Int]
        let values: [Double]

        /// The tensor these values describe, built without the reader under test.
        func tensor() throws -> Tensor {
            switch dtype {
            case "F32": return try Tensor(shape: shape, floats: values.map { Float($0) })
            case "F16": return try Tensor(shape: shape, dtype: .float16, copying: values.map { floatToFloat16Bits(Float($0)) })
            case "BF16": return try Tensor(shape: shape, dtype: .bfloat16, copying: values.map { floatToBFloat16Bits(Float($0)) })
            case "I64": return try Tensor(shape: shape, int64s: values.map { Int64($0) })
            case "I32": return try Tensor(shape: shape, dtype: .int32, copying: values.map { Int32($0) })
            case "U8": return try Tensor(shape: shape, dtype: .uint8, copying: values.map { UInt8($0) })
            case "BOOL": return try Tensor(shape: shape, dtype: .bool, copying: values.map { UInt8($0) })
            default: throw CocoaError(.coderInvalidValue)
            }
        }
    }

    let metadata: [String: String]
    let tensors: [String: Entry]

    static func load(_ relative: String) throws -> ExpectedTensors {
        try JSONDecoder().decode(ExpectedTensors.self, from: Data(contentsOf: Fixtures.url(relative)))
    }
}

/// A tensor's values as doubles, exactly (integers included).
func exactValues(_ tensor: Tensor) throws -> [Double] {
    switch tensor.dtype {
    case .int64, .int32, .uint8, .bool: return try tensor.ints().map(Double.init)
    default: return try tensor.floats().map(Double.init)
    }
}
