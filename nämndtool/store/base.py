"""The store's connection, transactions and small query helpers, shared by the entity modules."""

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from nämndtool.errors import NamndtoolError, StoreError
from nämndtool.store import holders
from nämndtool.store.connection import connect, damage, translated_errors, use_wal, writable
from nämndtool.store.migrations import migrate, refuse_newer, refuse_old_read_only
from nämndtool.store.sidecars import damage_marker, files_folder, remove_leftovers
from nämndtool.text import nfc


class StoreBase:
    """One connection to one store file, plus the folder that holds its files.

    Writes go through :meth:`write`, one ``BEGIN IMMEDIATE`` transaction that other processes wait for
    (busy timeout), so read-modify-write sequences such as giving out the next diary number are atomic.
    A store this process may not change is opened read-only: every read works, every write is refused.
    """

    dialect = "sqlite"
    """Which SQL the connection speaks: "sqlite" here, "postgresql" for a server store (``server_base.py``)."""
    BEGIN_READING = "BEGIN"
    """How :meth:`reading` begins its transaction (a server store asks for one snapshot, read-only)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: bool = False,
                 holding: holders.Holding | None = None):
        self.path = path
        self.location = path
        """What opens this store again (``Store.open``): its file, or a server store's connection string."""
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False) if isinstance(conn, sqlite3.Connection) else None
        self.files_dir = files_folder(path)
        self.read_only = read_only
        self._holding = holding
        self._absolute = path.absolute()   # the same file even if the working directory changes later
        self._opened_as = self._identity()

    def sees_every_secret(self) -> bool:
        """Whether every secret row is visible on this connection: always in a file store (no roles); on a server
        store only to a login that sees everything (sekreterare, arkivarie, the owner), row-level security hiding
        the rest from others without a word."""
        return True

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True):
        """Open (and if needed create and migrate) the store at ``path``."""
        path = Path(path).expanduser()
        if not path.exists():
            if not create:
                raise StoreError(
                    f"Registret {path} finns inte. Skapa det med 'namndtool --db {path} init' "
                    "eller ange rätt fil med --db."
                )
            if not path.parent.exists():
                try:
                    path.parent.mkdir(parents=True)
                except OSError as error:
                    raise StoreError(
                        f"Mappen {path.parent} för registret kunde inte skapas ({error.strerror}). "
                        "Välj en annan plats med --db."
                    ) from error
        elif path.is_dir():
            raise StoreError(f"{path} är en mapp, inte en registerfil. Ange en fil med --db.")
        read_only = path.exists() and not writable(path)
        holding = holders.hold(path, when_alone=lambda: _clear_after_dead_processes(path, read_only))
        try:
            conn = connect(path, read_only=read_only)
        except BaseException:
            holding.release()
            raise
        try:
            with translated_errors(path):
                refuse_newer(conn, path)
                if read_only:
                    refuse_old_read_only(conn, path)
                else:
                    use_wal(conn)
                    migrate(conn, path)
            return cls(path, conn, read_only=read_only, holding=holding)
        except BaseException:
            conn.close()
            holding.release()
            raise

    def __str__(self) -> str:
        """The store as the user knows it: its file (a server store: its connection string, without password)."""
        return str(self.path)

    def close(self) -> None:
        self.conn.close()
        if self._holding is not None:
            self._holding.release()
            self._holding = None

    def damaged(self) -> str | None:
        """What SQLite reported when this store was last found damaged, until it is checked or restored."""
        return damage(self.path)

    def clear_damaged(self) -> None:
        """The store has been checked and found whole (``check --full``) or restored: writes are allowed again.
        A read-only store keeps its marker: it takes no writes anyway, and its folder cannot be changed."""
        marker = damage_marker(self.path)
        if marker.exists() and not self.read_only:
            marker.unlink(missing_ok=True)

    def _identity(self) -> tuple | None:
        """Which file and which store this connection writes to: (device, inode, identity, generation)."""
        try:
            found = os.stat(self._absolute)
        except OSError:
            return None
        with translated_errors(self.path):
            row = self.conn.execute("SELECT identitet, generation FROM register_identitet").fetchone()
        return (found.st_dev, found.st_ino, *(row or (None, None)))

    def _refuse_if_replaced(self) -> None:
        """Inside a write transaction: the path must still be the file opened, holding the same store."""
        if self._identity() != self._opened_as:
            raise StoreError(
                f"Registret {self.path} har bytts ut medan det var öppet här, till exempel återställts från en "
                "säkerhetskopia, så ändringen sparades inte. Stäng och öppna registret igen och gör om ändringen."
            )

    def _refuse_writes(self) -> None:
        if self.read_only:
            raise StoreError(
                f"Registret {self.path} är öppnat skrivskyddat eftersom du inte får ändra filen eller mappen den "
                "ligger i, så ingenting har ändrats; be om skrivrätt eller kopiera registret till en mapp där du "
                "får skriva."
            )
        problem = self.damaged()
        if problem:
            raise StoreError(
                f"Registret {self.path} har rapporterat att det är skadat ({problem}), så det tar inte emot "
                f"ändringar förrän det är kontrollerat: kör 'namndtool --db {self.path} check --full' eller "
                "återställ det från en säkerhetskopia."
            )

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction. Nested calls join the outer transaction (sqlite-utils savepoints)."""
        with translated_errors(self.path):
            if self.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            self._refuse_writes()
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self._refuse_if_replaced()
                yield self.db
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction: everything read inside it is the store as it was at its first read."""
        with translated_errors(self.path):
            self.conn.execute(self.BEGIN_READING)
            try:
                yield
            finally:
                self.conn.execute("ROLLBACK")

    def keep_file_bytes(self, source: Path) -> str:
        """Keep a file's bytes in the store under their SHA-256 (no checks of its content: it was checked when it
        was first stored); the SHA-256. Part of the caller's transaction where the store keeps bytes in one."""
        return self._keep_bytes(source)[0]

    def rows(self, sql: str, params: Any = ()) -> list[dict]:
        with translated_errors(self.path):
            cursor = self.conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, found)) for found in cursor]

    def row(self, sql: str, params: Any = ()) -> dict | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def value(self, sql: str, params: Any = ()) -> Any:
        with translated_errors(self.path):
            found = self.conn.execute(sql, params).fetchone()
        return found[0] if found else None

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        with translated_errors(self.path):
            return self.conn.execute(sql, params)

    def insert(self, table: str, record: dict) -> int:
        return self.execute(
            f"INSERT INTO {table} ({', '.join(record)}) VALUES ({', '.join('?' * len(record))})",
            _composed(record.values()),
        ).lastrowid

    def update(self, table: str, key: dict, changes: dict) -> None:
        if not changes:
            return
        self.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changes)} "
            f"WHERE {' AND '.join(f'{c} IS ?' for c in key)}",
            [*_composed(changes.values()), *key.values()],
        )

    def change_mark(self) -> tuple[int, int]:
        """Changes as seen from this connection: differs after any change made here or by another process, so
        something derived from the store can tell whether to look again."""
        return self.conn.total_changes, self.value("PRAGMA data_version")

    def audit_key(self, row_id: int):
        """An id as the audit trail's ``rad`` holds it: a number in SQLite (the column has no type, db/019), text on
        the server."""
        return row_id if self.dialect == "sqlite" else str(row_id)

    def table_names(self) -> list[str]:
        """The store's own tables, in name order (not the database's internal ones)."""
        if self.dialect == "postgresql":
            return [r[0] for r in self.execute("SELECT table_name FROM information_schema.tables WHERE "
                                               "table_schema = current_schema() AND table_type = 'BASE TABLE' "
                                               "ORDER BY table_name")]
        return [r[0] for r in self.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]

    def table_counts(self) -> dict[str, int]:
        """Every table's number of rows."""
        return {t: self.value(f'SELECT count(*) FROM "{t}"') for t in self.table_names()}

    def is_empty(self) -> bool:
        """True when the store holds no nämnd, ärende or meeting (used before writing the demo)."""
        return not self.value(
            "SELECT EXISTS (SELECT 1 FROM namnd) OR EXISTS (SELECT 1 FROM arende) OR EXISTS (SELECT 1 FROM sammantrade)"
        )


def _composed(values) -> list:
    """Every text stored in one Unicode form (NFC), so names that look alike are alike."""
    return [nfc(v) if isinstance(v, str) else v for v in values]


def _clear_after_dead_processes(path: Path, read_only: bool) -> None:
    """Run while no other process has the store open: what killed processes left can be removed."""
    if not read_only:
        remove_leftovers(path)
        holders.clear_notes(path)


def _refuse_short_reason(reason: str) -> None:
    """Lifting secrecy needs a reason a reader of the audit trail understands later."""
    if len((reason or "").strip()) < 3:
        raise NamndtoolError(
            "Ange skälet till att sekretessen hävs (till exempel \"Sekretessen har upphört enligt beslut "
            "2024-05-02\"). Skälet sparas med ditt namn och tidpunkten."
        )
