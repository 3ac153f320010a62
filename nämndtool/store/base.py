"""The store's connection, transactions and small query helpers, shared by the entity modules."""

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from nämndtool.errors import NamndtoolError, StoreError
from nämndtool.store.connection import connect, translated_errors, use_wal
from nämndtool.store.migrations import migrate, refuse_newer


class StoreBase:
    """One connection to one store file, plus the folder that holds its files.

    Writes go through :meth:`write`, one ``BEGIN IMMEDIATE`` transaction that other processes wait for
    (busy timeout), so read-modify-write sequences such as giving out the next diary number are atomic.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self.files_dir = path.with_name(f"{path.stem}-filer")

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
        conn = connect(path)
        try:
            with translated_errors(path):
                refuse_newer(conn, path)
                use_wal(conn)
                migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

    def close(self) -> None:
        self.conn.close()

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
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

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
            list(record.values()),
        ).lastrowid

    def update(self, table: str, key: dict, changes: dict) -> None:
        if not changes:
            return
        self.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changes)} "
            f"WHERE {' AND '.join(f'{c} IS ?' for c in key)}",
            [*changes.values(), *key.values()],
        )

    def is_empty(self) -> bool:
        """True when the store holds no nämnd, ärende or meeting (used before writing the demo)."""
        return not self.value(
            "SELECT EXISTS (SELECT 1 FROM namnd) OR EXISTS (SELECT 1 FROM arende) OR EXISTS (SELECT 1 FROM sammantrade)"
        )


def _refuse_short_reason(reason: str) -> None:
    """Lifting secrecy needs a reason a reader of the audit trail understands later."""
    if len((reason or "").strip()) < 3:
        raise NamndtoolError(
            "Ange skälet till att sekretessen hävs (till exempel \"Sekretessen har upphört enligt beslut "
            "2024-05-02\"). Skälet sparas med ditt namn och tidpunkten."
        )
