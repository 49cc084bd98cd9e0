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
e2e() { xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p reclamations-e2e --no-fail-fast -- --test-threads=1 "$@"; }
# A test that fails is run once more, alone, and named: WebKitGTK's web process can crash or
# replace a node under the driver in a way no assertion controls. Failing again fails the run;
# more than two failures are not retried (that is no flake). --no-fail-fast: every test binary
# runs, so that a failure in one leaves none of the others unrun.
log=target/e2e.log
if ! e2e 2>&1 | tee "$log"; then
    failed=$(sed -n 's/^test \(.*\) \.\.\. FAILED$/\1/p' "$log")
    count=$(printf '%s\n' "$failed" | grep -c . || true)
    if [ "$count" -eq 0 ] || [ "$count" -gt 2 ]; then exit 1; fi
    for t in $failed; do
        step "Retry, alone: $t"
        e2e --exact "$t"
    done
    echo "FLAKY (failed once, passed alone): $failed"
fi
echo "Captures d'écran : target/e2e-screenshots/"
