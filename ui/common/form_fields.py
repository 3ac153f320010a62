"""Form-field helpers shared by the views: the date field (typed as a Swede types a date, or picked in a calendar
that draws whole), a date that may be empty, text that grows with its content, section headings, the secrecy
badge and banner, and the label that says what is wrong with the input."""

import calendar
import datetime as dt
import re

from PySide6.QtCore import QDate, QDateTime, QEvent, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QPalette, QValidator
from PySide6.QtWidgets import (
    QCalendarWidget, QDateEdit, QHBoxLayout, QLabel, QSizePolicy, QTextEdit, QToolButton, QToolTip, QWidget,
)

from nämndtool.ui.common.table_models import SECRET_BACKGROUND, SECRET_FOREGROUND, SECRET_MARK

LAGRUM_EXAMPLE = "26 kap. 1 § OSL"
"""The lagrum offered as an example wherever one is typed."""

EMPTY_DATE = QDate(1900, 1, 1)
"""The stored "no date": the edit's minimum, shown as the special text instead of a date."""

SECRET_STYLE = (f"background: {SECRET_BACKGROUND.name()}; color: {SECRET_FOREGROUND.name()};"
                f" border: 1px solid {SECRET_FOREGROUND.name()}; border-radius: 3px; padding: 3px 8px;")


SWEDISH = QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)
DATE_HINT = "Skriv datumet, till exempel 2026-12-15, 15/12 eller 15 dec, eller välj i kalendern (Alt+Ned)."
MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_TYPED_CHARACTERS = re.compile(r"[0-9a-zåäöA-ZÅÄÖ .,/\-]*")
_ISO = re.compile(r"(\d{4})\s*[-./ ]\s*(\d{1,2})\s*[-./ ]\s*(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[-/. ]\s*(\d{4}|\d{2}))?\.?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\s*\.?\s*([a-zåäö]{3,})\.?(?:\s*(\d{4}|\d{2}))?")


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _clamped(year: int, month: int, day: int) -> dt.date | None:
    """The day in that month, or its last day when the month is shorter (31 January → February: the 28th)."""
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _full_year(text: str | None, base: dt.date) -> int:
    if not text:
        return base.year
    return 2000 + int(text) if len(text) == 2 else int(text)


def parse_typed_date(text: str, base: dt.date | None = None, section: str | None = None) -> dt.date | None:
    """A date as a Swede types it, or None: ``2026-12-15``, ``20261215``, ``261215``, ``15/12``, ``15/12 2026``,
    ``15.12.26``, ``15 dec``, ``15 december 2026``, ``i dag``; a number alone is a day of ``base``'s month
    (``section`` ``"month"`` or ``"year"``: the month or year of ``base``, where the user clicked). What is left out
    comes from ``base`` (today when None)."""
    text = " ".join((text or "").strip().casefold().split())
    base = base or dt.date.today()
    if text in ("idag", "i dag"):
        return dt.date.today()
    if match := _ISO.fullmatch(text):
        return _date(*map(int, match.groups()))
    if text.isdigit() and len(text) in (6, 8):
        year, rest = (text[:4], text[4:]) if len(text) == 8 else ("20" + text[:2], text[2:])
        return _date(int(year), int(rest[:2]), int(rest[2:]))
    if text.isdigit() and len(text) == 4:
        return _clamped(int(text), base.month, base.day)
    if text.isdigit() and len(text) <= 2:
        number = int(text)
        if section == "month":
            return _clamped(base.year, number, base.day)
        if section == "year":
            return _clamped(2000 + number, base.month, base.day)
        return _date(base.year, base.month, number)
    if match := _DAY_MONTH.fullmatch(text):
        day, month, year = match.groups()
        return _date(_full_year(year, base), int(month), int(day))
    if match := _DAY_MONTH_NAME.fullmatch(text):
        day, name, year = match.groups()
        month = next((i for i, prefix in enumerate(MONTH_PREFIXES, 1) if name.startswith(prefix)), None)
        return _date(_full_year(year, base), month, int(day)) if month else None
    return None


class SwedishCalendar(QCalendarWidget):
    """The calendar a date field opens: Swedish day and month names, Monday first, ISO week numbers, and large
    enough for the font that every weekday heading and every day is drawn (and its own style sheet, so a padding
    the window gives table cells cannot squeeze the days out)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setLocale(SWEDISH)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers)
        self.setGridVisible(False)
        self.setStyleSheet("QTableView::item { padding: 0px; margin: 0px; }")
        metrics = self.fontMetrics()
        names = [SWEDISH.dayName(day, QLocale.FormatType.ShortFormat) for day in range(1, 8)]
        cell = max(metrics.horizontalAdvance(text) for text in [*names, "30", "53"]) + 16
        rows = metrics.height() + 10
        self.setMinimumSize(8 * cell + 8, 7 * rows + metrics.height() + 24)
        month_button = self.findChild(QToolButton, "qt_calendar_monthbutton")
        if month_button is not None:   # room for "september" whatever width Qt guessed
            widest = max(month_button.fontMetrics().horizontalAdvance(SWEDISH.standaloneMonthName(month))
                         for month in range(1, 13))
            month_button.setMinimumWidth(widest + 28)


class DateEdit(QDateEdit):
    """A date field that takes the date as a Swede types it (:func:`parse_typed_date`) or from its calendar.

    The first key typed after the field gets focus replaces the whole date, so ``15/12`` or ``2026-12-15`` can be
    typed straight away; a number alone changes the day (or the month or year when that part was clicked). The
    typed text is read when the field is left or Enter is pressed; text that is no date puts the date back and
    says so. Opening the calendar changes nothing until a day is picked."""

    def __init__(self, date: QDate | None = None, parent=None):
        super().__init__(parent)
        self.setLocale(SWEDISH)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setCalendarWidget(SwedishCalendar(self))
        self.setKeyboardTracking(False)
        self.setToolTip(DATE_HINT)
        self._fresh = True
        """The next key typed starts a new date instead of editing the shown one."""
        self._clicked: str | None = None
        """The part of the date (day, month, year) the user clicked into, for a number typed alone."""
        self._typed_section: str | None = None
        self.lineEdit().installEventFilter(self)
        if date is not None:
            self.setDate(date)

    # --- reading what was typed ---------------------------------------------------------------------------------

    def _base(self) -> dt.date | None:
        return self.date().toPython() if self.date() > self.minimumDate() or not self.specialValueText() else None

    def typed_date(self, text: str) -> QDate | None:
        """The date ``text`` stands for in this field, or None."""
        if self.specialValueText() and text.strip() in ("", self.specialValueText()):
            return self.minimumDate()
        found = parse_typed_date(text, self._base(), self._typed_section)
        if found is None:
            return None
        date = QDate(found.year, found.month, found.day)
        return date if self.minimumDate() <= date <= self.maximumDate() else None

    def validate(self, text: str, pos: int):
        if self.typed_date(text) is not None:
            return QValidator.State.Acceptable, text, pos
        if len(text) <= 24 and _TYPED_CHARACTERS.fullmatch(text):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def dateTimeFromText(self, text: str) -> QDateTime:
        date = self.typed_date(text)
        return QDateTime(date, QTime(0, 0)) if date is not None else self.dateTime()

    def fixup(self, text: str) -> str:
        date = self.typed_date(text)
        return self.textFromDateTime(QDateTime(date, QTime(0, 0))) if date is not None else text

    # --- typing -------------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text, key = event.text(), event.key()
        plain = not (event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier))
        if plain and text and _TYPED_CHARACTERS.fullmatch(text) and text.strip(" "):
            if self._fresh:
                self._start_typing()
            self.lineEdit().insert(text)
            return
        if plain and key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            if self._fresh:   # edits the text where the cursor is; what is left is read as typed
                self._start_typing(select=False)
            self.lineEdit().event(event)
            return
        if not self._fresh and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End):
            self.lineEdit().event(event)
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) and not self._fresh:
            self.interpretText()
            self._fresh = True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            unreadable = self._unreadable()
            super().keyPressEvent(event)
            self._done_typing(unreadable)
            return
        super().keyPressEvent(event)

    def _start_typing(self, select: bool = True) -> None:
        sections = {QDateEdit.Section.DaySection: "day", QDateEdit.Section.MonthSection: "month",
                    QDateEdit.Section.YearSection: "year"}
        self._typed_section = sections.get(self.currentSection()) if self._clicked and select else None
        self._fresh = False
        if select:
            self.lineEdit().selectAll()

    def _unreadable(self) -> str | None:
        """What the user typed, when it is no date (read before Qt puts the date back)."""
        typed = self.lineEdit().text()
        if self._fresh or typed == self.textFromDateTime(self.dateTime()) or self.typed_date(typed) is not None:
            return None
        return typed

    def _done_typing(self, unreadable: str | None) -> None:
        """The typed text has been read (Enter, or the field left); text that was no date is said, and the date
        it left untouched is shown."""
        if unreadable is not None:
            self.lineEdit().setText(self.textFromDateTime(self.dateTime()))
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()),
                              f"”{unreadable}” är inget datum. {DATE_HINT}", self)
        self._fresh, self._clicked, self._typed_section = True, None, None

    def focusNextPrevChild(self, next_: bool) -> bool:
        """Tab leaves the field, as in every other field (Qt's date field would step through its parts)."""
        return QWidget.focusNextPrevChild(self, next_)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._fresh, self._clicked = True, None

    def focusOutEvent(self, event: QFocusEvent) -> None:
        unreadable = self._unreadable()
        super().focusOutEvent(event)
        self._done_typing(unreadable)

    def eventFilter(self, watched, event: QEvent) -> bool:
        if watched is self.lineEdit() and event.type() == QEvent.Type.MouseButtonPress:
            self._clicked, self._fresh = "text", True   # typing next starts anew, a number alone in this part
        return super().eventFilter(watched, event)

    # --- the calendar -------------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self._calendar_page()

    def _calendar_page(self) -> None:
        """An empty field's calendar opens on this month (the empty date is long ago), choosing nothing."""
        calendar = self.calendarWidget()
        if calendar is not None and calendar.isVisible() and self._base() is None:
            today = QDate.currentDate()
            calendar.setCurrentPage(today.year(), today.month())


class OptionalDateEdit(DateEdit):
    """A date field that can be empty ("Inget datum"): emptied by deleting the whole date or typing nothing."""

    def __init__(self, parent=None):
        super().__init__(parent=parent)
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

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self.is_empty() \
                and self.lineEdit().selectedText() == self.lineEdit().text():
            self.clear_date()   # the whole date selected and deleted: no date
            return
        if self.is_empty() and key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) \
                and not event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.setDate(QDate.currentDate())   # stepping from no date starts from today
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
