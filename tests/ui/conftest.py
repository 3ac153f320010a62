"""Fixtures every UI test shares: settings that never touch the user's own, the app configured as it starts
(Swedish Qt texts, the shipped font), scripted dialogs, and the demo store."""

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402

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
