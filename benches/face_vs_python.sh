#!/usr/bin/env bash
# Compare `sealgate face bench` with the numpy + onnxruntime reference (benches/face_reference.py),
# both with one intra-op thread and pinned to one core, on the same images and iteration count.
#
#   benches/face_vs_python.sh [IMG...]        (ITERS=30 by default)
#
# Without images it uses the Silent-Face samples under ../shared/datasets/faces/silent_face_samples.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ITERS="${ITERS:-30}"

images=()
if [ "$#" -gt 0 ]; then
    for img in "$@"; do
        # Resolve against the caller's cwd before we cd to the repo root.
        images+=("$(cd "$(dirname "$img")" && pwd)/$(basename "$img")")
    done
else
    samples="$ROOT/../shared/datasets/faces/silent_face_samples"
    images=("$samples/image_T1.jpg" "$samples/image_F1.jpg" "$samples/image_F2.jpg")
fi
for img in "${images[@]}"; do
    [ -f "$img" ] || { echo "face_vs_python: no such image: $img" >&2; exit 1; }
done

cd "$ROOT"
cargo build --release -p sealgate-api >&2
target/release/sealgate models fetch >&2
# The reference's own packages, project-local, installed once.
if ! python3 -c "import numpy, PIL, onnxruntime" 2>/dev/null; then
    export PYTHONPATH="$ROOT/.cache/pyref${PYTHONPATH:+:$PYTHONPATH}"
    python3 -c "import numpy, PIL, onnxruntime" 2>/dev/null ||
        PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --target .cache/pyref numpy pillow onnxruntime==1.31.1 >&2
fi

pin=()
if command -v taskset >/dev/null 2>&1; then
    pin=(taskset -c 0)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "rust: target/release/sealgate face bench (${#images[@]} images x $ITERS iters)" >&2
${pin[@]+"${pin[@]}"} target/release/sealgate face bench --json --iters "$ITERS" --threads 1 "${images[@]}" >"$tmp/rust.json"
echo "python: benches/face_reference.py" >&2
OMP_NUM_THREADS=1 ${pin[@]+"${pin[@]}"} python3 benches/face_reference.py --models .models/face --iters "$ITERS" "${images[@]}" \
    >"$tmp/python.json"

python3 - "$tmp/rust.json" "$tmp/python.json" <<'EOF'
import json
import sys

with open(sys.argv[1]) as f:
    rust = json.load(f)
with open(sys.argv[2]) as f:
    py = json.load(f)

print(f"{rust['frames']} frames x {rust['iters']} iterations, 1 intra-op thread, one core")
print(f"python p_real {py['p_real']}, faces {py['faces']}")
print()
header = ("stage", "rust median", "rust p99", "python median", "python p99", "python/rust")
print(f"{header[0]:<9} | {header[1]:>11} | {header[2]:>9} | {header[3]:>13} | {header[4]:>10} | {header[5]:>11}")
print("-" * 9 + "-+-" + "-+-".join("-" * max(len(h), 9) for h in header[1:]))
for stage in ("decode", "detect", "align", "embed", "liveness", "frame"):
    r, p = rust["stages"][stage], py["stages"][stage]
    ratio = p["median_ms"] / r["median_ms"] if r["median_ms"] > 0 else float("nan")
    print(
        f"{stage:<9} | {r['median_ms']:11.2f} | {r['p99_ms']:9.2f} | {p['median_ms']:13.2f} | {p['p99_ms']:10.2f}"
        f" | {ratio:10.2f}x"
    )
EOF
