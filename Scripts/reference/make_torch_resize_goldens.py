#!/usr/bin/env python3
"""torch uint8 antialiased resize goldens for SmolVision's TorchAntialiasResampler.

The oracle is `torch.nn.functional.interpolate(uint8 [1, 3, H, W], size, mode, antialias=True,
align_corners=False)` on the CPU: what torchvision's `resize` runs for uint8 LANCZOS / BICUBIC (and
BILINEAR on AVX2/ARM) and hence what transformers' torchvision-backed SmolVLM video processor uses.
When torchvision is installed the script also asserts that `torchvision.transforms.v2.functional.resize`
gives the same bytes.

Inputs are not stored: they come from integer formulas (`pattern_rgb` below) that the Swift test
repeats, so large sources (1280x720) cost nothing. Each file records the FNV-1a 64 hash of its input
bytes so the Swift side can check it built the same image.

Writes Tests/SmolVisionTests/Fixtures/torch_resize/:

  <case>.safetensors   U8 tensors output_1 .. output_n [H, W, 3]: the resize chain's outputs, each
                       step resizing the previous output (step 1 resizes the pattern). Metadata: mode,
                       pattern, sizes ("WxH WxH ..."), input_fnv1a64, and for LANCZOS
                       pillow_max_abs_diff (Pillow's LANCZOS on the same input, step 1; informational)
  cases.json           index of the cases

Usage (from the repository root):
    Scripts/reference/.venv/bin/python Scripts/reference/make_torch_resize_goldens.py
    Scripts/reference/.venv/bin/python Scripts/reference/make_torch_resize_goldens.py --check   # compare only
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from safetensors.numpy import save_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_io import REPO_ROOT, command_line, tensors_within, write_sorted_json  # noqa: E402

OUT = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "torch_resize"

# name, mode, pattern, sizes [(w, h), ...]: the source, then each step's target.
CASES = [
    ("lanczos_noise_down_200x150_to_61x45", "lanczos", "noise", [(200, 150), (61, 45)]),
    ("lanczos_mixed_down_1280x720_to_64x36", "lanczos", "mixed", [(1280, 720), (64, 36)]),
    ("lanczos_gradient_up_37x23_to_64x41", "lanczos", "gradient", [(37, 23), (64, 41)]),
    ("lanczos_noise_up_3x5_to_96x160", "lanczos", "noise", [(3, 5), (96, 160)]),
    ("lanczos_noise_width_only_40x30_to_97x30", "lanczos", "noise", [(40, 30), (97, 30)]),
    ("lanczos_noise_height_only_40x30_to_40x7", "lanczos", "noise", [(40, 30), (40, 7)]),
    ("lanczos_mixed_square_131x128_to_64x64", "lanczos", "mixed", [(131, 128), (64, 64)]),
    ("lanczos_mixed_up_1x1_to_5x3", "lanczos", "mixed", [(1, 1), (5, 3)]),
    ("lanczos_noise_odd_301x7_to_37x1", "lanczos", "noise", [(301, 7), (37, 1)]),
    ("lanczos_noise_odd_1x50_to_3x19", "lanczos", "noise", [(1, 50), (3, 19)]),
    # 1280 -> 1: weights so small that the precision stops at its 22-bit cap
    ("lanczos_noise_down_1280x4_to_1x2", "lanczos", "noise", [(1280, 4), (1, 2)]),
    # the video processor's two steps (longest edge, then the square), at a small scale
    ("lanczos_mixed_video_320x180_to_128x72_to_128x128", "lanczos", "mixed", [(320, 180), (128, 72), (128, 128)]),
    ("bicubic_noise_down_200x150_to_61x45", "bicubic", "noise", [(200, 150), (61, 45)]),
    ("bicubic_gradient_up_37x23_to_64x41", "bicubic", "gradient", [(37, 23), (64, 41)]),
    ("bilinear_noise_down_200x150_to_61x45", "bilinear", "noise", [(200, 150), (61, 45)]),
    ("bilinear_mixed_up_37x23_to_64x41", "bilinear", "mixed", [(37, 23), (64, 41)]),
]


def pattern_rgb(pattern: str, width: int, height: int) -> np.ndarray:
    """A uint8 [H, W, 3] image from integer arithmetic only (the Swift test computes the same):

    gradient: ((x·(c+1)·255) // max(W−1, 1) + (y·(3−c)·255) // max(H−1, 1)) // 4
    noise:    the top byte of a 32-bit hash of (x, y, c) (multiplies wrap mod 2^32)
    mixed:    gradient where x < W // 2, noise elsewhere (noise drives the clamp to 0..255)
    """
    y, x, c = np.meshgrid(np.arange(height, dtype=np.uint32), np.arange(width, dtype=np.uint32),
                          np.arange(3, dtype=np.uint32), indexing="ij")
    xi, yi, ci = x.astype(np.int64), y.astype(np.int64), c.astype(np.int64)
    gradient = ((xi * (ci + 1) * 255) // max(width - 1, 1) + (yi * (3 - ci) * 255) // max(height - 1, 1)) // 4
    with np.errstate(over="ignore"):
        h = (x * np.uint32(0x9E3779B1)) ^ (y * np.uint32(0x85EBCA77)) ^ (c * np.uint32(0xC2B2AE3D))
        h ^= h >> np.uint32(15)
        h *= np.uint32(0x2C1B3C6D)
        h ^= h >> np.uint32(12)
        h *= np.uint32(0x297A2D39)
        h ^= h >> np.uint32(15)
    noise = (h >> np.uint32(24)).astype(np.int64)
    if pattern == "gradient":
        out = gradient
    elif pattern == "noise":
        out = noise
    elif pattern == "mixed":
        out = np.where(xi < width // 2, gradient, noise)
    else:
        raise ValueError(pattern)
    assert out.min() >= 0 and out.max() <= 255
    return np.ascontiguousarray(out.astype(np.uint8))


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def torch_resize(pixels: np.ndarray, size: tuple[int, int], mode: str) -> np.ndarray:
    """interpolate on [1, 3, H, W] uint8; `size` is (w, h)."""
    tensor = torch.from_numpy(pixels).permute(2, 0, 1).contiguous()[None]
    out = F.interpolate(tensor, size=(size[1], size[0]), mode=mode, antialias=True, align_corners=False)
    assert out.dtype == torch.uint8
    try:
        import torchvision.transforms.v2.functional as tvF
        from torchvision.transforms import InterpolationMode
    except ImportError:
        pass
    else:
        via_torchvision = tvF.resize(tensor[0], [size[1], size[0]], interpolation=InterpolationMode(mode),
                                     antialias=True)
        assert torch.equal(via_torchvision, out[0]), "torchvision's resize differs from interpolate"
    return np.ascontiguousarray(out[0].permute(1, 2, 0).numpy())


def generate(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    index = []
    for name, mode, pattern, sizes in CASES:
        source = pattern_rgb(pattern, *sizes[0])
        metadata = {"mode": mode, "pattern": pattern, "sizes": " ".join(f"{w}x{h}" for w, h in sizes),
                    "input_fnv1a64": fnv1a64(source.tobytes())}
        tensors, current = {}, source
        for step, size in enumerate(sizes[1:], start=1):
            current = torch_resize(current, size, mode)
            tensors[f"output_{step}"] = current
        entry = {"name": name, "mode": mode, "pattern": pattern, "sizes": [list(s) for s in sizes]}
        if mode == "lanczos":
            pillow = np.asarray(Image.fromarray(source).resize(sizes[1], Image.Resampling.LANCZOS))
            diff = int(np.abs(pillow.astype(np.int16) - tensors["output_1"].astype(np.int16)).max())
            metadata["pillow_max_abs_diff"] = str(diff)
            entry["pillow_max_abs_diff"] = diff
        save_file(tensors, str(out / f"{name}.safetensors"), metadata=metadata)
        index.append(entry)
    # Some case must tell torch's kernel from Pillow's, or the tests could not catch a Pillow-exact port.
    assert any(entry.get("pillow_max_abs_diff", 0) > 0 for entry in index)
    write_sorted_json(out / "cases.json", {"torch": torch.__version__.split("+")[0], "cases": index})


def main() -> None:
    command_line(__doc__, OUT, generate, {".safetensors": tensors_within()})


if __name__ == "__main__":
    main()
