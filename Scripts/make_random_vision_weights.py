#!/usr/bin/env python3
"""Deterministic random weights for a SmolVLM vision tower (SigLIP), in Hugging Face layout.

Writes <out>/model.safetensors (float32, tensor names `model.vision_model.*` exactly as in a SmolVLM /
SmolVLM2 checkpoint) and <out>/config.json (a SmolVLM2-256M-style config whose vision_config spells out
every key). Only the vision tower has weights: no connector, no text model. The default is the real
SigLIP-B/16 @ 512 shape of SmolVLM(2)-256M/500M: hidden 768, 12 layers, 12 heads, MLP 3072, 512 px,
16 px patches (93M parameters, 372 MB), written to Models/siglip-b16-512-random/.

Why random weights: the real tower is too big to commit, and the encoder goldens only need transformers
and the Swift port to agree on the same weights. CI regenerates this file (it is git-ignored under
Models/), so it must be cheap and need nothing but numpy; the encoder goldens record its SHA-256 so a
mismatch is reported as "wrong weights", not as a numerical failure.

Determinism across machines and numpy versions: every tensor has its own stream, seeded from a fixed base
seed and the CRC-32 of its name, and only raw 64-bit outputs of the PCG64 bit generator are used (those
are fixed by the algorithm; numpy's distribution methods such as standard_normal may change between
versions). Normals come from a Box-Muller transform written here in float64, then rounded to float32.

Initialisation, close to transformers' SmolVLM _init_weights (normal, std = initializer_range = 0.02) but
with every tensor non-trivial, so that a port that skips or swaps a bias or a LayerNorm parameter fails:
    weights (Linear, Conv2d, position Embedding)    N(0, 0.02^2)
    biases (Linear, Conv2d)                         N(0, 0.02^2)      (HF: zeros)
    LayerNorm weight                                1 + N(0, 0.05^2)  (HF: ones)
    LayerNorm bias                                  N(0, 0.05^2)      (HF: zeros)

Usage:
    python3 Scripts/make_random_vision_weights.py                       # SigLIP-B/16-512 into Models/
    python3 Scripts/make_random_vision_weights.py --out DIR [--hidden 32 --layers 2 --heads 4
        --intermediate 64 --image-size 32 --patch-size 8]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
import zlib
from pathlib import Path

import numpy as np

BASE_SEED = 20250417
PREFIX = "model.vision_model."
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "Models" / "siglip-b16-512-random"


def vision_config(hidden: int = 768, layers: int = 12, heads: int = 12, intermediate: int = 3072,
                  image_size: int = 512, patch_size: int = 16) -> dict:
    """Every SmolVLMVisionConfig key that matters, written out (no reliance on class defaults)."""
    return {
        "model_type": "smolvlm_vision",
        "hidden_size": hidden,
        "intermediate_size": intermediate,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "num_channels": 3,
        "image_size": image_size,
        "patch_size": patch_size,
        "hidden_act": "gelu_pytorch_tanh",
        "layer_norm_eps": 1e-06,
        "attention_dropout": 0.0,
        "initializer_range": 0.02,
    }


def full_config(vision: dict, scale_factor: int = 4) -> dict:
    """A SmolVLM2-256M-style outer config around `vision` (the text part describes SmolLM2-135M; this
    directory has no text weights, the config is only there so a full-model config parser accepts it)."""
    return {
        "architectures": ["SmolVLMForConditionalGeneration"],
        "model_type": "smolvlm",
        "image_token_id": 49190,
        "scale_factor": scale_factor,
        "tie_word_embeddings": False,
        "vision_config": vision,
        "text_config": {
            "model_type": "llama",
            "hidden_size": 576,
            "intermediate_size": 1536,
            "num_hidden_layers": 30,
            "num_attention_heads": 9,
            "num_key_value_heads": 3,
            "head_dim": 64,
            "rms_norm_eps": 1e-05,
            "rope_theta": 100000.0,
            "max_position_embeddings": 8192,
            "vocab_size": 49280,
            "hidden_act": "silu",
        },
        "_note": "random SigLIP vision-tower weights from Scripts/make_random_vision_weights.py; "
                 "model.safetensors holds only model.vision_model.* tensors",
    }


def tensor_shapes(vision: dict) -> dict[str, tuple[int, ...]]:
    d, m, p, c = vision["hidden_size"], vision["intermediate_size"], vision["patch_size"], vision["num_channels"]
    positions = (vision["image_size"] // p) ** 2
    shapes = {
        "embeddings.patch_embedding.weight": (d, c, p, p),
        "embeddings.patch_embedding.bias": (d,),
        "embeddings.position_embedding.weight": (positions, d),
        "post_layernorm.weight": (d,),
        "post_layernorm.bias": (d,),
    }
    for i in range(vision["num_hidden_layers"]):
        layer = f"encoder.layers.{i}."
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            shapes[layer + f"self_attn.{proj}.weight"] = (d, d)
            shapes[layer + f"self_attn.{proj}.bias"] = (d,)
        shapes[layer + "mlp.fc1.weight"] = (m, d)
        shapes[layer + "mlp.fc1.bias"] = (m,)
        shapes[layer + "mlp.fc2.weight"] = (d, m)
        shapes[layer + "mlp.fc2.bias"] = (d,)
        for norm in ("layer_norm1", "layer_norm2"):
            shapes[layer + f"{norm}.weight"] = (d,)
            shapes[layer + f"{norm}.bias"] = (d,)
    return {PREFIX + name: shape for name, shape in shapes.items()}


def standard_normal(name: str, count: int) -> np.ndarray:
    """`count` N(0, 1) samples (float64) from the PCG64 stream of this tensor name."""
    bits = np.random.PCG64([BASE_SEED, zlib.crc32(name.encode())])
    pairs = (count + 1) // 2
    raw = bits.random_raw(2 * pairs).reshape(2, pairs)
    # 53-bit uniforms in (0, 1]: never 0, so log() is finite.
    u1 = ((raw[0] >> np.uint64(11)).astype(np.float64) + 1.0) * 2.0**-53
    u2 = (raw[1] >> np.uint64(11)).astype(np.float64) * 2.0**-53
    radius = np.sqrt(-2.0 * np.log(u1))
    angle = 2.0 * np.pi * u2
    return np.concatenate([radius * np.cos(angle), radius * np.sin(angle)])[:count]


def make_tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
    count = int(np.prod(shape))
    z = standard_normal(name, count)
    is_norm = "layer_norm" in name or "post_layernorm" in name
    if is_norm and name.endswith(".weight"):
        values = 1.0 + 0.05 * z
    elif is_norm:
        values = 0.05 * z
    else:
        values = 0.02 * z
    return values.astype(np.float32).reshape(shape)


def make_weights(vision: dict) -> dict[str, np.ndarray]:
    return {name: make_tensor(name, shape) for name, shape in tensor_shapes(vision).items()}


def write_safetensors(path: Path, tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> None:
    """A safetensors file laid out as the reference Rust writer lays it out: tensors sorted by dtype
    (all F32 here) then name, compact JSON header padded with spaces to a multiple of 8, data back to
    back. Written without the safetensors package so this script needs only numpy."""
    for name, array in tensors.items():
        assert array.dtype == np.float32, name
    write_safetensors_streamed(path, {name: tuple(a.shape) for name, a in tensors.items()},
                               tensors.__getitem__, metadata)


SAFETENSORS_ITEM_SIZE = {"F32": 4, "BF16": 2}


def write_safetensors_streamed(path: Path, shapes: dict[str, tuple[int, ...]], make, metadata: dict[str, str],
                               dtype: str = "F32") -> None:
    """write_safetensors for checkpoints too big to hold in memory: `make(name)` returns each float32
    tensor when it is written, one at a time. Every tensor is stored as `dtype`: "F32", or "BF16"
    (float32 rounded to nearest even, as torch's .to(torch.bfloat16) rounds)."""
    header: dict = {"__metadata__": metadata}
    offset = 0
    names = sorted(shapes, key=lambda n: n.encode())
    for name in names:
        nbytes = int(np.prod(shapes[name], dtype=np.int64)) * SAFETENSORS_ITEM_SIZE[dtype]
        header[name] = {"dtype": dtype, "shape": list(shapes[name]), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    temporary = path.with_suffix(".tmp")
    with open(temporary, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for name in names:
            array = make(name)
            assert array.dtype == np.float32 and tuple(array.shape) == tuple(shapes[name]), name
            data = np.ascontiguousarray(array, dtype="<f4")
            if dtype == "BF16":
                data = bfloat16_bits(data)
            f.write(data.tobytes())
    os.replace(temporary, path)


def bfloat16_bits(values: np.ndarray) -> np.ndarray:
    """The bfloat16 bit patterns (little-endian uint16) of finite float32 values, rounded to nearest even."""
    bits = values.view(np.uint32)
    rounding = ((bits >> np.uint32(16)) & np.uint32(1)) + np.uint32(0x7FFF)
    return ((bits + rounding) >> np.uint32(16)).astype("<u2")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_model(out: Path, vision: dict, scale_factor: int = 4) -> str:
    """Writes config.json and model.safetensors into `out`; returns the SHA-256 of model.safetensors."""
    out.mkdir(parents=True, exist_ok=True)
    weights = make_weights(vision)
    write_safetensors(out / "model.safetensors", weights, {"format": "pt"})
    (out / "config.json").write_text(json.dumps(full_config(vision, scale_factor), indent=2, sort_keys=True) + "\n")
    return sha256(out / "model.safetensors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--hidden", type=int, default=768)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--intermediate", type=int, default=3072)
    parser.add_argument("--image-size", type=int, default=512)
    parser.add_argument("--patch-size", type=int, default=16)
    parser.add_argument("--scale-factor", type=int, default=4)
    args = parser.parse_args()
    vision = vision_config(args.hidden, args.layers, args.heads, args.intermediate, args.image_size, args.patch_size)
    digest = write_model(args.out, vision, args.scale_factor)
    print(f"wrote {args.out}/model.safetensors (sha256 {digest}) and config.json")


if __name__ == "__main__":
    main()
