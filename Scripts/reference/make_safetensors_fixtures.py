#!/usr/bin/env python3
"""Write safetensors reader/writer fixtures with the reference (Python/Rust) safetensors library.

Output: Tests/SmolTensorTests/Fixtures/safetensors/
  dtypes.safetensors + dtypes.json          one tensor per supported dtype, scalar, empty
  sharded/                                  a checkpoint split in two files, HF index layout
    model-0000{1,2}-of-00002.safetensors, model.safetensors.index.json, expected.json
  writer_reference.safetensors + .json      bytes the Swift writer must reproduce exactly
  writer_padded.safetensors + .json         same, with a header that needs space padding

Each .json lists the tensors as {"metadata": {...}, "tensors": {name: {"dtype", "shape",
"values"}}}, values flattened row-major (bools as 0/1). Every value is exactly representable
in its dtype, so the Swift side can compare with ==.

Usage (from the repository root):
    Scripts/reference/.venv/bin/python Scripts/reference/make_safetensors_fixtures.py
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = REPO_ROOT / "Tests" / "SmolTensorTests" / "Fixtures" / "safetensors"

DTYPE_NAMES = {
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}


def describe(t: torch.Tensor, as_float: bool = False) -> dict:
    """JSON description of a tensor: dtype name, shape and flat row-major values."""
    flat = t.reshape(-1)
    if t.dtype.is_floating_point or as_float:
        # Python floats are doubles: every f32/f16/bf16 value converts exactly, and json
        # writes the shortest repr that round-trips.
        values = [float(v) for v in flat.float().tolist()]
    else:  # integers; bools become 0/1
        values = [int(v) for v in flat.tolist()]
    return {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "values": values}


def write_json(path: Path, metadata: dict, tensors: dict[str, torch.Tensor], as_float: bool = False):
    doc = {
        "metadata": metadata,
        "tensors": {name: describe(t, as_float) for name, t in sorted(tensors.items())},
    }
    path.write_text(json.dumps(doc, indent=1) + "\n")


def verify(path: Path, tensors: dict[str, torch.Tensor], metadata: dict | None):
    """Load the file back and check every tensor bit for bit."""
    with safe_open(str(path), framework="pt") as f:
        assert f.metadata() == metadata, (path, f.metadata())
        assert set(f.keys()) == set(tensors), (path, f.keys())
        for name, t in tensors.items():
            got = f.get_tensor(name)
            assert got.dtype == t.dtype and got.shape == t.shape, (path, name)
            assert torch.equal(got, t), (path, name)


def header(path: Path) -> str:
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    return data[8 : 8 + n].decode()


# ---------------------------------------------------------------------------------------


def dtypes_fixture():
    tensors = {
        "f32": torch.tensor([[1.5, -2.25, 0.0], [1024.0, -0.125, 3.75]], dtype=torch.float32),
        # 65504 = f16 max, 2^-14 = smallest normal, 2^-24 = smallest subnormal
        "f16": torch.tensor([1.0, -0.5, 65504.0, 2.0**-24], dtype=torch.float16),
        # 3.140625 = bf16(pi), 2^100 only fits thanks to bf16's f32-sized exponent
        "bf16": torch.tensor([[1.0, -2.0], [3.140625, 2.0**100], [-0.0078125, 0.5]], dtype=torch.bfloat16),
        "i64": torch.tensor([-5, 2**40 + 3, 42], dtype=torch.int64),
        "i32": torch.tensor([[-(2**31), 2**31 - 1], [0, -1]], dtype=torch.int32),
        "u8": torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, False, True]),
        "scalar": torch.tensor(42.5, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }
    metadata = {"format": "pt", "note": "fixture"}
    path = OUT_DIR / "dtypes.safetensors"
    save_file(tensors, str(path), metadata=metadata)
    verify(path, tensors, metadata)
    write_json(OUT_DIR / "dtypes.json", metadata, tensors)
    return [path, OUT_DIR / "dtypes.json"]


def sharded_fixture():
    # Names and dtypes in the style of a Llama checkpoint; values are small dyadic fractions
    # (k/8 or k/16), exact in bf16 and f32.
    def ramp(shape, dtype, start):
        n = 1
        for s in shape:
            n *= s
        return ((torch.arange(n, dtype=torch.float32) + start) / 8 - 1).reshape(shape).to(dtype)

    shards = {
        "model-00001-of-00002.safetensors": {
            "model.embed_tokens.weight": ramp((4, 3), torch.bfloat16, 0),
            "model.layers.0.input_layernorm.weight": ramp((3,), torch.float32, 20),
            "model.layers.0.self_attn.q_proj.weight": ramp((3, 3), torch.bfloat16, 40),
        },
        "model-00002-of-00002.safetensors": {
            "model.norm.weight": ramp((3,), torch.float32, 60),
            "lm_head.weight": ramp((4, 3), torch.bfloat16, 80),
        },
    }
    out = OUT_DIR / "sharded"
    out.mkdir(parents=True, exist_ok=True)
    metadata = {"format": "pt"}  # what transformers' save_pretrained puts in each shard
    weight_map = {}
    total_size = 0
    all_tensors = {}
    written = []
    for filename, tensors in shards.items():
        path = out / filename
        save_file(tensors, str(path), metadata=metadata)
        verify(path, tensors, metadata)
        written.append(path)
        for name, t in tensors.items():
            weight_map[name] = filename
            total_size += t.numel() * t.element_size()  # payload bytes, as transformers counts
            all_tensors[name] = t
    index = {"metadata": {"total_size": total_size}, "weight_map": weight_map}
    # transformers writes the index with indent=2 and sorted keys.
    (out / "model.safetensors.index.json").write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")
    write_json(out / "expected.json", metadata, all_tensors, as_float=True)
    return written + [out / "model.safetensors.index.json", out / "expected.json"]


def writer_reference_fixture():
    tensors = {
        "a": torch.tensor([[1.0, -2.5], [0.0, 0.375]], dtype=torch.float32),
        "b": torch.tensor([1.0, -0.5, 2.0**120], dtype=torch.bfloat16),
        "c": torch.tensor([[0.25, -65504.0]], dtype=torch.float16),
        "d": torch.tensor([7, -(2**40)], dtype=torch.int64),
    }
    metadata = {"format": "pt"}  # a single key: with more, their order in the header is random
    path = OUT_DIR / "writer_reference.safetensors"
    save_file(tensors, str(path), metadata=metadata)
    verify(path, tensors, metadata)
    write_json(OUT_DIR / "writer_reference.json", metadata, tensors)
    return [path, OUT_DIR / "writer_reference.json"]


def writer_padded_fixture():
    """A second writer reference whose JSON header needs padding (writer_reference's is exactly
    256 bytes, a multiple of 8, so it has none). It also has several tensors of one dtype (sorted
    by name), a 0-d tensor, and mixed dtype sizes so data offsets are unaligned."""
    tensors = {
        "z": torch.tensor([2.5], dtype=torch.float32),
        "y": torch.tensor([-1.0, 0.5], dtype=torch.float32),
        "flag": torch.tensor([True, False, True]),
        "ids": torch.tensor([-7, 100000], dtype=torch.int32),
        "h": torch.tensor([-0.25], dtype=torch.float16),
        "bytes": torch.tensor([200], dtype=torch.uint8),
        "s": torch.tensor(1.5, dtype=torch.bfloat16),
    }
    metadata = {"format": "pt"}
    path = OUT_DIR / "writer_padded.safetensors"
    save_file(tensors, str(path), metadata=metadata)
    verify(path, tensors, metadata)
    assert header(path) != header(path).rstrip(" "), "expected a padded header"
    write_json(OUT_DIR / "writer_padded.json", metadata, tensors)
    return [path, OUT_DIR / "writer_padded.json"]


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    files = dtypes_fixture() + sharded_fixture() + writer_reference_fixture() + writer_padded_fixture()
    for p in files:
        print(f"{p.relative_to(REPO_ROOT)}  {p.stat().st_size} B")
    for name in ("writer_reference", "writer_padded"):
        print(f"{name} header:", repr(header(OUT_DIR / f"{name}.safetensors")))


if __name__ == "__main__":
    main()
