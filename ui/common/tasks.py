"""The one runner: every change the app makes, and every long piece of work, runs off the UI thread.

Like Anki's ``aqt/operations``: a view never writes to the store itself. It hands the runner a piece of work (an
operation from ``nämndtool.operations``, or a longer job such as rendering a pack) together with callbacks, and
goes on; the window never freezes while the store is busy, not even during autosave.

- There is one worker thread per store file. It keeps its own connection (SQLite connections are not shared across
  threads) and runs the work in the order it was started, so a save that was started before a close is written
  before it. The connection is closed when the worker has been idle for a while, and reopened on the next job.
- The outcome comes back on the UI thread as the signals of a :class:`Task`: ``succeeded(result)`` or
  ``failed(error)``, then ``ended``; long work reports ``progressed(done, total, text)`` and can be cancelled.
- :func:`run` is the short form for one operation with ``done``/``failed`` callbacks; when it succeeds, the
  change is announced to every list that shows it (``changes.py``).
- A server store (PostgreSQL) has no file: its worker is found by the connection string, which
  :func:`location_of` gives for a store (``store.path`` of a server store is only its local cache folder).
- :func:`idle` says whether every started task has ended (tests wait for it); :func:`shutdown` finishes the
  queued work and closes the connections when the app quits.
"""

import queue
import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from nämndtool.store import Store
from nämndtool.store import server_listen
from nämndtool.store.server import is_server, shown
from nämndtool.ui.common import changes

Work = Callable[[Store, Callable[[int, int, str], None], Callable[[], bool]], Any]

IDLE_CLOSE_SECONDS = 10.0
"""A worker closes its connection (and releases its hold on the store file) after this long without work."""


def location_of(store) -> "Path | str":
    """Where a worker opens ``store`` again: its file, or a server store's connection string."""
    return store.location if is_server(getattr(store, "location", None)) else store.path


def _where(store_path) -> "Path | str | None":
    if store_path is None or is_server(store_path):
        return store_path
    return Path(store_path)


class Task(QObject):
    """One piece of work for the runner. Connect to its signals, then ``start()``; ``cancel()`` asks it to stop."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    ended = Signal()

    def __init__(self, store_path: Path | str | None, work: Work, parent: QObject | None = None):
        """``store_path``: the store's file or a server store's connection string (:func:`location_of`). None: the
        work never opens the store (``work(None, progress, cancelled)``) and runs on a thread of its own, e.g. a
        restore, which needs the store closed everywhere in this process."""
        super().__init__(parent)
        self.store_path, self.work = _where(store_path), work
        self._cancel = threading.Event()
        self._finished = threading.Event()
        self._running = False
        # Emitted from the worker thread; Qt delivers them to this object's (the UI) thread.
        self._outcome.connect(self._deliver)
        # A task whose parent (a closed window) is deleted first is never delivered: it no longer counts as pending.
        self.destroyed.connect(lambda *_: _pending.discard(self))

    _outcome = Signal(bool, object)

    def start(self) -> None:
        self._running = True
        _pending.add(self)
        if self.store_path is None:
            threading.Thread(target=self._run_in_worker, args=(None, None), name="nämndtool-utan-register",
                             daemon=True).start()
        else:
            _worker_for(self.store_path).submit(self)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def running(self) -> bool:
        return self._running

    def wait(self, ms: int = 60_000) -> bool:
        """Block until the work itself has finished (its signals are delivered later, by the event loop)."""
        return self._finished.wait(ms / 1000)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run_in_worker(self, store: Store | None, open_error: BaseException | None) -> None:
        try:
            if open_error is not None:
                raise open_error
            result = self.work(store, self._progress, self._cancel.is_set)
        except BaseException as error:  # noqa: BLE001 — every failure goes back to the UI as a message
            self._finish_in_worker(False, error)
        else:
            self._finish_in_worker(True, result)

    def _progress(self, done: int, total: int, text: str) -> None:
        try:
            self.progressed.emit(done, total, text)
        except RuntimeError:   # the window that asked has closed: the work goes on, nobody is told
            pass

    def _finish_in_worker(self, ok: bool, value: object) -> None:
        self._finished.set()
        try:
            self._outcome.emit(ok, value)
        except RuntimeError:   # deleted with its window before the work ended
            _pending.discard(self)

    def _deliver(self, ok: bool, value: object) -> None:
        self._running = False
        try:
            (self.succeeded if ok else self.failed).emit(value)
        finally:
            _pending.discard(self)
            self.ended.emit()


def run(parent: QObject | None, store: Store, operation: Callable, *args,
        done: Callable[[Any], None] | None = None, failed: Callable[[BaseException], None],
        **kwargs) -> Task:
    """Run ``operation(worker_store, *args, **kwargs)`` off the UI thread; ``done(result)`` or ``failed(error)``
    then runs on the UI thread. ``failed`` is required: every caller decides how its refusal is shown."""
    task = Task(location_of(store), lambda worker_store, _progress, _cancelled: operation(worker_store, *args, **kwargs),
                parent)
    if done is not None:
        task.succeeded.connect(done)
    topic = changes.topic_of(operation)
    task.succeeded.connect(lambda _result: changes.announce(topic, store.path))   # after ``done``: lists look again
    task.failed.connect(failed)
    task.start()
    return task


def wait_for(task: Task | None) -> bool:
    """Wait until ``task`` (just started) has delivered its outcome; True when it succeeded. The event loop runs
    meanwhile, as under a modal dialog, so the window keeps responding. Only for the steps that must know a save
    went through before they go on: leaving a view, saving before the next step, writing a file the user then
    opens."""
    if task is None:
        return False
    outcome = []
    task.succeeded.connect(lambda _result: outcome.append(True))
    if task.running:
        loop = QEventLoop()
        task.ended.connect(loop.quit)
        task.destroyed.connect(loop.quit)
        loop.exec()
    return bool(outcome)


def idle() -> bool:
    """True when every task that was started has ended (its callbacks have run)."""
    return not _pending


def wait_until_idle(ms: int = 30_000) -> bool:
    """Let the event loop run until every started task has ended, at most ``ms``; True when they have."""
    if idle():
        return True
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if idle() else None)
    timer.start(10)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    timer.stop()
    return idle()


def shutdown(ms: int = 30_000) -> None:
    """Finish the queued work, deliver its outcome and close every worker's connection: call when the app quits."""
    wait_until_idle(ms)
    with _workers_lock:
        workers = list(_workers.values())
        _workers.clear()
    for worker in workers:
        worker.stop()
    for worker in workers:
        worker.join(ms / 1000)


class _Worker(threading.Thread):
    """The thread that owns one store file's write connection and runs its tasks in order."""

    def __init__(self, store_path: Path | str):
        name = shown(store_path) if is_server(store_path) else store_path.name
        super().__init__(name=f"nämndtool-runner {name}", daemon=True)
        self.store_path = store_path
        self.jobs: queue.Queue = queue.Queue()
        self.store: Store | None = None

    def submit(self, task: Task) -> None:
        self.jobs.put(task)

    def stop(self) -> None:
        self.jobs.put(None)

    def run(self) -> None:
        try:
            while True:
                try:
                    task = self.jobs.get(timeout=IDLE_CLOSE_SECONDS)
                except queue.Empty:
                    self._close()
                    continue
                if task is None:
                    return
                store, error = self._open()
                task._run_in_worker(store, error)
        finally:
            self._close()

    def _open(self) -> tuple[Store | None, BaseException | None]:
        if self.store is None:
            try:
                self.store = Store.open(self.store_path)
                server_listen.note_own(self.store)   # its changes come back as notices: the app's own
            except BaseException as error:  # noqa: BLE001 — told to the task, which shows it
                return None, error
        return self.store, None

    def _close(self) -> None:
        if self.store is not None:
            store, self.store = self.store, None
            server_listen.forget_own(store)
            store.close()


_workers: dict[Path | str, _Worker] = {}
_workers_lock = threading.Lock()
_pending: set[Task] = set()


def _worker_for(store_path: Path | str) -> _Worker:
    key = store_path if is_server(store_path) else store_path.absolute()
    with _workers_lock:
        worker = _workers.get(key)
        if worker is None or not worker.is_alive():
            worker = _workers[key] = _Worker(key)
            worker.start()
        return worker
