#!/usr/bin/env bash
# Installers for Linux: a release build and the .deb (and the .AppImage where its tools can be
# downloaded), with the Tauri CLI from the npm registry (@tauri-apps/cli 2.x, prebuilt).
# Output: target/release/bundle/{deb,appimage}/. Usage: scripts/bundle.sh [deb|appimage|all]
# The .deb must stay under DEB_MAX_BYTES: over it, the script fails and says by how much.
set -euo pipefail
DEB_MAX_BYTES=10000000
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
cd ..
if [ "$which" != appimage ]; then
  deb=$(ls -t target/release/bundle/deb/*.deb | head -1)
  # The Tauri CLI compresses the package's files with gzip; xz (dpkg's own default) makes the
  # .deb about a third smaller. Same files, owners and modes: dpkg-deb unpacks and repacks it.
  if command -v dpkg-deb >/dev/null; then
    repack=$(mktemp -d)
    dpkg-deb -R "$deb" "$repack/pkg"
    dpkg-deb --root-owner-group -Zxz -z9 -Sextreme -b "$repack/pkg" "$deb" >/dev/null
    rm -rf "$repack"
  else
    echo "dpkg-deb absent : le .deb reste compressé en gzip." >&2
  fi
  size=$(stat -c %s "$deb")
  echo "$deb : $size octets (limite $DEB_MAX_BYTES), binaire $(stat -c %s target/release/reclamations) octets"
  if [ "$size" -gt "$DEB_MAX_BYTES" ]; then
    echo "ERREUR : le .deb dépasse la limite de $((size - DEB_MAX_BYTES)) octets ($size > $DEB_MAX_BYTES)." \
      "Cherchez ce qui a grossi : cargo tree -d -e normal -p reclamations, fonctionnalités des dépendances, profil release." >&2
    exit 1
  fi
fi
