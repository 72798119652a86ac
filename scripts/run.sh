#!/usr/bin/env bash
# Run SealGate on its embedded defaults: installs what is missing, builds the release binary, and
# serves the HTTP API (SQLite and local evidence under .data/service). With arguments, runs
# `sealgate ARGS...` instead; `--demo` runs the face pipeline on the sample photos in ../shared:
#   bash scripts/run.sh                       # sealgate serve
#   bash scripts/run.sh admin create --name "Ada"   # the first admin's API token (once)
#   bash scripts/run.sh --demo                # face pipeline demo on the sample photos
#   bash scripts/run.sh face verify A.jpg B.jpg
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_system
fetch_models release
sealgate="target/release/sealgate"
if [ "$#" -eq 0 ]; then
    log "sealgate serve (first admin: bash scripts/run.sh admin create --name NAME)"
    exec "$sealgate" serve
fi
if [ "$1" != "--demo" ]; then
    exec "$sealgate" "$@"
fi

faces="$ROOT/../shared/datasets/faces"
if [ ! -d "$faces" ]; then
    echo "no sample photos at $faces; run: bash scripts/run.sh face verify A.jpg B.jpg" >&2
    exit 0
fi
log "models"
"$sealgate" models list
log "face detect: a live cabinet frame"
"$sealgate" face detect "$faces/silent_face_samples/image_T1.jpg"
log "face detect: a photo held up to the camera (presentation attack)"
"$sealgate" face detect "$faces/silent_face_samples/image_F2.jpg"
log "face verify: two photos of the same person"
"$sealgate" face verify "$faces/face_recognition/examples/knn_examples/train/biden/biden.jpg" \
    "$faces/face_recognition/examples/knn_examples/train/biden/biden2.jpg"
log "face eval on the labelled set"
"$sealgate" face eval --labels "$faces/labels.csv"
