/// Where one tensor lives inside a weight file.
public struct TensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
    /// Absolute byte offset of the data in its file.
    public let fileOffset: Int
    /// Number of data bytes.
    public let byteCount: Int
}

/// A read-only collection of named tensors: one weight file or a whole checkpoint.
public protocol WeightSource: Sendable {
    /// A description for error messages (a path).
    var sourceDescription: String { get }
    /// All tensor names, in file order.
    var tensorNames: [String] { get }
    /// Where `name` lives, or nil if absent.
    func info(named name: String) -> TensorInfo?
    /// The tensor called `name`, as a zero-copy view when possible.
    func tensor(named name: String) throws(WeightsError) -> Tensor
}

extension WeightSource {
    /// Whether a tensor called `name` exists.
    public func contains(_ name: String) -> Bool { info(named: name) != nil }

    /// The tensor called `name`, which must have `shape`.
    public func tensor(named name: String, shape expected: [Int]) throws(WeightsError) -> Tensor {
        guard let info = info(named: name) else {
            throw .missingTensor(name: name, source: sourceDescription)
        }
        guard info.shape == expected else {
            throw .unexpectedShape(name: name, expected: expected, actual: info.shape)
        }
        return try tensor(named: name)
    }
}
