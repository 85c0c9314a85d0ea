/// An n-dimensional array: a shape, an element type and contiguous row-major bytes.
///
/// `Tensor` is a value type. Copies share storage until one of them is mutated
/// (copy-on-write), and a tensor loaded from a weight file is a zero-copy view
/// of the mapped file until it is mutated or converted.
public struct Tensor: Sendable {
    /// Dimensions, outermost first. A scalar has shape `[]`.
    public let shape: [Int]
    /// Element type.
    public let dtype: DType
    @usableFromInline var storage: TensorStorage
    @usableFromInline let byteOffset: Int

    /// Number of elements (the product of `shape`; 1 for a scalar).
    public let count: Int

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Bytes the elements occupy.
    public var byteCount: Int { dtype.byteCount(forElements: count) ?? 0 }

    init(shape: [Int], dtype: DType, count: Int, storage: TensorStorage, byteOffset: Int) {
        self.shape = shape
        self.dtype = dtype
        self.count = count
        self.storage = storage
        self.byteOffset = byteOffset
    }

    /// The element count of `shape`, or `nil` for negative dimensions or overflow.
    public static func elementCount(of shape: [Int]) -> Int? {
        var total = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            total = product
        }
        return total
    }

    static func checkedSize(_ shape: [Int], _ dtype: DType) throws(TensorError) -> (count: Int, bytes: Int) {
        guard let count = elementCount(of: shape) else { throw .invalidShape(shape) }
        guard let bytes = dtype.byteCount(forElements: count) else {
            throw .invalidArgument(
                operation: "Tensor", detail: "\(count) elements is not a whole number of \(dtype) blocks")
        }
        return (count, bytes)
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int], dtype: DType = .float32) throws(TensorError) {
        let (count, bytes) = try Tensor.checkedSize(shape, dtype)
        self.init(shape: shape, dtype: dtype, count: count,
                  storage: TensorStorage(byteCount: bytes, zeroed: true), byteOffset: 0)
    }

    /// An uninitialized float32 tensor for kernels that write every element.
    @usableFromInline
    static func uninitialized(_ shape: [Int], dtype: DType = .float32) throws(TensorError) -> Tensor {
        let (count, bytes) = try checkedSize(shape, dtype)
        return Tensor(shape: shape, dtype: dtype, count: count,
                      storage: TensorStorage(byteCount: bytes, zeroed: false), byteOffset: 0)
    }

    /// A float32 tensor holding `values` in row-major order.
    public init(shape: [Int], floats values: [Float]) throws(TensorError) {
        let (count, bytes) = try Tensor.checkedSize(shape, .float32)
        guard values.count == count else {
            throw .elementCountMismatch(shape: shape, expected: count, actual: values.count)
        }
        let storage = TensorStorage(byteCount: bytes, zeroed: false)
        values.withUnsafeBytes { storage.base.copyMemory(from: $0.baseAddress!, byteCount: bytes) }
        self.init(shape: shape, dtype: .float32, count: count, storage: storage, byteOffset: 0)
    }

    /// An int64 tensor holding `values` in row-major order.
    public init(shape: [Int], int64s values: [Int64]) throws(TensorError) {
        try self.init(shape: shape, dtype: .int64, copying: values)
    }

    /// A tensor of `dtype` whose bytes are copied from `values`' memory.
    /// `T` must have the layout of one `dtype` element (e.g. `UInt16` for bf16 bits).
    public init<T>(shape: [Int], dtype: DType, copying values: [T]) throws(TensorError) {
        let (count, bytes) = try Tensor.checkedSize(shape, dtype)
        guard values.count * MemoryLayout<T>.stride == bytes else {
            throw .elementCountMismatch(shape: shape, expected: count,
                                        actual: values.count * MemoryLayout<T>.stride / max(dtype.blockBytes, 1))
        }
        let storage = TensorStorage(byteCount: bytes, zeroed: false)
        values.withUnsafeBytes { raw in
            if bytes > 0 { storage.base.copyMemory(from: raw.baseAddress!, byteCount: bytes) }
        }
        self.init(shape: shape, dtype: dtype, count: count, storage: storage, byteOffset: 0)
    }

    /// A tensor of `dtype` over raw bytes (`bytes.count` must match the shape).
    public init(shape: [Int], dtype: DType, bytes: UnsafeRawBufferPointer) throws(TensorError) {
        let (count, byteCount) = try Tensor.checkedSize(shape, dtype)
        guard bytes.count == byteCount else {
            throw .elementCountMismatch(shape: shape, expected: count,
                                        actual: bytes.count / max(dtype.blockBytes, 1) * dtype.blockElements)
        }
        let storage = TensorStorage(byteCount: byteCount, zeroed: false)
        if byteCount > 0 { storage.base.copyMemory(from: bytes.baseAddress!, byteCount: byteCount) }
        self.init(shape: shape, dtype: dtype, count: count, storage: storage, byteOffset: 0)
    }

    /// A zero-copy view of `byteCount` bytes at `base`, kept alive by `owner`.
    init(view base: UnsafeRawPointer, shape: [Int], dtype: DType, count: Int, owner: AnyObject) {
        let bytes = dtype.byteCount(forElements: count) ?? 0
        self.init(shape: shape, dtype: dtype, count: count,
                  storage: TensorStorage(borrowing: base, byteCount: bytes, owner: owner), byteOffset: 0)
    }

    /// A copy of `bytes` under a shape whose size the caller has already validated.
    init(validatedShape shape: [Int], dtype: DType, count: Int, copying bytes: UnsafeRawBufferPointer) {
        let storage = TensorStorage(byteCount: bytes.count, zeroed: false)
        if let source = bytes.baseAddress, bytes.count > 0 {
            storage.base.copyMemory(from: source, byteCount: bytes.count)
        }
        self.init(shape: shape, dtype: dtype, count: count, storage: storage, byteOffset: 0)
    }

    /// Whether this tensor views a memory-mapped file rather than owning its bytes.
    public var isMapped: Bool { !storage.isOwned }

    // MARK: Raw access

    /// Calls `body` with the tensor's bytes.
    @inlinable
    public func withUnsafeRawBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: storage.base + byteOffset, count: byteCount))
    }

    /// Calls `body` with the elements of a float32 tensor.
    /// - Precondition: `dtype == .float32` (use ``asFloat32()`` first otherwise).
    @inlinable
    public func withUnsafeFloats<R, E: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        precondition(dtype == .float32, "withUnsafeFloats needs float32, got \(dtype)")
        let pointer = (storage.base + byteOffset).assumingMemoryBound(to: Float.self)
        return try body(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// Calls `body` with mutable float32 elements, copying shared or mapped storage first.
    /// - Precondition: `dtype == .float32`.
    @inlinable
    public mutating func withUnsafeMutableFloats<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        precondition(dtype == .float32, "withUnsafeMutableFloats needs float32, got \(dtype)")
        makeUniqueOwned()
        let pointer = (storage.base + byteOffset).assumingMemoryBound(to: Float.self)
        return try body(UnsafeMutableBufferPointer(start: pointer, count: count))
    }

    /// Ensures this value is the sole owner of writable storage.
    @usableFromInline
    mutating func makeUniqueOwned() {
        if storage.isOwned && byteOffset == 0 && isKnownUniquelyReferenced(&storage) { return }
        let copy = TensorStorage(byteCount: byteCount, zeroed: false)
        if byteCount > 0 { copy.base.copyMemory(from: storage.base + byteOffset, byteCount: byteCount) }
        self = Tensor(shape: shape, dtype: dtype, count: count, storage: copy, byteOffset: 0)
    }

    /// Base pointer for kernels reading float32 data.
    @usableFromInline
    var floatPointer: UnsafePointer<Float> {
        UnsafePointer((storage.base + byteOffset).assumingMemoryBound(to: Float.self))
    }

    /// Base pointer for kernels writing into a tensor they just allocated.
    @usableFromInline
    var mutableFloatPointer: UnsafeMutablePointer<Float> {
        (storage.base + byteOffset).assumingMemoryBound(to: Float.self)
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) throws(TensorError) -> Tensor {
        guard let newCount = Tensor.elementCount(of: newShape), newCount == count else {
            throw .shapeMismatch(operation: "reshape", detail: "\(shape) cannot become \(newShape)")
        }
        return Tensor(shape: newShape, dtype: dtype, count: count, storage: storage, byteOffset: byteOffset)
    }
}

extension Tensor {
    /// Calls `body` with mutable int64 elements, copying shared or mapped storage first.
    /// - Precondition: `dtype == .int64`.
    public mutating func withUnsafeMutableInt64s<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Int64>) throws(E) -> R
    ) throws(E) -> R {
        precondition(dtype == .int64, "withUnsafeMutableInt64s needs int64, got \(dtype)")
        makeUniqueOwned()
        let pointer = (storage.base + byteOffset).assumingMemoryBound(to: Int64.self)
        return try body(UnsafeMutableBufferPointer(start: pointer, count: count))
    }
}
