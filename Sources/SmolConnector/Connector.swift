import SmolTensor

/// The SmolVLM connector: pixel shuffle, then a bias-free linear projection
/// from `E·s²` vision channels to the decoder width (`SmolVLMConnector`).
public struct Connector: Sendable {
    /// The checkpoint name of the projection weight.
    public static let weightName = "model.connector.modality_projection.proj.weight"

    /// The pixel-shuffle factor `s` (`scale_factor`).
    public let scaleFactor: Int
    /// `[textHidden, visionHidden·s²]`.
    public let projection: Tensor

    public var visionHiddenSize: Int { projection.shape[1] / (scaleFactor * scaleFactor) }
    public var textHiddenSize: Int { projection.shape[0] }

    /// A connector around an existing projection weight `[textHidden, visionHidden·s²]`.
    public init(scaleFactor: Int, projection: Tensor) throws(TensorError) {
        guard scaleFactor > 0, projection.rank == 2,
              projection.shape[1] % (scaleFactor * scaleFactor) == 0 else {
            throw .shapeMismatch(operation: "Connector",
                                 detail: "projection \(projection.shape) does not fit scale factor \(scaleFactor)")
        }
        self.scaleFactor = scaleFactor
        self.projection = projection
    }

    /// Loads the projection from `weights`, checking its shape against the configuration.
    public init(weights: some WeightSource, scaleFactor: Int, visionHiddenSize: Int, textHiddenSize: Int) throws(WeightsError) {
        let expected = [textHiddenSize, visionHiddenSize * scaleFactor * scaleFactor]
        let weight = try weights.tensor(named: Connector.weightName, shape: expected)
        guard weight.dtype.isFloatingPoint, !weight.dtype.isQuantized else {
            throw .unexpectedDType(name: Connector.weightName, dtype: weight.dtype, detail: "expected float32, float16 or bfloat16")
        }
        self.scaleFactor = scaleFactor
        self.projection = weight
    }

    /// `[B, N², E]` patch features → `[B, (N/s)², textHidden]` decoder-width tokens.
    public func callAsFunction(_ patches: Tensor) throws(TensorError) -> Tensor {
        guard patches.rank == 3, patches.shape[2] == visionHiddenSize else {
            throw .shapeMismatch(operation: "Connector",
                                 detail: "patches \(patches.shape) must be [B, seq, \(visionHiddenSize)]")
        }
        return try pixelShuffle(patches, scaleFactor: scaleFactor).linear(weight: projection)
    }
}
