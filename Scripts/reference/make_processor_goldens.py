#!/usr/bin/env python3
"""Image-processor goldens for SmolVision: transformers' SmolVLM image processor, PIL backend.

The oracle is `AutoImageProcessor.from_pretrained(configs/<setting>, backend="pil")`, which in
transformers 5.24 is `SmolVLMImageProcessorPil` (models/smolvlm/image_processing_pil_smolvlm.py; the
Idefics3 PIL class is the same code under another name). The default torchvision backend is NOT the
reference (it resamples with torchvision's own kernels). Every input is passed as a PIL image opened
from the committed PNG, one image per call (plus a few batch calls), with return_row_col_info=True.

Writes Tests/SmolVisionTests/Fixtures/processor/:

  configs/<setting>/preprocessor_config.json   the two settings, as a real checkpoint ships them
  inputs/<name>.png                             the input images (modes RGB, L, LA, RGBA, P, P+tRNS)
  <case>/meta.json                              rows, cols, shapes, mask summary, resize chain, frames
  <case>/frame_<k>.png                          frame k of pixel_values[0] as 8-bit RGB (batch cases:
                                                frame_<b>_<k>.png); padding frames have no file
  cases.json                                    index of all cases
  resize/<name>.safetensors                     bare Pillow LANCZOS resizes (input, output U8 [H, W, 3])
                                                to test the resampler on its own

Frames are stored losslessly: the processor's pixel_values are
    float32((float32(float64(u8) * (1/255)) - 0.5) / 0.5)
of a uint8 RGB frame, so the uint8 frame is recovered with round((p * 0.5 + 0.5) * 255) and the script
asserts that recomputing the formula from it gives pixel_values back bit for bit.

Usage (from the repository root):
    Scripts/reference/.venv/bin/python Scripts/reference/make_processor_goldens.py
    Scripts/reference/.venv/bin/python Scripts/reference/make_processor_goldens.py --check   # compare only
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import PIL
import skimage
import transformers
from PIL import Image
from safetensors.numpy import save_file
from transformers import AutoImageProcessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_io import REPO_ROOT, command_line, same_pixels, save_frame_png, skimage_data, tensors_within, write_sorted_json  # noqa: E402
from smolvlm_checkpoint import preprocessor_config  # noqa: E402 (Scripts/, numpy + gguf only)

OUT = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "processor"
SKIMAGE_DATA = skimage_data()

# The two preprocessor configurations SmolVLM checkpoints use: the 256M/500M models (SigLIP-B/16 at
# 512, scale factor 4) and the 2.2B models (SigLIP so400m/14 at 384, scale factor 3). Keys and values
# as in the released SmolVLM2 preprocessor_config.json files; `video_sampling` is read only by the
# video processor.
SETTINGS = {
    "A512": preprocessor_config(tile=512, longest_edge=2048, v2=True),
    "B384": preprocessor_config(tile=384, longest_edge=1536, v2=True),
}


# ---------------------------------------------------------------------------------------------------
# Inputs. Mostly synthetic and smooth: the processor upscales everything to a 1536/2048 longest edge,
# so a split image is up to 17 frames, and smooth content keeps those frame PNGs small. The sharp
# edges that remain (discs, stripes, text-like bars) are where LANCZOS rings, which is what a
# resampler port gets wrong first.
# ---------------------------------------------------------------------------------------------------


def synthetic_rgb(width: int, height: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = (x + 0.5) / width, (y + 0.5) / height
    img = np.stack([230 * u + 20, 200 * v + 30, 120 + 100 * np.sin(2.5 * np.pi * (u + v))], axis=-1)
    # a few discs with random colours and positions
    for _ in range(3):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(0.1, 0.3) * max(1, min(width, height))
        img[(x - cx) ** 2 + (y - cy) ** 2 <= r * r] = rng.integers(0, 256, 3)
    # "text": short dark bars along one band, 2 px thick where the image is big enough
    if width >= 16 and height >= 16:
        band = (y >= height * 0.1) & (y < height * 0.1 + max(2, height // 40))
        img[band & ((x // max(2, width // 64)) % 3 == 0)] = (10, 10, 10)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def scikit_photo(name: str, box: tuple[int, int, int, int] | None, size: tuple[int, int]) -> Image.Image:
    """A bundled scikit-image sample (CC0 / public domain), cropped to `box` and LANCZOS-resized."""
    im = Image.open(SKIMAGE_DATA / name)
    im.load()
    if box is not None:
        im = im.crop(box)
    return im.resize(size, Image.Resampling.LANCZOS)


UNSPLIT_ONLY = {"photo_400x300"}


def make_inputs() -> dict[str, tuple[Image.Image, str]]:
    """name -> (PIL image, description). Names state width x height."""
    inputs: dict[str, tuple[Image.Image, str]] = {}

    def add(name, image, description):
        inputs[name] = (image, description)

    add("px_1x1", Image.fromarray(np.array([[[200, 30, 90]]], dtype=np.uint8)), "a single RGB pixel")
    add("tiny_3x5", Image.fromarray(synthetic_rgb(3, 5, 1)), "3 wide, 5 tall RGB")
    add("tall_1x2048", Image.fromarray(synthetic_rgb(1, 2048, 2)), "1 wide, 2048 tall RGB")
    add("wide_3000x20", Image.fromarray(synthetic_rgb(3000, 20, 3)), "3000 wide, 20 tall RGB")
    add("square_512x512", Image.fromarray(synthetic_rgb(512, 512, 4)), "512x512 RGB (exactly one tile)")
    add("square_513x512", Image.fromarray(synthetic_rgb(513, 512, 5)), "513 wide, 512 tall RGB")
    add("small_100x80", Image.fromarray(synthetic_rgb(100, 80, 6)), "100x80 RGB (upscaled to 4x4 tiles)")
    add("portrait_300x500", Image.fromarray(synthetic_rgb(300, 500, 7)), "300 wide, 500 tall RGB")
    add("pano_1000x400", Image.fromarray(synthetic_rgb(1000, 400, 8)), "2.5:1 panorama RGB")
    add("odd_777x333", Image.fromarray(synthetic_rgb(777, 333, 9)), "odd sizes RGB")
    add("landscape_1024x768", Image.fromarray(synthetic_rgb(1024, 768, 14)), "4:3 landscape RGB")
    # Photos make large frame PNGs, so this one is only run unsplit (one frame per call).
    photo = Image.open(SKIMAGE_DATA / "chelsea.png").crop((25, 0, 425, 300))
    photo.load()
    add("photo_400x300", photo, "real photo, unsplit cases only: scikit-image chelsea.png (CC0, Stefan "
        "van der Walt), 4:3 crop at native resolution, RGB")
    add("photo_gray_L_200x150", scikit_photo("camera.png", (0, 64, 512, 448), (200, 150)),
        "real photo, mode L: scikit-image camera.png (CC0, Lav Varshney), 4:3 crop, LANCZOS to 200x150")
    rgba = np.dstack([synthetic_rgb(160, 120, 10),
                      np.clip(np.rint(np.linspace(-30, 290, 160)), 0, 255).astype(np.uint8)[None, :].repeat(120, 0)])
    rgba[40:80, 60:100, 3] = 0      # a fully transparent hole
    rgba[90:110, 10:50, 3] = 128    # a half-transparent patch
    add("rgba_160x120", Image.fromarray(rgba, "RGBA"),
        "RGBA: alpha ramps 0->255 left to right, a transparent hole, a 50% patch")
    la = np.dstack([np.asarray(Image.fromarray(synthetic_rgb(90, 60, 11)).convert("L")),
                    np.clip(np.rint(np.linspace(255, -20, 60)), 0, 255).astype(np.uint8)[:, None].repeat(90, 1)])
    add("gray_alpha_LA_90x60", Image.fromarray(la, "LA"), "mode LA: alpha ramps 255->0 top to bottom")
    palette = Image.fromarray(synthetic_rgb(120, 90, 12)).quantize(32, method=Image.Quantize.MEDIANCUT,
                                                                 dither=Image.Dither.NONE)
    add("palette_P_120x90", palette, "mode P, 32-colour palette, no transparency")
    palette_trns = Image.fromarray(synthetic_rgb(64, 48, 13)).quantize(8, method=Image.Quantize.MEDIANCUT,
                                                                     dither=Image.Dither.NONE)
    palette_trns.info["transparency"] = bytes([255, 0, 255, 128, 255, 255, 40, 255])
    add("palette_trns_P_64x48", palette_trns, "mode P with a tRNS table: entry 1 transparent, 3 and 6 partial")
    return inputs


# ---------------------------------------------------------------------------------------------------
# Running the processor
# ---------------------------------------------------------------------------------------------------


def load_processor(config_dir: Path):
    processor = AutoImageProcessor.from_pretrained(str(config_dir), backend="pil")
    assert type(processor).__name__ == "SmolVLMImageProcessorPil", type(processor)
    return processor


class ResizeLog:
    """Wraps the processor's resize() to record every (input HxW -> output HxW) it performs, in order:
    the longest-edge resize, the resize to multiples of the tile size, then the global-image resize
    (split), or the longest-edge resize then the squash to tile x tile (no split)."""

    def __init__(self, processor):
        self.calls: list[dict] = []
        original = processor.resize

        def logged(image, size, *args, **kwargs):
            result = original(image, size, *args, **kwargs)
            resample = kwargs.get("resample")
            self.calls.append({"from_hw": list(image.shape[-2:]), "to_hw": list(result.shape[-2:]),
                               "resample": None if resample is None else int(resample)})
            return result

        processor.resize = logged


def to_uint8_frames(pixel_values: np.ndarray) -> np.ndarray:
    """Invert (u8/255 - 0.5)/0.5 and prove it is exact by recomputing transformers' own arithmetic."""
    u8 = np.rint((pixel_values.astype(np.float64) * 0.5 + 0.5) * 255).clip(0, 255).astype(np.uint8)
    rescaled = (u8.astype(np.float64) * 0.00392156862745098).astype(np.float32)
    half = np.float32(0.5)
    again = (rescaled - half) / half
    assert again.dtype == np.float32 and np.array_equal(again.view(np.uint32), pixel_values.view(np.uint32)), \
        "pixel_values are not (u8/255 - 0.5)/0.5 of any uint8 frame"
    return u8


def frame_kinds(rows: list[int], cols: list[int]) -> list[str]:
    """What each frame of one prompt is: per image, its tiles row-major then the global image, or one
    squashed "image" frame when the image was not split (rows = cols = 0)."""
    kinds = []
    for index, (r_count, c_count) in enumerate(zip(rows, cols)):
        prefix = f"image{index}_" if len(rows) > 1 else ""
        if r_count == 0 and c_count == 0:
            kinds.append(prefix + "image")
        else:
            kinds += [f"{prefix}tile_r{r}_c{c}" for r in range(r_count) for c in range(c_count)] + [prefix + "global"]
    return kinds


def run_case(processor, images: list[list[Image.Image]], split: bool, case_dir: Path) -> dict:
    log = ResizeLog(processor)
    out = processor(images=images, do_image_splitting=split, return_row_col_info=True)
    del processor.resize  # drop the logging wrapper (an instance attribute shadowing the method)
    pixel_values = np.asarray(out["pixel_values"])
    mask = np.asarray(out["pixel_attention_mask"])
    assert pixel_values.dtype == np.float32 and mask.dtype == np.int64
    batch, frames = pixel_values.shape[:2]
    case_dir.mkdir(parents=True, exist_ok=True)
    frame_entries = []
    for b in range(batch):
        kinds = frame_kinds(out["rows"][b], out["cols"][b])
        entries = []
        for k in range(frames):
            values = pixel_values[b, k]
            ones = int(mask[b, k].sum())
            if not values.any():
                # A padding frame: every value 0.0 (not representable as a uint8 frame), mask all 0.
                assert ones == 0
                entries.append({"kind": "padding", "file": None, "mask_ones": 0})
                continue
            assert ones == mask[b, k].size, "a real frame is never spatially padded by this processor"
            name = f"frame_{k}.png" if batch == 1 else f"frame_{b}_{k}.png"
            save_frame_png(case_dir / name, to_uint8_frames(values))
            entries.append({"kind": kinds[k], "file": name, "mask_ones": ones})
        assert len(kinds) == sum(e["kind"] != "padding" for e in entries)
        frame_entries.append(entries)
    return {
        "rows": out["rows"],
        "cols": out["cols"],
        "pixel_values_shape": list(pixel_values.shape),
        "pixel_values_dtype": "float32",
        "pixel_attention_mask": {
            "shape": list(mask.shape), "dtype": "int64",
            "all_ones": bool(mask.all()),
            "ones_per_frame": [[e["mask_ones"] for e in entries] for entries in frame_entries],
        },
        "frames": frame_entries,
        "resize_calls": log.calls,
    }


# ---------------------------------------------------------------------------------------------------
# Bare LANCZOS resizes (Pillow's Image.resize, which the processor calls on uint8 RGB arrays)
# ---------------------------------------------------------------------------------------------------

RESIZE_CASES = [
    # name, source (w, h), target (w, h)
    ("up_37x23_to_64x41", (37, 23), (64, 41)),
    ("down_200x150_to_61x45", (200, 150), (61, 45)),
    ("up_1x1_to_5x3", (1, 1), (5, 3)),
    ("only_width_40x30_to_97x30", (40, 30), (97, 30)),
    ("only_height_40x30_to_40x7", (40, 30), (40, 7)),
    ("up_3x5_to_96x160", (3, 5), (96, 160)),
    ("down_131x128_to_64x48", (131, 128), (64, 48)),
    ("down_odd_ratio_301x7_to_37x2", (301, 7), (37, 2)),
]


def make_resize_goldens(out: Path) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for index, (name, source, target) in enumerate(RESIZE_CASES):
        rng = np.random.default_rng(100 + index)
        # half smooth, half noise: noise (values 0 and 255 next to each other) drives the clamp to 0..255
        smooth = synthetic_rgb(*source, seed=200 + index)
        noise = rng.integers(0, 256, smooth.shape, dtype=np.uint8)
        source_pixels = np.where((np.arange(source[0]) < source[0] // 2)[None, :, None], smooth, noise)
        result = np.asarray(Image.fromarray(source_pixels).resize(target, Image.Resampling.LANCZOS))
        save_file({"input": np.ascontiguousarray(source_pixels), "output": np.ascontiguousarray(result)},
                  str(out / f"{name}.safetensors"), metadata={"filter": "LANCZOS"})
        entries.append({"name": name, "file": f"resize/{name}.safetensors", "from_wh": list(source),
                        "to_wh": list(target)})
    return entries


# ---------------------------------------------------------------------------------------------------


def generate(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    processors = {}
    for setting, config in SETTINGS.items():
        config_dir = out / "configs" / setting
        config_dir.mkdir(parents=True, exist_ok=True)
        write_sorted_json(config_dir / "preprocessor_config.json", config)
        processors[setting] = load_processor(config_dir)

    (out / "inputs").mkdir(exist_ok=True)
    inputs = {}
    descriptions = {}
    for name, (image, description) in make_inputs().items():
        path = out / "inputs" / f"{name}.png"
        save_options = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
        image.save(path, compress_level=9, **save_options)
        # The processor sees exactly what a reader of the committed file gets.
        reread = Image.open(path)
        reread.load()
        assert reread.mode == image.mode and reread.size == image.size
        inputs[name] = reread
        descriptions[name] = description

    def input_info(name: str) -> dict:
        im = inputs[name]
        return {"file": f"inputs/{name}.png", "mode": im.mode, "width": im.size[0], "height": im.size[1],
                "has_transparency": "A" in im.getbands() or im.info.get("transparency") is not None,
                "description": descriptions[name]}

    cases = []
    for setting in SETTINGS:
        for split in (True, False):
            for name in inputs:
                if split and name in UNSPLIT_ONLY:
                    continue
                case = f"{setting}_{'split' if split else 'nosplit'}_{name}"
                meta = {"case": case, "setting": setting,
                        "config": f"configs/{setting}/preprocessor_config.json",
                        "do_image_splitting": split, "call": "processor(images=[[image]])",
                        "inputs": [[input_info(name)]]}
                meta.update(run_case(processors[setting], [[inputs[name]]], split, out / case))
                write_sorted_json(out / case / "meta.json", meta)
                cases.append(summary(meta))

    # Batches. Two prompts with one image each: frame counts differ, so the shorter one is padded with
    # all-zero frames whose pixel_attention_mask is all zeros. One prompt with two images: frames of both
    # images concatenated in order, rows/cols per image.
    batches = [
        ("A512", True, [["px_1x1"], ["wide_3000x20"]]),
        ("B384", True, [["px_1x1"], ["wide_3000x20"]]),
        ("A512", False, [["portrait_300x500"], ["rgba_160x120"]]),
        ("A512", True, [["tall_1x2048", "wide_3000x20"]]),
    ]
    for setting, split, names in batches:
        shape = "x".join(str(len(prompt)) for prompt in names)
        case = f"{setting}_{'split' if split else 'nosplit'}_batch_{shape}_" + "_".join(n for p in names for n in p)
        case = case.replace("px_1x1", "px").replace("wide_3000x20", "wide").replace(
            "portrait_300x500", "portrait").replace("rgba_160x120", "rgba").replace("tall_1x2048", "tall")
        meta = {"case": case, "setting": setting, "config": f"configs/{setting}/preprocessor_config.json",
                "do_image_splitting": split, "call": "processor(images=" + json.dumps(names) + ")",
                "inputs": [[input_info(n) for n in prompt] for prompt in names]}
        meta.update(run_case(processors[setting], [[inputs[n] for n in prompt] for prompt in names], split,
                             out / case))
        write_sorted_json(out / case / "meta.json", meta)
        cases.append(summary(meta))

    resize_entries = make_resize_goldens(out / "resize")
    behaviour = mode_behaviour(processors["A512"], inputs)
    write_sorted_json(out / "cases.json", {
        "generator": "Scripts/reference/make_processor_goldens.py",
        "versions": {"transformers": transformers.__version__, "pillow": PIL.__version__,
                     "numpy": np.__version__, "scikit_image": skimage.__version__},
        "oracle": "AutoImageProcessor.from_pretrained(configs/<setting>, backend='pil') -> "
                  "SmolVLMImageProcessorPil; images passed as PIL images opened from inputs/*.png",
        "frame_encoding": "frame PNG = uint8 RGB u with pixel_values[b, k] = float32((float32(float64(u) * "
                          "0.00392156862745098) - 0.5) / 0.5), channels-first; bit-exact (asserted)",
        "mode_behaviour": {
            "summary": "transformers 5.24's PIL backend converts every PIL input to RGB FIRST "
                       "(PilBackend.process_image -> image_transforms.convert_to_rgb: images with an A band "
                       "or a tRNS 'transparency' are converted to RGBA and alpha_composite'd over opaque "
                       "white; others .convert('RGB')), then resizes the uint8 RGB array with LANCZOS. So "
                       "grey and palette images are LANCZOS-resized (no NEAREST), and alpha is composited "
                       "at the input resolution, before any resize (no premultiplied resize).",
            "setting": "A512, do_image_splitting=False",
            "checks": behaviour,
        },
        "cases": cases,
        "resize": resize_entries,
    })


def mode_behaviour(processor, inputs: dict[str, Image.Image]) -> dict:
    """Which pipeline the PIL backend really runs for non-RGB modes, by comparing its unsplit frame with
    candidate pipelines built from bare Pillow calls (max |difference| in uint8 steps; 0 = identical).

    Candidates: "convert_then_lanczos" = convert to RGB first (alpha composited over white), then both
    LANCZOS resizes in RGB; "resize_in_mode" = both resizes in the image's own mode (Pillow forces
    NEAREST for P; RGBA/LA are resized premultiplied), converted/composited afterwards, as older
    transformers versions did; "nearest" = NEAREST resizes of the RGB-converted image."""
    from transformers.image_transforms import convert_to_rgb

    report = {}
    for name in ("photo_gray_L_200x150", "rgba_160x120", "gray_alpha_LA_90x60", "palette_P_120x90",
                 "palette_trns_P_64x48"):
        image = inputs[name]
        log = ResizeLog(processor)
        out = processor(images=[[image]], do_image_splitting=False)
        del processor.resize
        frame = to_uint8_frames(np.asarray(out["pixel_values"])[0, 0]).transpose(1, 2, 0).astype(int)
        sizes = [(c["to_hw"][1], c["to_hw"][0]) for c in log.calls]  # PIL wants (w, h)

        def chain(im: Image.Image, resample) -> Image.Image:
            for size in sizes:
                im = im.resize(size, resample)
            return im

        rgb = Image.fromarray(convert_to_rgb(image, return_numpy=True))
        candidates = {
            "convert_then_lanczos": chain(rgb, Image.Resampling.LANCZOS),
            "resize_in_mode": Image.fromarray(convert_to_rgb(chain(image, Image.Resampling.LANCZOS), return_numpy=True)),
            "nearest": chain(rgb, Image.Resampling.NEAREST),
        }
        diffs = {k: int(np.abs(np.asarray(v).astype(int) - frame).max()) for k, v in candidates.items()}
        assert diffs["convert_then_lanczos"] == 0, (name, diffs)
        report[name] = {"mode": image.mode, "max_abs_diff_u8": diffs}
    return report


def summary(meta: dict) -> dict:
    return {"case": meta["case"], "setting": meta["setting"], "do_image_splitting": meta["do_image_splitting"],
            "inputs": [[i["file"] for i in prompt] for prompt in meta["inputs"]],
            "rows": meta["rows"], "cols": meta["cols"], "pixel_values_shape": meta["pixel_values_shape"]}


def main() -> None:
    # --check: PNG frames by mode and pixels, safetensors by tensors, everything else byte for byte.
    command_line(__doc__, OUT, generate, {".png": same_pixels, ".safetensors": tensors_within()})


if __name__ == "__main__":
    main()
