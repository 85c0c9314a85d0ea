import SmolTensor

/// What ``VisionEncoder/encode(pixelValues:pixelAttentionMask:framesPerBatch:)`` returns:
/// the tower's `last_hidden_state` (of transformers' `BaseModelOutputWithPooling`) for
/// the frames it kept, which frames those were, and their `patch_attention_mask`.
public struct VisionEncoderOutput: Sendable {
    /// `[K, patches, hidden]` float32 after `post_layernorm`, one row block per kept
    /// frame in input order (`patches = (H/P)·(W/P)`, e.g. `[K, 1024, 768]` for 512 px
    /// SigLIP-B/16 tiles).
    public let lastHiddenState: Tensor
    /// Indices of the kept frames among the input frames (flattened `B·N` order),
    /// ascending. All-padding frames (every value exactly 0.0) are dropped, as
    /// `get_image_features` does; when every frame is padding, frame 0 is kept.
    public let keptFrameIndices: [Int]
    /// `[K, H/P, W/P]` bool: whether each patch covers at least one valid pixel
    /// (transformers' `patch_attention_mask`). Invalid patches are still encoded;
    /// they are only hidden from attention as keys.
    public let patchAttentionMask: Tensor
}
