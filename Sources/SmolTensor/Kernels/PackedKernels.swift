import CSmolGEMM
import Synchronization

/// Operand precision of the packed kernels. Products always accumulate in float32.
package enum KernelPrecision: Sendable, Equatable {
    /// float32 operands.
    case float32
    /// Operands rounded to bfloat16 (nearest even) before they are multiplied.
    case bfloat16

    var c: smol_precision { self == .float32 ? SMOL_PRECISION_F32 : SMOL_PRECISION_BF16 }
}

/// Which implementation runs the packed kernels (`Sources/CSmolGEMM`).
package enum KernelISA: Sendable, Equatable {
    /// Plain C: any CPU, same operand rounding as the vector kernels.
    case portable
    /// AVX-512 F/BW/VL/DQ for float32, AVX512-BF16 (`vdpbf16ps`) for bfloat16.
    case avx512

    /// What this CPU runs fastest for `precision`.
    package static func best(for precision: KernelPrecision) -> KernelISA {
        let features = smol_cpu_features()
        let needed = Int32(precision == .float32 ? SMOL_CPU_AVX512 : SMOL_CPU_AVX512_BF16)
        return features & needed != 0 ? .avx512 : .portable
    }

    var c: smol_isa { self == .portable ? SMOL_ISA_PORTABLE : SMOL_ISA_AVX512 }
}

/// Activation fused into a packed product's output.
package enum KernelActivation: Sendable {
    case none
    /// `gelu_pytorch_tanh`, the same formula as ``ActivationKernels/geluTanh(_:_:_:)``.
    case geluTanh

    var c: smol_activation { self == .none ? SMOL_ACTIVATION_NONE : SMOL_ACTIVATION_GELU_TANH }
}

/// A `[out, in]` weight packed once into the panel layout of the C kernels, in
/// float32 or bfloat16, for `x · Wᵀ` products.
package final class PackedMatrix: @unchecked Sendable {
    /// Output features (rows of the PyTorch weight).
    package let outputCount: Int
    /// Input features (the product's depth).
    package let inputCount: Int
    package let precision: KernelPrecision
    private let storage: UnsafeMutableRawPointer

    /// Packs a rank-2 `[out, in]` weight of any float dtype.
    package init(weight: Tensor, precision: KernelPrecision) throws(TensorError) {
        let w = try weight.floatOperand("PackedMatrix")
        guard w.rank == 2 else {
            throw .shapeMismatch(operation: "PackedMatrix", detail: "weight \(weight.shape) must be [out, in]")
        }
        (outputCount, inputCount, self.precision) = (w.shape[0], w.shape[1], precision)
        let bytes = smol_packed_b_bytes(precision.c, outputCount, inputCount)
        storage = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(bytes, 1), alignment: 64)
        smol_pack_b(precision.c, w.floatPointer, inputCount, outputCount, inputCount, storage)
    }

    deinit { storage.deallocate() }

    /// `output = activation(input · Wᵀ + bias) + residual` for `rows` rows, on the shared pool.
    ///
    /// All pointers are row-major float32 with the given row strides (in elements);
    /// `bias` has `outputCount` entries; `residual` must not alias `output`.
    package func multiply(
        _ input: UnsafePointer<Float>, rows: Int, inputStride: Int,
        bias: UnsafePointer<Float>?, activation: KernelActivation = .none,
        residual: UnsafePointer<Float>? = nil, residualStride: Int = 0,
        into output: UnsafeMutablePointer<Float>, outputStride: Int, isa: KernelISA
    ) throws(TensorError) {
        let params = smol_gemm_params(
            precision: precision.c, isa: isa.c, a: input, lda: inputStride, b_packed: storage,
            m: rows, n: outputCount, k: inputCount, alpha: 1, bias: bias, row_scale: nil,
            activation: activation.c, residual: residual, ld_residual: residualStride,
            c: output, ldc: outputStride)
        try PackedKernels.gemm(params)
    }
}

/// Entry points of the C kernels that are not tied to one weight.
package enum PackedKernels {
    /// Multi-head attention over frames whose queries, keys and values sit side by
    /// side in one `[frames · tokens, ldQKV]` matrix (a fused QKV projection): head `h`
    /// reads columns `offset + h·headDimension ..< offset + (h+1)·headDimension`.
    /// Writes `[frames · tokens, ldOutput]`, head `h` at columns `h·headDimension…`.
    ///
    /// - Parameter keyMask: `[frames, tokens]` additive mask (0 or a large negative
    ///   number per key), or nil.
    package static func attention(
        qkv: UnsafePointer<Float>, ldQKV: Int, offsets: (query: Int, key: Int, value: Int),
        frames: Int, tokens: Int, heads: Int, headDimension: Int, scale: Float,
        keyMask: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, ldOutput: Int,
        precision: KernelPrecision, isa: KernelISA
    ) throws(TensorError) {
        let params = smol_attention_params(
            precision: precision.c, isa: isa.c, qkv: qkv, ld_qkv: ldQKV,
            q_offset: offsets.query, k_offset: offsets.key, v_offset: offsets.value,
            frames: frames, tokens: tokens, heads: heads, head_dim: headDimension, scale: scale,
            key_mask: keyMask, out: output, ld_out: ldOutput)
        try withUnsafePointer(to: params) { (p) throws(TensorError) in
            try run(smol_attention_task_count(p), operation: "attention") { smol_attention_run_task(p, $0) }
        }
    }

    /// `output[i][j] = Σ_k input[i][k] · weight[j][k]` in float32 for a weight that is
    /// packed just for this product (`weight` `[n, k]` row-major, `input` `[m, k]`,
    /// `output` row stride `outputStride`), on the shared pool. `packed` is scratch
    /// of at least ``packedBytes(n:k:)`` bytes, 64-byte aligned.
    package static func multiplyPackingWeight(
        _ input: UnsafePointer<Float>, rows m: Int, weight: UnsafePointer<Float>, n: Int, k: Int,
        packed: UnsafeMutableRawPointer, into output: UnsafeMutablePointer<Float>, outputStride: Int
    ) throws(TensorError) {
        smol_pack_b(SMOL_PRECISION_F32, weight, k, n, k, packed)
        let params = smol_gemm_params(
            precision: SMOL_PRECISION_F32, isa: KernelISA.best(for: .float32).c, a: input, lda: k, b_packed: packed,
            m: m, n: n, k: k, alpha: 1, bias: nil, row_scale: nil, activation: SMOL_ACTIVATION_NONE,
            residual: nil, ld_residual: 0, c: output, ldc: outputStride)
        try gemm(params)
    }

    /// Runs one product's tasks on the shared pool.
    static func gemm(_ params: smol_gemm_params) throws(TensorError) {
        try withUnsafePointer(to: params) { (p) throws(TensorError) in
            let tasks = smol_gemm_task_count(p, ThreadPool.shared.threadCount)
            try run(tasks, operation: "linear") { smol_gemm_run_task(p, $0, tasks) }
        }
    }

    /// Scratch bytes ``multiplyPackingWeight(_:rows:weight:n:k:packed:into:outputStride:)`` needs.
    package static func packedBytes(n: Int, k: Int) -> Int { smol_packed_b_bytes(SMOL_PRECISION_F32, n, k) }

    /// Runs `tasks` C tasks on the shared pool; a task returns nonzero when its
    /// thread could not allocate scratch memory.
    static func run(_ tasks: Int, operation: String, _ body: (Int) -> Int32) throws(TensorError) {
        let failures = Atomic<Int>(0)
        ThreadPool.shared.parallelFor(tasks) { task in
            if body(task) != 0 { failures.add(1, ordering: .relaxed) }
        }
        if failures.load(ordering: .relaxed) > 0 {
            throw .invalidArgument(operation: operation, detail: "the kernels could not allocate their scratch memory")
        }
    }
}
