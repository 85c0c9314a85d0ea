import SmolTensor

/// The encoder's input after validation: frames flattened to `[N, C, H, W]`, the
/// optional pixel mask to `[N, H, W]`, and the padding-frame selection of
/// `SmolVLMModel.get_image_features`.
struct EncoderInput {
    /// `[N, C, H, W]`, floating point.
    let pixelValues: Tensor
    /// `[N, H, W]` float32, or nil (every pixel real).
    let pixelMask: Tensor?
    let patchSize: Int
    let patchRows: Int
    let patchColumns: Int
    /// Frames that are not all-padding, ascending; frame 0 when all are padding.
    let keptFrameIndices: [Int]

    private static let operation = "VisionEncoder.encode"

    init(pixelValues: Tensor, pixelAttentionMask: Tensor?, config: VisionConfig) throws(TensorError) {
        let op = Self.operation
        guard [.float32, .float16, .bfloat16].contains(pixelValues.dtype) else {
            throw .unsupportedDType(operation: op, dtype: pixelValues.dtype)
        }
        let s = pixelValues.shape
        guard s.count == 4 || s.count == 5 else {
            throw .shapeMismatch(operation: op, detail: "pixel values \(s) must be [N, C, H, W] or [B, N, C, H, W]")
        }
        let frameShape = Array(s.suffix(3))
        let frameCount = s.dropLast(3).reduce(1, *)
        let (channels, height, width) = (frameShape[0], frameShape[1], frameShape[2])
        guard frameCount > 0, channels == config.channelCount, height >= config.patchSize, width >= config.patchSize else {
            throw .shapeMismatch(operation: op, detail: "pixel values \(s) need at least one frame of \(config.channelCount) channels and at least \(config.patchSize)×\(config.patchSize) pixels")
        }
        self.pixelValues = try pixelValues.reshaped([frameCount] + frameShape)
        if let mask = pixelAttentionMask {
            let expected = Array(s.dropLast(3)) + [height, width]
            guard mask.shape == expected else {
                throw .shapeMismatch(operation: op, detail: "pixel attention mask \(mask.shape) does not match pixel values \(s); expected \(expected)")
            }
            guard !mask.dtype.isQuantized else { throw .unsupportedDType(operation: op, dtype: mask.dtype) }
            pixelMask = try mask.reshaped([frameCount, height, width]).asFloat32()
        } else {
            pixelMask = nil
        }
        patchSize = config.patchSize
        (patchRows, patchColumns) = (height / config.patchSize, width / config.patchSize)

        // A frame is padding when every value is exactly 0.0; normalised real pixels
        // never are (that would need the value 127.5).
        let values = try self.pixelValues.asFloat32()
        let frameLength = channels * height * width
        let real = values.withUnsafeFloats { all in
            (0..<frameCount).filter { frame in
                all[(frame * frameLength)..<((frame + 1) * frameLength)].contains { $0 != 0 }
            }
        }
        keptFrameIndices = real.isEmpty ? [0] : real
    }

    /// Each listed frame's patch grid: from the pixel mask by the unfold rule, or full.
    func patchGrids(frames: [Int]) -> [PatchGrid] {
        guard let mask = pixelMask else {
            return frames.map { _ in PatchGrid.full(rows: patchRows, columns: patchColumns) }
        }
        let (height, width) = (mask.shape[1], mask.shape[2])
        return mask.withUnsafeFloats { all in
            frames.map { frame in
                let pixels = UnsafeBufferPointer(rebasing: all[(frame * height * width)..<((frame + 1) * height * width)])
                return PatchGrid.fromPixelMask(pixels, height: height, width: width, patchSize: patchSize)
            }
        }
    }

    /// The listed frames as one `[frames.count, C, H, W]` tensor.
    func pixels(frames: [Int]) throws(TensorError) -> Tensor {
        var parts: [Tensor] = []
        for frame in frames { parts.append(try pixelValues.slice(axis: 0, start: frame, length: 1)) }
        return parts.count == 1 ? parts[0] : try Tensor.concatenate(parts, axis: 0)
    }
}
