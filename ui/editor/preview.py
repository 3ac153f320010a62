"""Live PDF preview: a multi-page PDF view fed with bytes, and a renderer that makes them off the UI thread.

The PDF never touches the disk: a secret tjänsteskrivelse must not be left behind in a temporary folder.
"""

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from nämndtool.ui.common.widgets import muted

WARNING_STYLE = "background: #fff4d6; color: #5c4200; border: 1px solid #e0c26b; border-radius: 3px; padding: 6px;"


class PdfPreview(QWidget):
    """Every page of a PDF, fit to the width, keeping the reader's place when the PDF is replaced.

    The pages are drawn here, each at the size it is shown and the screen's pixel ratio, every time the PDF or the
    width changes. QPdfView is not used: its page cache keeps any image that arrives from its render thread, also
    one asked for at an earlier width while the window was being laid out, and stretches it into the page from
    then on (a blurred page with smeared lines after an ärende was opened again, until something else changed).
    """

    MARGIN = 6
    SPACING = 12

    def __init__(self, parent=None):
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QScrollArea(self)
        self.view.setWidgetResizable(False)
        self.view.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)   # the width never jumps
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setBackgroundRole(QPalette.ColorRole.Dark)
        self.view.setAccessibleName("Förhandsvisning")
        self.view.verticalScrollBar().setSingleStep(20)
        self.view.viewport().installEventFilter(self)
        self._pages_widget = QWidget()
        self._pages_widget.setBackgroundRole(QPalette.ColorRole.Dark)
        self._pages_layout = QVBoxLayout(self._pages_widget)
        self._pages_layout.setContentsMargins(self.MARGIN, self.MARGIN, self.MARGIN, self.MARGIN)
        self._pages_layout.setSpacing(self.SPACING)
        self._pages_layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)
        self.view.setWidget(self._pages_widget)
        self.pages: list[QLabel] = []
        self._drawn_for: tuple | None = None
        self._buffer: QBuffer | None = None
        self._data = b""
        self.document.statusChanged.connect(lambda _status: self._draw())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_pdf(self, data: bytes) -> None:
        bar = self.view.verticalScrollBar()
        position = bar.value()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._drawn_for = None
        self.document.load(buffer)  # loading closes the previous document, which let go of its buffer
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer, self._data = buffer, data
        self._draw()
        QTimer.singleShot(0, lambda: bar.setValue(min(position, bar.maximum())))

    def clear(self) -> None:
        self.document.close()
        self._data = b""
        self._drawn_for = None
        self._draw()

    def pdf_bytes(self) -> bytes:
        """The PDF shown now (empty when none)."""
        return self._data

    def page_width(self) -> int:
        """How wide a page is shown: the width of the view less its margins."""
        return max(1, self.view.viewport().width() - 2 * self.MARGIN)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.view.viewport() and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._draw()
        return super().eventFilter(watched, event)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self._draw()
        super().changeEvent(event)

    def _draw(self) -> None:
        """Draw every page at the width shown and the screen's pixel ratio (nothing when that is done already)."""
        if not shiboken6.isValid(self.document) or not shiboken6.isValid(self._pages_layout):
            return   # being deleted
        ready = self.document.status() == QPdfDocument.Status.Ready
        count = self.document.pageCount() if ready else 0
        ratio = self.devicePixelRatioF()
        key = (count, self.page_width(), ratio)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        while len(self.pages) > count:
            self.pages.pop().deleteLater()
        while len(self.pages) < count:
            label = QLabel()
            label.setBackgroundRole(QPalette.ColorRole.Base)
            label.setAutoFillBackground(True)
            self._pages_layout.addWidget(label)
            self.pages.append(label)
        width = self.page_width()
        for number, label in enumerate(self.pages):
            points = self.document.pagePointSize(number)
            height = round(width * points.height() / points.width()) if points.width() > 0 else width
            image = self.document.render(number, QSize(round(width * ratio), round(height * ratio)))
            image.setDevicePixelRatio(ratio)
            label.setFixedSize(width, height)
            label.setPixmap(QPixmap.fromImage(image))
        self._pages_widget.adjustSize()


class PreviewPanel(QWidget):
    """The preview with its title, a status line and the warnings about the document below it."""

    def __init__(self, title: str = "Förhandsvisning", parent=None):
        super().__init__(parent)
        heading = QLabel(title)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.status = muted()
        self.pdf = PdfPreview()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.hide()
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.status)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.pdf, 1)
        layout.addWidget(self.warnings)

    def show_pdf(self, data: bytes, warnings: list[str]) -> None:
        self.message.hide()
        self.pdf.show()
        self.pdf.set_pdf(data)
        self.set_warnings(warnings)

    def show_message(self, text: str) -> None:
        """A message instead of the PDF: nothing to show yet, or the document could not be made."""
        self.pdf.hide()
        self.pdf.clear()
        self.message.setText(text)
        self.message.show()
        self.set_warnings([])

    def set_warnings(self, warnings: list[str]) -> None:
        self.warnings.setText("\n".join(f"• {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def warning_texts(self) -> list[str]:
        text = self.warnings.text()
        return [line[2:] for line in text.splitlines()] if text and self.warnings.isVisibleTo(self) else []


class BackgroundRenderer(QObject):
    """Runs render jobs on one worker thread, newest first: a job asked for while one runs replaces any waiting
    one, and the result of a job that a newer one superseded is dropped."""

    finished = Signal(object)
    failed = Signal(object)
    _done = Signal(int, object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="forhandsvisning")
        self._generation = 0
        self._running = False
        self._waiting: tuple[int, Callable[[], Any]] | None = None
        self._closed = False
        self._done.connect(self._on_done)

    @property
    def busy(self) -> bool:
        return self._running or self._waiting is not None

    def request(self, job: Callable[[], Any]) -> None:
        if self._closed:
            return
        self._generation += 1
        if self._running:
            self._waiting = (self._generation, job)
        else:
            self._start(self._generation, job)

    def shutdown(self) -> None:
        """No more jobs: a running one finishes in the background and its result is dropped."""
        self._closed = True
        self._waiting = None
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _start(self, generation: int, job: Callable[[], Any]) -> None:
        self._running = True
        self._executor.submit(self._run, generation, job)

    def _run(self, generation: int, job: Callable[[], Any]) -> None:
        try:
            result, error = job(), None
        except Exception as exc:  # noqa: BLE001 — every failure goes back to the UI as a message
            result, error = None, exc
        try:
            self._done.emit(generation, result, error)
        except RuntimeError:
            pass  # the renderer was deleted while the job ran: nobody waits for the result

    def _on_done(self, generation: int, result: Any, error: Any) -> None:
        self._running = False
        if self._closed:
            return
        if self._waiting is not None:
            self._start(*self._waiting)
            self._waiting = None
        if generation != self._generation:
            return
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(result)
