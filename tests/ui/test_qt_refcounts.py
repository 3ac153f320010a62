"""PySide6 6.12.0 loses a reference to None on every call of a method returning nothing and to True on every
signal emission, and Python aborts once the count reaches zero ("Fatal Python error: none_dealloc"). The version
is pinned below 6.12 in pyproject.toml; this test fails if a version with that bug is installed."""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402


class _Emitter(QObject):
    fired = Signal()


def test_qt_calls_do_not_leak_references_to_none_or_true(qapp):
    label, emitter = QLabel(), _Emitter()
    emitter.fired.connect(lambda: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        label.setText("Sammanträde")
        label.setEnabled(True)
        emitter.fired.emit()
    assert sys.getrefcount(None) >= none_before - 50
    assert sys.getrefcount(True) >= true_before - 50
