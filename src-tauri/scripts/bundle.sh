#!/usr/bin/env bash
# Builds Kontor's packages for this machine with Tauri's own bundler (the
# Tauri CLI pinned in ui/package.json): on Linux a .deb and an .rpm in
# target/release/bundle/{deb,rpm}/. Each carries the desktop app
# (/usr/bin/kontor-desktop), the CLI (/usr/bin/kontor), the desktop entry
# de.kontor.crm.desktop, the icons and the AppStream metadata.
#
# No AppImage: Tauri's AppImage step downloads linuxdeploy, its GTK plugin
# and the AppImage runtime from GitHub while it bundles, and no
# distribution packages them; see README.md, "Packages".
# Windows and macOS installers are built by .github/workflows/packages.yml.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

case "$(uname -s)" in
  Linux) bundles=deb,rpm ;;
  *) echo "bundle.sh builds the Linux packages; Windows and macOS use .github/workflows/packages.yml" >&2; exit 1 ;;
esac

bash src-tauri/scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

say "Building the CLI the packages carry (release)"
cargo build --release --locked -p kontor-cli

say "Building and bundling the desktop app ($bundles)"
rm -rf target/release/bundle/deb target/release/bundle/rpm
npm --prefix ui exec --no -- tauri build --ci --bundles "$bundles" -- --locked

say "Packages"
ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm
