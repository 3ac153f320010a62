"""What differs when the store is a PostgreSQL server rather than an SQLite file: opening, transactions, ids.

Every write of the program is one transaction that first takes one transaction-level advisory lock, so writers
follow each other exactly as they do on SQLite (``BEGIN IMMEDIATE``): a read-modify-write such as giving out the
next diary number can never interleave with another client's, and readers are never blocked. The diary series row
is in addition locked ``FOR UPDATE`` where the number is given out (``arenden.next_number``), and the rules
themselves (justering lock, secrecy, audit trail) are the server's own triggers, so a client that bypasses the
program cannot break them.
"""

from contextlib import contextmanager
from typing import Any, Iterator

from nämndtool.store.base import StoreBase, _composed
from nämndtool.store.server import connect_server, local_folder, shown, translated_server_errors

WRITE_LOCK = 0x4E616D6E64   # "Namnd": the advisory lock every write transaction of the program holds


class ServerBase(StoreBase):
    """A server store: one connection to one PostgreSQL database, and a local folder of what is kept here."""

    dialect = "postgresql"
    BEGIN_READING = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    def __init__(self, location: str, conn, *, read_only: bool = False):
        folder = local_folder(location)
        super().__init__(folder / "register", conn, read_only=read_only)
        self.location = location
        self.files_dir = folder / "filer"
        self._id_tables: set[str] | None = None
        self._savepoints = 0

    @classmethod
    def open(cls, location: str, *, create: bool = True):
        from nämndtool.store.server_schema import migrate_server

        conn = connect_server(location)
        try:
            migrate_server(conn, location, create=create)
            return cls(location, conn)
        except BaseException:
            conn.close()
            raise

    def __str__(self) -> str:
        return shown(self.location)

    def close(self) -> None:
        self.conn.close()

    def sees_every_secret(self) -> bool:
        if not self.value("SELECT to_regprocedure('nt_ser_allt_som(name)') IS NOT NULL"):
            return True     # no roles in this register (roller.sql not applied): every login sees every row
        return bool(self.value("SELECT nt_ser_allt_som(current_user)"))

    def damaged(self) -> str | None:
        """A server's own checks (checksums, WAL) stand for the damage marker of a file: never marked here."""
        return None

    def clear_damaged(self) -> None:
        return None

    def _identity(self) -> tuple | None:
        return None

    def _refuse_if_replaced(self) -> None:
        return None

    @contextmanager
    def write(self) -> Iterator["ServerBase"]:
        """A write transaction, after every other writer's; nested calls are savepoints of the outer one."""
        with translated_server_errors(self.location):
            if self.conn.in_transaction:
                self._savepoints += 1
                name = f"s{self._savepoints}"
                self.conn.execute(f"SAVEPOINT {name}")
                try:
                    yield self
                except BaseException:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    raise
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
                return
            self._refuse_writes()
            self.conn.execute("BEGIN")
            try:
                self.conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def integrity_result(self, full: bool) -> str:
        """The server keeps its own pages whole (checksums, write-ahead log): what ``check`` can ask is that it
        answers; its tables' references are the server's foreign keys, always enforced."""
        self.value("SELECT 1")
        return "ok"

    def broken_references(self) -> list[dict]:
        return []

    def foreign_keys_to(self, table: str) -> list[tuple[str, str]]:
        """Every (table, column) of the schema that refers to ``table``, from PostgreSQL's catalog."""
        return [(r["tabell"], r["kolumn"]) for r in self.rows(
            """SELECT cl.relname AS tabell, a.attname AS kolumn FROM pg_constraint c
               JOIN pg_class cl ON cl.oid = c.conrelid
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
               WHERE c.contype = 'f' AND c.confrelid = to_regclass(?) ORDER BY 1, 2""", (table,))]

    def insert(self, table: str, record: dict) -> int:
        """Insert a row; its new id (PostgreSQL returns it with the row: there is no lastrowid)."""
        returning = " RETURNING id" if table in self._tables_with_id() else ""
        found = self.execute(
            f"INSERT INTO {table} ({', '.join(record)}) VALUES ({', '.join('?' * len(record))}){returning}",
            _composed(record.values()),
        ).fetchone()
        return found[0] if found else None

    def _tables_with_id(self) -> set[str]:
        if self._id_tables is None:
            self._id_tables = {r["table_name"] for r in self.rows(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'id'")}
        return self._id_tables

    def change_mark(self) -> tuple[Any, ...]:
        """Differs after any transaction committed anywhere on the server since it was last read (the snapshot's
        xmax only grows) and after any change sent on this connection (not yet committed, in this transaction), so
        something derived from the store can tell whether to look again."""
        return self.conn.changes, self.value("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")

