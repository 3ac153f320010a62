"""Applying the numbered SQL migrations in db/, tracked in PRAGMA user_version."""

import sqlite3
from pathlib import Path

from nämndtool.errors import StoreError
from nämndtool.assets import migrations


def schema_version() -> int:
    """The schema version this program writes: the number of the last migration."""
    return len(migrations())


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def refuse_newer(conn: sqlite3.Connection, path: Path) -> None:
    found, known = current_version(conn), schema_version()
    if found > known:
        raise StoreError(
            f"Registret {path} är skapat av en nyare version av Nämndtool (schema {found}; den här versionen "
            f"känner till schema {known}). Ingenting har ändrats. Uppdatera Nämndtool för att öppna det."
        )


def refuse_old_read_only(conn: sqlite3.Connection, path: Path) -> None:
    """A read-only store is never migrated; one older than this program cannot be opened."""
    found, known = current_version(conn), schema_version()
    if found < known:
        raise StoreError(
            f"Registret {path} är skrivskyddat och har ett äldre format (schema {found}) som den här versionen av "
            f"Nämndtool måste uppdatera till schema {known} innan det kan öppnas, så ingenting har ändrats; öppna "
            "det en gång där du får skriva i filen och mappen, så uppdateras det."
        )


def migrate(conn: sqlite3.Connection, path: Path) -> list[int]:
    """Bring the store up to this program's schema; return the migrations applied.

    Each migration runs in its own BEGIN IMMEDIATE transaction together with its user_version bump, and the
    version is re-read inside the transaction, so two processes opening an old store at once apply it once.
    A store with data is copied aside before its first migration, so nothing is lost if a migration is wrong.
    """
    refuse_newer(conn, path)
    applied = []
    pending = [m for m in migrations() if m[0] > current_version(conn)]
    if pending and current_version(conn) > 0 and path.exists():
        _keep_copy(conn, path, current_version(conn))
    for number, name, sql in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= number:
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; sqlite3.complete_statement keeps trigger bodies whole."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current)
            current = ""
    if current.strip() and not current.strip().startswith("--"):
        raise StoreError(f"Migrationen slutar mitt i en sats: {current.strip()[:60]}")
    return statements


def _keep_copy(conn: sqlite3.Connection, path: Path, version: int) -> None:
    copy = path.with_name(f"{path.stem}.fore-schema-{version + 1}{path.suffix}")
    if copy.exists():
        return
    target = sqlite3.connect(str(copy))
    try:
        conn.backup(target)
    finally:
        target.close()
