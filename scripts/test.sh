#!/usr/bin/env bash
# Every test: formatting, import circles, lints, the core and app tests, then the real app end to end under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/setup.sh test

step() { printf '\n=== %s\n' "$*"; }
step "cargo fmt --check"
cargo fmt --all -- --check
step "Import circles between the core's modules"
python3 scripts/import_cycles.py
step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
step "Rust tests (core and app)"
cargo test -p reclamations-core -p reclamations
step "Build the app for the end-to-end tests"
# Built on its own so that the e2e crate's dependencies do not change the app's features.
cargo build -p reclamations
step "End-to-end tests (real window under Xvfb, tauri-driver)"
rm -rf target/e2e-screenshots
xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p reclamations-e2e -- --test-threads=1
echo "Captures d'écran : target/e2e-screenshots/"
