"""Finding a top-level X11 window by its title, shared by the e2e helper scripts."""
from Xlib import X


def find(window, title, viewable=False):
    """The first window under `window` titled `title` (mapped, when `viewable`)."""
    try:
        if window.get_wm_name() == title and (not viewable or window.get_attributes().map_state == X.IsViewable):
            return window
        children = window.query_tree().children
    except Exception:
        return None
    for child in children:
        found = find(child, title, viewable)
        if found is not None:
            return found
    return None
