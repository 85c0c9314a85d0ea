import SmolTensor

/// Space-to-depth over a square grid of patch features, as transformers'
/// `SmolVLMConnector.pixel_shuffle` / `Idefics3Connector.pixel_shuffle`.
///
/// `[B, N², E] → [B, (N/s)², E·s²]`. With `G = N/s`, output token `i·G + j`
/// gathers the `s×s` block of patches at rows `i·s…`, columns `j·s…`, in
/// row-major order, each contributing `E` contiguous channels:
///
///     out[b, i·G + j, (dh·s + dw)·E + e] = in[b, (i·s + dh)·N + (j·s + dw), e]
public func pixelShuffle(_ x: Tensor, scaleFactor s: Int) throws(TensorError) -> Tensor {
    let op = "pixelShuffle"
    guard x.rank == 3 else { throw .shapeMismatch(operation: op, detail: "expected [B, seq, E], got \(x.shape)") }
    guard s > 0 else { throw .invalidArgument(operation: op, detail: "scale factor \(s) must be positive") }
    let (batch, sequence, width) = (x.shape[0], x.shape[1], x.shape[2])
    let side = Int(Double(sequence).squareRoot())
    guard side * side == sequence else {
        throw .shapeMismatch(operation: op, detail: "\(sequence) patches do not form a square grid")
    }
    guard side % s == 0 else {
        throw .shapeMismatch(operation: op, detail: "grid side \(side) is not a multiple of the scale factor \(s)")
    }
    let grid = side / s
    let input = try x.asFloat32().floats()
    var output = [Float](repeating: 0, count: input.count)
    input.withUnsafeBufferPointer { src in
        output.withUnsafeMutableBufferPointer { dst in
            for b in 0..<batch {
                let inBase = b * sequence * width
                for i in 0..<grid {
                    for j in 0..<grid {
                        var out = inBase + (i * grid + j) * width * s * s
                        for dh in 0..<s {
                            for dw in 0..<s {
                                let from = inBase + ((i * s + dh) * side + j * s + dw) * width
                                for e in 0..<width { dst[out + e] = src[from + e] }
                                out += width
                            }
                        }
                    }
                }
            }
        }
    }
    return try Tensor(shape: [batch, grid * grid, width * s * s], floats: output)
}
