#!/usr/bin/env bash
# The whole test suite from a clean clone: installs what is missing, then format, lints, docs and tests,
# then the service's tests again on PostgreSQL and S3 (moto), both started here on loopback.
#   bash scripts/test.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

setup_system
fetch_models debug
log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings
log "cargo doc (every intra-doc link resolves)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps
log "cargo test (embedded defaults: SQLite, local evidence)"
cargo test --locked --workspace
log "cargo test --test service (scale-out: PostgreSQL, S3)"
trap stop_test_services EXIT
start_postgres
start_s3
cargo test --locked -p sealgate-tests --test service
