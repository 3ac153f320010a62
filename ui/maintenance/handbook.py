"""Hjälp → Handbok (F1): the short Swedish handbook shipped as resources/help/handbok.md, in a window of its own.

The text is Markdown rendered by a QTextBrowser; the list on the left holds its headings, and choosing one (click,
arrow keys, Enter) scrolls the text so that heading stands at the top. One handbook window per main window: asking
again raises it.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QTextBrowser, QVBoxLayout, QWidget

from nämndtool.assets import resource
from nämndtool.ui.common.widgets import APP_NAME

OBJECT_NAME = "handbok"
TITLE = "Handbok"


def handbook_text() -> str:
    return resource("help", "handbok.md").read_text(encoding="utf-8")


class HandbookWindow(QWidget):
    """The handbook: its headings on the left, the text on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName(OBJECT_NAME)
        self.setWindowTitle(f"{TITLE} – {APP_NAME}")
        self.text = QTextBrowser()
        self.text.setAccessibleName("Handbokens text")
        self.text.setOpenExternalLinks(True)
        self.text.document().setDocumentMargin(16)
        self.text.setMarkdown(handbook_text())
        self.contents = QListWidget()
        self.contents.setAccessibleName("Innehåll")
        self.headings = []
        """The document block of each entry in ``contents``."""
        block = self.text.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level in (1, 2):
                self.contents.addItem(QListWidgetItem(("" if level == 1 else "   ") + block.text()))
                self.headings.append(block)
            block = block.next()
        self.contents.setFixedWidth(max(220, self.contents.sizeHintForColumn(0) + 36))
        self.contents.currentRowChanged.connect(self.show_heading)
        self.contents.itemActivated.connect(lambda _item: self.text.setFocus())

        label = QLabel("&Innehåll")
        label.setBuddy(self.contents)
        side = QVBoxLayout()
        side.addWidget(label)
        side.addWidget(self.contents, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(side)
        layout.addWidget(self.text, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence("Esc"), self, self.close)
        self.resize(1000, 680)
        self.contents.setCurrentRow(0)
        self.contents.setFocus()

    def show_heading(self, row: int) -> None:
        """Scroll the text so the heading of ``row`` in the contents stands at the top."""
        if not 0 <= row < len(self.headings):
            return
        block = self.headings[row]
        cursor = QTextCursor(block)
        self.text.setTextCursor(cursor)
        top = self.text.document().documentLayout().blockBoundingRect(block).top()
        bar = self.text.verticalScrollBar()
        bar.setValue(min(int(top), bar.maximum()))

    def heading_at_top(self) -> str:
        """The first heading not scrolled out above the top of the text: what the reader sees first."""
        top = self.text.verticalScrollBar().value()
        layout = self.text.document().documentLayout()
        return next((b.text() for b in self.headings if layout.blockBoundingRect(b).bottom() > top), "")


def show_handbook(window: QWidget) -> HandbookWindow:
    """The handbook over ``window``: opened the first time, raised after that."""
    handbook = window.findChild(HandbookWindow, OBJECT_NAME)
    if handbook is None:
        handbook = HandbookWindow(window)
    handbook.show()
    handbook.raise_()
    handbook.activateWindow()
    return handbook
