import SmolTensor

/// Keys and values of every layer for the positions decoded so far, laid out
/// for the attention kernels: keys transposed, `[layer][kvHead][headDim][position]`
/// (the scores of a new token against all positions are then one vector product
/// per dimension), values `[layer][kvHead][position][headDim]` (the weighted sum
/// reads one row per position). Each head's history is one contiguous matrix.
public struct KVCache: Sendable {
    /// Positions the cache can hold.
    public let capacity: Int
    /// Positions filled so far (the next token's position).
    public private(set) var count = 0

    let layers: Int
    let kvHeads: Int
    let headDimension: Int
    var keys: [Float]
    var values: [Float]
    /// Buffers of the single-token step, made on first use (see ``DecodeScratch``).
    var scratch: DecodeScratch?

    /// An empty cache for `capacity` positions of a model with `config`.
    public init(config: TextConfig, capacity: Int) {
        self.capacity = capacity
        layers = config.layerCount
        kvHeads = config.keyValueHeads
        headDimension = config.headDimension
        let size = layers * kvHeads * capacity * headDimension
        keys = Self.untouched(size)
        values = Self.untouched(size)
    }

    /// Storage left unwritten: attention only reads positions below `count`, all of
    /// them written first, and pages never written are never made resident — a
    /// conversation sized for 8,192 positions (377 MB for SmolLM2-135M) costs memory
    /// only for the positions it reaches.
    private static func untouched(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Offset of `(layer, head, position)` in `values`: that position's row.
    @inline(__always)
    func valueOffset(layer: Int, head: Int, position: Int) -> Int {
        ((layer * kvHeads + head) * capacity + position) * headDimension
    }

    /// Offset of `(layer, head)`'s transposed keys in `keys`: dimension `i` of
    /// position `p` is at `keyOffset(…) + i · capacity + p`.
    @inline(__always)
    func keyOffset(layer: Int, head: Int) -> Int {
        (layer * kvHeads + head) * headDimension * capacity
    }

    /// Forgets everything from `position` on (to rewind after an edited history).
    public mutating func truncate(to position: Int) {
        count = min(count, max(0, position))
    }

    mutating func advance(by n: Int) { count += n }

    /// This cache's decode buffers for a team of `members` threads. A copy of the
    /// cache gets its own on first use, so two copies never share them.
    mutating func decodeScratch(config: TextConfig, members: Int) -> DecodeScratch {
        if let existing = scratch, existing.members == members, isKnownUniquelyReferenced(&scratch!) {
            return existing
        }
        let created = DecodeScratch(config: config, capacity: capacity, members: members)
        scratch = created
        return created
    }
}
