"""Whether a desktop window can be shown at all, checked before Qt is imported."""

import os
import sys


def missing_display_message() -> str | None:
    """One Swedish line when there is no screen to open a window on, else None."""
    if not sys.platform.startswith("linux"):
        return None
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "Ingen skärm hittades (DISPLAY och WAYLAND_DISPLAY saknas), så fönstret kan inte visas. "
        "Starta på en virtuell skärm med: xvfb-run make run"
    )
