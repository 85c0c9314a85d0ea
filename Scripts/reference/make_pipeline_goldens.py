#!/usr/bin/env python3
"""End-to-end pipeline goldens for SmolPipeline: chat template -> processor -> vision tower -> connector
-> merge -> decoder -> greedy decoding, computed with transformers 5.24 (PIL image backend, eager float32).

Models (git-ignored, rebuilt by CI with numpy + gguf only):
  Models/tiny-smolvlm         Scripts/make_tiny_smolvlm.py       idefics3 (SmolVLM v1)
  Models/tiny-smolvlm2        Scripts/make_tiny_smolvlm.py       smolvlm  (SmolVLM2)
  Models/SmolVLM-256M-shaped  Scripts/assemble_smolvlm_256m.py   idefics3, real SmolLM2 decoder, full size

Writes Tests/SmolPipelineTests/Fixtures/:
  images/<name>.png                  the input images (generated here, deterministic; recipes in cases.json)
  <model>/<case>/messages.json       the conversation, HF shape, images as {"type": "image", "path": "images/x.png"}
  <model>/<case>/prompt.txt          the rendered chat template (before <image> expansion), exact bytes
  <model>/<case>/expanded_prompt.txt the text the processor tokenizes (after expansion), exact bytes
  <model>/<case>/frames/frame_k.png  frame k of pixel_values[0] as 8-bit RGB (lossless, see below)
  <model>/<case>/golden.safetensors  input_ids, rows/cols, mask summary, connector output, logits, greedy
  <model>/<case>/meta.json           shapes, counts, decoded text, stop indices, provenance
  cases.json                         index of every case and image

The reference path is exactly what a user of transformers runs:
    processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=True,
                                  return_tensors="pt", [do_image_splitting=False])
    model(**inputs) for the prefill, then one token at a time through the KV cache (greedy, argmax)
with these choices, each asserted or cross-checked below:
  * Image processor: the PIL backend (Idefics3ImageProcessorPil / SmolVLMImageProcessorPil), the one
    SmolVLM was released with, never the torchvision one.
  * Tokenizer: tokenizer.json as the `tokenizers` library runs it (TokenizersBackend). transformers 5's
    AutoTokenizer turns SmolVLM v1's tokenizer_config (tokenizer_class GPT2Tokenizer) into a rebuilt
    GPT-2 pipeline without the Digits pre-tokenizer; the script checks that this makes no difference for
    these prompts (it only would for non-ASCII numerals after a space).
  * SmolVLM2: SmolVLMProcessor needs a video processor, and SmolVLMVideoProcessor needs torchvision, which
    the pinned environment does not have. The processor is built with a stand-in video processor (class
    check skipped); no case has a video, so every code path that runs is SmolVLMProcessor's own.
  * Images given by path are opened by transformers.image_utils.load_image: EXIF transpose, then
    convert("RGB"), which DROPS alpha (no compositing over white), then the processor.

Usage (from the repository root):
    python3 Scripts/make_tiny_smolvlm.py && python3 Scripts/assemble_smolvlm_256m.py
    Scripts/reference/.venv/bin/python Scripts/reference/make_pipeline_goldens.py
    Scripts/reference/.venv/bin/python Scripts/reference/make_pipeline_goldens.py --check   # compare only
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import PIL
import torch
import transformers
from PIL import Image
from tokenizers import Tokenizer
from transformers import AutoImageProcessor, AutoModelForImageTextToText, AutoProcessor, Idefics3Processor, SmolVLMProcessor
from transformers.image_utils import load_image
from transformers.models.smolvlm.processing_smolvlm import get_image_prompt_string
from transformers.tokenization_utils_tokenizers import TokenizersBackend

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_io import (MODELS, REPO_ROOT, check_generated, check_sizes, greedy, save_frame_png, skimage_data,  # noqa: E402
                       tensors_within, write_json, write_safetensors)
from make_processor_goldens import synthetic_rgb, to_uint8_frames  # noqa: E402
from make_random_vision_weights import sha256  # noqa: E402

FIXTURES = REPO_ROOT / "Tests" / "SmolPipelineTests" / "Fixtures"
NEW_TOKENS = 32
# generation_config.json eos (<end_of_utterance>) first, then text_config.eos_token_id (<|im_end|>)
STOP_TOKEN_IDS = [49279, 2]


# ---------------------------------------------------------------------------------------------------
# Input images. Small, so that the tiny models' processor (tiles of 64, longest edge 256) gives a
# range of grids: 4x3, 3x4, 4x4 and 4x1 tiles. Synthetic ones come from make_processor_goldens'
# synthetic_rgb (gradient, discs, a dark "text" band: smooth areas plus sharp edges).
# ---------------------------------------------------------------------------------------------------


def make_images() -> dict[str, tuple[Image.Image, str]]:
    images: dict[str, tuple[Image.Image, str]] = {}
    images["scene_96x64"] = (Image.fromarray(synthetic_rgb(96, 64, 101)), "synthetic_rgb(96, 64, seed 101), RGB")
    images["portrait_48x80"] = (Image.fromarray(synthetic_rgb(48, 80, 102)), "synthetic_rgb(48, 80, seed 102), RGB")
    images["square_64x64"] = (Image.fromarray(synthetic_rgb(64, 64, 103)), "synthetic_rgb(64, 64, seed 103), RGB")
    images["banner_300x40"] = (Image.fromarray(synthetic_rgb(300, 40, 104)), "synthetic_rgb(300, 40, seed 104), RGB")

    # RGBA whose transparent pixels hide saturated magenta: load_image's convert("RGB") keeps the magenta,
    # compositing over white would not, so the golden tells the two behaviours apart.
    rgba = np.dstack([synthetic_rgb(40, 40, 105), np.full((40, 40), 255, np.uint8)])
    rgba[8:24, 20:36] = (255, 0, 255, 0)      # fully transparent square
    rgba[28:36, 4:20, 3] = 100                # a partly transparent band (colour kept)
    images["rgba_40x40"] = (Image.fromarray(rgba, "RGBA"),
                            "synthetic_rgb(40, 40, seed 105) + alpha: a transparent 16x16 square over pure magenta "
                            "(rows 8..23, cols 20..35), alpha 100 on rows 28..35, cols 4..19, 255 elsewhere")

    y, x = np.mgrid[0:30, 0:50].astype(np.float64)
    gray = 40 + 160 * (x / 49) + 30 * np.sin(y / 3)
    gray[(x - 32) ** 2 + (y - 14) ** 2 <= 81] = 235
    images["gray_50x30"] = (Image.fromarray(np.clip(np.rint(gray), 0, 255).astype(np.uint8), "L"),
                            "mode L: horizontal ramp 40..200 + 30*sin(row/3), a bright disc (r 9 at 32,14)")

    # For the full-size model: a real photo and a synthetic picture.
    photo = Image.open(skimage_data() / "chelsea.png")
    photo.load()
    images["photo_cat_192x128"] = (photo.convert("RGB").resize((192, 128), Image.Resampling.LANCZOS),
                                   "scikit-image chelsea.png (451x300, CC0, Stefan van der Walt), Pillow LANCZOS to 192x128")
    images["synthetic_160x120"] = (Image.fromarray(synthetic_rgb(160, 120, 106)), "synthetic_rgb(160, 120, seed 106), RGB")
    return images


def image(name: str) -> dict:
    return {"type": "image", "path": f"images/{name}.png"}


def text(value: str) -> dict:
    return {"type": "text", "text": value}


# (name, messages, processor kwargs). Every tiny model runs all of them.
TINY_CASES = [
    ("single_split", [{"role": "user", "content": [image("scene_96x64"), text("Describe this image.")]}], {}),
    ("single_unsplit", [{"role": "user", "content": [image("scene_96x64"), text("Describe this image.")]}],
     {"do_image_splitting": False}),
    ("two_images_one_message",
     [{"role": "user", "content": [image("portrait_48x80"), image("banner_300x40"),
                                   text("What differs between these two pictures?")]}], {}),
    ("three_images_two_turns",
     [{"role": "user", "content": [image("square_64x64"), text("What shape is this?")]},
      {"role": "assistant", "content": [text("A square with 2 circles.")]},
      {"role": "user", "content": [image("scene_96x64"), image("portrait_48x80"), text("And these two?")]}], {}),
    ("text_only", [{"role": "user", "content": [text("Write a haiku about 7 small robots.")]}], {}),
    ("system_prompt",
     [{"role": "system", "content": [text("You are a concise assistant. Answer in one word.")]},
      {"role": "user", "content": [image("square_64x64"), text("Main color?")]}], {}),
    ("rgba_image", [{"role": "user", "content": [image("rgba_40x40"), text("What is visible here?")]}], {}),
    ("grayscale_image", [{"role": "user", "content": [image("gray_50x30"), text("Is this photo in color?")]}], {}),
    ("image_mid_sentence",
     [{"role": "user", "content": [text("The picture "), image("banner_300x40"),
                                   text(" shows a banner. What does it say?")]}], {}),
]

FULL_CASES = [
    ("photo_unsplit", [{"role": "user", "content": [image("photo_cat_192x128"), text("Can you describe this image?")]}],
     {"do_image_splitting": False}),
    ("synthetic_unsplit",
     [{"role": "user", "content": [image("synthetic_160x120"), text("What colors do you see in this picture?")]}],
     {"do_image_splitting": False}),
    # No image: the real SmolLM2 decoder alone, which (unlike the random tiny ones) stops by itself.
    ("text_only", [{"role": "user", "content": [text("What is the capital of France?")]}], {}),
]

MODEL_CASES = [("tiny-smolvlm", TINY_CASES), ("tiny-smolvlm2", TINY_CASES), ("SmolVLM-256M-shaped", FULL_CASES)]


# ---------------------------------------------------------------------------------------------------
# Processor construction
# ---------------------------------------------------------------------------------------------------


class _NoVideoProcessor:
    """Stands in for SmolVLMVideoProcessor (torchvision-only). apply_chat_template reads these two
    attributes to build default video kwargs; None means "no frame sampling", and no case has a video."""

    num_frames = None
    fps = None


class SmolVLMProcessorWithoutVideo(SmolVLMProcessor):
    """SmolVLMProcessor whose constructor accepts the stand-in video processor. Nothing else differs."""

    def check_argument_for_proper_class(self, attribute_name, arg):
        if attribute_name == "video_processor":
            return None
        return super().check_argument_for_proper_class(attribute_name, arg)


def build_processor(model_dir: Path):
    config = json.loads((model_dir / "config.json").read_text())
    image_seq_len = json.loads((model_dir / "processor_config.json").read_text())["image_seq_len"]
    chat_template = json.loads((model_dir / "chat_template.json").read_text())["chat_template"]
    image_processor = AutoImageProcessor.from_pretrained(str(model_dir), backend="pil")
    tokenizer = TokenizersBackend.from_pretrained(str(model_dir))
    if config["model_type"] == "idefics3":
        assert type(image_processor).__name__ == "Idefics3ImageProcessorPil", type(image_processor)
        return Idefics3Processor(image_processor=image_processor, tokenizer=tokenizer,
                                 image_seq_len=image_seq_len, chat_template=chat_template)
    assert type(image_processor).__name__ == "SmolVLMImageProcessorPil", type(image_processor)
    return SmolVLMProcessorWithoutVideo(image_processor=image_processor, tokenizer=tokenizer,
                                        video_processor=_NoVideoProcessor(), image_seq_len=image_seq_len,
                                        chat_template=chat_template)


# ---------------------------------------------------------------------------------------------------
# One case
# ---------------------------------------------------------------------------------------------------


def absolute_paths(messages: list[dict], images_dir: Path) -> list[dict]:
    resolved = copy.deepcopy(messages)
    for message in resolved:
        for block in message["content"]:
            if block["type"] == "image":
                block["path"] = str(images_dir / Path(block["path"]).name)
    return resolved


def image_paths(messages: list[dict], images_dir: Path) -> list[Path]:
    return [images_dir / Path(b["path"]).name for m in messages for b in m["content"] if b["type"] == "image"]


def mask_summary(mask: np.ndarray) -> np.ndarray:
    """(valid rows, valid cols) per frame, after checking each frame's mask is a top-left rectangle of
    ones (what padding produces); for one prompt it is always the whole frame."""
    summary = []
    for frame in mask:
        rows, cols = int(frame.any(axis=1).sum()), int(frame.any(axis=0).sum())
        expected = np.zeros_like(frame)
        expected[:rows, :cols] = 1
        assert np.array_equal(frame, expected), "pixel_attention_mask is not a top-left rectangle"
        summary.append([rows, cols])
    return np.array(summary, dtype=np.int64).reshape(-1, 2)


def check_alpha_dropped(processor, paths: list[Path], pixel_values: np.ndarray, kwargs: dict) -> None:
    """For inputs with alpha, show which of transformers' two behaviours the path-based pipeline has:
    load_image's convert("RGB") (alpha dropped) and not the image processor's composite over white,
    which is what a PIL RGBA image handed straight to the processor would get."""
    opened = [Image.open(p) for p in paths]
    if not any(im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info for im in opened):
        return
    composited = processor.image_processor(images=[opened], return_tensors="np", **kwargs)["pixel_values"]
    assert not np.array_equal(composited, pixel_values), "alpha made no difference; the check is vacuous"


def run_case(model_name: str, model, processor, tok: Tokenizer, auto_processor, case: tuple, images_dir: Path,
             out: Path, weights_sha: str) -> dict:
    name, messages, kwargs = case
    case_dir = out / model_name / name
    case_dir.mkdir(parents=True, exist_ok=True)
    resolved = absolute_paths(messages, images_dir)

    prompt = processor.apply_chat_template(copy.deepcopy(resolved), add_generation_prompt=True, tokenize=False)
    inputs = processor.apply_chat_template(copy.deepcopy(resolved), add_generation_prompt=True, tokenize=True,
                                           return_dict=True, return_tensors="pt", processor_kwargs=dict(kwargs))
    input_ids = inputs["input_ids"][0].tolist()
    image_token_id = model.config.image_token_id
    seq_len = processor.image_seq_len

    # Rows/cols (the processor drops them from its output): rerun the image processor on the same
    # load_image() results and check it reproduces pixel_values exactly.
    paths = image_paths(messages, images_dir)
    rows, cols = [], []
    frames = np.zeros((0,), np.uint8)
    if paths:
        loaded = [load_image(str(p)) for p in paths]
        direct = processor.image_processor(images=[loaded], return_row_col_info=True, return_tensors="np", **kwargs)
        rows, cols = [int(r) for r in direct["rows"][0]], [int(c) for c in direct["cols"][0]]
        pixel_values = inputs["pixel_values"].numpy()
        assert np.array_equal(direct["pixel_values"], pixel_values)
        assert pixel_values.shape[0] == 1 and pixel_values.dtype == np.float32
        frames = to_uint8_frames(pixel_values[0])  # asserts (u8/255 - 0.5)/0.5 reproduces them bit for bit
        mask = inputs["pixel_attention_mask"].numpy()[0]
        assert mask.dtype == np.int64 and mask.all(), "one prompt: nothing is padded"
        check_alpha_dropped(processor, paths, pixel_values, kwargs)

    # The expansion, rebuilt independently: the k-th "<image>" of the rendered prompt becomes
    # get_image_prompt_string(rows_k, cols_k) (tiles row-major, then the global image).
    pieces = prompt.split("<image>")
    assert len(pieces) == len(paths) + 1
    expanded = pieces[0]
    for k, piece in enumerate(pieces[1:]):
        expanded += get_image_prompt_string(rows[k], cols[k], seq_len, fake_token_around_image="<fake_token_around_image>",
                                            image_token="<image>", global_image_token="<global-img>") + piece
    assert tok.encode(expanded).ids == input_ids, "tokenizers on the expanded text disagrees with the processor"
    assert tok.decode(input_ids, skip_special_tokens=False) == expanded
    frame_count = sum(r * c + 1 if r else 1 for r, c in zip(rows, cols))
    assert input_ids.count(image_token_id) == frame_count * seq_len
    if paths:
        assert frames.shape[0] == frame_count

    # transformers' default tokenizer for the directory (GPT2Tokenizer for v1) must agree on these prompts.
    if auto_processor is not None:
        auto_ids = auto_processor.tokenizer(expanded, add_special_tokens=False)["input_ids"]
        assert auto_ids == input_ids, f"{name}: AutoTokenizer ids differ from tokenizer.json's"

    first_logits, tokens, margins = greedy(model, dict(inputs), NEW_TOKENS)
    with torch.inference_mode():
        generated = model.generate(**inputs, do_sample=False, max_new_tokens=NEW_TOKENS)
    reference = generated[0, len(input_ids):].tolist()
    assert tokens[: len(reference)] == reference, (name, tokens, reference)

    tensors = {
        "input_ids": ("I64", np.array(input_ids, dtype=np.int64)),
        "logits": ("F32", first_logits.numpy().astype(np.float32)),
        "tokens": ("I64", np.array(tokens, dtype=np.int64)),
        "margins": ("F32", np.array(margins, dtype=np.float32)),
        "rows": ("I64", np.array(rows, dtype=np.int64)),
        "cols": ("I64", np.array(cols, dtype=np.int64)),
    }
    if paths:
        with torch.inference_mode():
            features = model.model.get_image_features(inputs["pixel_values"], inputs["pixel_attention_mask"])
        connector = features.pooler_output[0].reshape(frame_count, seq_len, -1).numpy()
        tensors["image_hidden_states"] = ("F32", connector.astype(np.float32))
        tensors["pixel_attention_mask_valid"] = ("I64", mask_summary(inputs["pixel_attention_mask"].numpy()[0]))
        (case_dir / "frames").mkdir(exist_ok=True)
        for k, frame in enumerate(frames):
            save_frame_png(case_dir / "frames" / f"frame_{k:02d}.png", frame)

    stops = [i for i, t in enumerate(tokens) if t in STOP_TOKEN_IDS]
    first_stop = stops[0] if stops else -1
    meta = {
        "model": model_name,
        "case": name,
        "processor_kwargs": kwargs,
        "add_generation_prompt": True,
        "weights_sha256": weights_sha,
        "prompt_tokens": len(input_ids),
        "image_token_id": image_token_id,
        "image_seq_len": seq_len,
        "images": [str(Path(b["path"])) for m in messages for b in m["content"] if b["type"] == "image"],
        "rows": rows,
        "cols": cols,
        "frames": frame_count if paths else 0,
        "pixel_values_shape": list(inputs["pixel_values"].shape) if paths else None,
        "pixel_attention_mask": "all ones" if paths else None,
        "stop_token_ids": STOP_TOKEN_IDS,
        "first_stop_index": first_stop,
        "first_stop_token": tokens[first_stop] if stops else None,
        "first_index_of": {str(t): (tokens.index(t) if t in tokens else -1) for t in STOP_TOKEN_IDS},
        "min_margin": min(margins),
        "completion": tok.decode(tokens[: first_stop + 1] if stops else tokens, skip_special_tokens=False),
        "text": tok.decode(tokens, skip_special_tokens=False),
        "text_skip_special_tokens": tok.decode(tokens, skip_special_tokens=True),
    }
    write_json(case_dir / "messages.json", messages)
    (case_dir / "prompt.txt").write_bytes(prompt.encode("utf-8"))
    (case_dir / "expanded_prompt.txt").write_bytes(expanded.encode("utf-8"))
    write_json(case_dir / "meta.json", meta)
    write_safetensors(case_dir / "golden.safetensors", tensors, {
        "reference": f"transformers {transformers.__version__}, torch {torch.__version__}, {type(model).__name__}, "
                     "float32, eager attention, 1 thread, PIL image backend, greedy over the KV cache",
        "weights_sha256": weights_sha,
    })
    print(f"  {model_name}/{name}: {len(input_ids)} tokens, {meta['frames']} frames, first stop {first_stop}, "
          f"min margin {min(margins):.4f}\n    {meta['text']!r}")
    return {key: meta[key] for key in ("model", "case", "prompt_tokens", "frames", "rows", "cols", "first_stop_index",
                                       "min_margin", "text", "text_skip_special_tokens")} | {"dir": f"{model_name}/{name}"}


# ---------------------------------------------------------------------------------------------------


def check_checkpoint_names(model, model_dir: Path) -> None:
    """The file's tensor names are exactly the model's parameters (no missing, no unexpected)."""
    from safetensors import safe_open

    with safe_open(model_dir / "model.safetensors", "np") as f:
        names = set(f.keys())
    expected = set(model.state_dict())
    assert names == expected, (sorted(expected - names)[:5], sorted(names - expected)[:5])


def check_text_half(model_dir: Path) -> None:
    """SmolVLM-256M-shaped's decoder is the converted SmolLM2-135M-Instruct, row for row."""
    from safetensors import safe_open

    smollm2 = MODELS / "SmolLM2-135M-Instruct" / "model.safetensors"
    if not smollm2.exists():
        print("  (Models/SmolLM2-135M-Instruct missing: text-half cross-check skipped)")
        return
    with safe_open(model_dir / "model.safetensors", "np") as vlm, safe_open(smollm2, "np") as lm:
        for name in lm.keys():
            theirs = lm.get_tensor(name)
            ours = vlm.get_tensor("model.text_model." + name[len("model."):])
            assert np.array_equal(ours[: theirs.shape[0]], theirs), name
        assert np.array_equal(vlm.get_tensor("lm_head.weight")[:49152], lm.get_tensor("model.embed_tokens.weight"))


def write_images(out: Path) -> dict:
    images_dir = out / "images"
    images_dir.mkdir(parents=True, exist_ok=True)
    recipes = {}
    for name, (picture, recipe) in make_images().items():
        picture.save(images_dir / f"{name}.png", compress_level=9)
        recipes[f"images/{name}.png"] = {"mode": picture.mode, "size": list(picture.size), "recipe": recipe}
    return recipes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="regenerate into a temporary folder and compare")
    parser.add_argument("--models", nargs="*", default=[m for m, _ in MODEL_CASES], help="subset of models")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)

    def generate(out: Path) -> None:
        recipes = write_images(out)

        index = {"reference": {"transformers": transformers.__version__, "torch": torch.__version__,
                               "pillow": PIL.__version__, "numpy": np.__version__},
                 "images": recipes, "models": {}, "cases": []}
        if (FIXTURES / "cases.json").exists():
            # A subset of the models keeps the committed entries of the others (so --check compares whole files).
            previous = json.loads((FIXTURES / "cases.json").read_text())
            index["models"] = {m: v for m, v in previous["models"].items() if m not in args.models}
            index["cases"] = [c for c in previous["cases"] if c["model"] not in args.models]
        for model_name, cases in MODEL_CASES:
            if model_name not in args.models:
                continue
            model_dir = MODELS / model_name
            if not (model_dir / "model.safetensors").exists():
                raise SystemExit(f"{model_dir} is missing; run Scripts/make_tiny_smolvlm.py / Scripts/assemble_smolvlm_256m.py")
            print(model_name)
            weights_sha = sha256(model_dir / "model.safetensors")
            model = AutoModelForImageTextToText.from_pretrained(str(model_dir), dtype=torch.float32,
                                                                attn_implementation="eager").eval()
            check_checkpoint_names(model, model_dir)
            if model_name == "SmolVLM-256M-shaped":
                check_text_half(model_dir)
            processor = build_processor(model_dir)
            # transformers' own choice of classes for this directory (v1 only: v2's needs torchvision)
            auto = AutoProcessor.from_pretrained(str(model_dir)) if model.config.model_type == "idefics3" else None
            tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            index["models"][model_name] = {"class": type(model).__name__, "model_type": model.config.model_type,
                                           "weights_sha256": weights_sha, "processor": type(processor).__name__,
                                           "image_processor": type(processor.image_processor).__name__}
            for case in cases:
                index["cases"].append(run_case(model_name, model, processor, tok, auto, case, out / "images", out, weights_sha))
        order = {name: k for k, (name, _) in enumerate(MODEL_CASES)}
        index["models"] = dict(sorted(index["models"].items(), key=lambda item: order[item[0]]))
        index["cases"].sort(key=lambda c: order[c["model"]])  # stable: keeps each model's case order
        write_json(out / "cases.json", index)

    if args.check:
        # Byte comparison, except safetensors: integer tensors exactly, float ones within 1e-3.
        return check_generated(FIXTURES, generate, {".safetensors": tensors_within(1e-3, report=True)})
    for model_name in args.models:
        for old in (FIXTURES / model_name).glob("*"):
            if not old.name.startswith("video_"):  # the video cases belong to make_video_goldens.py
                shutil.rmtree(old)
    shutil.rmtree(FIXTURES / "images", ignore_errors=True)
    generate(FIXTURES)
    check_sizes(FIXTURES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
