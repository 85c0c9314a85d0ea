extension Tensor {
    /// Elementwise sum with NumPy broadcasting.
    public func adding(_ other: Tensor) throws(TensorError) -> Tensor {
        try combined(with: other, "add", +)
    }

    /// Elementwise product with NumPy broadcasting.
    public func multiplying(_ other: Tensor) throws(TensorError) -> Tensor {
        try combined(with: other, "mul", *)
    }

    /// Every element multiplied by `factor`.
    public func scaled(by factor: Float) throws(TensorError) -> Tensor {
        let x = try floatOperand("scale")
        let result = try Tensor.uninitialized(shape)
        let (input, output) = (x.floatPointer, result.mutableFloatPointer)
        for i in 0..<count { output[i] = input[i] * factor }
        return result
    }

    private func combined(
        with other: Tensor, _ op: String, _ f: (Float, Float) -> Float
    ) throws(TensorError) -> Tensor {
        let a = try floatOperand(op)
        let b = try other.floatOperand(op)
        guard let outShape = Broadcast.shape(a.shape, b.shape) else {
            throw .shapeMismatch(operation: op, detail: "\(shape) and \(other.shape) do not broadcast")
        }
        let result = try Tensor.uninitialized(outShape)
        let (pa, pb, out) = (a.floatPointer, b.floatPointer, result.mutableFloatPointer)
        let n = result.count
        if a.shape == outShape && b.shape == outShape {
            for i in 0..<n { out[i] = f(pa[i], pb[i]) }
            return result
        }
        if a.shape == outShape && b.count > 0 && outShape.suffix(b.rank).elementsEqual(b.shape) {
            // The common bias-like case: b repeats along the leading dimensions.
            let inner = b.count
            for start in stride(from: 0, to: n, by: inner) {
                for j in 0..<inner { out[start + j] = f(pa[start + j], pb[j]) }
            }
            return result
        }
        let sa = Broadcast.strides(of: a.shape, broadcastTo: outShape)
        let sb = Broadcast.strides(of: b.shape, broadcastTo: outShape)
        var index = [Int](repeating: 0, count: outShape.count)
        var (ia, ib) = (0, 0)
        for i in 0..<n {
            out[i] = f(pa[ia], pb[ib])
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
