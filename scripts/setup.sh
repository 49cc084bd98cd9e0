#!/usr/bin/env bash
# Installs what building, running and testing the app needs on Debian/Ubuntu, only when it is
# missing: WebKitGTK 4.1 dev libraries, Xvfb, WebKitWebDriver, PDF tools, the font, tauri-driver,
# python3 (the import-circle check).
# Usage: scripts/setup.sh [run|test]
set -euo pipefail
mode="${1:-test}"

packages=(build-essential pkg-config libwebkit2gtk-4.1-dev fonts-liberation2)
if [ "$mode" = test ]; then
  packages+=(xvfb xauth dbus webkit2gtk-driver poppler-utils qpdf imagemagick python3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "Paquets manquants : ${missing[*]} — installez-les avec le gestionnaire de paquets de votre système." >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installation des paquets système : ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  echo "Installation de tauri-driver 2.x"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

# axe-core (npm registry): the end-to-end tests run its WCAG 2.1 AA check in the real window.
if [ "$mode" = test ] && [ ! -f .axe/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  echo "Installation d'axe-core 4.x (contrôle d'accessibilité)"
  npm install --no-audit --no-fund --silent --prefix .axe 'axe-core@^4'
fi
