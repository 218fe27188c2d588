#!/usr/bin/env bash
# Tests the Debian package the way an office uses it:
#   scripts/test-package.sh              builds it first (scripts/package.sh, incremental)
#   scripts/test-package.sh FILE.deb     tests that package
# It installs the package with dpkg (through sudo when not root; an earlier install of
# ocop-council is removed first), then fails unless
#   1. the installed app (/usr/bin/ocop-council) opens its window under Xvfb,
#   2. the installed `ocop criteria check` passes,
#   3. removing the package (dpkg -r, and dpkg -P if anything is left) leaves the user's data directory
#      ($XDG_DATA_HOME/vn.ocop.council, filled by the app's first start and `ocop demo load`)
#      exactly as it was, and takes /usr/bin/ocop and /usr/bin/ocop-council away.
# A throwaway HOME and XDG_DATA_HOME keep the tests off the user's own data. The package is
# removed at the end of a successful run; after a failure it stays installed for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
pkg=ocop-council

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
fail() { echo "FAILED: $*" >&2; exit 1; }
# The installed package is the machine's, not this checkout's: one run at a time.
exec 9> "${TMPDIR:-/tmp}/ocop-council-test-package.lock"
flock -w 1800 9 || fail "another scripts/test-package.sh has held the lock for 30 minutes"

if [ $# -ge 1 ]; then
  deb=$1
else
  scripts/package.sh
  target="${CARGO_TARGET_DIR:-target}"
  debs=("$target"/deb/"$pkg"_*.deb)
  [ -f "${debs[0]}" ] || fail "scripts/package.sh left no $target/deb/${pkg}_*.deb"
  deb=${debs[0]}
fi
[ -f "$deb" ] || fail "no such package: $deb"
case "$deb" in /*) ;; *) deb="$root/$deb" ;; esac
[ "$(dpkg-deb -f "$deb" Package)" = "$pkg" ] || fail "$deb is not the $pkg package"
echo "== package: $deb ($(($(stat -c %s "$deb") / 1024)) KiB, installed $(dpkg-deb -f "$deb" Installed-Size) KiB)"

for tool in xvfb-run xdotool; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh installs it)"
done

# dpkg's state of the package: installed, config-files, not-installed (or empty when unknown), ...
state() { dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true; }
known() { [ -n "$(state)" ] && [ "$(state)" != not-installed ]; }
if known; then
  echo "== removing an earlier $pkg ($(state))"
  $SUDO dpkg -P "$pkg"
fi

echo "== dpkg -i"
$SUDO dpkg -i "$deb" || fail "dpkg -i failed (missing dependencies? sudo apt install $deb installs them)"
[ "$(state)" = installed ] || fail "$pkg is not installed after dpkg -i ($(state))"
for f in /usr/bin/ocop-council /usr/bin/ocop; do
  [ -x "$f" ] || fail "$f is not installed"
done
for f in "/usr/share/applications/OCOP Council.desktop" /usr/share/icons/hicolor/256x256/apps/ocop-council.png \
  /usr/share/doc/ocop-council/copyright /usr/share/doc/ocop-council/fonts-OFL.txt; do
  [ -f "$f" ] || fail "$f is not installed"
done
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "/usr/share/applications/OCOP Council.desktop" || fail "the desktop entry is invalid"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/data" "$work/config" "$work/cache"
# The environment of an office user's session, in a throwaway folder.
as_user=(env -u OCOP_DATA_DIR HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
  XDG_CACHE_HOME="$work/cache")
data="$work/data/vn.ocop.council"

echo "== 1. the installed app opens its window (Xvfb)"
export WORK="$work" DATA="$data"
# Twice at most: once, right after the end-to-end tests' Xvfb and WebKit sessions, the window did not
# come within 90 s while it comes in seconds on every run alone; a second failure is a real one.
opened=""
for attempt in 1 2; do
  if "${as_user[@]}" timeout 180 xvfb-run -a -s "-screen 0 1366x800x24" bash -c '
  /usr/bin/ocop-council > "$WORK/app.log" 2>&1 & app=$!
  rc=0
  # The window title starts with "OCOP Council"; --sync waits until it is mapped.
  timeout 90 xdotool search --sync --onlyvisible --name "^OCOP Council" > "$WORK/window" \
    || { echo "no window within 90 s" >&2; rc=1; }
  if [ $rc = 0 ]; then echo "window $(head -1 "$WORK/window"): $(xdotool getwindowname "$(head -1 "$WORK/window")")"; fi
  # The window can map before the app has created its database (seen here): wait for it, then
  # let the start (and its first backup) settle.
  for i in $(seq 600); do [ $rc = 0 ] && [ ! -f "$DATA/ocop-council.sqlite" ] || break; sleep 0.1; done
  if [ $rc = 0 ] && [ ! -f "$DATA/ocop-council.sqlite" ]; then
    echo "no database in the default data directory ($DATA) within 60 s" >&2; rc=1
  fi
  [ $rc = 0 ] && sleep 5
  if [ $rc = 0 ] && ! kill -0 $app 2>/dev/null; then echo "the app exited after opening its window" >&2; rc=1; fi
  kill $app 2>/dev/null; wait $app 2>/dev/null || true
  exit $rc'; then
    opened=yes; break
  fi
  echo "--- attempt $attempt: the app's output:" >&2; cat "$work/app.log" >&2
done
[ -n "$opened" ] || fail "the installed app did not open its window on its data"
echo "database: $data/ocop-council.sqlite"

echo "== 2. the installed ocop criteria check"
"${as_user[@]}" /usr/bin/ocop criteria check || fail "ocop criteria check"

echo "== 3. removing the package keeps the user's data"
"${as_user[@]}" /usr/bin/ocop demo load || fail "ocop demo load"
[ -n "$(find "$data" -type f -size +0 2>/dev/null)" ] || fail "ocop demo load wrote nothing into $data"
# Every file's and folder's path, type, size, mode and time, and every file's SHA-256.
fingerprint() {
  (cd "$data" && find . -printf '%p %y %s %m %T@\n' | LC_ALL=C sort \
    && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
before=$(fingerprint)
echo "$(find "$data" -type f | wc -l) files, $(du -sk "$data" | cut -f1) KiB in the data directory"
$SUDO dpkg -r "$pkg"
[ "$(fingerprint)" = "$before" ] || { diff <(echo "$before") <(fingerprint) >&2 || true; fail "dpkg -r changed $data"; }
# The package has no conffiles, so dpkg -r leaves nothing to purge; purge anyway should that change.
if known; then
  $SUDO dpkg -P "$pkg"
  [ "$(fingerprint)" = "$before" ] || { diff <(echo "$before") <(fingerprint) >&2 || true; fail "dpkg -P changed $data"; }
fi
for f in /usr/bin/ocop /usr/bin/ocop-council "/usr/share/applications/OCOP Council.desktop"; do
  [ ! -e "$f" ] || fail "$f is still there after dpkg -r"
done
if known; then fail "$pkg is still known to dpkg after its removal ($(state))"; fi

echo
echo "== the package passed ($(($(date +%s) - started)) s): window, ocop criteria check, data kept on removal"
