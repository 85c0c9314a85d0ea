"""Shared plumbing of the golden-fixture scripts in Scripts/reference/: repository paths, the
deterministic JSON / JSONL / safetensors writers, 8-bit PNG frames, and `--check` (regenerate into a
temporary folder and compare with the committed fixtures).

Reference-environment only (numpy, Pillow, safetensors). The scripts CI runs live in Scripts/ and must
not import this module (they depend on numpy + gguf alone); importing it puts Scripts/ on sys.path, so
the reference scripts can import those.
"""

from __future__ import annotations

import argparse
import json
import shutil
import struct
import sys
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SCRIPTS = REPO_ROOT / "Scripts"
MODELS = REPO_ROOT / "Models"
MAX_FIXTURE_BYTES = 8 * 1024 * 1024

for _folder in (HERE, SCRIPTS):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))


def skimage_data() -> Path:
    """scikit-image's bundled sample images (CC0 / public domain)."""
    import skimage

    return Path(skimage.__file__).resolve().parent / "data"


# ---------------------------------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------------------------------

_LINE_SEPARATORS = ("\u0085", "\u2028", "\u2029")


def _escape_line_separators(text: str) -> str:
    # json.dumps already escapes \n and \r; these are the other characters some line splitter treats
    # as a line break, so the files split on "\n" unambiguously.
    for ch in _LINE_SEPARATORS:
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def json_line(value) -> str:
    """Compact JSON, non-ASCII kept raw, line separators escaped."""
    return _escape_line_separators(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def write_jsonl(path: Path, values) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for value in values:
            out.write(json_line(value) + "\n")


def write_json(path: Path, value, sort_keys: bool = False) -> None:
    """JSON with indent 1, non-ASCII kept raw, line separators escaped, a final newline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=sort_keys)
    path.write_text(_escape_line_separators(text) + "\n", encoding="utf-8")


def write_sorted_json(path: Path, value) -> None:
    write_json(path, value, sort_keys=True)


# Reference safetensors dtype rank (Rust Dtype enum order); the reference writer sorts by it descending.
_DTYPE_RANK = {"BOOL": 0, "U8": 1, "I8": 2, "F16": 9, "BF16": 10, "I32": 11, "U32": 12, "F32": 13, "F64": 15, "I64": 16}
_NUMPY_DTYPE = {"I64": "<i8", "F32": "<f4", "U8": "|u1"}


def write_safetensors(path: Path, tensors: dict[str, tuple[str, np.ndarray]], metadata: dict[str, str]) -> None:
    """safetensors with the reference layout, except that __metadata__ keys are sorted.

    The Rust writer emits metadata keys in HashMap (random) order, which would make every regeneration
    differ byte-wise; sorting them keeps the files reproducible and is still a valid safetensors file.
    """
    order = sorted(tensors, key=lambda name: (-_DTYPE_RANK[tensors[name][0]], name.encode("utf-8")))
    header: dict[str, object] = {"__metadata__": {key: metadata[key] for key in sorted(metadata)}}
    blobs, offset = [], 0
    for name in order:
        dtype, array = tensors[name]
        blob = np.ascontiguousarray(array, dtype=_NUMPY_DTYPE[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header_bytes = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(header_bytes)) + header_bytes + b"".join(blobs))


def save_png(path: Path, pixels: np.ndarray, mode: str | None = None) -> None:
    """A uint8 [H, W] or [H, W, C] array as a PNG, at the highest zlib level."""
    Image.fromarray(pixels, mode).save(path, compress_level=9)


def save_frame_png(path: Path, frame_chw: np.ndarray) -> None:
    """A uint8 [3, H, W] frame (channels first, as pixel_values) as an 8-bit RGB PNG."""
    save_png(path, frame_chw.transpose(1, 2, 0), "RGB")


# ---------------------------------------------------------------------------------------------------
# the greedy reference loop
# ---------------------------------------------------------------------------------------------------


def greedy(model, inputs: dict, new_tokens: int):
    """Prefill `inputs`, then `new_tokens` argmax steps through the KV cache; EOS does not stop the loop.
    Returns (the prefill's last logits, the tokens, each step's top-1 minus top-2 logit margin)."""
    import torch

    tokens, margins = [], []
    with torch.inference_mode():
        output = model(**inputs, use_cache=True)
        first_logits = output.logits[0, -1].clone()
        logits, cache = first_logits, output.cache
        for _ in range(new_tokens):
            top2 = torch.topk(logits, 2).values
            next_id = int(torch.argmax(logits))
            tokens.append(next_id)
            margins.append(float(top2[0] - top2[1]))
            output = model(input_ids=torch.tensor([[next_id]]), cache=cache, use_cache=True)
            logits, cache = output.logits[0, -1], output.cache
    return first_logits, tokens, margins


# ---------------------------------------------------------------------------------------------------
# --check: regenerate and compare
# ---------------------------------------------------------------------------------------------------


def check_sizes(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.stat().st_size >= MAX_FIXTURE_BYTES:
            raise SystemExit(f"{path} is {path.stat().st_size} bytes, over the 8 MB fixture limit")


def same_bytes(old: Path, new: Path) -> bool:
    return old.read_bytes() == new.read_bytes()


def same_pixels(old: Path, new: Path) -> bool:
    """Images with the same mode and pixels (the PNG encoding may differ)."""
    a, b = Image.open(old), Image.open(new)
    return a.mode == b.mode and np.array_equal(np.asarray(a), np.asarray(b))


def tensors_within(tolerance: float = 0.0, report: bool = False) -> Callable[[Path, Path], bool]:
    """Comparator for safetensors files: the same metadata and names, non-float tensors equal, float
    tensors within `tolerance` (max |diff|; 0: equal). With `report`, prints each file's max |diff|."""
    from safetensors import safe_open

    def same(old: Path, new: Path) -> bool:
        with safe_open(old, "np") as a, safe_open(new, "np") as b:
            if a.metadata() != b.metadata() or set(a.keys()) != set(b.keys()):
                return False
            worst, ok = 0.0, True
            for name in a.keys():
                x, y = a.get_tensor(name), b.get_tensor(name)
                if x.shape != y.shape or x.dtype != y.dtype:
                    return False
                if x.dtype.kind == "f" and tolerance > 0:
                    diff = float(np.abs(x.astype(np.float64) - y.astype(np.float64)).max(initial=0))
                    worst = max(worst, diff)
                    ok &= diff <= tolerance  # NaN fails
                else:
                    ok &= np.array_equal(x, y)
        if report:
            print(f"  {display(old)}: max |diff| {worst:.3g}")
        return ok

    return same


def display(path: Path) -> Path:
    path = path.resolve()
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path


def compare_trees(fresh: Path, committed: Path, compare: dict[str, Callable[[Path, Path], bool]]) -> int:
    """Compares every file under `fresh` with the one at the same place under `committed`: by the
    comparator for its suffix in `compare`, else byte for byte. Prints each difference; returns how many."""
    differences = 0
    for new in sorted(fresh.rglob("*")):
        if not new.is_file():
            continue
        old = committed / new.relative_to(fresh)
        if not old.exists():
            print(f"  missing: {display(old)}")
            differences += 1
        elif not compare.get(new.suffix, same_bytes)(old, new):
            print(f"  differs: {display(old)}")
            differences += 1
    return differences


def check_generated(committed: Path, generate: Callable[[Path], None],
                    compare: dict[str, Callable[[Path, Path], bool]]) -> int:
    """Regenerates into a temporary folder with `generate(folder)`, compares it with `committed`, prints
    "check: fixtures match" or "check: FIXTURES DIFFER" and returns the exit status (0: they match)."""
    with tempfile.TemporaryDirectory(prefix=f"{committed.name}_goldens_") as tmp:
        fresh = Path(tmp) / committed.name
        generate(fresh)
        check_sizes(fresh)
        same = compare_trees(fresh, committed, compare) == 0
    print("check: " + ("fixtures match" if same else "FIXTURES DIFFER"))
    return 0 if same else 1


def regenerate(out: Path, generate: Callable[[Path], None]) -> None:
    """Replaces the wholly generated folder `out` (so cases that no longer exist disappear)."""
    if out.exists():
        shutil.rmtree(out)
    generate(out)
    check_sizes(out)
    print(f"wrote {display(out)}")


def command_line(description: str, out: Path, generate: Callable[[Path], None],
                 compare: dict[str, Callable[[Path, Path], bool]]) -> None:
    """The command line of a script whose only option is `--check`: with it, regenerate into a temporary
    folder and compare with `out` (exit status 0: they match); without, replace `out`."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare against the committed files, write nothing")
    if parser.parse_args().check:
        sys.exit(check_generated(out, generate, compare))
    regenerate(out, generate)
