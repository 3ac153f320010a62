"""The screenshot check itself: it catches a cut-off button and label and a window larger than the screen, and lets
a roomy one through."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget  # noqa: E402

from ui_checks import assert_readable, clipped_texts  # noqa: E402


def _row(qtbot, width: int) -> QWidget:
    widget = QWidget()
    layout = QHBoxLayout(widget)
    button, label = QPushButton("Ta bort"), QLabel("En etikett som ska synas hel")
    button.setFixedWidth(width)
    label.setFixedWidth(width * 5)
    layout.addWidget(button)
    layout.addWidget(label)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_cut_off_button_and_label_are_named(qtbot):
    found = clipped_texts(_row(qtbot, 30))
    assert any("'Ta bort'" in hit for hit in found) and any("etikett" in hit for hit in found), found


def test_room_enough_passes_and_the_picture_is_saved(qtbot):
    assert assert_readable(_row(qtbot, 120), "test-ui-checks.png").stat().st_size > 0


def test_larger_than_the_screen_is_refused(qtbot):
    widget = _row(qtbot, 120)
    widget.resize(1400, 700)
    with pytest.raises(AssertionError, match="större än skärmen"):
        assert_readable(widget, "test-ui-checks-stor.png")
