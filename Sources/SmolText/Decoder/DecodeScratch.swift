import SmolTensor

/// The buffers of the single-token decode step, allocated once per ``KVCache``
/// and reused for every token (nothing is allocated per token).
///
/// Shared buffers are written in disjoint chunks; per-participant buffers hold
/// what each thread computes for itself (the normed activation and its
/// quantized form), which saves a stage per product.
final class DecodeScratch: @unchecked Sendable {
    let members: Int
    let capacity: Int
    let stages: StageCounters

    /// The residual stream `[hidden]`.
    let x: UnsafeMutablePointer<Float>
    /// Rotated queries `[heads · headDim]`.
    let query: UnsafeMutablePointer<Float>
    /// Attention output, heads side by side `[heads · headDim]`.
    let attention: UnsafeMutablePointer<Float>
    /// `silu(gate) · up` `[intermediate]`.
    let gated: UnsafeMutablePointer<Float>
    /// The last logits `[vocabulary]`.
    let logits: UnsafeMutablePointer<Float>
    let cos: UnsafeMutablePointer<Float>
    let sin: UnsafeMutablePointer<Float>

    /// Per participant: a normed activation `[max(hidden, heads·headDim, intermediate)]`, two
    /// row buffers of the same size, and attention scores `[capacity]`.
    let normed: [UnsafeMutablePointer<Float>]
    let rowsA: [UnsafeMutablePointer<Float>]
    let rowsB: [UnsafeMutablePointer<Float>]
    let scores: [UnsafeMutablePointer<Float>]
    let quantized: [QuantizedVector]

    private var allocations: [UnsafeMutablePointer<Float>] = []

    init(config c: TextConfig, capacity: Int, members: Int) {
        self.members = members
        self.capacity = capacity
        stages = StageCounters(capacity: c.layerCount * DecodeStage.perLayer + 1)
        let width = max(c.hiddenSize, c.attentionHeads * c.headDimension, c.intermediateSize)
        var allocations: [UnsafeMutablePointer<Float>] = []
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            // Whole cache lines, so members writing neighbouring buffers never share one.
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(64, (count * 4 + 63) / 64 * 64), alignment: 64)
            let p = raw.bindMemory(to: Float.self, capacity: count)
            allocations.append(p)
            return p
        }
        x = buffer(c.hiddenSize)
        query = buffer(c.attentionHeads * c.headDimension)
        attention = buffer(c.attentionHeads * c.headDimension)
        gated = buffer(c.intermediateSize)
        logits = buffer(c.vocabularySize)
        cos = buffer(c.headDimension / 2)
        sin = buffer(c.headDimension / 2)
        normed = (0..<members).map { _ in buffer(width) }
        rowsA = (0..<members).map { _ in buffer(width) }
        rowsB = (0..<members).map { _ in buffer(width) }
        scores = (0..<members).map { _ in buffer(max(capacity, 1)) }
        quantized = (0..<members).map { _ in QuantizedVector(capacity: width) }
        self.allocations = allocations
    }

    deinit {
        for p in allocations { UnsafeMutableRawPointer(p).deallocate() }
    }
}
