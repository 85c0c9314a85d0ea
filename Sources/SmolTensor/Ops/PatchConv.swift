extension Tensor {
    /// A non-overlapping patch convolution (`Conv2d(kernel = stride = P,
    /// padding = "valid")`, SigLIP's patch embedding) as im2col + one GEMM.
    ///
    /// - Parameters:
    ///   - weight: `[D, C, P, P]`.
    ///   - bias: `[D]`, optional.
    /// - Returns: `[N, (H/P)·(W/P), D]` for pixels `[N, C, H, W]`, patches in row-major
    ///   order. Rows and columns beyond a whole patch are dropped, as a valid
    ///   convolution does (384 px with 14 px patches leaves 6 px unused).
    public func patchConv(weight: Tensor, bias: Tensor?) throws(TensorError) -> Tensor {
        let op = "patchConv"
        let x = try floatOperand(op)
        let w = try weight.floatOperand(op)
        guard x.rank == 4, w.rank == 4, w.shape[1] == x.shape[1], w.shape[2] == w.shape[3], w.shape[2] > 0 else {
            throw .shapeMismatch(operation: op, detail: "pixels \(shape) [N, C, H, W] and weight \(weight.shape) [D, C, P, P] do not fit")
        }
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (d, p) = (w.shape[0], w.shape[2])
        let (gh, gw) = (h / p, wd / p)
        let patches = gh * gw
        let patchLength = c * p * p
        var result = try Tensor.uninitialized([n, patches, d])
        guard n > 0, patches > 0, d > 0 else { return result }
        if let bias {
            let b = try bias.floatOperand(op)
            guard b.shape == [d] else {
                throw .shapeMismatch(operation: op, detail: "bias \(bias.shape) does not match \(d) channels")
            }
            result = try result.filledRows(with: b)
        }
        // im2col for one image at a time keeps the scratch buffer to one image's patches.
        var columns = [Float](repeating: 0, count: patches * patchLength)
        let input = x.floatPointer
        let output = result.mutableFloatPointer
        columns.withUnsafeMutableBufferPointer { buffer in
            let col = buffer.baseAddress!
            for image in 0..<n {
                Tensor.gatherPatches(input + image * c * h * wd, channels: c, height: h, width: wd, patchSize: p, into: col)
                BLAS.sgemm(transposeB: true, m: patches, n: d, k: patchLength,
                           a: col, lda: patchLength, b: w.floatPointer, ldb: patchLength,
                           beta: bias == nil ? 0 : 1, c: output + image * patches * d, ldc: d)
            }
        }
        return result
    }

    /// im2col for a non-overlapping patch convolution: the `P×P` patches of one
    /// `[C, H, W]` image as rows of `C·P·P` values (channel, then patch row, then
    /// column), patches in row-major order; pixels past the last whole patch are
    /// dropped. `columns` holds `(H/P)·(W/P)` rows.
    package static func gatherPatches(_ pixels: UnsafePointer<Float>, channels c: Int, height h: Int, width wd: Int,
                                      patchSize p: Int, into columns: UnsafeMutablePointer<Float>) {
        let (gh, gw, patchLength) = (h / p, wd / p, c * p * p)
        ThreadPool.shared.parallelFor(gh) { py in
            for px in 0..<gw {
                var dst = columns + (py * gw + px) * patchLength
                for channel in 0..<c {
                    for ky in 0..<p {
                        let src = pixels + (channel * h + py * p + ky) * wd + px * p
                        dst.update(from: src, count: p)
                        dst += p
                    }
                }
            }
        }
    }

    /// A tensor of this shape whose every last-dimension row equals `row`.
    func filledRows(with row: Tensor) throws(TensorError) -> Tensor {
        let dim = try lastDimension("filledRows")
        let result = try Tensor.uninitialized(shape)
        let out = result.mutableFloatPointer
        for r in 0..<(dim == 0 ? 0 : count / dim) { (out + r * dim).update(from: row.floatPointer, count: dim) }
        return result
    }
}
