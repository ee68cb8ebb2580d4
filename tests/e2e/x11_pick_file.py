#!/usr/bin/env python3
"""Answers a native GTK file dialog (open or save) as a user would with the
keyboard: waits for the window titled TITLE, focuses it, presses Ctrl+L and
Ctrl+A, types PATH and Return — through the XTEST extension, so GTK sees real key events.
Usage: x11_pick_file.py DISPLAY TITLE PATH"""
import sys
import time

from Xlib import X, XK, display
from Xlib.ext import xtest

from x11_windows import find


NAMES = {"/": "slash", ".": "period", "-": "minus", "_": "underscore", " ": "space", "~": "asciitilde", ":": "colon"}


def key(d, keysym_name, shift=False):
    code = d.keysym_to_keycode(XK.string_to_keysym(keysym_name))
    if code == 0:
        sys.exit(f"no key for {keysym_name!r}")
    shift_code = d.keysym_to_keycode(XK.string_to_keysym("Shift_L"))
    if shift:
        xtest.fake_input(d, X.KeyPress, shift_code)
    xtest.fake_input(d, X.KeyPress, code)
    xtest.fake_input(d, X.KeyRelease, code)
    if shift:
        xtest.fake_input(d, X.KeyRelease, shift_code)
    d.sync()
    time.sleep(0.01)


def type_text(d, text):
    for c in text:
        name = NAMES.get(c, c)
        if c.isalpha():
            key(d, c.lower(), shift=c.isupper())
        elif c == "_":
            key(d, "minus", shift=True)
        elif c == "~":
            key(d, "grave", shift=True)
        elif c == ":":
            key(d, "semicolon", shift=True)
        else:
            key(d, name)


def main():
    d = display.Display(sys.argv[1])
    title, path = sys.argv[2], sys.argv[3]
    deadline = time.time() + 20
    window = None
    while window is None:
        window = find(d.screen().root, title, viewable=True)
        if window is None:
            if time.time() > deadline:
                sys.exit(f"no window titled {title!r}")
            time.sleep(0.2)
    time.sleep(1.0)  # let GTK finish mapping and focusing its widgets
    window.set_input_focus(X.RevertToParent, X.CurrentTime)
    geometry = window.get_geometry()
    window.warp_pointer(geometry.width // 2, 10)
    d.sync()
    time.sleep(0.3)
    control = d.keysym_to_keycode(XK.string_to_keysym("Control_L"))
    # Ctrl+L shows the location entry (open dialogs) or focuses the name
    # (save dialogs); Ctrl+A then selects what is there, so typing replaces it.
    for letter in ("l", "a"):
        xtest.fake_input(d, X.KeyPress, control)
        key(d, letter)
        xtest.fake_input(d, X.KeyRelease, control)
        d.sync()
        time.sleep(0.4)
    type_text(d, path)
    time.sleep(0.3)
    key(d, "Return")
    d.sync()


if __name__ == "__main__":
    main()
