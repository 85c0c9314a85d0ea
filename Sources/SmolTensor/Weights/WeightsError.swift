import Foundation

/// Errors from reading, validating and writing weight files.
///
/// Every case names the file, and where one is involved the tensor and the
/// field, so that a broken checkpoint can be diagnosed from the message alone.
public enum WeightsError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case cannotOpen(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    /// The file is shorter than the 8-byte header-length prefix.
    case truncatedHeader(file: String, fileSize: Int)
    /// The header length points beyond the end of the file.
    case headerLengthPastEOF(file: String, headerLength: UInt64, fileSize: Int)
    /// The header length is over the 100 MB safetensors limit.
    case headerTooLarge(file: String, headerLength: UInt64)
    /// The header is not valid UTF-8 JSON, or not a JSON object.
    case invalidHeader(file: String, reason: String)
    /// A tensor entry lacks a field or has one of the wrong form.
    case invalidTensorEntry(file: String, tensor: String, field: String, reason: String)
    /// A tensor's dtype is not one this reader supports.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A tensor's shape has negative dimensions or overflows.
    case invalidShape(file: String, tensor: String, shape: [Int])
    /// A tensor's data offsets are reversed (`begin > end`).
    case invalidOffsets(file: String, tensor: String, begin: Int, end: Int)
    /// A tensor's data extends past the end of the file.
    case offsetsPastEOF(file: String, tensor: String, end: Int, dataSize: Int)
    /// The byte range does not match dtype × shape.
    case sizeMismatch(file: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    /// Two tensors' byte ranges overlap.
    case overlappingTensors(file: String, first: String, second: String)
    /// The same tensor name appears twice.
    case duplicateTensor(file: String, tensor: String)
    /// A required tensor is absent.
    case missingTensor(name: String, source: String)
    /// A tensor has another shape than the model expects.
    case unexpectedShape(name: String, expected: [Int], actual: [Int])
    /// A tensor has a dtype the consumer cannot use.
    case unexpectedDType(name: String, dtype: DType, detail: String)
    /// A tensor under a model's name prefix that the model has no use for; usually
    /// the configuration does not match the checkpoint (e.g. fewer layers).
    case unexpectedTensor(name: String, source: String)
    /// Everything wrong with a model's weights, collected so that one load reports
    /// every missing, misshapen or extra tensor at once.
    case invalidWeights(source: String, problems: [WeightsError])
    /// A sharded checkpoint's index file is malformed or inconsistent.
    case invalidIndex(file: String, reason: String)
    /// A GGUF file's structure is malformed.
    case invalidGGUF(file: String, reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "weight file not found: \(path)"
        case let .cannotOpen(path, reason):
            return "cannot open \(path): \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        case let .truncatedHeader(file, size):
            return "\(file): truncated: \(size) bytes is shorter than the 8-byte header length"
        case let .headerLengthPastEOF(file, length, size):
            return "\(file): header length \(length) runs past the end of the \(size)-byte file"
        case let .headerTooLarge(file, length):
            return "\(file): header length \(length) exceeds the 100 MB limit"
        case let .invalidHeader(file, reason):
            return "\(file): invalid header: \(reason)"
        case let .invalidTensorEntry(file, tensor, field, reason):
            return "\(file): tensor '\(tensor)': field '\(field)': \(reason)"
        case let .unsupportedDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)': unsupported dtype '\(dtype)'"
        case let .invalidShape(file, tensor, shape):
            return "\(file): tensor '\(tensor)': invalid shape \(shape)"
        case let .invalidOffsets(file, tensor, begin, end):
            return "\(file): tensor '\(tensor)': data_offsets [\(begin), \(end)] are reversed"
        case let .offsetsPastEOF(file, tensor, end, dataSize):
            return "\(file): tensor '\(tensor)': data ends at \(end), past the \(dataSize)-byte data section"
        case let .sizeMismatch(file, tensor, expected, actual):
            return "\(file): tensor '\(tensor)': dtype and shape need \(expected) bytes but data_offsets span \(actual)"
        case let .overlappingTensors(file, first, second):
            return "\(file): tensors '\(first)' and '\(second)' overlap"
        case let .duplicateTensor(file, tensor):
            return "\(file): tensor '\(tensor)' is listed twice"
        case let .missingTensor(name, source):
            return "tensor '\(name)' is missing from \(source)"
        case let .unexpectedShape(name, expected, actual):
            return "tensor '\(name)' has shape \(actual), expected \(expected)"
        case let .unexpectedDType(name, dtype, detail):
            return "tensor '\(name)' has dtype \(dtype): \(detail)"
        case let .unexpectedTensor(name, source):
            return "tensor '\(name)' in \(source) is not used by the model"
        case let .invalidWeights(source, problems):
            let list = problems.map { "\n  - \($0.description)" }.joined()
            return "\(source): \(problems.count) problem\(problems.count == 1 ? "" : "s") with the weights:\(list)"
        case let .invalidIndex(file, reason):
            return "\(file): invalid checkpoint index: \(reason)"
        case let .invalidGGUF(file, reason):
            return "\(file): invalid GGUF: \(reason)"
        }
    }
}

extension WeightsError: LocalizedError {
    public var errorDescription: String? { description }
}
