"""Live updates from the server store: a connection of its own that LISTENs to what other clients commit.

``db/postgresql/notify.sql`` makes every committed change of what the windows show send a notice on the channel
``namndtool`` (the topic, the table, the row's ids, the role and backend pid that made it; never content).
:class:`Listener` keeps one dedicated psycopg connection LISTENing and hands each notice over as a :class:`Notice`,
either from :meth:`Listener.notices` (a generator, for a thread of the caller's) or to a callback on a thread of its
own (:meth:`Listener.start`). A dropped connection (network, server restart, ``pg_terminate_backend``) is
reconnected, waiting a little longer each time; notices sent meanwhile are lost, so after every reconnection the
listener says so (``on_resync``), and the caller should read everything again.

No Qt here: the app turns notices into its change hub's announcements (``ui/common/live.py``).

Which of this process's own connections made a change is told by backend pid: :func:`note_own` and
:func:`forget_own` keep the pids of the connections this process writes through, and :meth:`Notice.own` asks.
"""

import json
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterator

from nämndtool.store.server import shown

CHANNEL = "namndtool"
POLL_SECONDS = 0.25
"""How long one wait for notices lasts before the listener looks whether it should stop."""
RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
"""The waits before each reconnection attempt in a row; the last one repeats."""
TOPICS = ("diary", "meetings", "people", "protokoll", "secrecy")
"""Every topic a notice may have (notify.sql): what to announce after a reconnection, when notices were missed."""


@dataclass(frozen=True)
class Notice:
    """One committed change told by the server: ``ids`` maps id columns of the row (``id``, ``arende_id`` …) to
    their values."""

    topic: str
    table: str
    op: str
    ids: dict = field(default_factory=dict)
    role: str = ""
    pid: int = 0

    def own(self) -> bool:
        """Made through one of this process's own connections (``note_own``)."""
        return self.pid in _own_pids

    def arende_id(self) -> int | None:
        """The ärende the changed row belongs to, when the row says (an ärende, its handlingar or tjänsteskrivelse)."""
        if self.table == "arende":
            return self.ids.get("id")
        return self.ids.get("arende_id")


def parse(payload: str) -> Notice | None:
    """The notice in ``payload``; None for anything else sent on the channel (a client's own NOTIFY, say)."""
    try:
        data = json.loads(payload)
        return Notice(topic=str(data["topic"]), table=str(data["table"]), op=str(data.get("op", "")),
                      ids={str(k): int(v) for k, v in (data.get("ids") or {}).items()},
                      role=str(data.get("role") or ""), pid=int(data.get("pid") or 0))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


_own_pids: set[int] = set()
_own_lock = threading.Lock()


def backend_pid(conn) -> int | None:
    """The server's pid for a store's connection (a store, its ``ServerConnection`` or a psycopg connection); None
    for SQLite and for a closed connection."""
    conn = getattr(conn, "conn", conn)
    raw = getattr(conn, "raw", conn)
    info = getattr(raw, "info", None)
    try:
        return getattr(info, "backend_pid", None) if info is not None else None
    except Exception:  # noqa: BLE001 — psycopg: the connection is closed
        return None


def note_own(conn) -> int | None:
    """Changes made through ``conn`` (a store or its connection) are this process's own (its notices say ``own()``); its pid."""
    pid = backend_pid(conn)
    if pid:
        with _own_lock:
            _own_pids.add(pid)
    return pid


def forget_own(conn) -> None:
    """``conn`` (or the pid :func:`note_own` gave for it) is closing: its pid may be given to someone else's
    connection later."""
    pid = conn if isinstance(conn, int) else backend_pid(conn)
    if pid:
        with _own_lock:
            _own_pids.discard(pid)


class Listener:
    """One connection LISTENing on the channel, reconnected when it drops, until :meth:`stop`."""

    def __init__(self, location: str, on_notice: Callable[[Notice], None] | None = None, *,
                 on_resync: Callable[[], None] | None = None, on_problem: Callable[[str], None] | None = None):
        self.location = location
        self.on_notice = on_notice
        self.on_resync = on_resync or (lambda: None)
        self.on_problem = on_problem or (lambda _text: None)
        self._stop = threading.Event()
        self._conn = None
        self._thread: threading.Thread | None = None
        self.connections = 0
        """How many times a connection was made (1 after the first; each reconnection adds one)."""
        self.listening = threading.Event()
        """Set while a connection is LISTENing (cleared while the listener reconnects)."""

    @property
    def backend_pid(self) -> int | None:
        """The server's pid of the listening connection now (None between connections)."""
        conn = self._conn
        return backend_pid(conn) if conn is not None and not conn.closed else None

    def start(self) -> "Listener":
        """Listen on a thread of its own, calling ``on_notice(notice)`` there for each notice."""
        def run():
            for notice in self.notices():
                self.on_notice(notice)

        self._thread = threading.Thread(target=run, name=f"nämndtool-live {shown(self.location)}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening and close the connection; waits (at most ``timeout``) for the listener's thread."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def notices(self) -> Iterator[Notice]:
        """Every notice from now until :meth:`stop`, connecting (and reconnecting) as needed."""
        failures = 0
        try:
            while not self._stop.is_set():
                if self._conn is None:
                    if not self._connect():
                        failures += 1
                        self._stop.wait(RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1])
                        continue
                    if self.connections > 1:
                        self.on_resync()   # notices committed while nobody listened are gone
                    failures = 0
                try:
                    yield from self._wait_once()
                except Exception as error:  # noqa: BLE001 — any broken connection: reconnect
                    self._drop(f"Förbindelsen för liveuppdateringar med {shown(self.location)} bröts ({error}).")
        finally:
            self._drop(None)

    def _connect(self) -> bool:
        import psycopg

        try:
            conn = psycopg.connect(self.location, autocommit=True, connect_timeout=10,
                                   application_name="Nämndtool (liveuppdateringar)",
                                   keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3)
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception as error:  # noqa: BLE001 — told, then tried again
            self.on_problem(f"Liveuppdateringar från {shown(self.location)} kunde inte startas ({error}).")
            return False
        self._conn = conn
        self.connections += 1
        self.listening.set()
        return True

    def _wait_once(self) -> Iterator[Notice]:
        for notify in self._conn.notifies(timeout=POLL_SECONDS):
            if notify.channel != CHANNEL:
                continue
            notice = parse(notify.payload)
            if notice is not None:
                yield notice
            if self._stop.is_set():
                return
        if self._conn.closed or self._conn.broken:
            raise ConnectionError("förbindelsen är stängd")

    def _drop(self, problem: str | None) -> None:
        self.listening.clear()
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 — already broken
                pass
        if problem:
            self.on_problem(problem)
