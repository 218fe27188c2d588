#!/usr/bin/env bash
# The long fuzzing campaign (issue 9): every test of the workspace whose name contains `fuzz`, each
# with a large case count, at least 100,000 generated inputs in all. `cargo test` runs the same
# tests with a few hundred cases each (the default of `OCOP_FUZZ_CASES`).
#
#   scripts/fuzz.sh                  # the campaign: the counts below
#   FUZZ_PERCENT=10 scripts/fuzz.sh  # a tenth of every count
#   OCOP_FUZZ_SEED=123 scripts/fuzz.sh   # replay a run (each failure prints its seed)
#
# A fuzz test reads its count from OCOP_FUZZ_CASES and prints one line
# `fuzz target NAME: N cases (…) in S s`; this script sums those lines. A test it has no count
# for (another module's fuzz test) gets OCOP_FUZZ_OTHER_CASES (default 10000).
# It builds with the settings of scripts/test.sh (scripts/cargo-env.sh), so after the tests it
# compiles nothing, then runs the test binaries directly, two tests at a time (FUZZ_JOBS).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/cargo-env.sh

# Cases per test, chosen so that each target gets a fair share of a run of about ten minutes on
# two cores (a records import case costs about 40 times a payload case in a debug build).
declare -A CASES=(
  [fuzz_certificate_payload]=45000
  [fuzz_score_input]=30000
  [fuzz_criteria_file]=15000
  [fuzz_records_import]=3500
  [fuzz_registry_import]=3500
  [fuzz_plan_import]=3500
)
other=${OCOP_FUZZ_OTHER_CASES:-10000}
percent=${FUZZ_PERCENT:-100}
jobs=${FUZZ_JOBS:-2}

echo "== building the tests"
# The test binaries and the package each belongs to (tests run from their package's directory,
# as cargo runs them); run directly, so that two run at once without waiting on cargo's lock.
binaries=$(mktemp)
cargo test "${FEATURES[@]}" --tests --no-run --message-format=json-render-diagnostics |
  python3 -c '
import json, os, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["executable"], os.path.dirname(m["manifest_path"]), sep="\t")
' >"$binaries"

# Every test whose name holds `fuzz`: binary, directory, name. The `fuzz_found_*` tests are the
# fixed inputs of defects fuzzing found; `cargo test` runs them, they generate nothing.
tests=()
while IFS=$'\t' read -r bin dir; do
  while read -r name; do
    tests+=("$bin"$'\t'"$dir"$'\t'"$name")
  done < <("$bin" --list 2>/dev/null | sed -n 's/^\([^ ]*fuzz[^ ]*\): test$/\1/p' |
    grep -v 'fuzz_found_')
done <"$binaries"
rm -f "$binaries"
if [ ${#tests[@]} -eq 0 ]; then
  echo "no test named *fuzz* found" >&2
  exit 1
fi

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
started=$(date +%s)
run() {
  local i=$1 bin=$2 dir=$3 name=$4 n=$5 t0 rc=0
  t0=$(date +%s)
  (cd "$dir" && OCOP_FUZZ_CASES=$n "$bin" --exact "$name" --nocapture) >"$logs/$i.log" 2>&1 || rc=$?
  echo "$(( $(date +%s) - t0 ))" >"$logs/$i.time"
  echo "$rc" >"$logs/$i.rc"
  printf '  done  %-45s %6s s (exit %s)\n' "$name" "$(cat "$logs/$i.time")" "$rc"
}

echo "== ${#tests[@]} fuzz tests, $jobs at a time"
for i in "${!tests[@]}"; do
  IFS=$'\t' read -r bin dir name <<<"${tests[$i]}"
  n=${CASES[${name##*::}]:-$other}
  n=$(( n * percent / 100 ))
  [ "$n" -lt 1 ] && n=1
  printf '  start %-45s %6d cases\n' "$name" "$n"
  run "$i" "$bin" "$dir" "$name" "$n" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
wait

echo
echo "== results"
total=0
failed=0
printf '%-45s %10s %8s  %s\n' "test" "inputs" "seconds" "result"
for i in "${!tests[@]}"; do
  name=${tests[$i]##*$'\t'}
  rc=$(cat "$logs/$i.rc")
  # The inputs the test reported generating (0 if it printed no count line).
  n=$(sed -n 's/^fuzz target .*: \([0-9][0-9]*\) cases.*/\1/p' "$logs/$i.log" |
    awk '{s += $1} END {print s + 0}')
  total=$(( total + n ))
  result=ok
  if [ "$rc" != 0 ]; then result=FAILED; failed=$(( failed + 1 )); fi
  printf '%-45s %10d %8s  %s\n' "$name" "$n" "$(cat "$logs/$i.time")" "$result"
  grep '^fuzz target ' "$logs/$i.log" | sed 's/^/    /' || true
done
printf '%-45s %10d %8d\n' "total" "$total" "$(( $(date +%s) - started ))"
if [ "$failed" -gt 0 ]; then
  for i in "${!tests[@]}"; do
    if [ "$(cat "$logs/$i.rc")" != 0 ]; then
      echo
      echo "== ${tests[$i]##*$'\t'} failed:"
      grep -v '^\s*[0-9]*: \|^\s*at ' "$logs/$i.log" | tail -60
    fi
  done
  exit 1
fi
