#!/usr/bin/env bash
# Builds the Debian/Ubuntu package of OCOP Council with Tauri's bundler:
#   scripts/package.sh      -> target/deb/ocop-council_<version>_amd64.deb (or $CARGO_TARGET_DIR/deb/)
# Install it with `sudo apt install ./target/deb/ocop-council_<version>_amd64.deb`; scripts/test-package.sh
# installs it, opens the app, runs the installed `ocop` and removes it again.
#
# The package holds /usr/bin/ocop-council (the app), /usr/bin/ocop (the command line), the desktop
# entry, the icon, and /usr/share/doc/ocop-council/ (copyright, the fonts' licence); the
# `bundle.linux.deb` section of src-tauri/tauri.conf.json and src-tauri/deb/ say what goes in.
# Removing the package leaves every user's data directory (~/.local/share/vn.ocop.council) alone.
#
# Needs no internet beyond what scripts/setup.sh and cargo already use: the Tauri CLI is the UI's
# npm devDependency `@tauri-apps/cli`, and the .deb bundler downloads nothing. Release profile (thin
# LTO), as any build for distribution: the first run compiles the tree in release mode (see README.md).
#
#   scripts/package.sh --debug   packages the test build instead (scripts/test.sh's dev-profile binaries,
#                                nothing compiled again): how CI checks the packaging in minutes rather than
#                                the quarter of an hour a cold release build takes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
profile=release
if [ "${1:-}" = "--debug" ]; then profile=debug; fi

scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
# Not scripts/cargo-env.sh: clippy has nothing to do in a release build, and its wrapper would only
# make this build differ from a plain `cargo build --release`.
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
# Absolute, because the Tauri CLI runs cargo from src-tauri/.
export CARGO_TARGET_DIR="$target"
out="$target/deb"
mkdir -p "$out"

echo "== UI: npm run build (ui/dist, which both binaries embed)"
(cd ui && npm run build)

extra="$out/tauri.package.json"
# Merged over tauri.conf.json for this build: /usr/bin/ocop from this build's target directory
# (the config's own entry assumes the default one and the release profile).
printf '{ "bundle": { "linux": { "deb": { "files": { "/usr/bin/ocop": "%s" } } } } }\n' \
  "$target/$profile/ocop" > "$extra"
bundle_dir="$target/$profile/bundle/deb"
rm -rf "$bundle_dir"
if [ "$profile" = release ]; then
  echo "== the ocop command line: cargo build --release -p ocop-cli"
  cargo build --release --locked -p ocop-cli
  echo "== the app and its package: tauri build --bundles deb"
  (cd src-tauri && "$root/ui/node_modules/.bin/tauri" build --ci --bundles deb --config "$extra" -- --locked)
else
  for b in ocop ocop-council; do
    [ -x "$target/debug/$b" ] || { echo "no $target/debug/$b: run scripts/test.sh (or cargo build) first" >&2; exit 1; }
  done
  echo "== the package of the test build: tauri bundle --debug --bundles deb"
  (cd src-tauri && "$root/ui/node_modules/.bin/tauri" bundle --ci --debug --bundles deb --config "$extra")
fi

built=("$bundle_dir"/*.deb)
if [ ${#built[@]} -ne 1 ] || [ ! -f "${built[0]}" ]; then
  echo "expected one .deb in $bundle_dir, found: ${built[*]}" >&2
  exit 1
fi
# Tauri names the file after the product name ("OCOP Council_…", with a space); name it after the
# package instead, as Debian does.
name="$(dpkg-deb -f "${built[0]}" Package)_$(dpkg-deb -f "${built[0]}" Version)_$(dpkg-deb -f "${built[0]}" Architecture).deb"
deb="$out/$name"
rm -f "$out"/*.deb
cp "${built[0]}" "$deb"

echo "== checking the package's contents"
# The paths alone (dpkg-deb -c prints mode, owner, size, date and time first).
contents=$(dpkg-deb -c "$deb" | sed -E 's/^([^ ]+ +){5}//; s|^\./||')
for f in usr/bin/ocop-council usr/bin/ocop "usr/share/applications/OCOP Council.desktop" \
  usr/share/icons/hicolor/256x256/apps/ocop-council.png \
  usr/share/doc/ocop-council/copyright usr/share/doc/ocop-council/fonts-OFL.txt; do
  grep -qxF "$f" <<< "$contents" || { echo "the package lacks $f" >&2; dpkg-deb -c "$deb" >&2; exit 1; }
done
dpkg-deb -I "$deb" control | sed 's/^/  /'

size=$(stat -c %s "$deb")
case "$deb" in "$root"/*) shown="./${deb#"$root/"}" ;; *) shown=$deb ;; esac
echo
echo "Package: $shown ($((size / 1024)) KiB, built in $(($(date +%s) - started)) s)"
echo "Install: sudo apt install $shown"
