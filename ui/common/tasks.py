"""Long work off the UI thread: one worker thread at a time, progress and Cancel, the result back on the UI thread.

Like Anki's operations: the work is a function that gets its own store connection, opened in the worker thread
(SQLite connections are not shared across threads), a progress callback and a cancelled() check. Signals carry the
outcome back to the UI thread, where the caller's callbacks run.
"""

import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal

from nämndtool.store import Store

Work = Callable[[Store, Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Worker(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, store_path: Path, work: Work, cancel: threading.Event):
        super().__init__()
        self.store_path, self.work, self.cancel = store_path, work, cancel

    def run(self) -> None:
        try:
            with Store.open(self.store_path) as store:
                result = self.work(store, self.progressed.emit, self.cancel.is_set)
        except BaseException as error:  # noqa: BLE001 — every failure goes back to the UI as a message
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        finally:
            # The thread ends here, so Task.wait() on the UI thread returns without the UI handling a signal first.
            QThread.currentThread().quit()


class Task(QObject):
    """One piece of background work. Connect to its signals, then ``start()``; ``cancel()`` asks it to stop."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    ended = Signal()

    def __init__(self, store_path: Path, work: Work, parent: QObject | None = None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread = QThread()
        self._worker = _Worker(store_path, work, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self.progressed)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 60_000) -> bool:
        return self._thread.wait(ms)

    def _finish(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self.ended.emit()

    def _on_succeeded(self, result: object) -> None:
        self._finish()
        self.succeeded.emit(result)

    def _on_failed(self, error: object) -> None:
        self._finish()
        self.failed.emit(error)
