#!/usr/bin/env bash
# A long, large clip for `SmolBenchmarks video` (not committed): 10 minutes of 1280x720 H.264 at 30 fps
# with a keyframe every 250 frames, as x264 writes by default.
set -euo pipefail
out="${1:-/tmp/smolvlm-bench-10min-720p.mp4}"
ffmpeg -y -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=600" \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 1M "$out"
echo "$out"
