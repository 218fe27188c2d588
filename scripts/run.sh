#!/usr/bin/env bash
# Sets up, builds and opens OCOP Council on its local SQLite database (created on first start and
# seeded with the criteria of QĐ 148/QĐ-TTg and QĐ 26/2026/QĐ-TTg).
#   scripts/run.sh          your data, in the OS data directory
#   scripts/run.sh --demo   a separate demo province (members, owners, products, two rounds; PIN 1234)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
(cd ui && npm run build)
cargo build --release -p ocop-council -p ocop-cli --features ocop-council/custom-protocol
args=()
if [ "${1:-}" = "--demo" ]; then
  demo_dir="${OCOP_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vn.ocop.council-demo}"
  target/release/ocop --data-dir "$demo_dir" demo load
  args=(--data-dir "$demo_dir")
fi
exec target/release/ocop-council "${args[@]}"
