#!/usr/bin/env python3
"""Convert a SmolVLM / SmolVLM2 checkpoint (Hugging Face layout) into the llama.cpp GGUF pair.

    python3 Scripts/convert_smolvlm_to_gguf_pair.py --model Models/tiny-smolvlm2 --out Models/tiny-smolvlm2-gguf
    python3 Scripts/convert_smolvlm_to_gguf_pair.py --model ... --out ... --check   # compare, write nothing

Writes, into --out:

  text-f32.gguf     the SmolLM2 decoder (arch "llama"): llama.* hyperparameters, tokenizer.ggml.* and
                    tokenizer.chat_template, Q/K rows permuted as llama.cpp stores them
  mmproj-f32.gguf   the SigLIP tower and the connector (arch "clip", projector type "idefics3")
  mmproj-f16.gguf   the same with the 2-D weights in F16
  mmproj-q8_0.gguf  the same with the 2-D weights in Q8_0 (gguf.quants; F16 where a row is not a
                    multiple of 32, as llama.cpp falls back)

This is the layout of llama.cpp's `convert_hf_to_gguf.py` (`LlamaModel` for the text model, `SmolVLMModel`
for `--mmproj`), which is how ggml-org/SmolVLM*-GGUF were made. The Swift tests load both layouts of the
same weights and expect the same tokens. It needs numpy and gguf only (no torch, transformers or
safetensors), because CI builds these files from Models/tiny-smolvlm{,2} with Models/.venv.

What llama.cpp's converter does that is reproduced here:

  * Configs are read as transformers' AutoConfig sees them, i.e. with the class defaults for absent keys
    (`ModelBase.load_hparams` uses `AutoConfig.from_pretrained(...).to_dict()`). So a vision config
    without `layer_norm_eps` (SmolVLM2's compact config.json) gets 1e-6, the class default. Converters
    that read config.json raw fell back to `SmolVLMModel`'s own default, 1e-5; mmproj files made that
    way carry 1e-5.
  * mmproj keys: `clip.projector_type` "idefics3", `clip.has_vision_encoder`, `clip.use_gelu`,
    `clip.vision.{image_size, patch_size, embedding_length, feed_forward_length, block_count,
    attention.head_count, attention.layer_norm_epsilon, projection_dim (= text hidden size),
    image_mean, image_std, projector.scale_factor, preproc_image_size (= size.longest_edge)}`.
  * mmproj tensor names from gguf's own name map (`v.patch_embd`, `v.position_embd`, `v.blk.{i}.attn_q`,
    `ln1`, `ffn_up` (= fc1), `ffn_down` (= fc2), `v.post_ln`, `mm.model.fc`); tensors named
    `.embeddings.` (patch and position embeddings), every 1-D tensor and every bias stay F32.
  * Text: `text_model.` is dropped from the names, q_proj / k_proj rows are permuted
    (`LlamaModel.permute`), the vocabulary is `get_vocab_base` (ids 0..vocab_size-1, added tokens CONTROL
    when special, USER_DEFINED otherwise, `[PAD{i}]` UNUSED for holes), `tokenizer.ggml.pre` is "smollm"
    (the SmolLM2 pre-tokenizer: Digits + ByteLevel; checked, not hashed), and merges, special ids and
    the chat template come from gguf's own `SpecialVocab`.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np
import gguf

# transformers' class defaults for the keys read here (SmolVLMVisionConfig == Idefics3VisionConfig;
# LlamaConfig for text_config), i.e. what AutoConfig fills in for absent keys.
VISION_DEFAULTS = {
    "hidden_size": 1152, "intermediate_size": 3072, "num_hidden_layers": 12, "num_attention_heads": 16,
    "num_channels": 3, "image_size": 224, "patch_size": 32, "layer_norm_eps": 1e-6,
    "hidden_act": "gelu_pytorch_tanh",
}
TEXT_DEFAULTS = {
    "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32,
    "max_position_embeddings": 2048, "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "vocab_size": 32000,
}

MMPROJ_TYPES = {
    "f32": (gguf.LlamaFileType.ALL_F32, gguf.GGMLQuantizationType.F32),
    "f16": (gguf.LlamaFileType.MOSTLY_F16, gguf.GGMLQuantizationType.F16),
    "q8_0": (gguf.LlamaFileType.MOSTLY_Q8_0, gguf.GGMLQuantizationType.Q8_0),
}


# ---------------------------------------------------------------------------------------------------
# Reading the Hugging Face directory
# ---------------------------------------------------------------------------------------------------


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file: F32 and F16 as stored, BF16 widened to float32 (llama.cpp's
    converter turns every type other than F16/F32 into F32)."""
    data = path.read_bytes()
    (header_size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_size])
    base = 8 + header_size
    tensors: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        raw = data[base + start:base + end]
        shape = tuple(entry["shape"])
        if entry["dtype"] == "F32":
            array = np.frombuffer(raw, dtype="<f4")
        elif entry["dtype"] == "F16":
            array = np.frombuffer(raw, dtype="<f2")
        elif entry["dtype"] == "BF16":
            array = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise SystemExit(f"{path}: tensor {name} has dtype {entry['dtype']}, expected F32, F16 or BF16")
        tensors[name] = array.reshape(shape)
    return tensors


def read_checkpoint(model: Path) -> dict[str, np.ndarray]:
    index = model / "model.safetensors.index.json"
    files = sorted(set(json.loads(index.read_text())["weight_map"].values())) if index.is_file() else ["model.safetensors"]
    tensors: dict[str, np.ndarray] = {}
    for name in files:
        tensors.update(read_safetensors(model / name))
    return tensors


def with_defaults(config: dict, defaults: dict) -> dict:
    return {**defaults, **config}


class Checkpoint:
    def __init__(self, model: Path):
        self.path = model
        self.config = json.loads((model / "config.json").read_text(encoding="utf-8"))
        if self.config.get("model_type") not in ("idefics3", "smolvlm"):
            raise SystemExit(f"{model}: model_type {self.config.get('model_type')!r} is not idefics3 or smolvlm")
        self.vision = with_defaults(self.config.get("vision_config", {}), VISION_DEFAULTS)
        self.text = with_defaults(self.config["text_config"], TEXT_DEFAULTS)
        self.text.setdefault("num_key_value_heads", self.text["num_attention_heads"])
        self.text.setdefault("head_dim", self.text["hidden_size"] // self.text["num_attention_heads"])
        rope = self.text.get("rope_parameters") or {}
        self.rope_theta = rope.get("rope_theta", self.text["rope_theta"])
        self.preprocessor = json.loads((model / "preprocessor_config.json").read_text(encoding="utf-8"))
        self.tensors = read_checkpoint(model)


# ---------------------------------------------------------------------------------------------------
# Tensor types (ModelBase.prepare_tensors)
# ---------------------------------------------------------------------------------------------------


def encode(data: np.ndarray, qtype: gguf.GGMLQuantizationType) -> tuple[np.ndarray, gguf.GGMLQuantizationType]:
    try:
        return gguf.quants.quantize(data, qtype), qtype
    except gguf.QuantError:
        return gguf.quants.quantize(data, gguf.GGMLQuantizationType.F16), gguf.GGMLQuantizationType.F16


def tensor_type(hf_name: str, gguf_name: str, data: np.ndarray, file_type: gguf.GGMLQuantizationType,
                force_f32_embeddings: bool) -> gguf.GGMLQuantizationType:
    if force_f32_embeddings and ".embeddings." in hf_name:
        return gguf.GGMLQuantizationType.F32
    if data.ndim <= 1 or gguf_name.endswith("_norm.weight") or not gguf_name.endswith(".weight"):
        return gguf.GGMLQuantizationType.F32
    return file_type


def add_tensor(writer: gguf.GGUFWriter, hf_name: str, gguf_name: str, data: np.ndarray,
               file_type: gguf.GGMLQuantizationType, force_f32_embeddings: bool = False) -> None:
    data = np.ascontiguousarray(data, dtype=data.dtype if data.dtype == np.float16 else np.float32)
    qtype = tensor_type(hf_name, gguf_name, data, file_type, force_f32_embeddings)
    encoded, qtype = encode(data, qtype)
    writer.add_tensor(gguf_name, encoded, raw_dtype=qtype)


# ---------------------------------------------------------------------------------------------------
# mmproj (SmolVLMModel, MmprojModel)
# ---------------------------------------------------------------------------------------------------


def write_mmproj(ckpt: Checkpoint, out: Path, kind: str) -> None:
    file_type, qtype = MMPROJ_TYPES[kind]
    v = ckpt.vision
    writer = gguf.GGUFWriter(out, arch=gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.MMPROJ])
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.MMPROJ, v["num_hidden_layers"])
    for hf_name in sorted(ckpt.tensors):
        if not ("vision_model" in hf_name or "model.connector" in hf_name):
            continue
        gguf_name = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if gguf_name is None:
            raise SystemExit(f"{ckpt.path}: no mmproj name for {hf_name}")
        add_tensor(writer, hf_name, gguf_name, ckpt.tensors[hf_name], qtype, force_f32_embeddings=True)

    writer.add_type(gguf.GGUFType.MMPROJ)
    writer.add_name(ckpt.path.name)
    writer.add_file_type(file_type)
    writer.add_clip_has_vision_encoder(True)
    writer.add_vision_projection_dim(ckpt.text["hidden_size"])
    writer.add_vision_image_size(v["image_size"])
    writer.add_vision_patch_size(v["patch_size"])
    writer.add_vision_embedding_length(v["hidden_size"])
    writer.add_vision_feed_forward_length(v["intermediate_size"])
    writer.add_vision_block_count(v["num_hidden_layers"])
    writer.add_vision_head_count(v["num_attention_heads"])
    writer.add_vision_image_mean(ckpt.preprocessor["image_mean"])
    writer.add_vision_image_std(ckpt.preprocessor["image_std"])
    writer.add_clip_projector_type(gguf.VisionProjectorType.IDEFICS3)
    writer.add_vision_attention_layernorm_eps(v.get("layer_norm_eps", 1e-5))
    writer.add_vision_projector_scale_factor(ckpt.config.get("scale_factor", 2))
    writer.add_vision_use_gelu(True)
    writer.add_vision_preproc_image_size(ckpt.preprocessor.get("size", {}).get("longest_edge", v["image_size"]))
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    finish(writer)


# ---------------------------------------------------------------------------------------------------
# Text model (LlamaModel, TextModel)
# ---------------------------------------------------------------------------------------------------


def permute(weights: np.ndarray, heads: int) -> np.ndarray:
    """LlamaModel.permute: each head's rows from rotate-half order to interleaved pairs."""
    return weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:]).swapaxes(1, 2).reshape(weights.shape)


def vocabulary(ckpt: Checkpoint) -> tuple[list[str], list[int], str]:
    """get_vocab_base over tokenizer.json: ids 0..vocab_size-1 with their llama.cpp token types."""
    tokenizer = json.loads((ckpt.path / "tokenizer.json").read_text(encoding="utf-8"))
    pre = tokenizer.get("pre_tokenizer") or {}
    steps = [(p.get("type"), p.get("individual_digits"), p.get("add_prefix_space"), p.get("use_regex"))
             for p in pre.get("pretokenizers", [])]
    if tokenizer.get("normalizer") is not None or steps != [("Digits", True, None, None), ("ByteLevel", None, False, True)]:
        raise SystemExit(f"{ckpt.path}: not the SmolLM2 tokenizer pipeline (llama.cpp pre 'smollm')")
    vocab: dict[str, int] = dict(tokenizer["model"]["vocab"])
    added = {token["content"]: token for token in tokenizer.get("added_tokens", [])}
    for content, token in added.items():
        vocab[content] = token["id"]
    by_id = {token_id: content for content, token_id in vocab.items()}
    size = ckpt.text["vocab_size"]
    if max(by_id) >= size:
        raise SystemExit(f"{ckpt.path}: token id {max(by_id)} does not fit vocab_size {size}")
    tokens: list[str] = []
    types: list[int] = []
    for i in range(size):
        if i not in by_id:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
            continue
        token = by_id[i]
        if token in added:
            # llama.cpp re-normalizes non-normalized added tokens by an encode/decode round trip, which
            # returns them unchanged for this tokenizer (no normalizer, every one matched whole).
            looks_special = token.startswith("<|") and token.endswith("|>")
            types.append(gguf.TokenType.CONTROL if added[token]["special"] or looks_special else gguf.TokenType.USER_DEFINED)
        else:
            types.append(gguf.TokenType.NORMAL)
        tokens.append(token)
    return tokens, types, "smollm"


def write_text(ckpt: Checkpoint, out: Path) -> None:
    t = ckpt.text
    heads, kv_heads = t["num_attention_heads"], t["num_key_value_heads"]
    writer = gguf.GGUFWriter(out, arch=gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.LLAMA])
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, t["num_hidden_layers"])
    for hf_name in sorted(ckpt.tensors):
        if "vision_model" in hf_name or "model.connector" in hf_name:
            continue
        name = hf_name.replace("text_model.", "")
        data = ckpt.tensors[hf_name]
        if name.endswith("q_proj.weight"):
            data = permute(data, heads)
        elif name.endswith("k_proj.weight"):
            data = permute(data, kv_heads)
        gguf_name = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if gguf_name is None:
            raise SystemExit(f"{ckpt.path}: no text-model name for {hf_name}")
        add_tensor(writer, hf_name, gguf_name, data, gguf.GGMLQuantizationType.F32)

    writer.add_type(gguf.GGUFType.MODEL)
    writer.add_name(ckpt.path.name)
    writer.add_block_count(t["num_hidden_layers"])
    writer.add_context_length(t["max_position_embeddings"])
    writer.add_embedding_length(t["hidden_size"])
    writer.add_feed_forward_length(t["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_freq_base(ckpt.rope_theta)
    writer.add_layer_norm_rms_eps(t["rms_norm_eps"])
    writer.add_key_length(t["head_dim"])
    writer.add_value_length(t["head_dim"])
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_vocab_size(t["vocab_size"])
    writer.add_rope_dimension_count(t["head_dim"])
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)

    tokenizer_config = json.loads((ckpt.path / "tokenizer_config.json").read_text(encoding="utf-8"))
    if (add_prefix_space := tokenizer_config.get("add_prefix_space")) is not None:
        writer.add_add_space_prefix(add_prefix_space)
    tokens, types, pre = vocabulary(ckpt)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    gguf.SpecialVocab(ckpt.path, load_merges=True).add_to_gguf(writer)
    finish(writer)


def finish(writer: gguf.GGUFWriter) -> None:
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


# ---------------------------------------------------------------------------------------------------


def convert(model: Path, out: Path) -> None:
    ckpt = Checkpoint(model)
    out.mkdir(parents=True, exist_ok=True)
    write_text(ckpt, out / "text-f32.gguf")
    for kind in MMPROJ_TYPES:
        write_mmproj(ckpt, out / f"mmproj-{kind}.gguf", kind)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="a SmolVLM / SmolVLM2 directory (Hugging Face layout)")
    parser.add_argument("--out", type=Path, required=True, help="the folder for text-f32.gguf and mmproj-*.gguf")
    parser.add_argument("--check", action="store_true", help="convert into a temporary folder and compare with --out")
    args = parser.parse_args(argv)
    if not args.check:
        convert(args.model, args.out)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        convert(args.model, Path(scratch))
        names = sorted(p.name for p in Path(scratch).iterdir())
        differ = [n for n in names if not (args.out / n).is_file() or not filecmp.cmp(Path(scratch) / n, args.out / n, shallow=False)]
    print("check: files match" if not differ else f"check: FILES DIFFER: {', '.join(differ)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
