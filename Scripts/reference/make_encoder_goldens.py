#!/usr/bin/env python3
"""Vision-encoder goldens for SmolVision: transformers' SmolVLM SigLIP tower, float32, eager attention.

The oracle is `SmolVLMModel.get_image_features(pixel_values, pixel_attention_mask)` of transformers 5.24
(models/smolvlm/modeling_smolvlm.py): it drops all-zero padding frames, turns the pixel mask into a patch
mask (a patch is valid if any of its pixels is), runs SmolVLMVisionTransformer (bucketized position ids,
key-masked bidirectional attention, post-LayerNorm) and then the connector. The goldens record the
tower's `last_hidden_state`; the connector has its own goldens (make_connector_goldens.py). Weights come
from Scripts/make_random_vision_weights.py, loaded under their checkpoint names.

Writes Tests/SmolVisionTests/Fixtures/encoder/:

  tiny/config.json, tiny/model.safetensors    a 2-layer tower (hidden 32, 4 heads, MLP 64, 32 px images,
                                              8 px patches -> 4x4 patches), scale factor 2
  tiny/golden.safetensors                     inputs, every intermediate the port needs, outputs (below)
  siglip_b16_512/meta.json                    weights SHA-256, cases, shapes, input recipe
  siglip_b16_512/single_frame.png             one 512x512 tile (8-bit RGB)
  siglip_b16_512/single_output.safetensors    last_hidden_state F32 [1, 1024, 768]
  siglip_b16_512/batch_frame_0.png            the batch's full tile (8-bit RGB, 512x512)
  siglip_b16_512/batch_frame_1.png            the valid top-left region of the partial frame
  siglip_b16_512/batch_output.safetensors     last_hidden_state F32 [2, 1024, 768] + patch mask, position ids

The SigLIP-B/16-512 goldens need Models/siglip-b16-512-random/ (run Scripts/make_random_vision_weights.py
first; this script checks the SHA-256 it records).

Usage (from the repository root):
    python3 Scripts/make_random_vision_weights.py
    Scripts/reference/.venv/bin/python Scripts/reference/make_encoder_goldens.py
    Scripts/reference/.venv/bin/python Scripts/reference/make_encoder_goldens.py --check   # compare only
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
import transformers
from safetensors.numpy import load_file, save_file
from transformers import SmolVLMConfig
from transformers.models.smolvlm.modeling_smolvlm import SmolVLMForConditionalGeneration, SmolVLMModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_io import MODELS, REPO_ROOT, check_generated, regenerate, same_pixels, save_png, tensors_within, write_sorted_json  # noqa: E402
import make_random_vision_weights as weights_script  # noqa: E402 (Scripts/, on the path through golden_io)

OUT = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "encoder"
DEFAULT_WEIGHTS = MODELS / "siglip-b16-512-random"
PREFIX = weights_script.PREFIX

# A text model is needed only because get_image_features lives on SmolVLMModel; it is never run.
TINY_TEXT = {"model_type": "llama", "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
             "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 64}


# ---------------------------------------------------------------------------------------------------
# Model construction and capture of intermediates
# ---------------------------------------------------------------------------------------------------


def build_model(model_dir: Path) -> SmolVLMModel:
    """SmolVLMModel with the vision config of `model_dir`/config.json and its vision weights, eager
    attention, float32."""
    config_json = json.loads((model_dir / "config.json").read_text())
    config = SmolVLMConfig(vision_config=config_json["vision_config"], text_config=TINY_TEXT,
                           scale_factor=config_json["scale_factor"])
    config._attn_implementation = "eager"
    config.vision_config._attn_implementation = "eager"
    model = SmolVLMModel(config).eval()
    assert model.vision_model.config._attn_implementation == "eager"

    tensors = load_file(str(model_dir / "model.safetensors"))
    assert all(name.startswith(PREFIX) for name in tensors), "only vision-tower tensors expected"
    state = {name[len(PREFIX):]: torch.from_numpy(array) for name, array in tensors.items()}
    # strict: every tower parameter comes from the file and the file has nothing else
    model.vision_model.load_state_dict(state, strict=True)
    return model


def check_checkpoint_names(vision: dict) -> None:
    """The file's names must be what SmolVLMForConditionalGeneration (the class SmolVLM2 checkpoints are
    saved from) calls its vision-tower parameters."""
    config = SmolVLMConfig(vision_config=vision, text_config=TINY_TEXT)
    with torch.device("meta"):
        full = SmolVLMForConditionalGeneration(config)
    expected = {k for k in full.state_dict() if k.startswith(PREFIX)}
    written = set(weights_script.tensor_shapes(vision))
    assert expected == written, (sorted(expected - written), sorted(written - expected))


class Capture:
    """Forward hooks that record what get_image_features hands the tower (patch mask), the position ids
    the embeddings look up, the embeddings output and the output of encoder layer 0."""

    def __init__(self, model: SmolVLMModel):
        self.values: dict[str, torch.Tensor] = {}
        tower = model.vision_model
        self.handles = [
            tower.register_forward_pre_hook(self._tower_inputs, with_kwargs=True),
            tower.embeddings.position_embedding.register_forward_hook(
                lambda m, args, out: self.values.__setitem__("position_ids", args[0].detach().clone())),
            tower.embeddings.register_forward_hook(
                lambda m, args, out: self.values.__setitem__("embeddings", out.detach().clone())),
            tower.encoder.layers[0].register_forward_hook(
                lambda m, args, out: self.values.__setitem__("layer0", out.detach().clone())),
        ]

    def _tower_inputs(self, module, args, kwargs):
        self.values["tower_pixel_values"] = kwargs["pixel_values"].detach().clone()
        self.values["patch_attention_mask"] = kwargs["patch_attention_mask"].detach().clone()

    def close(self) -> None:
        for handle in self.handles:
            handle.remove()


def run(model: SmolVLMModel, pixel_values: torch.Tensor, pixel_attention_mask: torch.Tensor | None) -> dict:
    capture = Capture(model)
    with torch.no_grad():
        out = model.get_image_features(pixel_values=pixel_values, pixel_attention_mask=pixel_attention_mask)
    capture.close()
    values = dict(capture.values)
    values["last_hidden_state"] = out.last_hidden_state.detach().clone()
    # Which flattened frames survived: match the tower's input frames against the flattened input.
    flat = pixel_values.reshape(-1, *pixel_values.shape[2:])
    kept = [next(i for i in range(flat.shape[0]) if torch.equal(flat[i], frame)) for frame in values["tower_pixel_values"]]
    values["real_frame_indices"] = torch.tensor(kept, dtype=torch.int64)
    return values


def bucket_position_ids(patch_mask: np.ndarray, patches_per_side: int) -> np.ndarray:
    """Independent integer form of the bucketized ids: valid patch (i, j) of a frame with nb_h x nb_w
    valid patches gets min(N-1, i*N // nb_h) * N + min(N-1, j*N // nb_w); invalid patches get 0."""
    n = patches_per_side
    ids = np.zeros((patch_mask.shape[0], patch_mask.shape[1] * patch_mask.shape[2]), dtype=np.int64)
    for f, mask in enumerate(patch_mask):
        nb_h, nb_w = int(mask[:, 0].sum()), int(mask[0, :].sum())
        grid = np.zeros(mask.shape, dtype=np.int64)
        for i in range(mask.shape[0]):
            for j in range(mask.shape[1]):
                grid[i, j] = min(n - 1, i * n // nb_h) * n + min(n - 1, j * n // nb_w)
        ids[f] = np.where(mask, grid, 0).reshape(-1)
    return ids


# ---------------------------------------------------------------------------------------------------
# Tiny tower
# ---------------------------------------------------------------------------------------------------


def make_tiny(out: Path) -> dict:
    vision = weights_script.vision_config(hidden=32, layers=2, heads=4, intermediate=64, image_size=32, patch_size=8)
    check_checkpoint_names(vision)
    model_dir = out / "tiny"
    digest = weights_script.write_model(model_dir, vision, scale_factor=2)
    model = build_model(model_dir)

    # pixel_values [B=2, N=2, 3, 32, 32]: prompt 0 = [full frame, partial frame], prompt 1 = [full frame,
    # padding frame]. Values are arbitrary floats in [-1, 1); the masked-off region of the partial frame
    # is NOT zero on purpose: those patches still go through the tower (only masked as attention keys)
    # and their outputs are part of last_hidden_state.
    gen = torch.Generator().manual_seed(4242)
    pixel_values = torch.rand(2, 2, 3, 32, 32, generator=gen) * 2 - 1
    pixel_values[1, 1] = 0.0
    mask = torch.ones(2, 2, 32, 32, dtype=torch.int64)
    mask[0, 1, 20:, :] = 0   # 20 valid rows -> patch rows 0, 1 and 2 (rows 16..19 are enough)
    mask[0, 1, :, 12:] = 0   # 12 valid columns -> patch columns 0 and 1
    mask[1, 1] = 0
    values = run(model, pixel_values, mask)

    patch_mask = values["patch_attention_mask"].numpy()
    assert values["real_frame_indices"].tolist() == [0, 1, 2]
    assert np.array_equal(values["position_ids"].numpy(), bucket_position_ids(patch_mask, 4))
    assert values["position_ids"][1].tolist() == [0, 2, 0, 0, 4, 6, 0, 0, 8, 10, 0, 0, 0, 0, 0, 0]

    # Same tower, one full frame and no pixel_attention_mask at all (the mask defaults to all ones).
    single = run(model, pixel_values[:1, :1].clone(), None)
    assert torch.allclose(single["last_hidden_state"][0], values["last_hidden_state"][0], atol=1e-6)

    tensors = {
        "pixel_values": pixel_values.numpy(),
        "pixel_attention_mask": mask.numpy(),
        "real_frame_indices": values["real_frame_indices"].numpy(),
        "patch_attention_mask": patch_mask.astype(np.uint8),
        "position_ids": values["position_ids"].numpy(),
        "embeddings": values["embeddings"].numpy(),
        "layer0": values["layer0"].numpy(),
        "last_hidden_state": values["last_hidden_state"].numpy(),
        "single_last_hidden_state": single["last_hidden_state"].numpy(),
    }
    save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(model_dir / "golden.safetensors"),
              metadata={"weights_sha256": digest})
    return {
        "weights": "tiny/model.safetensors", "config": "tiny/config.json", "weights_sha256": digest,
        "golden": "tiny/golden.safetensors",
        "tensors": {k: {"dtype": str(v.dtype), "shape": list(v.shape)} for k, v in tensors.items()},
    }


# ---------------------------------------------------------------------------------------------------
# SigLIP-B/16 @ 512 with random weights
# ---------------------------------------------------------------------------------------------------


def smooth_tile(width: int, height: int, seed: int) -> np.ndarray:
    """A deterministic 8-bit RGB test image: low-frequency waves, a hard-edged square and a disc, fine
    stripes (patch-scale detail). Smooth enough that its PNG stays small."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64) / 512.0
    phase = rng.uniform(0, 2 * np.pi, 3)
    img = np.stack([128 + 100 * np.sin(2 * np.pi * (1.3 * x + 0.4 * y) + phase[0]),
                    128 + 100 * np.cos(2 * np.pi * (0.5 * x - 1.1 * y) + phase[1]),
                    128 + 90 * np.sin(2 * np.pi * 2.2 * x * y + phase[2])], axis=-1)
    img[int(height * 0.15):int(height * 0.4), int(width * 0.6):int(width * 0.9)] = rng.integers(0, 256, 3)
    disc = (x * 512 - width * 0.3) ** 2 + (y * 512 - height * 0.7) ** 2 <= (min(width, height) * 0.18) ** 2
    img[disc] = rng.integers(0, 256, 3)
    stripes = (np.floor(x * 512 / 3) % 2 == 0) & (y * 512 > height * 0.85)
    img[stripes] *= 0.5
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def to_pixel_values(u8: np.ndarray) -> torch.Tensor:
    """The image processor's arithmetic: float32(float64(u8) * (1/255)), then (x - 0.5) / 0.5 in float32.
    u8 is [H, W, 3]; returns [3, H, W]."""
    rescaled = (u8.astype(np.float64) * 0.00392156862745098).astype(np.float32)
    return torch.from_numpy(((rescaled - np.float32(0.5)) / np.float32(0.5)).transpose(2, 0, 1).copy())


def make_siglip(out: Path, weights_dir: Path) -> dict:
    config_json = json.loads((weights_dir / "config.json").read_text())
    vision = config_json["vision_config"]
    expected_vision = weights_script.vision_config()
    assert vision == expected_vision, "Models/siglip-b16-512-random is not the default SigLIP-B/16-512 shape"
    check_checkpoint_names(vision)
    digest = weights_script.sha256(weights_dir / "model.safetensors")
    model = build_model(weights_dir)
    folder = out / "siglip_b16_512"
    folder.mkdir(parents=True, exist_ok=True)

    # Single full tile, no pixel_attention_mask (as for every real SmolVLM tile).
    tile = smooth_tile(512, 512, seed=1)
    save_png(folder / "single_frame.png", tile)
    single = run(model, to_pixel_values(tile)[None, None], None)
    save_file({"last_hidden_state": np.ascontiguousarray(single["last_hidden_state"].numpy())},
              str(folder / "single_output.safetensors"), metadata={"weights_sha256": digest})

    # Batch: one prompt, three frames = [full tile, partial frame, all-zero padding frame]. The partial
    # frame holds a 300-row x 200-column image at the top left, zeros elsewhere (the processor pads with
    # 0.0); its mask is 1 on that region. 300/16 = 18.75 and 200/16 = 12.5, so the patch mask is 19 x 13
    # (a partly covered patch counts as valid) and the position ids are bucketized onto the 32 x 32 grid.
    valid_h, valid_w = 300, 200
    frame0 = smooth_tile(512, 512, seed=2)
    frame1 = smooth_tile(valid_w, valid_h, seed=3)
    save_png(folder / "batch_frame_0.png", frame0)
    save_png(folder / "batch_frame_1.png", frame1)
    pixel_values = torch.zeros(1, 3, 3, 512, 512)
    pixel_values[0, 0] = to_pixel_values(frame0)
    pixel_values[0, 1, :, :valid_h, :valid_w] = to_pixel_values(frame1)
    mask = torch.zeros(1, 3, 512, 512, dtype=torch.int64)
    mask[0, 0] = 1
    mask[0, 1, :valid_h, :valid_w] = 1
    batch = run(model, pixel_values, mask)
    patch_mask = batch["patch_attention_mask"].numpy()
    assert batch["real_frame_indices"].tolist() == [0, 1]
    assert patch_mask[1].sum() == 19 * 13 and patch_mask[1][:19, :13].all()
    assert np.array_equal(batch["position_ids"].numpy(), bucket_position_ids(patch_mask, 32))
    # The full tile's output must not depend on its batch neighbour (beyond float noise).
    batch_vs_alone = run(model, pixel_values[:, :1].clone(), None)["last_hidden_state"][0]
    assert torch.allclose(batch_vs_alone, batch["last_hidden_state"][0], rtol=1e-5, atol=1e-5)

    save_file({
        "last_hidden_state": np.ascontiguousarray(batch["last_hidden_state"].numpy()),
        "patch_attention_mask": patch_mask.astype(np.uint8),
        "position_ids": batch["position_ids"].numpy(),
        "real_frame_indices": batch["real_frame_indices"].numpy(),
    }, str(folder / "batch_output.safetensors"), metadata={"weights_sha256": digest})

    meta = {
        "weights": "Models/siglip-b16-512-random/model.safetensors (python3 Scripts/make_random_vision_weights.py)",
        "weights_sha256": digest,
        "vision_config": vision,
        "input_recipe": "pixel_values[c, y, x] = float32((float32(float64(u8[y, x, c]) * 0.00392156862745098) "
                        "- 0.5) / 0.5) of the PNG's 8-bit RGB samples (the image processor's arithmetic)",
        "single": {
            "frame": "single_frame.png", "output": "single_output.safetensors",
            "pixel_values_shape": [1, 1, 3, 512, 512], "pixel_attention_mask": None,
            "last_hidden_state_shape": list(single["last_hidden_state"].shape),
        },
        "batch": {
            "pixel_values_shape": [1, 3, 3, 512, 512],
            "frames": [
                {"index": 0, "kind": "full tile", "png": "batch_frame_0.png", "mask": "all ones"},
                {"index": 1, "kind": "partial", "png": "batch_frame_1.png",
                 "placement": f"pixel_values[0, 1, :, :{valid_h}, :{valid_w}] = the PNG; 0.0 elsewhere",
                 "mask": f"1 on rows < {valid_h} and columns < {valid_w}, 0 elsewhere"},
                {"index": 2, "kind": "padding", "png": None, "pixel_values": "all 0.0", "mask": "all zeros",
                 "note": "dropped by get_image_features: every value is 0.0"},
            ],
            "pixel_attention_mask_dtype": "int64",
            "output": "batch_output.safetensors",
            "last_hidden_state_shape": list(batch["last_hidden_state"].shape),
            "patch_grid_of_partial_frame": [19, 13],
        },
    }
    write_sorted_json(folder / "meta.json", meta)
    return {"folder": "siglip_b16_512", "weights_sha256": digest}


# ---------------------------------------------------------------------------------------------------


def generate(out: Path, weights_dir: Path) -> None:
    torch.set_num_threads(1)
    out.mkdir(parents=True, exist_ok=True)
    tiny = make_tiny(out)
    siglip = make_siglip(out, weights_dir)
    write_sorted_json(out / "cases.json", {
        "generator": "Scripts/reference/make_encoder_goldens.py",
        "versions": {"transformers": transformers.__version__, "torch": torch.__version__, "numpy": np.__version__},
        "oracle": "SmolVLMModel.get_image_features (eager attention, float32, 1 thread); tensors recorded "
                  "from the vision tower (SmolVLMVisionTransformer) through forward hooks",
        "tiny": tiny,
        "siglip_b16_512": siglip,
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", type=Path, default=DEFAULT_WEIGHTS, help="output of make_random_vision_weights.py")
    parser.add_argument("--check", action="store_true", help="compare against the committed files, write nothing")
    args = parser.parse_args()
    if not (args.weights / "model.safetensors").exists():
        sys.exit(f"{args.weights} is missing: run python3 Scripts/make_random_vision_weights.py first")
    def generate_with_weights(out: Path) -> None:
        generate(out, args.weights)

    if args.check:
        # Tensors within 1e-6 (max |diff| reported per file), PNGs by pixels, everything else byte for byte.
        sys.exit(check_generated(OUT, generate_with_weights,
                                 {".safetensors": tensors_within(1e-6, report=True), ".png": same_pixels}))
    regenerate(OUT, generate_with_weights)


if __name__ == "__main__":
    main()
