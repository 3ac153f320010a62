"""The PostgreSQL store's schema (issue 16): the numbered SQL in db/postgresql/ and the audit triggers.

"Numbered SQL per dialect": db/NNN_*.sql are SQLite; db/postgresql/NNN_*.sql are PostgreSQL. No PostgreSQL store
is older than schema :data:`BASELINE`, so ``020_schema.sql`` makes the whole schema at that version in an empty
database, and each later migration NNN ships as a pair. Nothing here records a version: the runner does.
"""

import re
from importlib import resources
from importlib.abc import Traversable

from nämndtool.store import pg_audit

BASELINE = 20
"""The schema version an empty PostgreSQL database is created at: the number of its first file."""

_NAME = re.compile(r"^(\d{3})_.*\.sql$")


def folder() -> Traversable:
    """db/postgresql/, where the package keeps it (the package ``nämndtool.db`` is the folder db/)."""
    return resources.files("nämndtool.db").joinpath("postgresql")


def migrations() -> list[tuple[int, str, str]]:
    """The PostgreSQL migrations, as (number, file name, SQL), in order: :data:`BASELINE` first, then one file
    for each later number without gaps."""
    found = []
    for entry in folder().iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(BASELINE, BASELINE + len(numbers))):
        raise RuntimeError(f"Migrationerna i db/postgresql/ är inte numrerade från {BASELINE:03d} utan luckor: "
                           f"{numbers}")
    return found


def create_schema(conn) -> None:
    """Make the schema at version :data:`BASELINE` in an empty database, with the audit triggers. ``conn`` is a
    psycopg 3 connection inside a transaction; the caller commits (and records the version)."""
    number, _, sql = migrations()[0]
    assert number == BASELINE
    conn.execute(sql)   # without parameters psycopg sends the whole file as one multi-statement query
    pg_audit.create_triggers(conn)


def apply_migration(conn, sql: str) -> None:
    """One later migration: its SQL, then the Python steps it names (``-- nämndtool: step …``) as the SQLite runner
    runs them. On the server only ``andringslogg_triggrar`` has work to do: the audit triggers of the tables named,
    made again from their columns. ``conn`` is a psycopg 3 connection inside the caller's transaction."""
    from nämndtool.errors import StoreError
    from nämndtool.store.migrations import STEP

    conn.execute(sql)
    for line in sql.splitlines():
        if line.startswith(STEP):
            name, *tables = line[len(STEP):].split()
            if name != "andringslogg_triggrar":
                raise StoreError(f"Migrationen nämner ett steg som servern inte har: {name}")
            pg_audit.create_triggers(conn, *tables)
