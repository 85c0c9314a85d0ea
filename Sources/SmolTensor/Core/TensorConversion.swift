extension Tensor {
    /// This tensor as float32: itself when already float32, otherwise a converted copy.
    ///
    /// float16 and bfloat16 widen exactly; integer and bool types convert by value;
    /// block-quantized types dequantize as ggml does.
    public func asFloat32() throws(TensorError) -> Tensor {
        if dtype == .float32 { return self }
        let result = try Tensor.uninitialized(shape)
        let output = result.mutableFloatPointer
        let source = storage.base + byteOffset
        let n = count
        switch dtype {
        case .float16:
            let input = source.assumingMemoryBound(to: UInt16.self)
            for i in 0..<n { output[i] = float16BitsToFloat(input[i]) }
        case .bfloat16:
            let input = source.assumingMemoryBound(to: UInt16.self)
            for i in 0..<n { output[i] = Float(bitPattern: UInt32(input[i]) << 16) }
        case .int64:
            let input = source.assumingMemoryBound(to: Int64.self)
            for i in 0..<n { output[i] = Float(input[i]) }
        case .int32:
            let input = source.assumingMemoryBound(to: Int32.self)
            for i in 0..<n { output[i] = Float(input[i]) }
        case .uint8, .bool:
            let input = source.assumingMemoryBound(to: UInt8.self)
            for i in 0..<n { output[i] = Float(input[i]) }
        case .float32:
            break
        case .q8_0, .q4_0, .q4_1, .q4_K, .q5_K, .q6_K:
            Dequantize.rows(dtype, source, output, count: n)
        }
        return result
    }

    /// A copy of a float32 tensor narrowed to `target` (`.float16` or `.bfloat16`)
    /// with round-to-nearest-even, or widened from them to `.float32`.
    public func converted(to target: DType) throws(TensorError) -> Tensor {
        if target == dtype { return self }
        if target == .float32 { return try asFloat32() }
        guard dtype == .float32, target == .float16 || target == .bfloat16 else {
            throw .invalidArgument(operation: "converted(to:)",
                                   detail: "cannot convert \(dtype) to \(target)")
        }
        let result = try Tensor.uninitialized(shape, dtype: target)
        let output = result.storage.base.assumingMemoryBound(to: UInt16.self)
        let input = floatPointer
        if target == .float16 {
            for i in 0..<count { output[i] = floatToFloat16Bits(input[i]) }
        } else {
            for i in 0..<count { output[i] = floatToBFloat16Bits(input[i]) }
        }
        return result
    }

    /// The elements as `[Float]` (converting from any non-quantized dtype).
    public func floats() throws(TensorError) -> [Float] {
        let f32 = try asFloat32()
        return f32.withUnsafeFloats { Array($0) }
    }

    /// The elements of an integer or bool tensor as `[Int]`.
    public func ints() throws(TensorError) -> [Int] {
        let source = storage.base + byteOffset
        switch dtype {
        case .int64:
            let p = source.assumingMemoryBound(to: Int64.self)
            return (0..<count).map { Int(p[$0]) }
        case .int32:
            let p = source.assumingMemoryBound(to: Int32.self)
            return (0..<count).map { Int(p[$0]) }
        case .uint8, .bool:
            let p = source.assumingMemoryBound(to: UInt8.self)
            return (0..<count).map { Int(p[$0]) }
        default:
            throw .unsupportedDType(operation: "ints", dtype: dtype)
        }
    }

    /// The raw 16-bit patterns of a float16 or bfloat16 tensor.
    public func halfBits() throws(TensorError) -> [UInt16] {
        guard dtype == .float16 || dtype == .bfloat16 else {
            throw .unsupportedDType(operation: "halfBits", dtype: dtype)
        }
        let p = (storage.base + byteOffset).assumingMemoryBound(to: UInt16.self)
        return Array(UnsafeBufferPointer(start: p, count: count))
    }
}
