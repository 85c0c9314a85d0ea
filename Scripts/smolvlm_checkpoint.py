"""Shared pieces of the scripts that write SmolVLM / SmolVLM2 checkpoints in Hugging Face layout.

Used by Scripts/make_tiny_smolvlm.py and Scripts/assemble_smolvlm_256m.py. Like the other scripts in
Scripts/ that CI runs, this needs numpy and gguf only (no torch, transformers or tokenizers).

What lives here:

  * The VLM tokenizer. SmolVLM's tokenizer is SmolLM2's byte-level BPE plus 128 added tokens at ids
    49152..49279. The base vocabulary and merges come from the SmolLM2 GGUF through
    convert_gguf_to_hf.build_tokenizer_json; the added tokens are appended here. The result is
    byte-identical to SmolVLM-256M-Instruct's tokenizer.json, vocab.json and merges.txt, which is checked
    against the SHA-256 of the released files (RELEASED_SHA256 below).
  * Every JSON file of a checkpoint, built in code from the values it must carry: the published
    configuration values of SmolVLM-256M-Instruct / SmolVLM2 (hyperparameters, token ids, processor
    settings), the token lists of the tokenizer built here, and the SmolVLM chat template of
    /work/shared/reference/algorithms.md section 2.1. Key order and layout are our own; the values are
    the released ones. Tests/SmolPipelineTests/Fixtures/README.md says where each value comes from.
  * Seeded random tensors. They reuse make_random_vision_weights.standard_normal (PCG64 raw bits seeded
    from a fixed base seed and the CRC-32 of a stream name, Box-Muller written out), so the bytes do not
    depend on numpy's distribution code.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

SCRIPTS = Path(__file__).resolve().parent
REPO_ROOT = SCRIPTS.parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import convert_gguf_to_hf as gguf_convert  # noqa: E402
import make_random_vision_weights as vision_weights  # noqa: E402

MODELS = REPO_ROOT / "Models"
DEFAULT_GGUF = MODELS / "SmolLM2-135M-Instruct.Q4_1.gguf"

BASE_VOCAB = 49152
VLM_VOCAB = 49280
IMAGE_TOKEN_ID = 49190
END_OF_UTTERANCE_ID = 49279

# SHA-256 of files of the released SmolVLM-256M-Instruct (HuggingFaceTB/SmolVLM-256M-Instruct) that this
# module reproduces byte for byte. They are recorded facts: the released files themselves are not in this
# repository. The three tokenizer files are rebuilt from the SmolLM2 GGUF plus the 128 VLM tokens;
# chat_template.json is the algorithms.md template written as {"chat_template": ...} with indent 2.
RELEASED_SHA256 = {
    "tokenizer.json": "5ece781dc8d2b2f3e2f289ca0ae50b17cfc27dd27bfe7971bb8241e0b964331a",
    "vocab.json": "82b84012e3add4d01d12ba14442026e49b8cbbaead1f79ecf3d919784f82dc79",
    "merges.txt": "0b54e8aa4e53d5383e2e4bc635a56b43f9647f7b13832d5d9ecd8f82dac4f510",
    "chat_template.json": "a68ad1a42681ae44eacd109ff8dd56a840f761c03d72f4ff4c515d092f882168",
}

# The SmolVLM v1 chat template, verbatim from /work/shared/reference/algorithms.md section 2.1 (403
# characters; the one line break is a real "\n"). SmolVLM-256M-Instruct ships it in chat_template.json and
# tokenizer_config.json; SmolVLM2 checkpoints ship the same string (see the fixtures README).
CHAT_TEMPLATE_V1 = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}"
    "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n"
    "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)

# The transformers version that wrote SmolVLM-256M-Instruct's config.json and generation_config.json. It is
# a value transformers reads back (backward-compatibility switches), so it is kept.
RELEASED_TRANSFORMERS_VERSION = "4.46.0"


# ---------------------------------------------------------------------------------------------------
# JSON files
# ---------------------------------------------------------------------------------------------------


def hf_json(value, sort_keys: bool = True) -> str:
    """Our layout for config-like files: 2-space indent, raw UTF-8, a trailing newline."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def write_json(path: Path, value: dict, sort_keys: bool = True) -> None:
    write_text(path, hf_json(value, sort_keys=sort_keys))


def chat_template_json(template: str = CHAT_TEMPLATE_V1) -> str:
    """chat_template.json: {"chat_template": ...}, indent 2, no trailing newline. For the v1 template this
    is byte-identical to the released file (checked in write_chat_template)."""
    return json.dumps({"chat_template": template}, indent=2, ensure_ascii=False)


def write_chat_template(out: Path) -> None:
    data = chat_template_json().encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    if digest != RELEASED_SHA256["chat_template.json"]:
        raise SystemExit(f"chat_template.json: SHA-256 {digest} differs from the released file's; "
                         "CHAT_TEMPLATE_V1 no longer matches algorithms.md section 2.1")
    (out / "chat_template.json").write_bytes(data)


# config.json ---------------------------------------------------------------------------------------


def _legacy_config_attributes() -> dict:
    """The generic PretrainedConfig attributes that transformers 4.4x wrote into every (sub)config, at
    their class defaults: generation knobs, label maps, flags. SmolVLM-256M-Instruct's config.json spells
    them out in text_config, vision_config and text_config.perceiver_config. None of them affects
    inference; they are kept so the configs carry exactly the released values (and so a config reader
    meets a realistically noisy file). Callers override the ones their (sub)config sets."""
    return {
        "_attn_implementation_autoset": False,
        "_name_or_path": "",
        "add_cross_attention": False,
        "architectures": None,
        "bad_words_ids": None,
        "begin_suppress_tokens": None,
        "bos_token_id": None,
        "chunk_size_feed_forward": 0,
        "cross_attention_hidden_size": None,
        "decoder_start_token_id": None,
        "diversity_penalty": 0.0,
        "do_sample": False,
        "early_stopping": False,
        "encoder_no_repeat_ngram_size": 0,
        "eos_token_id": None,
        "exponential_decay_length_penalty": None,
        "finetuning_task": None,
        "forced_bos_token_id": None,
        "forced_eos_token_id": None,
        "id2label": {"0": "LABEL_0", "1": "LABEL_1"},
        "is_decoder": False,
        "is_encoder_decoder": False,
        "label2id": {"LABEL_0": 0, "LABEL_1": 1},
        "length_penalty": 1.0,
        "max_length": 20,
        "min_length": 0,
        "no_repeat_ngram_size": 0,
        "num_beam_groups": 1,
        "num_beams": 1,
        "num_return_sequences": 1,
        "output_attentions": False,
        "output_hidden_states": False,
        "output_scores": False,
        "pad_token_id": None,
        "prefix": None,
        "problem_type": None,
        "pruned_heads": {},
        "remove_invalid_values": False,
        "repetition_penalty": 1.0,
        "return_dict": True,
        "return_dict_in_generate": False,
        "sep_token_id": None,
        "suppress_tokens": None,
        "task_specific_params": None,
        "temperature": 1.0,
        "tf_legacy_loss": False,
        "tie_encoder_decoder": False,
        "tie_word_embeddings": True,
        "tokenizer_class": None,
        "top_k": 50,
        "top_p": 1.0,
        "torch_dtype": None,
        "torchscript": False,
        "typical_p": 1.0,
        "use_bfloat16": False,
    }


def _transformers_js_config() -> dict:
    # transformers.js hint the released config carries at the top level and in text_config (inert here).
    return {"kv_cache_dtype": {"fp16": "float16", "q4f16": "float16"}}


def smolvlm_256m_config() -> dict:
    """config.json of SmolVLM-256M-Instruct (model_type idefics3), with its published values.

    Values that matter (algorithms.md section 0 lists the same): SigLIP-B/16 at 512 px (hidden 768, 12
    layers, 12 heads, MLP 3072, gelu_pytorch_tanh, LayerNorm eps 1e-6); scale_factor 4; the SmolLM2-135M
    decoder (hidden 576, 30 layers, 9 heads, 3 kv heads, head_dim 64, MLP 1536, rms_norm_eps 1e-5,
    rope_theta 100000 written as an integer, 8192 positions, bos 1, eos 2, pad 2); vocab 49280;
    image_token_id 49190; untied lm_head. The rest is inert: the unused perceiver (resampler) settings
    and its own tie_word_embeddings true, the duplicate pixel_shuffle_factor, the legacy attributes of
    _legacy_config_attributes, torch_dtype bfloat16 (the released weights' dtype)."""
    perceiver = _legacy_config_attributes() | {
        "attention_dropout": 0.0,
        "hidden_act": "silu",
        "model_type": "vllama3",
        "num_key_value_heads": 1,
        "qk_layer_norms_perceiver": False,
        "resampler_depth": 6,
        "resampler_head_dim": 96,
        "resampler_n_heads": 16,
        "resampler_n_latents": 64,
        "transformers_version": RELEASED_TRANSFORMERS_VERSION,
    }
    text = _legacy_config_attributes() | {
        "_flash_attn_2_enabled": True,
        "_name_or_path": "None",  # sic: the string "None"
        "architectures": ["VLlama3ForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "head_dim": 64,
        "hidden_act": "silu",
        "hidden_size": 576,
        "initializer_range": 0.041666666666666664,  # 1/24 = 1/sqrt(576)
        "intermediate_size": 1536,
        "is_llama_config": True,
        "max_position_embeddings": 8192,
        "mlp_bias": False,
        "model_type": "llama",
        "neftune_noise_alpha": 0.0,
        "num_attention_heads": 9,
        "num_hidden_layers": 30,
        "num_key_value_heads": 3,
        "pad_token_id": 2,
        "perceiver_config": perceiver,
        "pixel_shuffle_factor": 4,
        "pretraining_tp": 1,
        "qk_layer_norms": False,
        "rms_norm_eps": 1e-05,
        "rope_interleaved": False,
        "rope_scaling": None,
        "rope_theta": 100000,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers.js_config": _transformers_js_config(),
        "use_cache": True,
        "use_resampler": False,
        "vocab_size": VLM_VOCAB,
    }
    vision = _legacy_config_attributes() | {
        "attention_dropout": 0.0,
        "hidden_act": "gelu_pytorch_tanh",
        "hidden_size": 768,
        "image_size": 512,
        "initializer_range": 0.02,
        "intermediate_size": 3072,
        "layer_norm_eps": 1e-06,
        "max_image_size": {"longest_edge": 512},
        "model_type": "idefics3",
        "num_attention_heads": 12,
        "num_channels": 3,
        "num_hidden_layers": 12,
        "patch_size": 16,
        "size": {"longest_edge": 2048},
        "tie_word_embeddings": False,
        "use_base_siglip": True,
    }
    return {
        "architectures": ["Idefics3ForConditionalGeneration"],
        "image_token_id": IMAGE_TOKEN_ID,
        "model_type": "idefics3",
        "scale_factor": 4,
        "text_config": text,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers.js_config": _transformers_js_config(),
        "transformers_version": RELEASED_TRANSFORMERS_VERSION,
        "use_cache": True,
        "vision_config": vision,
        "vocab_size": VLM_VOCAB,
    }


# generation, processor and tokenizer side files -----------------------------------------------------


def generation_config() -> dict:
    """generation_config.json of SmolVLM-256M-Instruct (algorithms.md section 2.2: bos 0, eos 49279
    <end_of_utterance>, pad 2; SmolVLM2 reports the same). _from_model_config true as released."""
    return {
        "_from_model_config": True,
        "bos_token_id": 0,
        "eos_token_id": END_OF_UTTERANCE_ID,
        "pad_token_id": 2,
        "transformers_version": RELEASED_TRANSFORMERS_VERSION,
    }


def preprocessor_config(tile: int, longest_edge: int, v2: bool, video_size: int | None = None) -> dict:
    """preprocessor_config.json: Idefics3ImageProcessor (v1) or SmolVLMImageProcessor (v2) settings.
    Released SmolVLM-256M-Instruct values: tile (max_image_size.longest_edge) 512, size.longest_edge 2048,
    resample 1 (LANCZOS), mean/std 0.5, rescale 1/255, splitting on. v2 adds video_sampling
    (fps 1, max_frames 64, video_size.longest_edge = the tile unless given)."""
    config = {
        "do_convert_rgb": True,
        "do_image_splitting": True,
        "do_normalize": True,
        "do_pad": True,
        "do_rescale": True,
        "do_resize": True,
        "image_mean": [0.5, 0.5, 0.5],
        "image_processor_type": "SmolVLMImageProcessor" if v2 else "Idefics3ImageProcessor",
        "image_std": [0.5, 0.5, 0.5],
        "max_image_size": {"longest_edge": tile},
        "processor_class": "SmolVLMProcessor" if v2 else "Idefics3Processor",
        "resample": 1,  # PIL.Image.Resampling.LANCZOS
        "rescale_factor": 1 / 255,
        "size": {"longest_edge": longest_edge},
    }
    if v2:
        config["video_sampling"] = {"fps": 1, "max_frames": 64,
                                    "video_size": {"longest_edge": tile if video_size is None else video_size}}
    return config


def processor_config(image_seq_len: int, v2: bool) -> dict:
    return {"image_seq_len": image_seq_len, "processor_class": "SmolVLMProcessor" if v2 else "Idefics3Processor"}


# The tokenizer's special-token roles (tokenizer_config.json of SmolVLM-256M-Instruct and SmolVLM2).
BOS_TOKEN = "<|im_start|>"      # id 1
PAD_TOKEN = "<|im_end|>"        # id 2
UNK_TOKEN = "<|endoftext|>"     # id 0
EOS_TOKEN = "<end_of_utterance>"  # id 49279; special_tokens_map.json says <|im_end|> instead (see there)
ADDITIONAL_SPECIAL_TOKENS = ["<fake_token_around_image>", "<image>", "<end_of_utterance>"]


def tokenizer_config(tokenizer: dict, v2: bool) -> dict:
    """tokenizer_config.json. added_tokens_decoder lists every added token of tokenizer.json (the 17
    SmolLM2 control tokens, ids 0..16, and the 128 VLM tokens), each special, in id order.

    SmolVLM2's published file differs from SmolVLM's only in processor_class, in the token-name keys newer
    transformers write (end_of_utterance_token, fake_image_token, global_image_token, image_token and
    extra_special_tokens) and in "vocab_size": 49152 (sic: the model's vocabulary is 49280)."""
    decoder = {}
    for token in tokenizer["added_tokens"]:
        decoder[str(token["id"])] = {key: token[key] for key in
                                     ("content", "lstrip", "normalized", "rstrip", "single_word", "special")}
    if len(decoder) != 17 + (VLM_VOCAB - BASE_VOCAB) or not all(t["special"] for t in decoder.values()):
        raise SystemExit("tokenizer.json: expected 145 added tokens, all special")
    config = {
        "add_prefix_space": False,
        "added_tokens_decoder": decoder,
        "additional_special_tokens": list(ADDITIONAL_SPECIAL_TOKENS),
        "bos_token": BOS_TOKEN,
        "chat_template": CHAT_TEMPLATE_V1,
        "clean_up_tokenization_spaces": False,
        "eos_token": EOS_TOKEN,
        "legacy": False,
        "model_max_length": 8192,
        "pad_token": PAD_TOKEN,
        "processor_class": "SmolVLMProcessor" if v2 else "Idefics3Processor",
        "tokenizer_class": "GPT2Tokenizer",
        "truncation_side": "left",
        "unk_token": UNK_TOKEN,
        "vocab_size": BASE_VOCAB if v2 else VLM_VOCAB,
    }
    if v2:
        names = {
            "end_of_utterance_token": "<end_of_utterance>",
            "fake_image_token": "<fake_token_around_image>",
            "global_image_token": "<global-img>",
            "image_token": "<image>",
        }
        config |= names
        config["extra_special_tokens"] = dict(names)
    return dict(sorted(config.items()))  # top-level keys sorted; added_tokens_decoder stays in id order


def special_tokens_map() -> dict:
    """special_tokens_map.json as SmolVLM-256M-Instruct publishes it. Note its eos_token is <|im_end|>,
    unlike tokenizer_config.json's <end_of_utterance>; transformers takes tokenizer_config.json's."""
    def entry(content: str) -> dict:
        return {"content": content, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}

    return {
        "additional_special_tokens": [entry(content) for content in ADDITIONAL_SPECIAL_TOKENS],
        "bos_token": entry(BOS_TOKEN),
        "eos_token": entry("<|im_end|>"),
        "pad_token": entry(PAD_TOKEN),
        "unk_token": entry(UNK_TOKEN),
    }


def added_tokens_json() -> dict:
    """added_tokens.json: content -> id of the 128 VLM tokens."""
    return {content: token_id for token_id, content in vlm_added_tokens()}


def write_side_files(out: Path, tokenizer: dict, v2: bool) -> None:
    """The JSON files every checkpoint here shares: generation_config.json, tokenizer_config.json,
    special_tokens_map.json, added_tokens.json and chat_template.json. SmolVLM2's own generation_config,
    special_tokens_map and added_tokens were not available; they are assumed equal to SmolVLM's."""
    write_json(out / "generation_config.json", generation_config())
    write_json(out / "tokenizer_config.json", tokenizer_config(tokenizer, v2), sort_keys=False)
    write_json(out / "special_tokens_map.json", special_tokens_map())
    write_json(out / "added_tokens.json", added_tokens_json())
    write_chat_template(out)


# ---------------------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------------------


def vlm_added_tokens() -> list[tuple[int, str]]:
    """(id, content) of the 128 tokens SmolVLM adds after SmolLM2's 49152, in id order."""
    tokens = [(BASE_VOCAB, "<global-img>")]
    tokens += [(BASE_VOCAB + (r - 1) * 6 + c, f"<row_{r}_col_{c}>") for r in range(1, 7) for c in range(1, 7)]
    tokens += [(49189, "<fake_token_around_image>"), (IMAGE_TOKEN_ID, "<image>")]
    tokens += [(49191 + k, f"<|reserved_special_token_{k}|>") for k in range(88)]
    tokens += [(END_OF_UTTERANCE_ID, "<end_of_utterance>")]
    ids = [token_id for token_id, _ in tokens]
    assert ids == list(range(BASE_VOCAB, VLM_VOCAB)), "added tokens must fill 49152..49279 without gaps"
    return tokens


def build_vlm_tokenizer_json(gguf_path: Path) -> dict:
    """tokenizer.json of SmolVLM: SmolLM2's pipeline from the GGUF plus the 128 VLM tokens.

    Differences from the SmolLM2 tokenizer.json that convert_gguf_to_hf writes, all matching the
    released SmolVLM file: the added tokens (every one special, normalized false, not in model.vocab,
    which stays at 49152 entries) and merges stored as [left, right] pairs, the form tokenizers >= 0.20
    serializes (SmolLM2's original file has "left right" strings; both parse to the same model).
    """
    from gguf import GGUFReader

    meta = gguf_convert.Metadata(GGUFReader(gguf_path))
    tokenizer = gguf_convert.build_tokenizer_json(meta)
    vocab = tokenizer["model"]["vocab"]
    if len(vocab) != BASE_VOCAB:
        raise SystemExit(f"{gguf_path}: expected SmolLM2's {BASE_VOCAB}-token vocabulary, got {len(vocab)}")
    for token_id, content in vlm_added_tokens():
        if content in vocab:
            raise SystemExit(f"{content!r} is already in the base vocabulary")
        tokenizer["added_tokens"].append(gguf_convert.added_token_entry(token_id, content, special=True))
    tokenizer["model"]["merges"] = [merge.split(" ") for merge in tokenizer["model"]["merges"]]
    return tokenizer


def tokenizer_files(tokenizer: dict) -> dict[str, bytes]:
    """tokenizer.json plus the slow-tokenizer pair (vocab.json, merges.txt) the checkpoints also ship,
    each serialized the way the released files are, and checked against their SHA-256."""
    model = tokenizer["model"]
    merges_txt = "#version: 0.2\n" + "".join(f"{left} {right}\n" for left, right in model["merges"])
    files = {
        # tokenizers' own writer: indent 2, raw UTF-8, no trailing newline
        "tokenizer.json": json.dumps(tokenizer, indent=2, ensure_ascii=False).encode("utf-8"),
        # GPT2Tokenizer.save_vocabulary: compact JSON, no newline
        "vocab.json": json.dumps(model["vocab"], ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        "merges.txt": merges_txt.encode("utf-8"),
    }
    for name, data in files.items():
        digest = hashlib.sha256(data).hexdigest()
        if digest != RELEASED_SHA256[name]:
            raise SystemExit(
                f"{name}: SHA-256 {digest} differs from SmolVLM-256M-Instruct's {RELEASED_SHA256[name]}; "
                "is the GGUF the pinned SmolLM2-135M-Instruct one?"
            )
    return files


def write_tokenizer(out: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (out / name).write_bytes(data)


# ---------------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------------


def normal(stream: str, shape: tuple[int, ...], std: float, mean: float = 0.0) -> np.ndarray:
    """mean + std * N(0, 1) from the named PCG64 stream, computed in float64 and rounded to float32."""
    count = int(np.prod(shape))
    z = vision_weights.standard_normal(stream, count)
    return (mean + std * z).astype(np.float32).reshape(shape)


def text_tensor_shapes(text: dict, vocab: int = VLM_VOCAB) -> dict[str, tuple[int, ...]]:
    """Checkpoint names and shapes of the Llama decoder and lm_head of a SmolVLM checkpoint."""
    hidden, inter = text["hidden_size"], text["intermediate_size"]
    heads, kv_heads = text["num_attention_heads"], text["num_key_value_heads"]
    head_dim = text.get("head_dim", hidden // heads)
    shapes = {
        "lm_head.weight": (vocab, hidden),
        "model.text_model.embed_tokens.weight": (vocab, hidden),
        "model.text_model.norm.weight": (hidden,),
    }
    for i in range(text["num_hidden_layers"]):
        layer = f"model.text_model.layers.{i}."
        shapes[layer + "input_layernorm.weight"] = (hidden,)
        shapes[layer + "post_attention_layernorm.weight"] = (hidden,)
        shapes[layer + "self_attn.q_proj.weight"] = (heads * head_dim, hidden)
        shapes[layer + "self_attn.k_proj.weight"] = (kv_heads * head_dim, hidden)
        shapes[layer + "self_attn.v_proj.weight"] = (kv_heads * head_dim, hidden)
        shapes[layer + "self_attn.o_proj.weight"] = (hidden, heads * head_dim)
        shapes[layer + "mlp.gate_proj.weight"] = (inter, hidden)
        shapes[layer + "mlp.up_proj.weight"] = (inter, hidden)
        shapes[layer + "mlp.down_proj.weight"] = (hidden, inter)
    return shapes


CONNECTOR = "model.connector.modality_projection.proj.weight"


def connector_shape(vision_hidden: int, scale_factor: int, text_hidden: int) -> tuple[int, int]:
    return (text_hidden, vision_hidden * scale_factor * scale_factor)


def write_weights(path: Path, tensors: dict[str, np.ndarray]) -> str:
    """model.safetensors in the reference writer's layout, metadata {"format": "pt"} as in the released
    files; returns its SHA-256."""
    vision_weights.write_safetensors(path, tensors, {"format": "pt"})
    return vision_weights.sha256(path)
