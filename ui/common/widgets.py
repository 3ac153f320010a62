"""Small widgets and text helpers shared by the views."""

import datetime as dt
import weakref
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QStyledItemDelegate, QTableView, QToolTip, QWidget,
)

from nämndtool import dates
from nämndtool.labels import count_text  # noqa: F401 — the app's pages take it from here

APP_NAME = "Nämndtool"
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def long_date(iso: str) -> str:
    """``onsdag 22 februari 2023`` from ``2023-02-22``; anything else is returned as it is."""
    try:
        day = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{WEEKDAYS[day.weekday()]} {dates.long_date(iso)}"


def window_title(namnder: list[dict]) -> str:
    names = ", ".join(n["namn"] for n in namnder)
    return f"{APP_NAME} – {names}" if names else APP_NAME


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def muted(text: str = "") -> QLabel:
    """A label in a softer colour than the text, yet readable on light and dark themes."""
    label = QLabel(text)
    label.setWordWrap(True)
    palette = label.palette()
    text_colour = palette.color(QPalette.ColorRole.WindowText)
    background = palette.color(QPalette.ColorRole.Window)
    mixed = QColor(
        *(round(t * 0.7 + b * 0.3) for t, b in zip(text_colour.getRgb()[:3], background.getRgb()[:3]))
    )
    palette.setColor(QPalette.ColorRole.WindowText, mixed)
    label.setPalette(palette)
    return label


class CellDelegate(QStyledItemDelegate):
    """Shows the whole text of a cell as a tooltip when the column is too narrow for it."""

    def helpEvent(self, event, view, option, index) -> bool:
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        tip = index.data(Qt.ItemDataRole.ToolTipRole) or ""
        if text and option.fontMetrics.horizontalAdvance(text) > option.rect.width() - 16:
            tip = f"{text}\n{tip}" if tip else text
        if tip:
            QToolTip.showText(event.globalPos(), tip, view)
        else:
            QToolTip.hideText()
        return True


def table_view(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().setResizeContentsPrecision(100)   # size columns from 100 rows, not all of them
    view.setItemDelegate(CellDelegate(view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    row_height = view.fontMetrics().height() + 10
    view.verticalHeader().setDefaultSectionSize(row_height)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    return view


def fit_columns(view: QTableView, stretch: int) -> None:
    """Every column as wide as its contents, except ``stretch``, which takes the remaining width.

    The widths are measured once each time the contents change (see :class:`ColumnFitter`), as Qt's
    ResizeToContents mode would give them, but not again at every layout of the view as that mode does.
    """
    ColumnFitter(view, stretch)


class ColumnFitter(QObject):
    """Keeps a table's columns as wide as their contents: measured once per change of the model (reset, rows
    added, removed, moved or changed, columns added or removed, headers changed) and when the view's font or
    style changes; while the view is hidden, once when it is next shown.

    Qt's ResizeToContents mode measures every such column again at each layout of the view (a reset, the window
    shown, resized, a scroll bar appearing): issue 15 counted five measurements of the meetings table, 20 000
    ``data`` calls, while the main window was built and shown. The columns are Fixed, as ResizeToContents ones
    are to the user, and each is sized by QTableView.resizeColumnToContents: the wider of the header and the
    contents of the rows the header's resizeContentsPrecision allows, the same rule as the mode's.
    """

    def __init__(self, view: QTableView, stretch: int):
        super().__init__(view)
        self._stretch = stretch
        self._pending = True
        header = view.horizontalHeader()
        model = view.model()
        for column in range(model.columnCount()):
            fixed = QHeaderView.ResizeMode.Fixed
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch else fixed)
        for changed in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                        model.rowsMoved, model.dataChanged, model.columnsInserted, model.columnsRemoved,
                        model.headerDataChanged):
            changed.connect(self.fit)
        view.installEventFilter(self)
        self.fit()

    def fit(self, *_change) -> None:
        """Measure the columns now when the view is on screen, else when it is next shown."""
        view = self.parent()
        if not view.isVisible():
            self._pending = True
            return
        self._pending = False
        header = view.horizontalHeader()
        for column in range(header.count()):
            if (column != self._stretch and not header.isSectionHidden(column)
                    and header.sectionResizeMode(column) == QHeaderView.ResizeMode.Fixed):
                view.resizeColumnToContents(column)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.parent() and (
                kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange)
                or kind == QEvent.Type.Show and self._pending):
            self.fit()
        return False


class LoadWhenShown(QObject):
    """A page reads its data when it is first shown, not when it is built (issue 15: a cold start reads only the
    page on screen), and a change announced while it is hidden is read when it is shown again.

    The page calls ``loaded()`` at the start of its ``reload`` (however that is reached: shown, asked by the user
    or by a test), hands changes to ``reload_when_shown()`` instead of reloading, and the main window calls
    ``load_if_needed()`` when it switches to the page. "Shown" is judged within the page's own window: the
    current page of a window not on screen yet counts as shown (it is the one the window opens on), a page behind
    another in a stack or a page never shown does not.
    """

    def __init__(self, page: QWidget, load: Callable[[], None]):
        super().__init__(page)
        self._load = weakref.WeakMethod(load)   # no reference cycle through the page: freed with it
        self.loads = 0
        """How often the page has read its data (tests)."""
        self.stale = False
        """Something changed while the page was hidden: read again when it is shown."""
        page.installEventFilter(self)

    @property
    def is_loaded(self) -> bool:
        return self.loads > 0

    def loaded(self) -> None:
        """The page is reading its data now."""
        self.loads += 1
        self.stale = False

    def on_screen(self) -> bool:
        page = self.parent()
        return page.isVisibleTo(page.window())

    def reload_when_shown(self) -> None:
        """Read again now when the page is shown, else when it is next shown (a page never shown stays unread)."""
        if self.on_screen():
            self._call()
        else:
            self.stale = True

    def load_if_needed(self) -> None:
        """Read when the page has never read its data or something changed while it was hidden."""
        if self.loads == 0 or self.stale:
            self._call()

    def _call(self) -> None:
        load = self._load()
        if load is not None:
            load()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched is self.parent():
            self.load_if_needed()
        return False
