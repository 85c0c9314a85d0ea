"""GGUF goldens: a small GGUF file written by the gguf package (llama.cpp's own
Python writer) with every metadata value type and one tensor per supported
tensor type, plus the values the gguf package dequantizes each tensor to.

Writes Tests/SmolTensorTests/Fixtures/gguf/:
  types.gguf             metadata + tensors
  types_expected.safetensors   `<tensor name>` -> float32 values in PyTorch shape order
  types_metadata.json    every metadata key with its expected value
"""
import json
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType as T, GGUFWriter, GGML_QUANT_SIZES
from gguf.quants import dequantize
from safetensors.numpy import save_file

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "SmolTensorTests" / "Fixtures" / "gguf"

# Offsets of the float16 scale fields inside each block: random bytes there could
# be NaN or infinite, so they are overwritten with sane random scales.
SCALE_FIELDS = {
    T.Q8_0: [0], T.Q4_0: [0], T.Q4_1: [0, 2],
    T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
}


def random_blocks(qtype: T, rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    block_elements, block_bytes = GGML_QUANT_SIZES[qtype]
    blocks = rows * cols // block_elements
    raw = rng.integers(0, 256, size=(blocks, block_bytes), dtype=np.uint8)
    for offset in SCALE_FIELDS[qtype]:
        scales = rng.uniform(-0.05, 0.05, size=blocks).astype(np.float16)
        raw[:, offset:offset + 2] = scales.view(np.uint8).reshape(blocks, 2)
    return raw.reshape(rows, cols // block_elements * block_bytes)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261129)
    writer = GGUFWriter(str(OUT / "types.gguf"), arch="llama")
    metadata = {
        "test.u8": ("uint8", 200), "test.i8": ("int8", -100), "test.u16": ("uint16", 60000),
        "test.i16": ("int16", -30000), "test.u32": ("uint32", 4000000000), "test.i32": ("int32", -2000000000),
        "test.f32": ("float32", 0.5), "test.u64": ("uint64", 2**40 + 1), "test.i64": ("int64", -(2**40)),
        "test.f64": ("float64", 1.25e-7), "test.bool": ("bool", True), "test.string": ("string", "héllo ✓"),
        "test.strings": ("array", ["a", "", "<|im_start|>"]), "test.ints": ("array", [1, -2, 3]),
    }
    for key, (kind, value) in metadata.items():
        getattr(writer, f"add_{kind}")(key, value)

    expected = {}
    tensors = [
        ("f32", T.F32, (3, 5)), ("f16", T.F16, (2, 7)), ("bf16", T.BF16, (4, 3)),
        ("q8_0", T.Q8_0, (3, 64)), ("q4_0", T.Q4_0, (2, 96)), ("q4_1", T.Q4_1, (4, 32)),
        ("q4_k", T.Q4_K, (2, 256)), ("q5_k", T.Q5_K, (1, 512)), ("q6_k", T.Q6_K, (3, 256)),
    ]
    for name, qtype, (rows, cols) in tensors:
        if qtype == T.F32:
            values = rng.standard_normal((rows, cols)).astype(np.float32)
            writer.add_tensor(name, values)
            expected[name] = values
        elif qtype == T.F16:
            values = rng.standard_normal((rows, cols)).astype(np.float16)
            writer.add_tensor(name, values)
            expected[name] = values.astype(np.float32)
        elif qtype == T.BF16:
            bits = (rng.standard_normal((rows, cols)).astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
            writer.add_tensor(name, bits, raw_shape=(rows, cols), raw_dtype=T.BF16)
            expected[name] = (bits.astype(np.uint32) << 16).view(np.float32)
        else:
            raw = random_blocks(qtype, rows, cols, rng)
            writer.add_tensor(name, raw, raw_dtype=qtype)
            expected[name] = dequantize(raw, qtype).reshape(rows, cols).astype(np.float32)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    save_file({k: np.ascontiguousarray(v) for k, v in expected.items()}, str(OUT / "types_expected.safetensors"))
    (OUT / "types_metadata.json").write_text(
        json.dumps({k: v for k, (_, v) in metadata.items()}, ensure_ascii=False, indent=1) + "\n")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
