#!/usr/bin/env bash
# Installs what building, running and testing Kontor needs on Debian/Ubuntu:
# system packages (WebKitGTK, Xvfb, D-Bus, WebKitWebDriver), Node packages,
# tauri-driver. Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=(
  build-essential pkg-config libssl-dev curl file
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth x11-utils webkit2gtk-driver dbus dbus-x11 at-spi2-core
  python3 python3-dbus-next python3-xlib
  poppler-utils python3-icalendar
  desktop-file-utils rpm
  postgresql libdbus-1-dev gnome-keyring libsecret-tools
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The UI toolchain's floor is ui/package.json's engines.node (vite 6, vitest 3: Node 18,
# which Debian 12 and Ubuntu 24.04 ship); an older node fails inside vite with an obscure error.
node_need=$(node -p 'require("./ui/package.json").engines.node.match(/\d+/)[0]')
node_have=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_have" -lt "$node_need" ]; then
  echo "Node.js $node_need or newer is required for the UI (found $(node --version)): install nodejs $node_need+ from your distribution (Debian 12, Ubuntu 24.04 or later) or nvm, then run this again." >&2
  exit 1
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust (cargo) is required: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

if [ "${1:-}" = "--test-tools" ] && ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  say "Installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi

say "Installing UI packages"
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  # Not `npm ci`: registry mirrors may lack platform-optional packages (rollup's
  # per-OS builds) that a lock file made elsewhere lists, and `npm ci` refuses then.
  npm --prefix ui install --no-audit --no-fund
fi

say "Building the UI"
npm --prefix ui run build
