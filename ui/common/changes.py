"""One notification that the store has changed, so every list in the app can look again at once.

The runner announces every operation that succeeded (``tasks.run``, after the caller's own ``done``); a view
that lists what an operation may change connects to ``hub().changed`` and reloads when the topic concerns it.
No view polls the store. The topic is the operation's feature, the last part of its module in
``nämndtool.operations`` ("people", "diary", "meetings", "protokoll", "secrecy" …), so the address book reloads
after a recipient is saved but not after every autosave of a tjänsteskrivelse's text.
"""

from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

PEOPLE = "people"
"""Persons, seats and the address book (``nämndtool.operations.people``)."""
DIARY = "diary"
"""Ärenden and their tjänsteskrivelser; registering one may add a handläggare."""
MEETINGS = "meetings"
"""Nämnder, organs and meetings; a meeting's ordförande named by name may add a person."""
EXCHANGE = "exchange"
"""An imported meeting, which may add people and recipients."""
RECIPIENT_TOPICS = {PEOPLE, EXCHANGE}
"""What a recipient picker follows: the address book changes only through these."""
PEOPLE_TOPICS = {PEOPLE, DIARY, MEETINGS, EXCHANGE}
"""What the Personer page follows: persons, organs, seats, recipients and how much they are used."""


class Changes(QObject):
    changed = Signal(str)
    """The topic of a change that has been written to the store."""
    changed_in = Signal(str, str)
    """The topic and the store's file: a view follows only its own store (a window on another register, or one
    already closed on a file since replaced, does not reload)."""


_hub: Changes | None = None


def hub() -> Changes:
    """The app's one change notifier."""
    global _hub
    if _hub is None:
        _hub = Changes()
    return _hub


def topic_of(operation: Callable) -> str:
    """The feature an operation belongs to: ``people`` for ``nämndtool.operations.people.merge_persons``."""
    return (getattr(operation, "__module__", None) or "").rsplit(".", 1)[-1]


def announce(topic: str, store_path=None) -> None:
    """Tell every listening view that something under ``topic`` changed in the store at ``store_path``."""
    hub().changed.emit(topic)
    hub().changed_in.emit(topic, str(store_path or ""))


def follow(receiver: QObject, topics: set[str], reload: Callable[[], None], store=None) -> QObject:
    """Call ``reload`` whenever a change under one of ``topics`` is announced in ``store`` (any store when None),
    for as long as ``receiver`` lives: the connection belongs to a child of ``receiver`` and goes with it."""
    return _Follower(receiver, topics, reload, str(store.path) if store is not None else "")


class _Follower(QObject):
    def __init__(self, parent: QObject, topics: set[str], reload: Callable[[], None], path: str):
        super().__init__(parent)
        self.topics, self.reload, self.path = set(topics), reload, path
        hub().changed_in.connect(self.on_changed)

    @Slot(str, str)
    def on_changed(self, topic: str, path: str) -> None:
        if topic in self.topics and (not self.path or not path or path == self.path):
            self.reload()
