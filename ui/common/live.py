"""Live updates in the app: what other users commit to the shared server register shows within a second.

A main window on a server store gets one :class:`LiveUpdates` (:func:`attach`). Its listener
(``nämndtool.store.server_listen.Listener``) waits for the server's notices on a thread of its own; each notice comes
to the UI thread as a queued signal, and after a short pause (so a whole agenda written at once is one reload, not
fifteen) every topic heard is announced on the app's change hub (``changes.announce``), where the views that
follow it reload exactly as after a change made here.

A notice caused by one of this process's own connections is skipped only when the app itself announced the same
topic a moment before (``tasks.run`` announces every operation that succeeded); otherwise it is announced too: a
second reload is harmless, a missed one is not. After the listener had to reconnect every topic is announced,
since notices sent meanwhile are lost.

An open ärende editor needs more than a reload: :func:`follow_remote` hands it each notice made by someone else, so it
can show their change (nothing unsaved) or the conflict bar (unsaved changes over a newer version).
"""

import time
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from nämndtool.store import server_listen
from nämndtool.store.server import is_server
from nämndtool.ui.common import changes

GATHER_MS = 80
"""Notices heard within this long are announced together, each topic once."""
OWN_ANNOUNCED_SECONDS = 5.0
"""An own notice whose topic the app announced within this long before is already shown."""


class Remote(QObject):
    """The app's one hub of others' changes: ``notice(store key, Notice)``."""

    notice = Signal(str, object)


_remote: Remote | None = None


def remote_hub() -> Remote:
    global _remote
    if _remote is None:
        _remote = Remote()
    return _remote


class LiveUpdates(QObject):
    """The notices of one server store, announced on the change hub on the UI thread."""

    heard = Signal(object)
    """A notice, emitted on the listener's thread; delivered on this object's (the UI) thread."""
    missed = Signal()
    """The listener reconnected: notices may have been lost meanwhile."""

    def __init__(self, store, parent: QObject | None = None):
        super().__init__(parent)
        self.key = str(store.path)   # the change hub names a store by its path (changes.follow)
        self.location = store.location
        self._pending: dict[str, bool] = {}   # topic -> every notice of it was our own
        self._local: dict[str, float] = {}    # topic -> when the app last announced it itself
        self._announcing = False
        self.announced: list[str] = []
        """Every topic this object announced, in order (what tests look at)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._announce)
        self.heard.connect(self._take)
        self.missed.connect(self._take_all)
        changes.hub().changed_in.connect(self._on_local)
        own_pid = server_listen.note_own(store)   # the window's own reads and writes
        self.listener = server_listen.Listener(self.location, self._emit_heard, on_resync=self._emit_missed)
        listener = self.listener
        self.destroyed.connect(lambda *_: (listener.stop(0), server_listen.forget_own(own_pid)))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        listener.start()

    def stop(self) -> None:
        self.listener.stop()

    def _emit_heard(self, notice) -> None:
        try:
            self.heard.emit(notice)
        except RuntimeError:   # the window has gone; the listener is being stopped
            pass

    def _emit_missed(self) -> None:
        try:
            self.missed.emit()
        except RuntimeError:
            pass

    @Slot(str, str)
    def _on_local(self, topic: str, key: str) -> None:
        if not self._announcing and key == self.key:
            self._local[topic] = time.monotonic()

    @Slot(object)
    def _take(self, notice) -> None:
        own = notice.own()
        self._pending[notice.topic] = self._pending.get(notice.topic, True) and own
        if not own:
            remote_hub().notice.emit(self.key, notice)
        self._timer.start()

    @Slot()
    def _take_all(self) -> None:
        for topic in server_listen.TOPICS:
            self._pending[topic] = False
        self._timer.start()

    def _announce(self) -> None:
        pending, self._pending = self._pending, {}
        now = time.monotonic()
        self._announcing = True
        try:
            for topic, only_own in pending.items():
                if only_own and now - self._local.get(topic, float("-inf")) < OWN_ANNOUNCED_SECONDS:
                    continue
                self.announced.append(topic)
                changes.announce(topic, self.key)
        finally:
            self._announcing = False


def attach(window) -> LiveUpdates | None:
    """Live updates for ``window`` (a main window) when its store is a server store; None for an SQLite file,
    which one person at a time uses."""
    store = window.store
    if not is_server(getattr(store, "location", None)):
        return None
    return LiveUpdates(store, window)


def follow_remote(receiver: QObject, store, handle: Callable[[object], None]) -> QObject:
    """Call ``handle(notice)`` for each change someone else committed to ``store``, for as long as ``receiver``
    lives (nothing for an SQLite store: no notices come)."""
    return _RemoteFollower(receiver, str(store.path), handle)


class _RemoteFollower(QObject):
    def __init__(self, parent: QObject, key: str, handle: Callable[[object], None]):
        super().__init__(parent)
        self.key, self.handle = key, handle
        remote_hub().notice.connect(self.on_notice)

    @Slot(str, object)
    def on_notice(self, key: str, notice) -> None:
        if key == self.key:
            self.handle(notice)
