import Foundation

/// Errors from tensor construction and tensor operations.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of values does not match the shape.
    case elementCountMismatch(shape: [Int], expected: Int, actual: Int)
    /// A dimension is negative, or the element count overflows.
    case invalidShape([Int])
    /// The operation needs another element type.
    case unsupportedDType(operation: String, dtype: DType)
    /// Operand shapes do not fit together.
    case shapeMismatch(operation: String, detail: String)
    /// An axis, index or range lies outside the tensor.
    case outOfRange(operation: String, detail: String)
    /// An argument is invalid for another reason.
    case invalidArgument(operation: String, detail: String)

    public var description: String {
        switch self {
        case let .elementCountMismatch(shape, expected, actual):
            return "shape \(shape) holds \(expected) elements, but \(actual) values were given"
        case let .invalidShape(shape):
            return "invalid shape \(shape): dimensions must be non-negative and the size must fit in memory"
        case let .unsupportedDType(operation, dtype):
            return "\(operation) does not support dtype \(dtype)"
        case let .shapeMismatch(operation, detail):
            return "\(operation): shape mismatch: \(detail)"
        case let .outOfRange(operation, detail):
            return "\(operation): out of range: \(detail)"
        case let .invalidArgument(operation, detail):
            return "\(operation): \(detail)"
        }
    }
}

extension TensorError: LocalizedError {
    public var errorDescription: String? { description }
}
