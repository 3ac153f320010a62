"""Live PDF preview: a multi-page PDF view fed with bytes, and a renderer that makes them off the UI thread.

The PDF never touches the disk: a secret tjänsteskrivelse must not be left behind in a temporary folder.
"""

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nämndtool.ui.common.widgets import muted

WARNING_STYLE = "background: #fff4d6; color: #5c4200; border: 1px solid #e0c26b; border-radius: 3px; padding: 6px;"


class PdfPreview(QWidget):
    """Every page of a PDF, fit to the width, keeping the reader's place when the PDF is replaced."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setAccessibleName("Förhandsvisning")
        self._buffer: QBuffer | None = None
        self._data = b""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_pdf(self, data: bytes) -> None:
        bar = self.view.verticalScrollBar()
        position = bar.value()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)  # loading closes the previous document, which let go of its buffer
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer, self._data = buffer, data
        QTimer.singleShot(0, lambda: bar.setValue(min(position, bar.maximum())))

    def clear(self) -> None:
        self.document.close()
        self._data = b""

    def pdf_bytes(self) -> bytes:
        """The PDF shown now (empty when none)."""
        return self._data


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
