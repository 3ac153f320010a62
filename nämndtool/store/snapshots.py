"""The SQL of backups and restores: copying the open store into a file of its own, reading a backed-up copy
without changing it, and turning a restored copy into the next generation of the store it replaces.

These work on database files other than the open store (a backup, the store about to be replaced), so they take
paths and open their own short-lived connections; ``backup.py`` holds the files, folders and manifests around them.
"""

import sqlite3
from pathlib import Path

from nämndtool.store.base import StoreBase


def snapshot(store: StoreBase, database: Path) -> tuple[list[str], dict]:
    """Copy the open store into ``database``, self-contained (no write-ahead log); return the SHA-256 of every
    stored file it refers to (sorted) and its counts."""
    target = sqlite3.connect(database)
    try:
        store.conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        referenced = [r[0] for r in target.execute("SELECT sha256 FROM fil ORDER BY sha256")]
        return referenced, _counts(target)
    finally:
        target.close()


def _counts(conn: sqlite3.Connection) -> dict:
    return {"filer": conn.execute("SELECT count(*) FROM fil").fetchone()[0],
            "arenden": conn.execute("SELECT count(*) FROM arende").fetchone()[0]}


def copy_database(source_path: Path, target_path: Path) -> None:
    """Copy a store file that no process has open, read-only on its side; raises ``sqlite3.DatabaseError`` when it
    is damaged."""
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def backup_contents(database: Path) -> dict:
    """Read a database copy without changing it (it may lie on a read-only medium): integrity, schema, the files
    it refers to and its counts."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        schema = conn.execute("PRAGMA user_version").fetchone()[0]
        has_files = conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'fil'").fetchone()
        files = [r[0] for r in conn.execute("SELECT sha256 FROM fil")] if has_files else []
        counts = _counts(conn) if has_files else {}
    finally:
        conn.close()
    return {"integrity": integrity, "schema": schema, "files": files, "counts": counts}


def state_before(store_path: Path) -> dict | None:
    """The generation and diary series of the store about to be replaced, or None when it cannot be read (it may
    be damaged)."""
    try:
        conn = sqlite3.connect(f"{store_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            generation = conn.execute("SELECT generation FROM register_identitet").fetchone()
            series = conn.execute("SELECT n.kod, s.ar, s.senaste FROM diarieserie s "
                                  "JOIN namnd n ON n.id = s.namnd_id").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return {"generation": generation[0] if generation else 0, "series": series}


def continue_from(copy: Path, before: dict | None) -> bool:
    """Make the restored ``copy`` a new generation of the store, and let its diary series continue from where the
    replaced store had come (``before``, from :func:`state_before`): numbers handed out after the backup was taken
    are never handed out again. True when a series was raised."""
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'register_identitet'").fetchone():
            conn.execute("UPDATE register_identitet SET generation = max(generation, ?) + 1",
                         ((before or {}).get("generation", 0),))
        raised = 0
        for kod, year, latest in (before or {}).get("series", []):
            raised += conn.execute(
                "INSERT INTO diarieserie (namnd_id, ar, senaste) SELECT id, ?, ? FROM namnd WHERE kod = ? "
                "ON CONFLICT (namnd_id, ar) DO UPDATE SET senaste = excluded.senaste "
                "WHERE excluded.senaste > senaste", (year, latest, kod)).rowcount
        conn.execute("COMMIT")
    finally:
        conn.close()
    return raised > 0
