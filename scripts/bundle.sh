#!/usr/bin/env bash
# Installers for Linux: a release build and the .deb (and the .AppImage where its tools can be
# downloaded), with the Tauri CLI from the npm registry (@tauri-apps/cli 2.x, prebuilt).
# Output: target/release/bundle/{deb,appimage}/. Usage: scripts/bundle.sh [deb|appimage|all]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
scripts/setup.sh run
which="${1:-deb}"
if [ ! -x .tauri-cli/node_modules/.bin/tauri ]; then
  echo "Installation du CLI Tauri (npm @tauri-apps/cli 2.x)"
  npm install --silent --no-audit --no-fund --prefix .tauri-cli "@tauri-apps/cli@^2"
fi
case "$which" in
  deb) bundles=deb ;;
  appimage) bundles=appimage ;;
  all) bundles=deb,appimage ;;
  *) echo "usage: scripts/bundle.sh [deb|appimage|all]" >&2; exit 2 ;;
esac
cd src-tauri
../.tauri-cli/node_modules/.bin/tauri build --bundles "$bundles"
ls -la ../target/release/bundle/*/
