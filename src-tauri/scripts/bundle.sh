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

say "Building (release) and bundling Kontor ($bundles)"
rm -rf target/release/bundle/deb target/release/bundle/rpm
# Tauri's build builds the workspace's default members: the app and the CLI
# that the packages carry (tauri.conf.json: bundle.linux.*.files).
npm --prefix ui exec --no -- tauri build --ci --bundles "$bundles" -- --locked
version=$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "kontor-cli"))')
if [ "$(target/release/kontor --version)" != "kontor $version" ]; then
  echo "target/release/kontor is not this build's CLI ($version): $(target/release/kontor --version)" >&2
  exit 1
fi

say "Packages"
ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm
