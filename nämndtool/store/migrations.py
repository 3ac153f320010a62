"""Applying the numbered SQL migrations in db/, tracked in PRAGMA user_version."""

import re
import sqlite3
from pathlib import Path
from typing import Callable

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
        rebuilt = autoincrement_tables(sql)
        foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
        if rebuilt:
            # SQLite's table rebuild: with foreign keys on, DROP TABLE would first delete every row and cascade
            # to the tables that refer to it. The pragma is a no-op inside a transaction, so it is set here. The
            # legacy rename leaves the triggers and views of other tables as they are written (they name the table,
            # which exists again after the rename) instead of re-checking them while the table is gone.
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("PRAGMA legacy_alter_table = ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= number:
                conn.execute("ROLLBACK")
                continue
            broken_before = _broken_references(conn) if rebuilt else set()
            for table in rebuilt:
                _rebuild_with_autoincrement(conn, table)
            for statement in _statements(sql):
                if callable(statement):
                    statement(conn)
                else:
                    conn.execute(statement)
            if rebuilt:
                _refuse_broken_references(conn, number, broken_before)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            if rebuilt:
                conn.execute("PRAGMA legacy_alter_table = OFF")
                conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        applied.append(number)
    return applied


AUTOINCREMENT = "-- nämndtool: autoincrement "
"""A migration line naming tables whose ``id`` becomes AUTOINCREMENT (db/016): the runner rebuilds each from the
store's own schema before the migration's statements run, with foreign keys off and checked before the commit."""


def autoincrement_tables(sql: str) -> list[str]:
    return [table for line in sql.splitlines() if line.startswith(AUTOINCREMENT)
            for table in line[len(AUTOINCREMENT):].split()]


def _rebuild_with_autoincrement(conn: sqlite3.Connection, table: str) -> None:
    """SQLite's table rebuild (lang_altertable.html#otheralter): a new table as the store defines it but with
    ``id INTEGER PRIMARY KEY AUTOINCREMENT``, every row copied, the old table dropped, the new one renamed, and
    the table's indexes and triggers recreated exactly as they were written, in their order (views name the table
    and need nothing). AUTOINCREMENT records the highest id copied in sqlite_sequence."""
    found = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    if found is None:
        raise StoreError(f"Uppdateringen av registret hittar inte tabellen {table}. Ingenting har ändrats.")
    create = found[0]
    if re.search(r"\bAUTOINCREMENT\b", create, re.IGNORECASE):
        return
    create, named = re.subn(rf'^CREATE TABLE "?{re.escape(table)}"?(?=\s*\()', f'CREATE TABLE "new_{table}"',
                            create)
    create, keyed = re.subn(r"\bid(\s+)INTEGER PRIMARY KEY\b", r"id\1INTEGER PRIMARY KEY AUTOINCREMENT", create)
    if (named, keyed) != (1, 1):
        raise StoreError(f"Uppdateringen av registret känner inte igen tabellen {table}. Ingenting har ändrats.")
    kept = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL "
        "ORDER BY rowid", (table,))]
    columns = ", ".join(f'"{c}"' for (_, c, *_) in conn.execute(f'PRAGMA table_info("{table}")'))
    conn.execute(create)
    conn.execute(f'INSERT INTO "new_{table}" ({columns}) SELECT {columns} FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE "new_{table}" RENAME TO "{table}"')
    for sql in kept:
        conn.execute(sql)


def _broken_references(conn: sqlite3.Connection) -> set[tuple]:
    return set(conn.execute("PRAGMA foreign_key_check").fetchall())


def _refuse_broken_references(conn: sqlite3.Connection, number: int, before: set[tuple]) -> None:
    """A rebuild must leave every reference as it found it; one it broke rolls the migration back."""
    broken = sorted(_broken_references(conn) - before, key=repr)
    if broken:
        table, rowid, parent, _ = broken[0]
        raise StoreError(
            f"Uppdateringen till schema {number} avbröts: rad {rowid} i {table} hänvisar till en rad i {parent} "
            f"som inte finns ({len(broken)} sådana hänvisningar). Ingenting har ändrats; registret har kvar sitt "
            "tidigare format. Kör »namndtool check --full« och kontakta support."
        )


STEP = "-- nämndtool: step "
"""A migration line naming a step done in Python at that place, inside the migration's transaction, with its
arguments: what SQL alone cannot do well, such as rewriting the audit trail (db/019) or generating the audit
triggers from the tables' columns (``store/audit.py``)."""


def _step(line: str) -> Callable[[sqlite3.Connection], None]:
    from nämndtool.store import audit

    steps = {"andringslogg_kompakt": audit.compact_trail, "andringslogg_triggrar": audit.create_triggers}
    name, *args = line[len(STEP):].split()
    if name not in steps:
        raise StoreError(f"Migrationen nämner ett okänt steg: {name}")
    return lambda conn: steps[name](conn, *args)


def _statements(sql: str) -> list[str | Callable[[sqlite3.Connection], None]]:
    """Split a migration into statements and steps; sqlite3.complete_statement keeps trigger bodies whole."""
    statements: list[str | Callable[[sqlite3.Connection], None]] = []
    current = ""
    for line in sql.splitlines(keepends=True):
        if line.startswith(STEP):
            if any(not part.strip().startswith("--") for part in current.splitlines() if part.strip()):
                raise StoreError(f"Ett steg står mitt i en sats i migrationen: {line.strip()}")
            statements.append(_step(line))
            current = ""
            continue
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
