import SmolTensor

extension VisionLayerWeights {
    /// One pre-LayerNorm encoder layer (`SmolVLMEncoderLayer`) over a batch of frames:
    /// `h = x + out_proj(attention(LN1(x)))`, then `h + fc2(gelu_tanh(fc1(LN2(h))))`.
    ///
    /// - Parameters:
    ///   - x: `[B, S, D]` hidden states (`S` patches per frame).
    ///   - keyMask: additive `[B, 1, 1, S]` mask (0 or the float32 minimum per key), or nil
    ///     when no patch is padding.
    /// - Returns: `[B, S, D]`.
    func forward(_ x: Tensor, keyMask: Tensor?, config c: VisionConfig) throws(TensorError) -> Tensor {
        let normed = try x.layerNorm(weight: layerNorm1Weight, bias: layerNorm1Bias, eps: c.layerNormEpsilon)
        let h = try x.adding(attention(normed, keyMask: keyMask, config: c))
        let inner = try h.layerNorm(weight: layerNorm2Weight, bias: layerNorm2Bias, eps: c.layerNormEpsilon)
            .linear(weight: fc1Weight, bias: fc1Bias)
            .geluTanh()
        return try h.adding(inner.linear(weight: fc2Weight, bias: fc2Bias))
    }

    /// Bidirectional multi-head self-attention with biased projections
    /// (`SmolVLMVisionAttention`, eager): `[B, S, D]` → `[B, S, D]`.
    private func attention(_ x: Tensor, keyMask: Tensor?, config c: VisionConfig) throws(TensorError) -> Tensor {
        let (batch, length) = (x.shape[0], x.shape[1])
        let (heads, headDimension) = (c.attentionHeads, c.headDimension)
        // Linear outputs hold the heads side by side; attention wants them outermost.
        func splitHeads(_ t: Tensor) throws(TensorError) -> Tensor {
            try t.reshaped([batch, length, heads, headDimension]).permuted([0, 2, 1, 3])
        }
        let query = try splitHeads(x.linear(weight: queryWeight, bias: queryBias))
        let key = try splitHeads(x.linear(weight: keyWeight, bias: keyBias))
        let value = try splitHeads(x.linear(weight: valueWeight, bias: valueBias))
        // The default scale is head_dim^-0.5, as in the PyTorch module.
        let attended = try Tensor.scaledDotProductAttention(query: query, key: key, value: value, mask: keyMask)
        return try attended.permuted([0, 2, 1, 3]).reshaped([batch, length, c.hiddenSize])
            .linear(weight: outputWeight, bias: outputBias)
    }
}
