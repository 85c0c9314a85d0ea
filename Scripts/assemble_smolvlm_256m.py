#!/usr/bin/env python3
"""Assemble a checkpoint with the exact shape and files of SmolVLM-256M-Instruct from parts we can get.

    python3 Scripts/assemble_smolvlm_256m.py        # writes Models/SmolVLM-256M-shaped

The real SmolVLM-256M-Instruct weights are not reachable from this project (no Hugging Face Hub), but
every other part of the checkpoint is:

  text model   the real SmolLM2-135M-Instruct decoder, dequantized from the GGUF that
               Scripts/fetch-test-models.sh downloads (convert_gguf_to_hf.load_tensor, with llama.cpp's
               Q/K row permutation undone by convert_gguf_to_hf.unpermute_rows), renamed model.* ->
               model.text_model.*. The embedding is extended from 49152 to 49280 rows: the 128 VLM
               tokens get seeded random rows (std 0.13, about the std of the real embedding, 0.136).
               SmolVLM-256M has tie_word_embeddings false, so lm_head.weight is written separately: a
               copy of the dequantized embedding for the 49152 text tokens plus its *own* seeded rows for
               the 128 new ones, so a port that wrongly ties lm_head to the embedding gives different
               logits for those ids. Those rows are small (std 0.02): with full-size random rows the
               decoder keeps picking <|reserved_special_token_*|> ids, which the real model never does.
  vision tower seeded random SigLIP-B/16 @ 512, exactly the tensors Scripts/make_random_vision_weights.py
               writes to Models/siglip-b16-512-random (same function, same stream names, same bytes).
  connector    seeded random Linear 12288 -> 576, std 0.5 / sqrt(12288), so an image token's embedding
               comes out at about 4x the scale of a text token's.
  JSON files   config.json, generation_config.json, preprocessor_config.json, processor_config.json,
               chat_template.json, tokenizer_config.json, special_tokens_map.json and added_tokens.json,
               built in code by smolvlm_checkpoint with SmolVLM-256M-Instruct's published values
               (idefics3, scale factor 4, image_seq_len 64, size 2048, tiles of 512); our own key order
               and layout, the released values. Note config.json says torch_dtype bfloat16 (the released
               weights are bf16); the weights here are float32.
  tokenizer    tokenizer.json, vocab.json and merges.txt rebuilt from the GGUF plus the 128 VLM tokens,
               byte-identical to the released files (checked against their SHA-256).

The result runs the real graph at the real size (471 tensors, 256.5M parameters, float32, ~1 GB), so the
pipeline goldens can check the Swift port at full scale, and the text half still answers sensibly. CI
regenerates it (Models/ is git-ignored): numpy and gguf only, deterministic, ~15 s.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np
from gguf import GGUFReader

import smolvlm_checkpoint as ckpt
from smolvlm_checkpoint import gguf_convert, vision_weights

OUT = ckpt.MODELS / "SmolVLM-256M-shaped"
NEW_ROW_STD = 0.13       # new embedding rows
NEW_HEAD_ROW_STD = 0.02  # new lm_head rows
TILE = 512               # max_image_size.longest_edge == vision image_size
LONGEST_EDGE = 2048      # size.longest_edge = 4 tiles
IMAGE_SEQ_LEN = 64       # (512 / 16)^2 / 4^2


def text_weights(gguf_path: Path, config: dict, tag: str) -> dict[str, np.ndarray]:
    """The SmolLM2 decoder from the GGUF under SmolVLM's names, with the extended embedding and the
    untied lm_head."""
    text = config["text_config"]
    reader = GGUFReader(gguf_path)
    tensors: dict[str, np.ndarray] = {}
    for tensor in reader.tensors:
        name = gguf_convert.hf_name(tensor.name)  # model.layers.0.self_attn.q_proj.weight, ...
        if name == "lm_head.weight":
            raise SystemExit(f"{gguf_path}: unexpected output.weight; SmolLM2-135M-Instruct ties its embeddings")
        values = gguf_convert.load_tensor(tensor)
        if name.endswith("self_attn.q_proj.weight"):
            values = gguf_convert.unpermute_rows(values, text["num_attention_heads"])
        elif name.endswith("self_attn.k_proj.weight"):
            values = gguf_convert.unpermute_rows(values, text["num_key_value_heads"])
        tensors["model.text_model." + name[len("model."):]] = np.ascontiguousarray(values, dtype=np.float32)

    embed_name = "model.text_model.embed_tokens.weight"
    embedding = tensors[embed_name]
    new_rows = ckpt.VLM_VOCAB - ckpt.BASE_VOCAB
    hidden = embedding.shape[1]
    extra_embed = ckpt.normal(f"{tag}:{embed_name}[{ckpt.BASE_VOCAB}:]", (new_rows, hidden), NEW_ROW_STD)
    extra_head = ckpt.normal(f"{tag}:lm_head.weight[{ckpt.BASE_VOCAB}:]", (new_rows, hidden), NEW_HEAD_ROW_STD)
    tensors[embed_name] = np.concatenate([embedding, extra_embed])
    tensors["lm_head.weight"] = np.concatenate([embedding, extra_head])

    expected = ckpt.text_tensor_shapes(text)
    shapes = {name: tuple(array.shape) for name, array in tensors.items()}
    if shapes != expected:
        raise SystemExit(f"text tensors do not match config.json: {sorted(set(shapes.items()) ^ set(expected.items()))}")
    return tensors


def vision_and_connector(config: dict, tag: str) -> dict[str, np.ndarray]:
    vision = config["vision_config"]
    siglip = vision_weights.vision_config(
        hidden=vision["hidden_size"], layers=vision["num_hidden_layers"], heads=vision["num_attention_heads"],
        intermediate=vision["intermediate_size"], image_size=vision["image_size"], patch_size=vision["patch_size"],
    )
    if siglip != vision_weights.vision_config():
        raise SystemExit("SmolVLM-256M's vision config is expected to be the default SigLIP-B/16-512")
    tensors = vision_weights.make_weights(siglip)  # unsalted: identical to Models/siglip-b16-512-random
    shape = ckpt.connector_shape(vision["hidden_size"], config["scale_factor"], config["text_config"]["hidden_size"])
    tensors[ckpt.CONNECTOR] = ckpt.normal(f"{tag}:{ckpt.CONNECTOR}", shape, 0.5 / math.sqrt(shape[1]))
    return tensors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gguf", type=Path, default=ckpt.DEFAULT_GGUF)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    start = time.time()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    config = ckpt.smolvlm_256m_config()
    vision = config["vision_config"]
    assert vision["image_size"] == TILE and vision["max_image_size"]["longest_edge"] == TILE
    assert (vision["image_size"] // vision["patch_size"]) ** 2 // config["scale_factor"] ** 2 == IMAGE_SEQ_LEN
    tokenizer = ckpt.build_vlm_tokenizer_json(args.gguf)
    tokenizer_bytes = ckpt.tokenizer_files(tokenizer)  # checked against the released SHA-256
    ckpt.write_json(out / "config.json", config)
    ckpt.write_side_files(out, tokenizer, v2=False)
    ckpt.write_json(out / "preprocessor_config.json", ckpt.preprocessor_config(tile=TILE, longest_edge=LONGEST_EDGE, v2=False))
    ckpt.write_json(out / "processor_config.json", ckpt.processor_config(IMAGE_SEQ_LEN, v2=False))
    ckpt.write_tokenizer(out, tokenizer_bytes)

    tag = "SmolVLM-256M-shaped"
    tensors = text_weights(args.gguf, config, tag)
    tensors.update(vision_and_connector(config, tag))
    count = sum(array.size for array in tensors.values())
    digest = ckpt.write_weights(out / "model.safetensors", tensors)
    print(f"assemble_smolvlm_256m: wrote {out} ({len(tensors)} tensors, {count:,} parameters, "
          f"model.safetensors sha256 {digest}) in {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
