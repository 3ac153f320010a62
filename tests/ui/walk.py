"""Helpers of the issue 13 walk-through (tests/ui/test_issue13_walkthrough.py): the user's hands on the main window.

Everything here is a key press, a click, a menu entry or a wait for the app to finish what it started; nothing
calls a view's private method or writes to the store."""

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMenu, QTableView, QTabWidget, QWidget
from shiboken6 import isValid

from keys import type_text
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@dataclass
class Walk:
    """What the walk-through carries from step to step: the user's window, the store it shows (read only, to check
    the outcome), the scripted answers of the dialogs and where files go."""

    qtbot: object
    window: object
    store: object
    dialogs: ScriptedDialogs
    folder: Path
    shots: list[Path] = field(default_factory=list)
    ids: dict = field(default_factory=dict)
    """What a step found in the store and a later step needs (the ärende's id, the meeting's id)."""

    def settle(self) -> None:
        """Until everything the app handed to its runner is written and its outcome shown, and the events it posted
        (widgets shown later, layouts) are handled: what the user would see."""
        self.qtbot.waitUntil(tasks.idle, timeout=60_000)
        QApplication.processEvents()

    def shot(self, step: str, widget: QWidget | None = None) -> Path:
        """The window (or a dialog in front of it) readable at 1366×768, saved as the next numbered screenshot."""
        self.settle()
        path = assert_readable(widget or self.window, f"walkthrough-{len(self.shots) + 1:02d}-{step}.png")
        self.shots.append(path)
        return path

    def front(self, widget: QWidget | None = None) -> QWidget:
        """The window (or a dialog) the user has in front, taking the keys."""
        widget = widget or self.window
        widget.activateWindow()
        self.qtbot.waitUntil(widget.isActiveWindow)
        return widget

    def focus(self, widget: QWidget) -> QWidget:
        """The widget taking the keys, in the window in front (as after a click into it)."""
        self.front(widget.window())
        widget.setFocus()
        self.qtbot.waitUntil(widget.hasFocus)
        return widget

    def click(self, widget: QWidget) -> None:
        """A click on a button (or check box) the user can see and use; then what it started is waited for."""
        what = f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}"
        assert widget.isVisible(), f"{what} syns inte"
        assert widget.isEnabled(), f"{what} är gråad"
        self.qtbot.mouseClick(widget, LEFT)
        self.settle()

    def keys(self, widget: QWidget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        """A key (with modifiers) pressed where ``widget`` has the focus."""
        self.qtbot.keyClick(widget, key, modifiers)

    def type(self, widget: QWidget, text: str) -> None:
        """Click into a field, select what is there, and type ``text`` in its place, å ä ö included."""
        area = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
        self.qtbot.mouseClick(area, LEFT, pos=QPoint(area.width() // 2, min(area.height() // 2, 10)))
        self.qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
        self.qtbot.keyClick(widget, Qt.Key.Key_Delete)
        type_text(widget, text)

    def pick(self, combo, text: str) -> None:
        """Choose ``text`` in a drop-down list by typing its first word (a space would open the list)."""
        self.focus(combo)
        type_text(combo, text.split()[0])
        assert combo.currentText() == text, f"{combo.accessibleName()}: {combo.currentText()!r}, inte {text!r}"
        assert QApplication.activePopupWidget() is None

    def shortcut(self, key, modifiers=CTRL) -> None:
        """A shortcut pressed in the window."""
        self.front()
        assert QApplication.activePopupWidget() is None, "en meny eller lista är öppen"
        target = QApplication.focusWidget() or self.window
        self.qtbot.keyClick(target, key, modifiers)

    def view(self, number: int, name: str) -> None:
        """Visa → the view, with its shortcut Ctrl+``number``."""
        self.shortcut(getattr(Qt.Key, f"Key_{number}"))
        assert self.window.current_view() == name

    def menu(self, title: str, entry: str) -> None:
        """The window's menu ``title`` clicked in the menu bar, then ``entry`` chosen in it with the keys."""
        self.front()
        bar = self.window.menuBar()
        action = next(a for a in bar.actions() if plain(a.text()) == title)
        self.choose_in_popup(lambda: self.qtbot.mouseClick(bar, LEFT, pos=bar.actionGeometry(action).center()),
                             entry)

    def tool_menu(self, button: QWidget, entry: str) -> None:
        """A button with a menu (Kallelse ▾, Handlingar ▾) clicked, then ``entry`` chosen in its menu."""
        self.choose_in_popup(lambda: self.qtbot.mouseClick(button, LEFT), entry)

    def choose_in_popup(self, open_it, entry: str) -> None:
        """``open_it()`` opens a menu; ``entry`` is chosen in it with the arrow's place and Enter."""
        chosen = []

        def pick() -> None:
            menu = QApplication.activePopupWidget()
            assert isinstance(menu, QMenu), "ingen meny öppnades"
            found = [a for a in menu.actions() if plain(a.text()) == entry]
            assert found, f"{entry!r} finns inte i menyn: {[plain(a.text()) for a in menu.actions()]}"
            assert found[0].isEnabled(), f"{entry!r} är gråad i menyn"
            menu.setActiveAction(found[0])
            self.qtbot.keyClick(menu, Qt.Key.Key_Return)
            chosen.append(entry)

        QTimer.singleShot(0, pick)
        open_it()
        self.qtbot.waitUntil(lambda: chosen == [entry])
        self.settle()

    def click_row(self, view: QTableView, row: int) -> None:
        """A click on a row of a list (scrolled into sight first, as the user would)."""
        index = view.model().index(row, 0)
        view.scrollTo(index)
        self.qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
        self.settle()

    def row_with(self, view: QTableView, text: str, column: int | None = None) -> int:
        """The first row of a list showing ``text`` in a cell (in ``column`` when given)."""
        model = view.model()
        columns = [column] if column is not None else range(model.columnCount())
        for row in range(model.rowCount()):
            if any(text in str(model.index(row, c).data() or "") for c in columns):
                return row
        raise AssertionError(f"{text!r} står inte i listan {view.accessibleName()!r}")

    def type_date(self, edit, text: str) -> None:
        """Click into a date field's text, type the date as a Swede does and leave the field with Tab."""
        line = self.focus(edit).lineEdit()
        self.qtbot.mouseClick(line, LEFT, pos=QPoint(6, line.height() // 2))
        self.qtbot.keyClicks(edit, text)
        self.qtbot.keyClick(edit, Qt.Key.Key_Tab)

    def dialog_of(self, kind: type, parent: QWidget | None = None) -> QWidget:
        """The dialog of this class that the app opened, once it is shown."""
        found = []

        def shown() -> bool:
            found[:] = [w for w in (parent or self.window).findChildren(kind) if w.isVisible()]
            return bool(found)

        self.qtbot.waitUntil(shown, timeout=10_000)
        return found[-1]

    def closed(self, dialog: QWidget) -> None:
        """Until the dialog has closed (a dialog deleted on close counts as closed)."""
        self.qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=30_000)
        self.settle()

    def tab(self, tabs: QTabWidget, text: str) -> None:
        """Click the tab whose title starts with ``text``."""
        bar = tabs.tabBar()
        index = next(i for i in range(bar.count()) if bar.tabText(i).replace("&", "").startswith(text))
        self.qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
        self.qtbot.waitUntil(lambda: tabs.currentIndex() == index)

    def saved_file(self, name: str) -> Path:
        """The answer to the next save dialog: ``name`` in the walk-through's folder."""
        path = self.folder / name
        self.dialogs.save_answers.append(path)
        return path

    def no_errors(self) -> None:
        assert self.dialogs.messages("error") == [], self.dialogs.messages("error")


def plain(text: str) -> str:
    """A menu or button text as read: without the & of its mnemonic."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
