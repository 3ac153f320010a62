"""Typing as a user does. QTest.keyClicks sends ASCII only (å ä ö abort it), so other characters are sent as key
events that carry their text, as a Swedish keyboard layout would."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def type_text(widget, text: str) -> None:
    """Key presses for ``text`` into ``widget``, which gets the focus first."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            QTest.keyClick(widget, char)
        else:
            for action in (QTest.KeyAction.Press, QTest.KeyAction.Release):
                QTest.sendKeyEvent(action, widget, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier)
