#!/usr/bin/env bash
# Runs every test: formatting and lints, the core's, the CLI's and the
# shell's tests, the UI's unit tests, and the end-to-end suite that drives the
# real window in WebKit (it starts its own Xvfb, D-Bus and tauri-driver), and
# the packages, built, installed with dpkg and run from /usr/bin (root or sudo).
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

bash src-tauri/scripts/setup.sh --test-tools
export PATH="$HOME/.cargo/bin:$PATH"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

say "UI tests (against the app's real commands: the ui_backend example)"
cargo build --locked --example ui_backend
npm --prefix ui test 2>&1 | tee "$logs/ui.log"

say "rustfmt"
cargo fmt --all -- --check

say "clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "The core has no tauri or webkit in its dependency tree"
if cargo tree -p kontor-core -e normal,build --prefix none --locked | grep -Ei '^(tauri|wry|webkit|gtk)'; then
  echo "kontor-core depends on a GUI crate (above)" >&2
  exit 1
fi

say "Rust tests: core, CLI, shell (mock runtime), end-to-end (real window)"
cargo test --workspace --locked 2>&1 | tee "$logs/rust.log"

say "Installed packages: build the .deb, install it, run the installed Kontor, upgrade, remove"
bash src-tauri/scripts/test-packages.sh 2>&1 | tee "$logs/packages.log"

say "Generated files are up to date (TypeScript bindings, command wrappers, the capability)"
if ! git diff --exit-code -- ui/src/bindings ui/src/generated src-tauri/capabilities; then
  echo "the build and the tests regenerated the files above: commit them" >&2
  exit 1
fi

# One closing line for tools: the Rust and UI tests together.
sed 's/\x1b\[[0-9;]*m//g' "$logs/rust.log" "$logs/packages.log" "$logs/ui.log" | awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^ +Tests +[0-9]+ passed/ { p += $2 }
  /^ +Tests +[0-9]+ failed/ { f += $2 }
  END { printf "%d passed, %d failed\n", p, f }'
