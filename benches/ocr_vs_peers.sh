#!/usr/bin/env bash
# Compare SealGate's photo reading (`sealgate doc eval-ocr --photos-only`) with peers on the same
# photos, each pinned to one core with one thread: RapidOCR 3.10 as a user runs it, RapidOCR with
# SealGate's settings, the Tesseract CLI, and SealGate's own Tesseract engine.
#
#   benches/ocr_vs_peers.sh          (PHOTOS=20 SEED=4242 SET=.cache/bench-ocr-set by default)
#
# The set is made by `sealgate doc gen` when SET has no manifest (a relative SET is taken from the
# caller's cwd; the default is under the repo). The default set is remade when its seed differs
# from SEED or it has fewer than PHOTOS photos; another SET in that state is an error.
# RapidOCR and its packages are installed once under .cache/pyocr; it uses the models its wheel
# bundles, which benches/ocr_reference.py checks are SealGate's (same sha256), never downloading.
#
# SealGate's time includes finding the page, deciding its orientation and suppressing red ink;
# RapidOCR and tesseract-cli read the raw photo and decide no orientation, so they read the rotated
# photos badly (their CER on upright photos only is printed under the table).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PHOTOS="${PHOTOS:-20}"
SEED="${SEED:-4242}"
if [ -n "${SET:-}" ]; then
    case "$SET" in
        /*) ;;
        *) SET="$PWD/$SET" ;;
    esac
    default_set=0
else
    SET="$ROOT/.cache/bench-ocr-set"
    default_set=1
fi

cd "$ROOT"
cargo build --release -p sealgate-api >&2
sg=target/release/sealgate
"$sg" models fetch >&2

# The set: made once, remade (default location only) when it does not fit PHOTOS and SEED.
set_fits() {
    python3 - "$SET/manifest.json" "$PHOTOS" "$SEED" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    m = json.load(f)
sys.exit(0 if len(m["photos"]) >= int(sys.argv[2]) and str(m.get("seed")) == sys.argv[3] else 1)
EOF
}
if [ -f "$SET/manifest.json" ] && ! set_fits; then
    if [ "$default_set" = 1 ]; then
        echo "ocr_vs_peers: $SET was made with another seed or fewer photos; remaking it" >&2
        rm -rf "$SET"
    else
        echo "ocr_vs_peers: $SET has fewer than $PHOTOS photos or a seed other than $SEED" >&2
        exit 1
    fi
fi
if [ ! -f "$SET/manifest.json" ]; then
    "$sg" doc gen --out "$SET" --photos "$PHOTOS" --seed "$SEED" >&2
fi

# RapidOCR 3.10.0, project-local. Its wheel requires pyclipper, opencv-python-headless, numpy, six,
# Shapely, PyYAML, Pillow, tqdm, omegaconf, requests and colorlog, but not an inference engine:
# onnxruntime is added, pinned to the version SealGate's runtime is.
export PYTHONPATH="$ROOT/.cache/pyocr${PYTHONPATH:+:$PYTHONPATH}"
pyocr_ok() {
    python3 -c 'from importlib.metadata import version
assert version("rapidocr") == "3.10.0", version("rapidocr")
import rapidocr, onnxruntime' 2>/dev/null
}
if ! pyocr_ok; then
    echo "ocr_vs_peers: installing RapidOCR 3.10.0 under .cache/pyocr" >&2
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --target .cache/pyocr \
        rapidocr==3.10.0 onnxruntime==1.31.1 pyclipper shapely opencv-python-headless omegaconf pyyaml six \
        tqdm colorlog requests numpy pillow >&2
    pyocr_ok || { echo "ocr_vs_peers: RapidOCR does not import from .cache/pyocr" >&2; exit 1; }
fi

pin=()
if command -v taskset >/dev/null 2>&1; then
    pin=(taskset -c 0)
else
    echo "ocr_vs_peers: no taskset; runs are not pinned to one core" >&2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

one() { # one NAME CMD...: run CMD pinned to one core and one thread, stdout to $tmp/NAME.json
    local name="$1"
    shift
    echo "ocr_vs_peers: $name" >&2
    env RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 OMP_THREAD_LIMIT=1 ${pin[@]+"${pin[@]}"} "$@" >"$tmp/$name.json"
}
one sealgate-ppocr "$sg" doc eval-ocr "$SET" --engines ppocr --limit "$PHOTOS" --photos-only --json
for engine in rapidocr-default rapidocr-matched tesseract-cli; do
    one "$engine" python3 benches/ocr_reference.py --set "$SET" --limit "$PHOTOS" --engine "$engine" --json
done
one sealgate-tesseract "$sg" doc eval-ocr "$SET" --engines tesseract --limit "$PHOTOS" --photos-only --json

python3 - "$tmp" "$SET" "$PHOTOS" <<'EOF'
import json
import sys
from pathlib import Path

tmp, set_dir, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])


def load(name):
    with open(tmp / f"{name}.json") as f:
        return json.load(f)


rows = []  # (tool, seconds per photo, CER, photos)
for name, tool in (("sealgate-ppocr", "sealgate ppocr"), ("sealgate-tesseract", "sealgate tesseract")):
    e = load(name)["engines"][0]
    rows.append((tool, e["seconds_per_photo"], e["cer_photo"], e["photos"], e))
peers = {}
for name in ("rapidocr-default", "rapidocr-matched", "tesseract-cli"):
    p = peers[name] = load(name)
    rows.append((name, p["seconds_per_photo"], p["cer_photo"], p["photos"], p))
order = ["sealgate ppocr", "rapidocr-default", "rapidocr-matched", "tesseract-cli", "sealgate tesseract"]
rows.sort(key=lambda r: order.index(r[0]))

counts = {r[3] for r in rows}
sg_s, sg_cer = rows[0][1], rows[0][2]
print(f"same run, same photos, one core each: {rows[0][3]} photos from {set_dir}")
if len(counts) != 1:
    print(f"WARNING: the tools read different numbers of photos: {sorted(counts)}")
print()
header = ("tool", "s/photo", "CER photo", "time vs sealgate", "CER vs sealgate")
widths = (18, 8, 9, 16, 15)
print(" | ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
print("-+-".join("-" * w for w in widths))
for tool, s, cer, _, _ in rows:
    t_ratio = f"{s / sg_s:.2f}x" if sg_s > 0 else "inf"
    if sg_cer > 0:
        c_ratio = f"{cer / sg_cer:.2f}x"
    else:
        c_ratio = "1.00x" if cer == 0 else "inf"
    cells = (tool, f"{s:.3f}", f"{cer:.2%}", t_ratio, c_ratio)
    print(" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))))

# What the peers lose on rotated photos: they do not decide page orientation.
sg = rows[0][4]
print()
print(
    f"sealgate ppocr: orientation right on {sg['orientation_right']}/{sg['photos']} photos"
    + (f", no page found on {', '.join(sg['no_page'])}" if sg.get("no_page") else "")
)
with open(set_dir / "manifest.json") as f:
    truth = {e["id"]: e for e in json.load(f)["photos"][:limit]}
rotated = [i for i, e in truth.items() if e["rotation"] != 0]
print(f"rotated photos: {len(rotated)}/{len(truth)}; RapidOCR and tesseract-cli decide no page orientation")
for name, p in peers.items():
    parts = []
    for label, keep in (("upright", lambda r: r == 0), ("rotated", lambda r: r != 0)):
        xs = [x for x in p["per_photo"] if keep(truth[x["id"]]["rotation"])]
        chars = sum(x["chars"] for x in xs)
        cer = f"{sum(x['edits'] for x in xs) / chars:.2%}" if chars else "-"
        parts.append(f"{label} {cer} ({len(xs)})")
    print(f"  {name:<17} CER " + ", ".join(parts))
EOF
