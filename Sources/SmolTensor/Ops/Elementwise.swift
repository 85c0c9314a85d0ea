extension Tensor {
    /// Elementwise sum with NumPy broadcasting.
    public func adding(_ other: Tensor) throws(TensorError) -> Tensor {
        try combined(with: other, .add)
    }

    /// Elementwise product with NumPy broadcasting.
    public func multiplying(_ other: Tensor) throws(TensorError) -> Tensor {
        try combined(with: other, .multiply)
    }

    /// Every element multiplied by `factor`.
    public func scaled(by factor: Float) throws(TensorError) -> Tensor {
        let x = try floatOperand("scale")
        let result = try Tensor.uninitialized(shape)
        let (input, output) = (x.floatPointer, result.mutableFloatPointer)
        for i in 0..<count { output[i] = input[i] * factor }
        return result
    }

    private enum Combination: String {
        case add, multiply

        /// Applies the operation to `n` element pairs; the switch sits outside the loop.
        @inline(__always)
        func apply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, bStride: Int,
                   _ out: UnsafeMutablePointer<Float>, _ n: Int) {
            switch self {
            case .add: for i in 0..<n { out[i] = a[i] + b[i * bStride] }
            case .multiply: for i in 0..<n { out[i] = a[i] * b[i * bStride] }
            }
        }
    }

    private func combined(with other: Tensor, _ combination: Combination) throws(TensorError) -> Tensor {
        let op = combination.rawValue
        let a = try floatOperand(op)
        let b = try other.floatOperand(op)
        guard let outShape = Broadcast.shape(a.shape, b.shape) else {
            throw .shapeMismatch(operation: op, detail: "\(shape) and \(other.shape) do not broadcast")
        }
        let result = try Tensor.uninitialized(outShape)
        let (pa, pb, out) = (a.floatPointer, b.floatPointer, result.mutableFloatPointer)
        let n = result.count
        if a.shape == outShape && b.shape == outShape {
            combination.apply(pa, pb, bStride: 1, out, n)
            return result
        }
        if a.shape == outShape && b.count > 0 && outShape.suffix(b.rank).elementsEqual(b.shape) {
            // The common bias-like case: b repeats along the leading dimensions.
            let inner = b.count
            for start in stride(from: 0, to: n, by: inner) {
                combination.apply(pa + start, pb, bStride: 1, out + start, inner)
            }
            return result
        }
        let sa = Broadcast.strides(of: a.shape, broadcastTo: outShape)
        let sb = Broadcast.strides(of: b.shape, broadcastTo: outShape)
        var index = [Int](repeating: 0, count: outShape.count)
        var (ia, ib) = (0, 0)
        // General broadcasting: rare in the models, so one element at a time.
        for i in 0..<n {
            combination.apply(pa + ia, pb + ib, bStride: 0, out + i, 1)
            // Advance the multi-index like an odometer, updating both offsets.
            var d = outShape.count - 1
            while d >= 0 {
                index[d] += 1
                ia += sa[d]
                ib += sb[d]
                if index[d] < outShape[d] { break }
                ia -= sa[d] * outShape[d]
                ib -= sb[d] * outShape[d]
                index[d] = 0
                d -= 1
            }
        }
        return result
    }
}
