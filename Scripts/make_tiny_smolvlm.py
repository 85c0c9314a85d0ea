#!/usr/bin/env python3
"""Two tiny, complete SmolVLM checkpoints with seeded random weights, in the exact Hugging Face layout.

    python3 Scripts/make_tiny_smolvlm.py            # writes Models/tiny-smolvlm and Models/tiny-smolvlm2

  Models/tiny-smolvlm    model_type "idefics3" (SmolVLM v1, Idefics3ForConditionalGeneration)
  Models/tiny-smolvlm2   model_type "smolvlm"  (SmolVLM2, SmolVLMForConditionalGeneration)

Each directory holds what a released checkpoint holds: config.json, generation_config.json,
model.safetensors, preprocessor_config.json, processor_config.json, chat_template.json, tokenizer.json,
tokenizer_config.json, special_tokens_map.json, added_tokens.json, vocab.json, merges.txt.

Why: the pipeline goldens (Scripts/reference/make_pipeline_goldens.py) need whole models that both
transformers and the Swift port can run in milliseconds, with the real tokenizer, real prompt
expansion and real tensor names, but too small to matter in git or CI. CI regenerates these
directories (Models/ is git-ignored), so this script needs numpy and gguf only and runs in seconds;
the goldens record the SHA-256 of each model.safetensors so a mismatch reads as "wrong weights".

Shapes (both checkpoints):
  vision  SigLIP, hidden 32, 2 layers, 4 heads, MLP 64, 64 px tiles, 8 px patches -> 8x8 patches
  connector  pixel shuffle with scale factor 2 -> 16 tokens per tile, Linear 128 -> 64 (no bias)
  text    Llama, hidden 64, 2 layers, 4 heads, 2 kv heads (head_dim 16), MLP 128, vocab 49280,
          untied lm_head, rope_theta 100000, rms_norm_eps 1e-5
  processor  size.longest_edge 256, max_image_size.longest_edge 64 (up to 4x4 tiles + global),
          image_seq_len 16, LANCZOS, mean/std 0.5

Every JSON file is built in code (smolvlm_checkpoint): SmolVLM's published values with the tiny sizes.

How the two differ, on purpose, to exercise a config reader:
  * tiny-smolvlm's config.json carries every value of SmolVLM-256M-Instruct's config.json
    (smolvlm_checkpoint.smolvlm_256m_config) with only the sizes (and torch_dtype) changed, inert keys and
    all (perceiver_config, id2label, a text_config that says tie_word_embeddings false next to a
    perceiver_config that says true, ...).
  * tiny-smolvlm2's config.json follows SmolVLM2's compact style: keys equal to the class defaults are
    left out (vision hidden_act, layer_norm_eps, num_channels; text bos/eos ids), and the top-level
    pad_token_id is the inert Idefics3 leftover 128002.
  * They have different random weights (every stream name is prefixed with the directory name).

Weights (float32; z = N(0, 1) from the tensor's own stream, see smolvlm_checkpoint.normal):
  vision tower     as Scripts/make_random_vision_weights.py initializes it (0.02 z; LayerNorm 1 + 0.05 z)
  connector        z / sqrt(fan_in), so image embeddings come out at about unit scale
  embed_tokens     z, unit scale like the image embeddings they sit next to
  q/k/v/o, MLP     z / sqrt(fan_in), so each layer changes the residual stream noticeably
  RMSNorm weights  1 + 0.1 z, so a port that drops a norm weight fails
  lm_head          4 z / sqrt(hidden): logits of std ~4, which keeps most greedy top-2 margins far above
                   float32 noise (the goldens record every margin anyway)
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np

import smolvlm_checkpoint as ckpt
from smolvlm_checkpoint import vision_weights

VISION = dict(hidden=32, layers=2, heads=4, intermediate=64, image_size=64, patch_size=8)
SCALE_FACTOR = 2
TEXT = {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "head_dim": 16}
TILE = 64           # max_image_size.longest_edge == vision image_size
LONGEST_EDGE = 256  # size.longest_edge: 4 tiles, as 2048 = 4 * 512 for the real 256M model
IMAGE_SEQ_LEN = (VISION["image_size"] // VISION["patch_size"]) ** 2 // SCALE_FACTOR**2  # 16


# ---------------------------------------------------------------------------------------------------
# config.json
# ---------------------------------------------------------------------------------------------------


def config_v1() -> dict:
    """SmolVLM-256M-Instruct's config.json values with the tiny sizes patched in."""
    config = ckpt.smolvlm_256m_config()
    config["scale_factor"] = SCALE_FACTOR
    config["torch_dtype"] = "float32"
    text = config["text_config"]
    text.update(TEXT)
    text["pixel_shuffle_factor"] = SCALE_FACTOR  # inert duplicate of scale_factor; kept consistent
    text["torch_dtype"] = "float32"
    vision = config["vision_config"]
    vision.update({
        "hidden_size": VISION["hidden"],
        "intermediate_size": VISION["intermediate"],
        "num_hidden_layers": VISION["layers"],
        "num_attention_heads": VISION["heads"],
        "image_size": VISION["image_size"],
        "patch_size": VISION["patch_size"],
        "max_image_size": {"longest_edge": TILE},
        "size": {"longest_edge": LONGEST_EDGE},
    })
    return config


def config_v2() -> dict:
    """A SmolVLM2-style config.json: only keys that differ from the class defaults (plus the usual
    inert ones), as SmolVLM2-500M-Video-Instruct's config is written."""
    return {
        "architectures": ["SmolVLMForConditionalGeneration"],
        "image_token_id": ckpt.IMAGE_TOKEN_ID,
        "model_type": "smolvlm",
        "pad_token_id": 128002,
        "scale_factor": SCALE_FACTOR,
        "text_config": {
            "_flash_attn_2_enabled": True,
            "architectures": ["VLlama3ForCausalLM"],
            **TEXT,
            "is_llama_config": True,
            "max_position_embeddings": 8192,
            "model_type": "llama",
            "neftune_noise_alpha": 0.0,
            "pad_token_id": 2,
            "pixel_shuffle_factor": SCALE_FACTOR,
            "qk_layer_norms": False,
            "rms_norm_eps": 1e-05,
            "rope_interleaved": False,
            "rope_theta": 100000,
            "torch_dtype": "float32",
            "use_resampler": False,
            "vocab_size": ckpt.VLM_VOCAB,
        },
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "use_cache": True,
        "vision_config": {
            "hidden_size": VISION["hidden"],
            "image_size": VISION["image_size"],
            "intermediate_size": VISION["intermediate"],
            "max_image_size": {"longest_edge": TILE},
            "model_type": "smolvlm_vision",
            "num_attention_heads": VISION["heads"],
            "num_hidden_layers": VISION["layers"],
            "patch_size": VISION["patch_size"],
            "size": {"longest_edge": LONGEST_EDGE},
            "tie_word_embeddings": False,
            "use_base_siglip": False,
        },
        "vocab_size": ckpt.VLM_VOCAB,
    }


# ---------------------------------------------------------------------------------------------------
# processor files
# ---------------------------------------------------------------------------------------------------


def preprocessor_config(v2: bool) -> dict:
    """The released processor settings with the tiny sizes; SmolVLM2 renames the classes and adds
    video_sampling (frames are squared to the tile size, so video_size follows the tile)."""
    return ckpt.preprocessor_config(tile=TILE, longest_edge=LONGEST_EDGE, v2=v2)


def processor_config(v2: bool) -> dict:
    return ckpt.processor_config(IMAGE_SEQ_LEN, v2)


# ---------------------------------------------------------------------------------------------------
# weights
# ---------------------------------------------------------------------------------------------------


def make_weights(tag: str, text_hidden: int) -> dict[str, np.ndarray]:
    vision = vision_weights.vision_config(**VISION)
    tensors = {
        # the vision script's own initialization, on a stream name salted with the checkpoint
        name: vision_weights.make_tensor(f"{tag}:{name}", shape)
        for name, shape in vision_weights.tensor_shapes(vision).items()
    }
    shape = ckpt.connector_shape(VISION["hidden"], SCALE_FACTOR, text_hidden)
    tensors[ckpt.CONNECTOR] = ckpt.normal(f"{tag}:{ckpt.CONNECTOR}", shape, 1 / math.sqrt(shape[1]))
    for name, shape in ckpt.text_tensor_shapes(TEXT).items():
        stream = f"{tag}:{name}"
        if name.endswith("norm.weight"):
            tensors[name] = ckpt.normal(stream, shape, 0.1, mean=1.0)
        elif name == "model.text_model.embed_tokens.weight":
            tensors[name] = ckpt.normal(stream, shape, 1.0)
        elif name == "lm_head.weight":
            tensors[name] = ckpt.normal(stream, shape, 4 / math.sqrt(shape[1]))
        else:
            tensors[name] = ckpt.normal(stream, shape, 1 / math.sqrt(shape[1]))
    return tensors


# ---------------------------------------------------------------------------------------------------


def write_checkpoint(out: Path, v2: bool, tokenizer: dict, tokenizer_bytes: dict[str, bytes]) -> str:
    out.mkdir(parents=True, exist_ok=True)
    ckpt.write_json(out / "config.json", config_v2() if v2 else config_v1())
    # generation_config.json, special_tokens_map.json and added_tokens.json carry SmolVLM-256M-Instruct's
    # values for both (SmolVLM2 ships the same ids; its own files were not available, see the README);
    # tokenizer_config.json is SmolVLM's or SmolVLM2's.
    ckpt.write_side_files(out, tokenizer, v2)
    ckpt.write_json(out / "preprocessor_config.json", preprocessor_config(v2))
    ckpt.write_json(out / "processor_config.json", processor_config(v2))
    ckpt.write_tokenizer(out, tokenizer_bytes)
    weights = make_weights(out.name, TEXT["hidden_size"])
    return ckpt.write_weights(out / "model.safetensors", weights)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gguf", type=Path, default=ckpt.DEFAULT_GGUF, help="SmolLM2-135M-Instruct GGUF (tokenizer source)")
    parser.add_argument("--out", type=Path, default=ckpt.MODELS, help="parent folder of tiny-smolvlm and tiny-smolvlm2")
    args = parser.parse_args()

    start = time.time()
    tokenizer = ckpt.build_vlm_tokenizer_json(args.gguf)
    tokenizer_bytes = ckpt.tokenizer_files(tokenizer)  # checked against the released SHA-256
    for name, v2 in (("tiny-smolvlm", False), ("tiny-smolvlm2", True)):
        digest = write_checkpoint(args.out / name, v2, tokenizer, tokenizer_bytes)
        print(f"make_tiny_smolvlm: wrote {args.out / name} (model.safetensors sha256 {digest})")
    print(f"make_tiny_smolvlm: done in {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
