#!/usr/bin/env bash
# Sets up and runs every check and test of OCOP Council: formatting, the criteria data check,
# the UI's type check, lint and unit tests, clippy (-D warnings), all cargo tests (core rules,
# store, documents, CLI round trips), the drift check of the generated TypeScript types, and the
# end-to-end tests of the real app under Xvfb, and the .deb built, installed, opened and removed.
# The tree compiles once: clippy lints during the build (scripts/cargo-env.sh), `cargo test` and
# the end-to-end tests reuse that build, and scripts/run.sh reuses it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
last=$started
summary=()
step() {
  local now; now=$(date +%s)
  if [ -n "${current:-}" ]; then summary+=("$(printf '%5d s  %s' $((now - last)) "$current")"); fi
  current="$*"; last=$now
  echo; echo "== $* ($((now - started)) s)"
}

scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/cargo-env.sh
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"

step "cargo fmt --check"
cargo fmt --all -- --check

step "criteria data: the invariants of assets/criteria/FORMAT.md"
python3 assets/criteria/tools/convert.py --check

step "UI: type check, lint, unit tests, build"
(cd ui && npm run check && npm run lint && npm test && npm run build)

step "cargo build, all targets, with clippy's lints (-D warnings)"
log=$(mktemp)
cargo build "${FEATURES[@]}" "${TARGETS[@]}" 2>&1 | tee "$log"
# Cargo replays the warnings of units it does not recompile, so a clean second run means clean code.
if grep -Eq '^warning: `[^`]+` \(.+\) generated [0-9]+ warnings?' "$log"; then
  echo "rustc or clippy reported warnings (see above); the build must be warning-free" >&2
  exit 1
fi
rm -f "$log"

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
# The test binary `cargo test` built; a `cargo test --test app` would select fewer packages, resolve
# other features and recompile part of the tree.
APP_TEST=$(cargo test "${FEATURES[@]}" --no-run 2>&1 | sed -n 's/^ *Executable tests\/app\.rs (\(.*\))$/\1/p')
if [ -z "$APP_TEST" ]; then echo "the end-to-end test binary (tests/tests/app.rs) was not built" >&2; exit 1; fi
case "$APP_TEST" in /*) ;; *) APP_TEST="$PWD/$APP_TEST" ;; esac
export APP_TEST TD_LOG="$target/tauri-driver.log"
export XDG_DATA_HOME; XDG_DATA_HOME="$(mktemp -d)"
xvfb-run -a -s "-screen 0 1366x800x24" bash -c '
  tauri-driver --port 4444 > "$TD_LOG" 2>&1 & TD=$!
  for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
  rc=0
  (cd tests && "$APP_TEST" --ignored --test-threads=1) || rc=$?
  kill $TD 2>/dev/null; wait $TD 2>/dev/null || true
  exit $rc'

step "the .deb: packaged from the test build, installed, opened, ocop criteria check, removed"
# The release package (scripts/package.sh) differs only in the profile of the same binaries; a cold
# release build would double this run's time.
scripts/package.sh --debug
scripts/test-package.sh "$target"/deb/ocop-council_*_amd64.deb

step "all checks passed"
printf '%s\n' "${summary[@]}"
