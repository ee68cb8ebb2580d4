#!/usr/bin/env bash
# Sets up everything (see setup.sh), builds Kontor in release mode and starts it.
# Without a display (no DISPLAY/WAYLAND_DISPLAY) it starts a virtual one (Xvfb :99).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash src-tauri/scripts/setup.sh

printf '\033[1m==> %s\033[0m\n' "Building Kontor (release)"
cargo build --release --bin kontor-desktop --bin kontor

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export DISPLAY=:99
  # Asked, not guessed from /tmp/.X11-unix/X99: an Xvfb killed earlier
  # leaves its socket behind, and the app then finds no display.
  if ! xdpyinfo -display "$DISPLAY" >/dev/null 2>&1; then
    echo "No display found: starting a virtual one (Xvfb $DISPLAY)."
    Xvfb "$DISPLAY" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
    sleep 1
  fi
fi

echo "Starting Kontor (data: ${KONTOR_DATA_DIR:-default app data dir}). The CLI is target/release/kontor."
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null 2>&1; then
  exec dbus-run-session -- target/release/kontor-desktop
fi
exec target/release/kontor-desktop
