#!/usr/bin/env bash
# Decision latency at the HTTP boundary and throughput at saturation, measured with `hey` (Debian)
# against `sealgate serve` (release build, embedded defaults in a fresh data folder):
# - cabinet decisions: a face frame of an enrolled applicant (allow);
# - lock pre-stamp decisions: a photo of the approved page (OCR and comparison; allow).
# Each is run at rising concurrency; hey prints the latency distribution, requests/s and the status
# codes (anything but 200 is an error).
#   bash benches/service_load.sh [CABINET_REQUESTS] [LOCK_REQUESTS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"

setup_system
install_debian_packages hey
fetch_models release
n_cabinet="${1:-400}"
n_lock="${2:-100}"
sealgate="$ROOT/target/release/sealgate"
faces="$ROOT/../shared/datasets/faces"
work="$(mktemp -d /tmp/sealgate-load.XXXXXX)"
trap 'kill "${server:-}" 2>/dev/null || true' EXIT

log "a page to approve and photograph"
"$sealgate" doc gen --out "$work/doc" --photos 1 --seed 3 --rotated-share 0 --sealed-share 0 >/dev/null 2>&1
port="$(free_port)"
"$sealgate" admin create --name "Load admin" --data-dir "$work/data" >"$work/admin.token"
SEALGATE_LOG=warn "$sealgate" serve --listen "127.0.0.1:$port" --data-dir "$work/data" 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.5
done
python3 "$ROOT/benches/service_setup.py" "http://127.0.0.1:$port" "$(cat "$work/admin.token")" "$faces" \
    "$work/doc/pages/0000.png" "$work"
source "$work/env"
nproc_=$(nproc)
log "machine: $nproc_ cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

frame="$faces/face_recognition/tests/test_images/obama3.jpg"
for c in 1 2 4 8; do
    log "cabinet face decision: $n_cabinet requests, concurrency $c"
    hey -n "$n_cabinet" -c "$c" -m POST -T image/jpeg -H "Authorization: Bearer $CABINET_TOKEN" -D "$frame" \
        "http://127.0.0.1:$port/api/v1/devices/$CABINET/decisions/face" | sed -n '/Summary/,$p'
done
for c in 1 2 4; do
    log "lock pre-stamp decision: $n_lock requests, concurrency $c"
    hey -n "$n_lock" -c "$c" -t 120 -m POST -T image/jpeg -H "Authorization: Bearer $LOCK_TOKEN" \
        -D "$work/doc/photos/0000.jpg" \
        "http://127.0.0.1:$port/api/v1/devices/$LOCK/decisions/prestamp?application=$LOCK_APP" |
        sed -n '/Summary/,$p'
done
log "decisions by outcome (from /metrics)"
curl -s "http://127.0.0.1:$port/metrics" | grep '^sealgate_decisions_total'
