import SmolTensor

extension VisionLanguageModel {
    /// Encoder then connector, `[frames, S, textHidden]` for the kept frames.
    ///
    /// Each batch of frames goes through the connector as soon as it is encoded, so the
    /// encoder's states (21× the size of the features) are never held for every frame:
    /// 64 video frames would otherwise hold 200 MB of them.
    func connectorFeatures(pixelValues: Tensor, pixelAttentionMask: Tensor?) throws -> Tensor {
        var features: Tensor? = nil
        let frames = try encoder.forEachBatch(pixelValues: pixelValues, pixelAttentionMask: pixelAttentionMask) {
            (states, range, frameCount) throws(TensorError) in
            let batch = try connector(states)
            let (tokens, width) = (batch.shape[1], batch.shape[2])
            if features == nil { features = try Tensor(zeros: [frameCount, tokens, width]) }
            features!.write(batch, atElement: range.lowerBound * tokens * width)
        }
        PageAllocation.returnFreedMemory()
        if let features { return features }
        let patches = frames.patchRows * frames.patchColumns
        return try connector(Tensor(zeros: [0, patches, config.vision.hiddenSize]))
    }
}
