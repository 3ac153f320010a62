"""The server store's schema: created at the first open, migrated like the SQLite store, one history of numbers.

``db/postgresql/020_schema.sql`` makes an empty database into schema 20 (no server store is older), with
``server_only.sql`` (the search index and the files' bytes, which SQLite keeps otherwise); every later
migration NNN is a pair, ``db/NNN_*.sql`` for SQLite and ``db/postgresql/NNN_*.sql`` for PostgreSQL
(``tests/test_server_schema.py`` refuses one without the other). The version is the highest number in
``schema_version``, written in the same transaction as the migration, under the program's write lock, so two
clients opening an old register at once apply each migration once.
"""

from nämndtool.errors import StoreError
from nämndtool.store.migrations import schema_version
from nämndtool.store.server import ServerConnection, shown, translated_server_errors

VERSION_TABLE = "schema_version"

BASELINE_EXTRAS = ("server_only.sql", "notify.sql", "roller.sql")
"""Files of db/postgresql/ made right after the baseline, in this order, in its transaction: what only the server
store has (search index, file chunks, live-update notices, roles' row-level security)."""


def current_server_version(conn: ServerConnection) -> int:
    """The server store's schema version; 0 for a database the program has not set up."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate_server(conn: ServerConnection, location: str, *, create: bool = True) -> list[int]:
    """Bring the server store to this program's schema (creating it in an empty database); the versions applied."""
    import psycopg

    found, known = current_server_version(conn), schema_version()
    if found > known:
        raise StoreError(
            f"Det delade registret {shown(location)} är skapat av en nyare version av Nämndtool (schema {found}; "
            f"den här versionen känner till schema {known}). Ingenting har ändrats. Uppdatera Nämndtool.")
    if found == known:
        return []
    if found == 0 and not create:
        raise StoreError(f"Databasen {shown(location)} är inget Nämndtool-register. Skapa det med "
                         f"'namndtool --db {shown(location)} admin init' eller ange rätt databas.")
    applied = []
    try:
        with translated_server_errors(location):
            _apply(conn, location, applied)
    except StoreError as error:
        if isinstance(error.__cause__, psycopg.errors.InsufficientPrivilege):   # a person's role uses the register
            raise StoreError(
                f"Det delade registret {shown(location)} behöver skapas eller uppdateras till den här versionen av "
                "Nämndtool, och det får bara registrets administratör göra: 'namndtool --db "
                f"{shown(location)} admin init'. Ingenting har ändrats.") from error
        raise
    return applied


def _apply(conn: ServerConnection, location: str, applied: list[int]) -> None:
    from nämndtool.store import pg_schema
    from nämndtool.store.server_base import WRITE_LOCK

    conn.execute("BEGIN")
    try:
        conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        found = current_server_version(conn)
        if found == 0:
            conn.execute(f"CREATE TABLE {VERSION_TABLE} (version integer PRIMARY KEY, "
                         "tillampad text NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))")
            pg_schema.create_schema(conn.raw)
            for extra in BASELINE_EXTRAS:
                conn.raw.execute(pg_schema.folder().joinpath(extra).read_text(encoding="utf-8"))
            conn.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)", (pg_schema.BASELINE,))
            applied.append(pg_schema.BASELINE)
            found = pg_schema.BASELINE
        for number, name, sql in pg_schema.migrations():
            if number > found:
                pg_schema.apply_migration(conn.raw, sql)
                conn.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)", (number,))
                applied.append(number)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise

