#!/usr/bin/env bash
# Tests Kontor as it is installed: builds this tree's packages (bundle.sh)
# and the previous release's .deb, then runs tests/e2e/tests/package.rs,
# which installs them with dpkg, runs the installed Kontor under Xvfb and a
# session bus, upgrades from the previous release and removes the package.
# Needs root or sudo (dpkg). Part of the test command (test.sh).
#
# The previous release is named in packaging/previous-release ("VERSION
# COMMIT"); its .deb is built from that commit (with this tree's Tauri CLI and
# the CLI binary added to it, as the packages carry it since) and kept in
# target/packages/ for the next run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

read -r prev_version prev_commit < packaging/previous-release
mkdir -p target/packages
previous="$root/target/packages/kontor_${prev_version}_previous.deb"
if [ ! -f "$previous" ]; then
  if ! git cat-file -e "${prev_commit}^{commit}" 2>/dev/null; then
    # A shallow clone: fetch that one commit from where the clone came from.
    say "Fetching the previous release's commit ${prev_commit:0:10}"
    git fetch --quiet --depth=1 origin "$prev_commit" 2>/dev/null || git fetch --quiet --unshallow 2>/dev/null || true
  fi
  if ! git cat-file -e "${prev_commit}^{commit}" 2>/dev/null; then
    echo "The previous release's commit $prev_commit is not in this clone and could not be fetched: clone the whole history (or 'git fetch --unshallow') and try again." >&2
    exit 1
  fi
  say "Building the previous release's package ($prev_version, ${prev_commit:0:10})"
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  git archive "$prev_commit" | tar -x -C "$tree"
  # Cargo names a workspace crate's build by its name and version, not its
  # path: newer files make sure nothing built from this tree at the same
  # version (its build script's output, say) counts as the old release's.
  find "$tree" -exec touch {} +
  (
    cd "$tree"
    npm --prefix ui install --no-audit --no-fund --prefer-offline >/dev/null
    npm --prefix ui run build >/dev/null
    # The same target dir: only Kontor's own crates are built again. Tauri's
    # build builds the default members, the CLI among them.
    export CARGO_TARGET_DIR="$root/target"
    rm -rf "$root/target/release/bundle/deb"
    "$root/ui/node_modules/.bin/tauri" build --ci --bundles deb \
      --config "{\"bundle\":{\"linux\":{\"deb\":{\"files\":{\"/usr/bin/kontor\":\"$root/target/release/kontor\"}}}}}" \
      -- --locked
  )
  cp "$root"/target/release/bundle/deb/*.deb "$previous"
fi

bash src-tauri/scripts/bundle.sh
deb=$(ls "$root"/target/release/bundle/deb/*.deb)
rpm=$(ls "$root"/target/release/bundle/rpm/*.rpm)

say "The installed packages (dpkg -i, the installed Kontor under Xvfb, upgrade, dpkg -r)"
KONTOR_DEB="$deb" KONTOR_RPM="$rpm" KONTOR_PREVIOUS_DEB="$previous" \
  cargo test --locked -p kontor-e2e --test package -- --ignored --test-threads=1
