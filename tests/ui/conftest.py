"""Fixtures every UI test shares: settings that never touch the user's own, the app configured as it starts
(Swedish Qt texts, the shipped font), scripted dialogs, and the demo store."""

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings, QStandardPaths, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QLabel  # noqa: E402

from nämndtool.demo import create_demo  # noqa: E402
from nämndtool.ui import app as ui_app  # noqa: E402
from nämndtool.ui.common.dialogs import ScriptedDialogs  # noqa: E402


@pytest.fixture(autouse=True)
def settings_dir(qapp, tmp_path) -> Path:
    """QSettings and Qt's standard paths of every UI test go to a temporary folder, never into the user's own."""
    QStandardPaths.setTestModeEnabled(True)
    folder = tmp_path / "settings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder))
    ui_app.configure_application(qapp)
    return folder


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    """Dialogs that answer from a script and record what was shown (``dialogs.messages("error")``)."""
    return ScriptedDialogs()


@pytest.fixture
def demo(store):
    """The full demo store: the held 2023 meeting, a coming nämnd meeting, a coming utskott meeting, the roster
    and the address book."""
    create_demo(store)
    return store


MODAL_LIMIT_S = 30


@pytest.fixture(autouse=True)
def modal_watchdog(qapp):
    """A modal dialog still open after MODAL_LIMIT_S seconds is one nobody in the test will answer: it is closed and
    the test fails with its text, instead of the whole suite hanging until CI gives up."""
    left_open: list[str] = []
    seen: dict[int, int] = {}

    def check():
        widget = QApplication.activeModalWidget()
        if widget is None:
            seen.clear()
            return
        ticks = seen.get(id(widget), 0) + 1
        seen.clear()
        seen[id(widget)] = ticks
        if ticks >= MODAL_LIMIT_S:
            texts = [label.text() for label in widget.findChildren(QLabel) if label.text()]
            left_open.append(f"{widget.windowTitle()!r}: {' | '.join(texts)}")
            widget.reject() if isinstance(widget, QDialog) else widget.close()
            seen.clear()

    timer = QTimer()
    timer.setInterval(1000)
    timer.timeout.connect(check)
    timer.start()
    yield
    timer.stop()
    if left_open:
        pytest.fail("En modal dialog stod öppen utan svar och stängdes: " + "; ".join(left_open))
