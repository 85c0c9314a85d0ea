/// How a model keeps its large weight matrices in memory, chosen at load time.
///
/// The decoder reads the matrices in this format directly in its matrix-vector
/// kernels; smaller formats read fewer bytes per generated token, which is what
/// bounds decode speed. Weights already stored in the chosen format (a bf16
/// safetensors file for `.bfloat16`, a GGUF `Q8_0`/`Q4_0`/`Q4_1` tensor) are used
/// as they are, mapped from the file; others are converted once at load.
///
/// The integer formats are ggml's block formats (32 values per block with a
/// float16 scale), quantized with ggml's reference rounding. Their matrix-vector
/// products quantize the activation vector to int8 per block of 32 (scale
/// `max|x|/127`, round half to even) and accumulate exactly in int32 per block,
/// as llama.cpp does. Quality per mode is measured in Documentation/Performance.md.
public enum WeightPrecision: String, Sendable, CaseIterable, CustomStringConvertible {
    /// float32 throughout: the reference numerics (matches transformers float32).
    case float32
    /// bfloat16 weights (truncated from float32 with round-to-nearest-even),
    /// float32 activations and accumulation.
    case bfloat16
    /// 8-bit blocks: `value = d · q`, q in [−127, 127] (34 bytes per 32 values).
    case q8_0
    /// 4-bit blocks: `value = d · (n − 8)` (18 bytes per 32 values). The tied
    /// embedding / output projection stays `q8_0`, as llama.cpp keeps it at
    /// higher precision: it is the largest single matrix and the most sensitive.
    case q4_0
    /// 4-bit blocks with a minimum: `value = d · n + m` (20 bytes per 32 values);
    /// the output projection stays `q8_0` as for `q4_0`.
    case q4_1

    /// The tensor element type weights are stored in under this precision.
    public var dtype: DType {
        switch self {
        case .float32: return .float32
        case .bfloat16: return .bfloat16
        case .q8_0: return .q8_0
        case .q4_0: return .q4_0
        case .q4_1: return .q4_1
        }
    }

    /// The precision for the output projection (and a tied embedding).
    public var outputProjection: WeightPrecision {
        switch self {
        case .q4_0, .q4_1: return .q8_0
        default: return self
        }
    }

    /// The precision matching a stored tensor type, if the kernels read it directly.
    public init?(dtype: DType) {
        switch dtype {
        case .float32: self = .float32
        case .bfloat16: self = .bfloat16
        case .q8_0: self = .q8_0
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        default: return nil
        }
    }

    public var description: String { rawValue }
}
