/// The element types a ``Tensor`` can hold.
///
/// Plain types store one element per `blockBytes` bytes. Block-quantized types
/// (GGUF's `Q8_0`, `Q4_0`, `Q4_1`, `Q4_K`, `Q5_K`, `Q6_K`) store `blockElements` elements in
/// `blockBytes` bytes; their element count must be a multiple of the block size.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32
    case float16
    case bfloat16
    case int64
    case int32
    case uint8
    case bool
    /// 32 elements: one f16 scale, 32 signed 8-bit values (34 bytes).
    case q8_0
    /// 32 elements: one f16 scale, 32 unsigned 4-bit values offset by 8 (18 bytes).
    case q4_0
    /// 32 elements: f16 scale and f16 minimum, 32 unsigned 4-bit values (20 bytes).
    case q4_1
    /// 256 elements in 8 sub-blocks with 6-bit scales and minimums (144 bytes).
    case q4_K
    /// 256 elements: like q4_K plus a fifth bit per value (176 bytes).
    case q5_K
    /// 256 elements: 6-bit values in 16 sub-blocks with 8-bit scales (210 bytes).
    case q6_K

    /// Elements per storage block (1 for plain types).
    public var blockElements: Int {
        switch self {
        case .q8_0, .q4_0, .q4_1: return 32
        case .q4_K, .q5_K, .q6_K: return 256
        default: return 1
        }
    }

    /// Bytes per storage block (the element size for plain types).
    public var blockBytes: Int {
        switch self {
        case .float32, .int32: return 4
        case .float16, .bfloat16: return 2
        case .int64: return 8
        case .uint8, .bool: return 1
        case .q8_0: return 34
        case .q4_0: return 18
        case .q4_1: return 20
        case .q4_K: return 144
        case .q5_K: return 176
        case .q6_K: return 210
        }
    }

    /// True for the block-quantized types.
    public var isQuantized: Bool { blockElements > 1 }

    /// True for types that hold real numbers (and so convert to `float32`).
    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .q8_0, .q4_0, .q4_1, .q4_K, .q5_K, .q6_K: return true
        default: return false
        }
    }

    /// Bytes needed for `count` elements, or `nil` when `count` is not a whole
    /// number of blocks or the size overflows.
    public func byteCount(forElements count: Int) -> Int? {
        guard count >= 0, count % blockElements == 0 else { return nil }
        let (bytes, overflow) = (count / blockElements).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }

    /// The safetensors spelling of this type (`F32`, `BF16`, …), if it has one.
    public var safetensorsName: String? {
        switch self {
        case .float32: return "F32"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .int64: return "I64"
        case .int32: return "I32"
        case .uint8: return "U8"
        case .bool: return "BOOL"
        case .q8_0, .q4_0, .q4_1, .q4_K, .q5_K, .q6_K: return nil
        }
    }

    /// The type for a safetensors dtype string, if supported.
    public init?(safetensorsName name: String) {
        guard let match = DType.allCases.first(where: { $0.safetensorsName == name }) else { return nil }
        self = match
    }

    public var description: String { rawValue }
}
