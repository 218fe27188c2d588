#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test OCOP Council:
# system libraries (WebKitGTK), the test tools (Xvfb, WebKitWebDriver, poppler), tauri-driver,
# and the UI's npm packages. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  build-essential pkg-config libssl-dev file curl
  libwebkit2gtk-4.1-dev           # Tauri's webview (pulls GTK 3, libsoup 3, JavaScriptCore)
  xvfb xauth webkit2gtk-driver    # end-to-end tests: a display and WebKitWebDriver
  chromium chromium-driver        # end-to-end tests: council members' browsers in the council room
  poppler-utils                   # pdftotext/pdffonts/pdftoppm in the document tests
  zbar-tools                      # zbarimg: the certificate QR decode-rate test reads scans as a second reader
  python3                         # the criteria data check (assets/criteria/tools/convert.py --check)
  fonts-dejavu-core fonts-liberation2
  imagemagick xdotool             # screenshots and clicks when looking at the app by hand
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null || { echo "cargo (Rust ≥ 1.88) is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js ≥ 20.19 and npm are required" >&2; exit 1; }

if [ "${1:-}" = "--test" ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "== cargo install tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "== npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund)
fi
