"""Editable ordered lists of the editors: förslag till beslut, avsnitt, handlingar, undertecknare, and the parts of a
protokoll § (yrkanden, reservationer, mottagare).

A ``RowList`` holds rows in order, each with its number (when numbered), its content widget and buttons to move
it up or down or remove it. The content widgets are small classes with ``value()``, ``set_value()`` and a
``changed`` signal, so one list class serves every part of the tjänsteskrivelse and of a §.
"""

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from nämndtool.ui.common.form_fields import GrowingTextEdit
from nämndtool.ui.common.widgets import muted


class RowContent(QWidget):
    """The editable part of one row."""

    changed = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus(self) -> None:
        self.focusNextChild()


class _EditRow(RowContent):
    """One edit widget filling the row; subclasses say how its text is read and written."""

    def __init__(self, edit: QWidget, accessible_name: str, placeholder: str, parent=None):
        super().__init__(parent)
        self.edit = edit
        self.edit.setAccessibleName(accessible_name)
        self.edit.setPlaceholderText(placeholder)
        self.edit.textChanged.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def focus(self) -> None:
        self.edit.setFocus()


class TextRow(_EditRow):
    """A paragraph of text, such as one förslag till beslut."""

    def __init__(self, accessible_name: str, placeholder: str = "", parent=None):
        super().__init__(GrowingTextEdit(min_lines=2), accessible_name, placeholder, parent)

    def value(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: str | None) -> None:
        self.edit.setPlainText(value or "")


class LineRow(_EditRow):
    """One line of text, such as the title of a handling."""

    def __init__(self, accessible_name: str, placeholder: str = "", parent=None):
        super().__init__(QLineEdit(), accessible_name, placeholder, parent)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: str | None) -> None:
        self.edit.setText(value or "")


class SectionRow(RowContent):
    """A further section of the tjänsteskrivelse: its heading and its text (Markdown)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rubrik = QLineEdit()
        self.rubrik.setAccessibleName("Avsnittets rubrik")
        self.rubrik.setPlaceholderText("Rubrik, t.ex. Förvaltningens bedömning")
        self.text = GrowingTextEdit(min_lines=3)
        self.text.setAccessibleName("Avsnittets text")
        self.text.setPlaceholderText("Text (Markdown)")
        self.rubrik.textChanged.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.rubrik)
        layout.addWidget(self.text)

    def value(self) -> dict:
        return {"rubrik": self.rubrik.text(), "text": self.text.toPlainText()}

    def set_value(self, value: dict | None) -> None:
        value = value or {}
        self.rubrik.setText(value.get("rubrik") or "")
        self.text.setPlainText(value.get("text") or "")

    def focus(self) -> None:
        self.rubrik.setFocus()


class SignerRow(RowContent):
    """A signer: name and title side by side."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.namn = QLineEdit()
        self.namn.setAccessibleName("Undertecknarens namn")
        self.namn.setPlaceholderText("Namn")
        self.titel = QLineEdit()
        self.titel.setAccessibleName("Undertecknarens titel")
        self.titel.setPlaceholderText("Titel, t.ex. Förvaltningschef")
        self.namn.textChanged.connect(self.changed)
        self.titel.textChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.namn, 1)
        layout.addWidget(self.titel, 1)

    def value(self) -> dict:
        return {"namn": self.namn.text(), "titel": self.titel.text()}

    def set_value(self, value: dict | None) -> None:
        value = value or {}
        self.namn.setText(value.get("namn") or "")
        self.titel.setText(value.get("titel") or "")

    def focus(self) -> None:
        self.namn.setFocus()


def _tool_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return button


class ListRow(QFrame):
    """One row of a RowList: number, content, and the buttons that move or remove it."""

    def __init__(self, content: RowContent, numbered: bool, parent=None):
        super().__init__(parent)
        self.content = content
        self.number = QLabel()
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.number.setMinimumWidth(self.fontMetrics().horizontalAdvance("10.") + 4)
        self.number.setContentsMargins(0, 4, 0, 0)
        self.number.setVisible(numbered)
        self.up = _tool_button("↑", "Flytta upp")
        self.down = _tool_button("↓", "Flytta ned")
        self.remove = _tool_button("Ta bort", "Ta bort")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.number, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(content, 1)
        for button in (self.up, self.down, self.remove):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)


class RowList(QWidget):
    """An ordered, editable list of rows with add, remove and move up/down."""

    changed = Signal()

    def __init__(self, make_content: Callable[[], RowContent], *, add_text: str | None, empty_text: str,
                 numbered: bool = False, parent=None):
        """Without ``add_text`` the list has no add button: rows come from elsewhere (the address book)."""
        super().__init__(parent)
        self._make_content = make_content
        self._numbered = numbered
        self.rows: list[ListRow] = []
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(2)
        self.empty_label = muted(empty_text)
        self.add_button = QPushButton(add_text or "")
        self.add_button.setVisible(bool(add_text))
        self.add_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.addWidget(self.add_button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._rows_layout)
        layout.addLayout(self.buttons)
        self._refresh()

    # --- reading and writing the whole list -----------------------------------------------------

    def values(self) -> list:
        return [row.content.value() for row in self.rows]

    def set_values(self, values: list) -> None:
        for row in list(self.rows):
            self._drop(row)
        for value in values:
            self._append(value)
        self._refresh()

    def contents(self) -> list[RowContent]:
        return [row.content for row in self.rows]

    def count(self) -> int:
        return len(self.rows)

    # --- user actions ----------------------------------------------------------------------------

    def add_row(self, value: Any = None, *, focus: bool = True) -> int:
        row = self._append(value)
        self._refresh()
        if focus:
            row.content.focus()
        self.changed.emit()
        return len(self.rows) - 1

    def remove_row(self, index: int) -> None:
        row = self.rows[index]
        self._drop(row)
        self._refresh()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].content.focus()
        else:
            self.add_button.setFocus()
        self.changed.emit()

    def move_row(self, index: int, delta: int) -> None:
        target = index + delta
        if not (0 <= index < len(self.rows) and 0 <= target < len(self.rows)):
            return
        row = self.rows.pop(index)
        self.rows.insert(target, row)
        self._rows_layout.removeWidget(row)
        self._rows_layout.insertWidget(target, row)
        self._refresh()
        button = row.up if delta < 0 else row.down
        (button if button.isEnabled() else row.content).setFocus()
        self.changed.emit()

    # --- internals -------------------------------------------------------------------------------

    def _append(self, value: Any) -> ListRow:
        content = self._make_content()
        if value is not None:
            content.set_value(value)
        row = ListRow(content, self._numbered)
        content.changed.connect(self.changed)
        row.up.clicked.connect(lambda: self.move_row(self.rows.index(row), -1))
        row.down.clicked.connect(lambda: self.move_row(self.rows.index(row), 1))
        row.remove.clicked.connect(lambda: self.remove_row(self.rows.index(row)))
        self.rows.append(row)
        self._rows_layout.addWidget(row)
        return row

    def _drop(self, row: ListRow) -> None:
        self.rows.remove(row)
        self._rows_layout.removeWidget(row)
        row.hide()
        row.setParent(None)
        row.deleteLater()

    def _refresh(self) -> None:
        """Numbers 1., 2. … and which buttons apply, after any change of the order."""
        for nr, row in enumerate(self.rows, 1):
            row.number.setText(f"{nr}.")
            row.up.setEnabled(nr > 1)
            row.down.setEnabled(nr < len(self.rows))
        self.empty_label.setVisible(not self.rows)
