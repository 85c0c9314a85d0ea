#!/usr/bin/env python3
"""Write golden fixtures for the SmolTensor CPU ops, computed with PyTorch.

Each case becomes one file, Tests/SmolTensorTests/Fixtures/ops/<case>.safetensors:

  * __metadata__: "op" (the op name) plus the op's parameters, all as strings;
  * the inputs, under the role names of that op (x, weight, bias, a, b, q, ...);
  * `expected`: the PyTorch float32 output (stored in bf16/f16 only for op "from_f32").

The computations follow what HuggingFace transformers does in float32 on CPU, so a
Swift op that matches these goldens matches the reference model code.

Usage (from the repository root):
    Scripts/reference/.venv/bin/python Scripts/reference/make_op_goldens.py          # write
    Scripts/reference/.venv/bin/python Scripts/reference/make_op_goldens.py --check  # compare only

The safetensors library writes the __metadata__ keys in a random order (it keeps them in a
Rust HashMap), so a regenerated file can differ byte-wise from the committed one while holding
the same tensors. `--check` recomputes every case and compares tensors and metadata with the
committed files without writing anything.
"""

from __future__ import annotations

import argparse
import math
import sys
import zlib
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = REPO_ROOT / "Tests" / "SmolTensorTests" / "Fixtures" / "ops"

# case name -> function returning (op, tensors, params)
CASES: dict[str, Callable[[], tuple[str, dict[str, torch.Tensor], dict[str, object]]]] = {}


def case(fn):
    """Register a case under the function's name; it runs with its own fixed seed."""
    CASES[fn.__name__] = fn
    return fn


def seed_for(name: str) -> int:
    # A stable per-case seed (crc32 of the name), so adding or reordering cases does not
    # change the random inputs of the others.
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def f32_from_bits(bits: list[int]) -> torch.Tensor:
    return torch.from_numpy(np.array(bits, dtype=np.uint32).view(np.float32).copy())


def half_from_bits(bits: list[int], dtype: torch.dtype) -> torch.Tensor:
    """bf16 / f16 tensor from 16-bit patterns (torch has no uint16 view, so go through int16)."""
    raw = np.array(bits, dtype=np.uint16).view(np.int16).copy()
    return torch.from_numpy(raw).view(dtype)


def fmt(v: object) -> str:
    # Floats as Python repr (e.g. "1e-06", "0.3535533905932738"); ints and strings as-is.
    return repr(v) if isinstance(v, float) else str(v)


# ---------------------------------------------------------------------------------------
# linear / matmul
# ---------------------------------------------------------------------------------------


def _linear(x_shape, out_features, bias=True):
    x = torch.randn(*x_shape)
    in_features = x_shape[-1]
    w = torch.randn(out_features, in_features) / math.sqrt(in_features)
    t = {"x": x, "weight": w}
    if bias:
        t["bias"] = torch.randn(out_features)
    # nn.Linear: y = x @ W^T + b
    t["expected"] = F.linear(x, w, t.get("bias"))
    return "linear", t, {}


@case
def linear_bias():
    return _linear((2, 5, 48), 32)


@case
def linear_nobias():
    return _linear((7, 96), 64, bias=False)


@case
def linear_size1():
    return _linear((1, 1, 1), 1)


@case
def linear_wide():
    return _linear((3, 40), 200)


def _matmul(B, M, K, N, transpose_b):
    a = torch.randn(B, M, K)
    b = torch.randn(B, N, K) if transpose_b else torch.randn(B, K, N)
    expected = torch.matmul(a, b.transpose(-1, -2) if transpose_b else b)
    return "matmul", {"a": a, "b": b, "expected": expected}, {"transpose_b": "1" if transpose_b else "0"}


@case
def matmul_batched():
    return _matmul(3, 5, 7, 4, False)


@case
def matmul_transposed():
    return _matmul(2, 6, 8, 5, True)


@case
def matmul_m1():
    return _matmul(4, 1, 16, 9, False)


# ---------------------------------------------------------------------------------------
# normalisation
# ---------------------------------------------------------------------------------------


def _layer_norm(x, eps):
    d = x.shape[-1]
    w = torch.randn(d)
    b = torch.randn(d)
    # nn.LayerNorm (SiglipEncoderLayer.layer_norm1/2, SiglipVisionTransformer.post_layernorm)
    expected = F.layer_norm(x, (d,), w, b, eps)
    return "layer_norm", {"x": x, "weight": w, "bias": b, "expected": expected}, {"eps": eps}


@case
def layer_norm_basic():
    return _layer_norm(torch.randn(4, 6, 32) * 5 + 3, 1e-6)


@case
def layer_norm_d1():
    # One element per row: the normalised value is 0, so the output is just the bias.
    return _layer_norm(torch.randn(3, 1), 1e-5)


@case
def layer_norm_large():
    # Large mean relative to the spread: a naive E[x^2] - E[x]^2 variance loses precision.
    return _layer_norm(torch.randn(2, 768) * 50 + 100, 1e-6)


def _rms_norm(x, eps):
    w = torch.randn(x.shape[-1])
    # transformers LlamaRMSNorm.forward (the text model of SmolVLM is Llama):
    variance = x.pow(2).mean(-1, keepdim=True)
    expected = w * (x * torch.rsqrt(variance + eps))
    return "rms_norm", {"x": x, "weight": w, "expected": expected}, {"eps": eps}


@case
def rms_norm_basic():
    return _rms_norm(torch.randn(3, 5, 64), 1e-5)


@case
def rms_norm_size1():
    return _rms_norm(torch.randn(1, 1), 1e-6)


@case
def rms_norm_tiny_values():
    # mean(x^2) ~ 1e-8 << eps, so eps dominates the denominator.
    return _rms_norm(torch.randn(2, 16) * 1e-4, 1e-5)


# ---------------------------------------------------------------------------------------
# activations / softmax
# ---------------------------------------------------------------------------------------


def _activation_input(lo, hi):
    """1000 values: a dense sweep of [lo, hi], extremes, zero and some random ones."""
    extremes = torch.tensor([0.0, 30.0, -30.0, 100.0, -100.0, 1e-6, -1e-6, 1e-30, -1e-30, 50.0, -50.0, 3.0e4, -3.0e4])
    sweep = torch.linspace(lo, hi, 900)
    rand = torch.randn(1000 - 900 - extremes.numel()) * 4
    return torch.cat([sweep, extremes, rand])


@case
def gelu_tanh_basic():
    x = _activation_input(-12.0, 12.0)
    # SigLIP's hidden_act "gelu_pytorch_tanh" -> transformers PytorchGELUTanh
    return "gelu_tanh", {"x": x, "expected": F.gelu(x, approximate="tanh")}, {}


@case
def silu_basic():
    x = _activation_input(-20.0, 20.0)
    # Llama MLP hidden_act "silu" -> nn.SiLU
    return "silu", {"x": x, "expected": F.silu(x)}, {}


@case
def softmax_basic():
    x = torch.randn(4, 7, 33) * 3
    return "softmax", {"x": x, "expected": torch.softmax(x, dim=-1)}, {}


@case
def softmax_large_logits():
    inf = float("inf")
    rows = [
        [1e4, -1e4, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        [88.8, 88.7, 80.0, 0.0, -88.8, 89.0, 90.0, 100.0],  # exp() overflows f32 past ~88.72
        [1000.0, 999.0, 998.0, 0.0, -1000.0, 500.0, 1000.0, -1.0],
        [3.4e38, 0.0, -3.4e38, 1.0, 3.4e38, -1.0, 1e38, 2.0],  # x - max underflows to -inf
        [-inf, 0.0, 1.0, -inf, 2.0, -inf, 3.0, 4.0],
        [-inf, -inf, -inf, -inf, -inf, -inf, -inf, 5.0],  # a single finite entry -> one-hot
        [1e4, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4],  # uniform
        [-1e4, -inf, -3.4e38, -1e4, -1e4, -inf, -2e4, -1e4],  # all very negative, no overflow
    ]
    x = torch.tensor(rows, dtype=torch.float32)
    return "softmax", {"x": x, "expected": torch.softmax(x, dim=-1)}, {}


@case
def softmax_size1():
    x = torch.randn(5, 1)
    return "softmax", {"x": x, "expected": torch.softmax(x, dim=-1)}, {}


# ---------------------------------------------------------------------------------------
# attention
# ---------------------------------------------------------------------------------------


def sdpa_reference(q, k, v, mask, causal, scale):
    """Eager attention as transformers' eager_attention_forward (Llama / Idefics3 / SigLIP).

    Query head h uses kv head h // (Hq // Hkv) (repeat_kv == repeat_interleave on dim 1).
    Causal masking is bottom-right aligned: the S queries are the last S of T positions,
    so query i may see key j iff j <= i + (T - S).
    """
    hq, hkv = q.shape[1], k.shape[1]
    k = k.repeat_interleave(hq // hkv, dim=1)
    v = v.repeat_interleave(hq // hkv, dim=1)
    scores = torch.matmul(q, k.transpose(2, 3)) * scale
    if mask is not None:
        scores = scores + mask
    if causal:
        S, T = q.shape[2], k.shape[2]
        i = torch.arange(S)[:, None]
        j = torch.arange(T)[None, :]
        scores = scores.masked_fill(j > i + (T - S), float("-inf"))
    probs = torch.softmax(scores, dim=-1, dtype=torch.float32)
    return torch.matmul(probs, v)


def _sdpa(B, Hq, Hkv, S, T, D, causal, mask=None):
    q = torch.randn(B, Hq, S, D)
    k = torch.randn(B, Hkv, T, D)
    v = torch.randn(B, Hkv, T, D)
    scale = D**-0.5
    t = {"q": q, "k": k, "v": v}
    if mask is not None:
        t["mask"] = mask
    t["expected"] = sdpa_reference(q, k, v, mask, causal, scale)
    return "sdpa", t, {"causal": "1" if causal else "0", "scale": scale}


@case
def sdpa_mha():
    return _sdpa(2, 4, 4, 6, 6, 16, causal=False)


@case
def sdpa_gqa_causal():
    return _sdpa(1, 9, 3, 7, 7, 8, causal=True)


@case
def sdpa_gqa_cache():
    return _sdpa(1, 6, 2, 3, 10, 16, causal=True)


@case
def sdpa_decode():
    return _sdpa(1, 9, 3, 1, 12, 64, causal=True)


@case
def sdpa_key_mask():
    # Padding mask [B, 1, 1, T] as transformers expands a 2-D attention mask for a
    # bidirectional encoder (SigLIP / Idefics3 vision): 0 where attended, finfo.min where padded.
    B, T = 2, 5
    mask = torch.zeros(B, 1, 1, T)
    mask[1, :, :, -2:] = torch.finfo(torch.float32).min
    return _sdpa(B, 2, 2, 5, T, 8, causal=False, mask=mask)


@case
def sdpa_full_mask():
    mask = -3 * torch.rand(1, 1, 4, 4)  # additive values in [-3, 0]
    return _sdpa(1, 2, 2, 4, 4, 8, causal=False, mask=mask)


# ---------------------------------------------------------------------------------------
# rope
# ---------------------------------------------------------------------------------------


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_reference(x, positions, theta):
    """transformers LlamaRotaryEmbedding (default rope) + apply_rotary_pos_emb, in float32."""
    D = x.shape[-1]
    inv_freq = 1.0 / (theta ** (torch.arange(0, D, 2, dtype=torch.int64).float() / D))
    freqs = positions.float()[:, None] * inv_freq[None, :]  # [S, D/2]
    emb = torch.cat((freqs, freqs), dim=-1)  # [S, D]
    cos, sin = emb.cos(), emb.sin()  # broadcast over [B, H, S, D]
    return x * cos + rotate_half(x) * sin


def _rope(B, H, S, D, theta, positions):
    x = torch.randn(B, H, S, D)
    pos = torch.tensor(positions, dtype=torch.int64)
    assert pos.numel() == S
    return "rope", {"x": x, "positions": pos, "expected": rope_reference(x, pos, theta)}, {"theta": theta}


@case
def rope_basic():
    return _rope(1, 3, 8, 64, 100000.0, list(range(8)))


@case
def rope_far():
    return _rope(2, 2, 4, 16, 10000.0, [8000, 8001, 8002, 8191])


@case
def rope_offset():
    return _rope(1, 9, 1, 64, 100000.0, [37])


# ---------------------------------------------------------------------------------------
# patch embedding
# ---------------------------------------------------------------------------------------


def _patch_conv(N, C, H, W, P, D):
    pixels = torch.rand(N, C, H, W) * 2 - 1  # normalised pixels live in [-1, 1]
    weight = torch.randn(D, C, P, P) / P
    bias = torch.randn(D)
    # SiglipVisionEmbeddings: Conv2d(kernel=stride=P, padding="valid"), then flatten(2).transpose(1, 2)
    expected = F.conv2d(pixels, weight, bias, stride=P).flatten(2).transpose(1, 2)
    return "patch_conv", {"pixels": pixels, "weight": weight, "bias": bias, "expected": expected}, {"patch": P}


@case
def patch_conv_basic():
    return _patch_conv(2, 3, 16, 16, 4, 24)


@case
def patch_conv_remainder():
    # 30 = 4 * 7 + 2: the valid conv ignores the last 2 rows and columns.
    return _patch_conv(1, 3, 30, 30, 7, 10)


@case
def patch_conv_rect():
    return _patch_conv(1, 3, 8, 12, 4, 5)


# ---------------------------------------------------------------------------------------
# embedding
# ---------------------------------------------------------------------------------------


def _embedding(dtype):
    table = torch.randn(50, 12).to(dtype)
    ids = torch.tensor([0, 49, 3, 3, 17, 0, 48, 25, 3], dtype=torch.int64)
    return "embedding", {"table": table, "ids": ids, "expected": table.float()[ids]}, {}


@case
def embedding_f32():
    return _embedding(torch.float32)


@case
def embedding_bf16():
    return _embedding(torch.bfloat16)


@case
def embedding_f16():
    return _embedding(torch.float16)


# ---------------------------------------------------------------------------------------
# elementwise with broadcasting
# ---------------------------------------------------------------------------------------


def _binary(op, a_shape, b_shape):
    a = torch.randn(*a_shape)
    b = torch.randn(*b_shape)
    expected = a + b if op == "add" else a * b
    return op, {"a": a, "b": b, "expected": expected}, {}


@case
def add_same():
    return _binary("add", (3, 4, 5), (3, 4, 5))


@case
def add_row():
    return _binary("add", (2, 3, 8), (8,))


@case
def mul_broadcast():
    return _binary("mul", (2, 1, 4), (3, 1))  # -> [2, 3, 4]


@case
def mul_scalar_like():
    return _binary("mul", (5, 6), (1,))


@case
def add_size1():
    return _binary("add", (1, 1, 1), (1,))


# ---------------------------------------------------------------------------------------
# shape ops
# ---------------------------------------------------------------------------------------


def _concat(shapes, axis):
    ts = [torch.randn(*s) for s in shapes]
    t = {f"t{i}": x for i, x in enumerate(ts)}
    t["expected"] = torch.cat(ts, dim=axis)
    return "concat", t, {"axis": axis}


@case
def concat_axis0():
    return _concat([(2, 3), (1, 3), (4, 3)], 0)


@case
def concat_axis1():
    return _concat([(2, 1, 4), (2, 3, 4), (2, 2, 4)], 1)


@case
def concat_last():
    return _concat([(3, 2), (3, 5), (3, 1)], 1)


def _slice(shape, axis, start, length):
    x = torch.randn(*shape)
    return "slice", {"x": x, "expected": x.narrow(axis, start, length)}, {
        "axis": axis,
        "start": start,
        "length": length,
    }


@case
def slice_middle():
    return _slice((4, 10, 3), 1, 2, 5)


@case
def slice_first():
    return _slice((6, 4), 0, 0, 1)


@case
def slice_last_axis():
    return _slice((2, 3, 9), 2, 8, 1)


# ---------------------------------------------------------------------------------------
# dtype conversion
# ---------------------------------------------------------------------------------------


def _random_half_bits(n, exp_mask):
    """n random finite 16-bit patterns (exponent field not all ones)."""
    bits = torch.randint(0, 1 << 16, (n,), dtype=torch.int64).tolist()
    return [b for b in bits if (b & exp_mask) != exp_mask]


@case
def to_f32_from_bf16():
    specials = [
        0x0000, 0x8000,  # +0, -0
        0x7F80, 0xFF80,  # +inf, -inf
        0x7F7F, 0xFF7F,  # largest / most negative finite (~3.39e38)
        0x0080, 0x8080,  # smallest normal
        0x0001, 0x8001, 0x007F, 0x0040,  # subnormals
        0x3F80, 0xBF80, 0x4049, 0x3F81, 0x4000, 0x3E80,  # 1, -1, ~pi, 1+2^-7, 2, 0.25
    ]
    x = half_from_bits(specials + _random_half_bits(200, 0x7F80), torch.bfloat16)
    return "to_f32", {"x": x, "expected": x.float()}, {}


@case
def to_f32_from_f16():
    specials = [
        0x0000, 0x8000,  # +0, -0
        0x7C00, 0xFC00,  # +inf, -inf
        0x7BFF, 0xFBFF,  # 65504, -65504
        0x0400, 0x8400,  # smallest normal 2^-14
        0x0001, 0x8001, 0x03FF, 0x0200,  # subnormals (2^-24, largest, half-way)
        0x3C00, 0xBC00, 0x4248, 0x3C01, 0x3555,  # 1, -1, ~pi, 1+2^-10, ~1/3
    ]
    x = half_from_bits(specials + _random_half_bits(200, 0x7C00), torch.float16)
    return "to_f32", {"x": x, "expected": x.float()}, {}


def _from_f32_input():
    """float32 inputs exercising round-to-nearest-even into bf16 and f16."""
    bits = [
        # bf16 ties and near-ties (bf16 keeps the top 16 bits of the f32 pattern)
        0x3F808000, 0xBF808000,  # exactly half-way above 1.0 -> ties to even: 1.0
        0x3F818000, 0xBF818000,  # half-way above 0x3F81 -> ties to even: rounds up to 0x3F82
        0x3F808001, 0xBF808001,  # just above half-way -> rounds up
        0x3F807FFF, 0xBF807FFF,  # just below half-way -> rounds down
        0x7F7FFFFF, 0xFF7FFFFF,  # f32 max: rounds up past bf16 max -> inf
        0x7F7F7FFF,  # stays at bf16 max
        0x00000001, 0x80000001, 0x00018000, 0x00028000, 0x007FFFFF,  # f32 subnormals
        0x00000000, 0x80000000, 0x7F800000, 0xFF800000,  # +-0, +-inf
        # f16 ties (f16 keeps 10 mantissa bits, f32 has 23: the dropped part is 13 bits)
        0x3F801000, 0xBF801000,  # 1 + 2^-11: tie -> 1.0
        0x3F803000, 0xBF803000,  # 1 + 3*2^-11: tie -> rounds up to 1 + 2^-9
        0x3F801001,  # just above the tie -> up
        0x33000000, 0xB3000000,  # 2^-25: half the smallest f16 subnormal -> ties to 0
        0x33C00000,  # 1.5 * 2^-24: tie between 1 and 2 subnormal units -> 2 (even)
        0x33000001,  # just above 2^-25 -> smallest subnormal
    ]
    decimals = [
        70000.0, -70000.0,  # overflow f16 -> inf
        65504.0, 65519.0, 65520.0, -65520.0,  # f16 max; 65520 is the tie that rounds to inf
        1e-6, 6e-8, 3e-8, -3e-8, 1e-8,  # f16 subnormal range / underflow
        6.1035156e-05, 6.09e-05,  # around the smallest f16 normal
        1.0, -1.0, 0.1, -0.1, 3.14159265, 1e30, -1e-30, 3.0e38,
    ]
    n = 400
    sign = torch.where(torch.rand(n) < 0.5, -1.0, 1.0)
    wide = sign[:200] * torch.pow(10.0, torch.rand(200) * 83 - 45)  # ~1e-45 .. 1e38
    f16ish = sign[200:] * torch.pow(10.0, torch.rand(200) * 13 - 8)  # 1e-8 .. 1e5
    return torch.cat([f32_from_bits(bits), torch.tensor(decimals, dtype=torch.float32), wide, f16ish])


@case
def from_f32_to_bf16():
    x = _from_f32_input()
    return "from_f32", {"x": x, "expected": x.to(torch.bfloat16)}, {"dtype": "bf16"}


@case
def from_f32_to_f16():
    x = _from_f32_input()
    return "from_f32", {"x": x, "expected": x.to(torch.float16)}, {"dtype": "f16"}


# ---------------------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------------------


def build(name):
    torch.manual_seed(seed_for(name))
    op, tensors, params = CASES[name]()
    # save_file refuses views sharing storage and non-contiguous tensors: store copies.
    tensors = {k: v.detach().clone().contiguous() for k, v in tensors.items()}
    metadata = {"op": op, **{k: fmt(v) for k, v in params.items()}}
    return tensors, metadata


def same_tensor(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Bit-exact equality (so NaN == NaN and -0 != +0)."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.is_floating_point:
        as_int = {2: torch.int16, 4: torch.int32, 8: torch.int64}[a.element_size()]
        return torch.equal(a.view(as_int), b.view(as_int))
    return torch.equal(a, b)


def check(name, tensors, metadata) -> list[str]:
    path = OUT_DIR / f"{name}.safetensors"
    if not path.exists():
        return [f"{name}: missing {path}"]
    problems = []
    with safe_open(str(path), framework="pt") as f:
        if f.metadata() != metadata:
            problems.append(f"{name}: metadata {f.metadata()} != {metadata}")
        if set(f.keys()) != set(tensors):
            problems.append(f"{name}: keys {sorted(f.keys())} != {sorted(tensors)}")
        for k in set(f.keys()) & set(tensors):
            if not same_tensor(f.get_tensor(k), tensors[k]):
                problems.append(f"{name}: tensor {k!r} differs")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("cases", nargs="*", help="only these cases (default: all)")
    args = parser.parse_args()

    torch.set_num_threads(1)  # single-threaded reductions: same summation order every run
    names = args.cases or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown cases: {unknown}")

    if args.check:
        problems = []
        for name in names:
            problems += check(name, *build(name))
        for p in problems:
            print(p)
        print(f"checked {len(names)} cases: {'OK' if not problems else f'{len(problems)} problems'}")
        return 1 if problems else 0

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name in names:
        tensors, metadata = build(name)
        # Only softmax and the conversions are meant to see inf; no golden should hold a NaN.
        for k, v in tensors.items():
            if v.dtype.is_floating_point:
                if torch.isnan(v.float()).any():
                    raise AssertionError(f"{name}: NaN in {k}")
                if k != "expected" and metadata["op"] not in ("softmax", "to_f32", "from_f32"):
                    if not torch.isfinite(v).all():
                        raise AssertionError(f"{name}: non-finite input {k}")
        path = OUT_DIR / f"{name}.safetensors"
        save_file(tensors, str(path), metadata=metadata)
        print(f"{path.relative_to(REPO_ROOT)}  {path.stat().st_size} B  {metadata}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
