"""Form-field helpers shared by the views: a date that may be empty, text that grows with its content, section
headings, the secrecy badge and banner, and the label that says what is wrong with the input."""

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QDateEdit, QHBoxLayout, QLabel, QSizePolicy, QTextEdit, QToolButton, QWidget,
)

from nämndtool.ui.common.table_models import SECRET_BACKGROUND, SECRET_FOREGROUND, SECRET_MARK

LAGRUM_EXAMPLE = "26 kap. 1 § OSL"
"""The lagrum offered as an example wherever one is typed."""

EMPTY_DATE = QDate(1900, 1, 1)
"""The stored "no date": the edit's minimum, shown as the special text instead of a date."""

SECRET_STYLE = (f"background: {SECRET_BACKGROUND.name()}; color: {SECRET_FOREGROUND.name()};"
                f" border: 1px solid {SECRET_FOREGROUND.name()}; border-radius: 3px; padding: 3px 8px;")


class OptionalDateEdit(QDateEdit):
    """A QDateEdit that can be empty. Clicking or typing into an empty one starts from today's date."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(EMPTY_DATE)
        self.setSpecialValueText("Inget datum")
        self.setDate(EMPTY_DATE)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("Inget datum") + 60)

    def is_empty(self) -> bool:
        return self.date() == EMPTY_DATE

    def iso(self) -> str | None:
        return None if self.is_empty() else self.date().toString("yyyy-MM-dd")

    def set_iso(self, value: str | None) -> None:
        date = QDate.fromString(value or "", "yyyy-MM-dd")
        self.setDate(date if date.isValid() and date > EMPTY_DATE else EMPTY_DATE)

    def clear_date(self) -> None:
        self.setDate(EMPTY_DATE)

    def _start_from_today(self) -> None:
        self.setDate(QDate.currentDate())
        self.setSelectedSection(QDateEdit.Section.YearSection)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.is_empty():
            self._start_from_today()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self.is_empty():
            if self.lineEdit().selectedText() == self.lineEdit().text():
                self.clear_date()  # the whole date selected and deleted: no date
                return
        starting = key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) or \
            event.text().isdigit()
        if self.is_empty() and starting:
            self._start_from_today()
            if not event.text().isdigit():
                return
        super().keyPressEvent(event)


class DateField(QWidget):
    """An optional date with a button that empties it."""

    changed = Signal()

    def __init__(self, accessible_name: str, parent=None):
        super().__init__(parent)
        self.edit = OptionalDateEdit()
        self.edit.setAccessibleName(accessible_name)
        self.clear_button = QToolButton()
        self.clear_button.setText("Töm")
        self.clear_button.setToolTip(f"Ta bort {accessible_name.lower()}")
        self.clear_button.setAccessibleName(f"Töm {accessible_name.lower()}")
        self.clear_button.clicked.connect(self.edit.clear_date)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.edit.dateChanged.connect(self._on_date)
        self._on_date()

    def _on_date(self) -> None:
        self.clear_button.setEnabled(not self.edit.is_empty())
        self.changed.emit()

    def iso(self) -> str | None:
        return self.edit.iso()

    def set_iso(self, value: str | None) -> None:
        self.edit.set_iso(value)


class GrowingTextEdit(QTextEdit):
    """Plain text that grows with its content between ``min_lines`` and ``max_lines`` lines."""

    def __init__(self, min_lines: int = 2, max_lines: int = 14, parent=None):
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self._min_lines, self._max_lines = min_lines, max_lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def _fit(self, *_args) -> None:
        line = self.fontMetrics().lineSpacing()
        frame = 2 * self.frameWidth() + int(2 * self.document().documentMargin())
        content = int(self.document().size().height()) + 2 * self.frameWidth()
        height = max(self._min_lines * line + frame, min(self._max_lines * line + frame, content))
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()


def section_heading(text: str) -> QLabel:
    """A heading inside the form, styled like a heading of the printed document."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    label.setContentsMargins(0, 10, 0, 2)
    return label


def part_heading(text: str) -> QLabel:
    """The heading of a main part of the editor (Ärende, Tjänsteskrivelse)."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.3)
    label.setFont(font)
    return label


def secret_badge(text: str = SECRET_MARK) -> QLabel:
    """The secrecy marker: pale red background, dark red bold text, the word SEKRETESS."""
    badge = QLabel(text)
    badge.setStyleSheet(SECRET_STYLE + " font-weight: bold;")
    badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return badge


def problem_label() -> QLabel:
    """A red label for what is wrong with the input; hidden while there is nothing to say."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, SECRET_FOREGROUND)
    label.setPalette(palette)
    label.setAccessibleName("Felmeddelande")
    label.hide()
    return label


def show_problems(label: QLabel, problems: list[str]) -> None:
    label.setText("\n".join(problems))
    label.setVisible(bool(problems))


def secret_banner(text: str) -> QLabel:
    """The secrecy convention: pale red background, dark red text, the word SEKRETESS."""
    label = QLabel(f"{SECRET_MARK}  {text}")
    label.setWordWrap(True)
    label.setStyleSheet(
        f"background: {SECRET_BACKGROUND.name()}; color: {SECRET_FOREGROUND.name()}; padding: 6px 8px;"
        " font-weight: bold;"
    )
    return label
