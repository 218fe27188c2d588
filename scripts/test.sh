#!/usr/bin/env bash
# Sets up and runs every check and test of OCOP Council: formatting, clippy, the UI's type check,
# lint and unit tests, all cargo tests (core rules, store, documents, CLI round trips), the drift
# check of the generated TypeScript types, and the end-to-end tests of the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { echo; echo "== $* ($(( $(date +%s) - started )) s)"; }

scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
# One feature set for every cargo command, so the tree compiles once; `custom-protocol` makes the
# app a production build (assets embedded, no dev server).
FEATURES=(--workspace --locked --features ocop-council/custom-protocol)

step "cargo fmt --check"
cargo fmt --all -- --check

step "UI: type check, lint, unit tests, build"
(cd ui && npm run check && npm run lint && npm test && npm run build)

step "cargo build"
cargo build "${FEATURES[@]}" --all-targets

step "cargo clippy -D warnings"
cargo clippy "${FEATURES[@]}" --all-targets -- -D warnings

step "cargo test"
cargo test "${FEATURES[@]}"

step "generated TypeScript types match the Rust types"
if git rev-parse --git-dir >/dev/null 2>&1; then
  drift=$(git status --porcelain -- ui/src/lib/bindings)
  if [ -n "$drift" ]; then
    echo "The Rust types changed but ui/src/lib/bindings was not regenerated and committed:" >&2
    echo "$drift" >&2
    git --no-pager diff --stat -- ui/src/lib/bindings >&2
    exit 1
  fi
fi

step "end-to-end tests (tauri-driver + WebKitWebDriver under Xvfb)"
mkdir -p target
export XDG_DATA_HOME; XDG_DATA_HOME="$(mktemp -d)"
xvfb-run -a -s "-screen 0 1366x800x24" bash -c '
  tauri-driver --port 4444 > target/tauri-driver.log 2>&1 & TD=$!
  for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
  rc=0
  cargo test '"${FEATURES[*]}"' --test app -- --ignored --test-threads=1 || rc=$?
  kill $TD 2>/dev/null; wait $TD 2>/dev/null || true
  exit $rc'

step "all checks passed"
