#!/usr/bin/env python3
"""Benchmark-only checkpoints with the real shapes of SmolVLM-500M and SmolVLM2-2.2B and seeded random
weights, for measuring how cost grows with model size (Benchmarks/, Documentation/Performance.md).

    python3 Scripts/make_sized_smolvlm.py                 # both, into Models/
    python3 Scripts/make_sized_smolvlm.py --only 500M     # or --only 2.2B

  Models/SmolVLM-500M-shaped   SmolVLM-500M-Instruct's shape (idefics3): SigLIP-B/16 @ 512 (768, 12 layers,
                               12 heads, MLP 3072), scale factor 4 (64 tokens per tile), connector
                               12288 -> 960, SmolLM2-360M decoder (960, 32 layers, 15 heads, 5 kv heads,
                               MLP 2560, rope_theta 100000), longest edge 2048. float32, ~2.0 GB.
  Models/SmolVLM-2.2B-shaped   SmolVLM2-2.2B-Instruct's shape (smolvlm): SigLIP so400m/14 @ 384 (1152,
                               27 layers, 16 heads, MLP 4304), scale factor 3 (81 tokens per tile),
                               connector 10368 -> 2048, SmolLM2-1.7B decoder (2048, 24 layers, 32 heads,
                               32 kv heads, MLP 8192, rope_theta 273768, 16384 positions), longest edge
                               1536 (4 tiles of 384). bfloat16 (as released), ~4.5 GB.

The 2.2B shape is SmolVLM2's rather than SmolVLM-Instruct's (v1): both have the same tensors, but v1's
tokenizer has 49155 ids and no row/column tokens, which cannot be rebuilt from what this project has;
SmolVLM2-2.2B uses the 49280-id SmolVLM tokenizer that smolvlm_checkpoint rebuilds byte for byte.

Everything but the weights is what Scripts/assemble_smolvlm_256m.py writes (smolvlm_checkpoint: tokenizer,
chat template, generation and processor files) with each model's sizes. The weights are seeded random:
the text model does not answer sensibly, which does not matter for timing. Initialisation (z = N(0, 1)
from each tensor's own stream, smolvlm_checkpoint.normal):
    vision tower     make_random_vision_weights.make_tensor (0.02 z; LayerNorm 1 + 0.05 z)
    connector        0.5 z / sqrt(fan_in)
    embed_tokens     0.13 z (about the real SmolLM2 embedding's scale)
    q/k/v/o, MLP     z / sqrt(fan_in)
    RMSNorm weights  1 + 0.05 z
    lm_head          z / sqrt(hidden)

Not built in CI (too big, minutes of work): run it by hand before the size benchmarks. numpy and gguf
only; tensors are generated and written one at a time, so memory stays near the largest tensor.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import smolvlm_checkpoint as ckpt
from smolvlm_checkpoint import vision_weights

SHAPES = {
    "500M": {
        "out": "SmolVLM-500M-shaped",
        "v2": False,
        "vision": dict(hidden=768, layers=12, heads=12, intermediate=3072, image_size=512, patch_size=16),
        "scale_factor": 4,
        "text": {"hidden_size": 960, "num_hidden_layers": 32, "num_attention_heads": 15, "num_key_value_heads": 5,
                 "head_dim": 64, "intermediate_size": 2560, "rope_theta": 100000, "max_position_embeddings": 8192},
        "longest_edge": 2048,
        "dtype": "F32",
    },
    "2.2B": {
        "out": "SmolVLM-2.2B-shaped",
        "v2": True,
        "vision": dict(hidden=1152, layers=27, heads=16, intermediate=4304, image_size=384, patch_size=14),
        "scale_factor": 3,
        "text": {"hidden_size": 2048, "num_hidden_layers": 24, "num_attention_heads": 32, "num_key_value_heads": 32,
                 "head_dim": 64, "intermediate_size": 8192, "rope_theta": 273768, "max_position_embeddings": 16384},
        "longest_edge": 1536,
        "dtype": "BF16",
    },
}


def image_seq_len(shape: dict) -> int:
    vision = shape["vision"]
    return (vision["image_size"] // vision["patch_size"]) ** 2 // shape["scale_factor"] ** 2


def config_json(shape: dict) -> dict:
    """SmolVLM-256M-Instruct's config.json values (smolvlm_checkpoint) with this model's sizes; for the
    SmolVLM2 shape, SmolVLM2's class names and model types."""
    config = ckpt.smolvlm_256m_config()
    vision, text = shape["vision"], shape["text"]
    config["scale_factor"] = shape["scale_factor"]
    config["text_config"].update(text)
    config["text_config"]["pixel_shuffle_factor"] = shape["scale_factor"]  # inert duplicate, kept consistent
    config["text_config"]["initializer_range"] = 1 / math.sqrt(text["hidden_size"])
    config["vision_config"].update({
        "hidden_size": vision["hidden"],
        "intermediate_size": vision["intermediate"],
        "num_hidden_layers": vision["layers"],
        "num_attention_heads": vision["heads"],
        "image_size": vision["image_size"],
        "patch_size": vision["patch_size"],
        "max_image_size": {"longest_edge": vision["image_size"]},
        "size": {"longest_edge": shape["longest_edge"]},
    })
    if shape["dtype"] == "F32":
        config["torch_dtype"] = config["text_config"]["torch_dtype"] = "float32"
    if shape["v2"]:
        config["architectures"] = ["SmolVLMForConditionalGeneration"]
        config["model_type"] = "smolvlm"
        config["vision_config"]["model_type"] = "smolvlm_vision"
    return config


def tensor_shapes(shape: dict) -> dict[str, tuple[int, ...]]:
    vision = vision_weights.vision_config(**shape["vision"])
    shapes = dict(vision_weights.tensor_shapes(vision))
    shapes[ckpt.CONNECTOR] = ckpt.connector_shape(vision["hidden_size"], shape["scale_factor"],
                                                  shape["text"]["hidden_size"])
    shapes.update(ckpt.text_tensor_shapes(shape["text"]))
    return shapes


def make_tensor(tag: str, name: str, shape: tuple[int, ...]):
    stream = f"{tag}:{name}"
    if name.startswith(vision_weights.PREFIX):
        return vision_weights.make_tensor(stream, shape)
    if name == ckpt.CONNECTOR:
        return ckpt.normal(stream, shape, 0.5 / math.sqrt(shape[1]))
    if name.endswith("norm.weight"):
        return ckpt.normal(stream, shape, 0.05, mean=1.0)
    if name == "model.text_model.embed_tokens.weight":
        return ckpt.normal(stream, shape, 0.13)
    return ckpt.normal(stream, shape, 1 / math.sqrt(shape[1]))


def write_checkpoint(key: str, models: Path, tokenizer: dict, tokenizer_bytes: dict[str, bytes]) -> None:
    start = time.time()
    shape = SHAPES[key]
    out = models / shape["out"]
    out.mkdir(parents=True, exist_ok=True)
    v2 = shape["v2"]
    tile = shape["vision"]["image_size"]
    ckpt.write_json(out / "config.json", config_json(shape))
    ckpt.write_side_files(out, tokenizer, v2)
    ckpt.write_json(out / "preprocessor_config.json",
                    ckpt.preprocessor_config(tile=tile, longest_edge=shape["longest_edge"], v2=v2))
    ckpt.write_json(out / "processor_config.json", ckpt.processor_config(image_seq_len(shape), v2))
    ckpt.write_tokenizer(out, tokenizer_bytes)

    shapes = tensor_shapes(shape)
    count = sum(math.prod(s) for s in shapes.values())
    vision_weights.write_safetensors_streamed(out / "model.safetensors", shapes,
                                              lambda name: make_tensor(out.name, name, shapes[name]),
                                              {"format": "pt"}, dtype=shape["dtype"])
    size = (out / "model.safetensors").stat().st_size
    print(f"make_sized_smolvlm: wrote {out} ({len(shapes)} tensors, {count:,} parameters, {shape['dtype']}, "
          f"{size / 1e9:.2f} GB) in {time.time() - start:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gguf", type=Path, default=ckpt.DEFAULT_GGUF, help="SmolLM2-135M-Instruct GGUF (tokenizer source)")
    parser.add_argument("--models", type=Path, default=ckpt.MODELS, help="parent folder of the checkpoints")
    parser.add_argument("--only", choices=sorted(SHAPES), help="write one checkpoint")
    args = parser.parse_args()

    tokenizer = ckpt.build_vlm_tokenizer_json(args.gguf)
    tokenizer_bytes = ckpt.tokenizer_files(tokenizer)  # checked against the released SHA-256
    for key in [args.only] if args.only else SHAPES:
        write_checkpoint(key, args.models, tokenizer, tokenizer_bytes)


if __name__ == "__main__":
    main()
