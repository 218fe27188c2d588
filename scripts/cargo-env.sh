# Sourced by scripts/test.sh and scripts/run.sh: the cargo settings they share, so that one
# compilation serves every check and a run after the tests builds nothing new.
# Change them in one place only: any difference (features, targets, wrapper, flags) makes cargo
# compile the tree a second time.

# One feature set for every cargo command; `custom-protocol` makes the app a production build
# (assets embedded, no dev server).
FEATURES=(--workspace --locked --features ocop-council/custom-protocol)
# Always build every target (lib, bins, tests, benches): a narrower selection resolves the features
# of the dev-dependencies differently and recompiles a large part of the tree.
TARGETS=(--all-targets)
# Clippy lints while the workspace compiles, as `cargo clippy` does internally, so it needs no
# second, check-mode compilation of the whole tree. Its findings are warnings here (so that
# scripts/run.sh still starts the app); scripts/test.sh refuses any warning.
export RUSTC_WORKSPACE_WRAPPER=clippy-driver
unset CLIPPY_ARGS
