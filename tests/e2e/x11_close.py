#!/usr/bin/env python3
"""Asks a top-level X11 window to close, as its title bar's close button
would: a WM_DELETE_WINDOW client message (no window manager needed).
Usage: x11_close.py DISPLAY TITLE"""
import sys

from Xlib import X, display, protocol

from x11_windows import find


def main():
    d = display.Display(sys.argv[1])
    # The shown window of that title: GTK's hidden client-leader window
    # carries the application's name as its title too.
    window = find(d.screen().root, sys.argv[2], viewable=True) or find(d.screen().root, sys.argv[2])
    if window is None:
        sys.exit(f"no window titled {sys.argv[2]!r}")
    protocols = d.intern_atom("WM_PROTOCOLS")
    delete = d.intern_atom("WM_DELETE_WINDOW")
    event = protocol.event.ClientMessage(window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    window.send_event(event, event_mask=X.NoEventMask)
    d.flush()


if __name__ == "__main__":
    main()
