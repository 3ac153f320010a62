"""What a screenshot test checks before it saves the picture: the window fits the screen a kommun's laptops have
(1366×768) and no visible text of a button, label, check box or tab is cut off. Used by the UI tests; the saved
PNGs in tests/screenshots/ are for people to look at."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLabel, QRadioButton, QTabBar, QWidget

SCREEN = (1366, 768)
SCREENSHOTS = Path(__file__).parent.parent / "screenshots"


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible text under ``root`` that is wider than the room its widget has, as "Klass 'text' (behövs
    N px, har M px)"."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 1:
            continue
        for text, need, room in _texts_and_room(widget):
            if text and need > room:
                found.append(f"{type(widget).__name__} {text!r} (behövs {need} px, har {room} px)")
    return found


def _texts_and_room(widget: QWidget):
    metrics = widget.fontMetrics()
    if isinstance(widget, QTabBar):
        for index in range(widget.count()):
            text = widget.tabText(index).replace("&", "")
            room = widget.tabRect(index).width() - 8
            yield text, metrics.horizontalAdvance(text), room
    elif isinstance(widget, (QCheckBox, QRadioButton)):
        text = widget.text().replace("&", "")
        yield text, metrics.horizontalAdvance(text) + 16, widget.width()
    elif isinstance(widget, QAbstractButton):
        text = widget.text().replace("&", "")
        icon = widget.iconSize().width() + 4 if not widget.icon().isNull() else 0
        yield text, metrics.horizontalAdvance(text) + icon, widget.width() - 4
    elif isinstance(widget, QLabel) and not widget.wordWrap() and widget.textFormat() != Qt.TextFormat.RichText and widget.text() \
            and "<" not in widget.text() and "\n" not in widget.text() and widget.pixmap().isNull():
        text = widget.text().replace("&", "") if widget.buddy() else widget.text()
        margin = 2 * widget.margin() + widget.indent() if widget.indent() > 0 else 2 * widget.margin()
        yield text, metrics.horizontalAdvance(text), widget.contentsRect().width() - margin


def assert_readable(widget: QWidget, name: str) -> Path:
    """The widget fits 1366×768 and shows every text whole; then its picture is saved as ``name`` (for people to
    look at) and the path returned."""
    QApplication.sendPostedEvents()   # a text set just before is laid out first, as the screen would show it
    QApplication.processEvents()
    size = widget.size()
    assert size.width() <= SCREEN[0] and size.height() <= SCREEN[1], \
        f"{name}: {size.width()}×{size.height()} är större än skärmen {SCREEN[0]}×{SCREEN[1]}"
    clipped = clipped_texts(widget)
    assert not clipped, f"{name}: text som inte får plats:\n" + "\n".join(clipped)
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / name
    assert widget.grab().save(str(path)), f"kunde inte spara {path}"
    return path
