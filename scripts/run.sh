#!/usr/bin/env bash
# Sets up, builds and opens OCOP Council on its local SQLite database (created on first start and
# seeded with the criteria of QĐ 148/QĐ-TTg and QĐ 26/2026/QĐ-TTg).
#   scripts/run.sh          your data, in the OS data directory
#   scripts/run.sh --demo   a separate demo province (members, owners, products, two rounds; PIN 1234)
# After scripts/test.sh it reuses the tests' debug build (the same profile, features and settings,
# so nothing is compiled again); otherwise it builds with the `app` profile of Cargo.toml
# (optimised where it matters, no LTO: a few minutes on a fresh clone).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/cargo-env.sh
target="${CARGO_TARGET_DIR:-target}"
(cd ui && npm run build)
if [ -x "$target/debug/ocop-council" ] && [ -x "$target/debug/ocop" ] && command -v clippy-driver >/dev/null; then
  echo "== reusing the build of scripts/test.sh ($target/debug)"
  cargo build "${FEATURES[@]}" "${TARGETS[@]}"
  bin="$target/debug"
else
  unset RUSTC_WORKSPACE_WRAPPER
  cargo build --profile app --locked -p ocop-council -p ocop-cli --features ocop-council/custom-protocol
  bin="$target/app"
fi
args=()
if [ "${1:-}" = "--demo" ]; then
  demo_dir="${OCOP_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vn.ocop.council-demo}"
  "$bin/ocop" --data-dir "$demo_dir" demo load
  args=(--data-dir "$demo_dir")
fi
exec "$bin/ocop-council" "${args[@]}"
