"""The SQL of moving a whole register from one store to another (``nämndtool.transfer``), for either database.

Rows are copied as they are, history included, so the rules and the audit trail of the target must not act on them:
the target's triggers are set aside for the copy and back before its commit (PostgreSQL: ``DISABLE TRIGGER USER``,
which the schema's owner may do; SQLite, which cannot disable a trigger: dropped and made again from their own SQL,
in the same transaction). Foreign keys stay on for PostgreSQL, so tables are filled parents first; SQLite checks
them once at the end (``foreign_key_check``). Ids are copied, and each table's high-water mark of ids with them,
so an id once given out is never given out again in the new store either (db/016).
"""

from contextlib import contextmanager
from typing import Iterator

from nämndtool.errors import StoreError
from nämndtool.store.audit import table_info

NOT_COPIED = {"sqlite_sequence", "schema_version", "fil_del", "arende_sok"}
"""Tables each store keeps for itself: the id marks, the version, the files' bytes (copied as files), the index."""


def copied_tables(source, target) -> list[str]:
    """The tables both stores have, minus what each keeps for itself, parents before children."""
    common = (set(source.table_names()) & set(target.table_names())) - NOT_COPIED
    common = {t for t in common if not t.startswith(("arende_sok_", "sqlite_"))}
    parents = {t: {p for p, _ in _references_from(source, t)} & common - {t} for t in common}
    ordered: list[str] = []
    while parents:
        ready = sorted(t for t, waiting in parents.items() if not waiting - set(ordered))
        if not ready:
            raise StoreError(f"Tabellerna {sorted(parents)} hänvisar till varandra i en ring; registret kan inte "
                             "flyttas. Ingenting har ändrats.")
        ordered += ready
        for t in ready:
            del parents[t]
    return ordered


def _references_from(store, table: str) -> list[tuple[str, str]]:
    """(parent table, column) of each foreign key of ``table``."""
    if store.dialect == "postgresql":
        return [(r[0], r[1]) for r in store.execute(
            """SELECT pc.relname, a.attname FROM pg_constraint c JOIN pg_class pc ON pc.oid = c.confrelid
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
               WHERE c.contype = 'f' AND c.conrelid = to_regclass(?)""", (table,))]
    return [(r[2], r[3]) for r in store.execute(f'PRAGMA foreign_key_list("{table}")')]


def columns(store, table: str) -> list[str]:
    """Every column of ``table``, in the table's order (from either database's catalog)."""
    return [name for name, _ in table_info(store.conn, table)]


def read_rows(store, table: str, cols: list[str]) -> Iterator[tuple]:
    """Every row of ``table`` in key order (a stable order makes two copies compare alike)."""
    names = ", ".join(f'"{c}"' for c in cols)
    yield from store.execute(f'SELECT {names} FROM "{table}" ORDER BY {names}')


def write_rows(store, table: str, cols: list[str], rows) -> None:
    """Write rows into ``table`` of the target, inside its open transaction (PostgreSQL: COPY, the fast way)."""
    names = ", ".join(f'"{c}"' for c in cols)
    if store.dialect == "postgresql":
        with store.conn.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    if table == "andring" and "rad" in cols:
        rows = _typeless_keys(rows, cols.index("rad"))
    store.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})', rows)


def _typeless_keys(rows, at: int):
    """``andring.rad`` has no type in SQLite (db/019): an id is kept as a number there, as text on the server."""
    for row in rows:
        value = row[at]
        if isinstance(value, str) and value.isdigit():
            row = (*row[:at], int(value), *row[at + 1:])
        yield row


@contextmanager
def rules_set_aside(store) -> Iterator[None]:
    """Inside the target's write transaction: its triggers do not act on the copied rows, and are back after."""
    if store.dialect == "postgresql":
        tables = store.table_names()
        for t in tables:
            store.execute(f'ALTER TABLE "{t}" DISABLE TRIGGER USER')
        yield
        for t in tables:
            store.execute(f'ALTER TABLE "{t}" ENABLE TRIGGER USER')
        return
    triggers = [(r[0], r[1]) for r in store.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY rowid")]
    for name, _ in triggers:
        store.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        store.execute(sql)


def clear(store, tables: list[str]) -> None:
    """Empty ``tables`` of the (new) target, children first: the row of register_identitet it was made with."""
    for t in reversed(tables):
        store.execute(f'DELETE FROM "{t}"')


def id_high_water(store) -> dict[str, int]:
    """The highest id each table has given out, deleted rows included."""
    if store.dialect == "postgresql":
        found = {}
        for (table,) in store.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'id' AND is_identity = 'YES'"):
            sequence = store.value("SELECT pg_get_serial_sequence(?, 'id')", (f'"{table}"',))
            row = store.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()
            found[table] = row[0] if row[1] else row[0] - 1
        return found
    return {r[0]: r[1] for r in store.execute("SELECT name, seq FROM sqlite_sequence")}


def set_id_high_water(store, marks: dict[str, int], tables: list[str]) -> None:
    """Each copied table's id mark: at least the source's mark and the highest id copied."""
    for table in tables:
        if "id" not in columns(store, table):
            continue
        mark = max(marks.get(table, 0), store.value(f'SELECT coalesce(max(id), 0) FROM "{table}"'))
        if store.dialect == "postgresql":
            sequence = store.value("SELECT pg_get_serial_sequence(?, 'id')", (f'"{table}"',))
            if sequence:
                store.execute(f"SELECT setval('{sequence}', ?, ?)", (max(mark, 1), mark > 0))
        elif mark:
            store.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
            store.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, mark))


def rebuild_search(store) -> None:
    """The diary search index of the target, made from the copied ärenden."""
    if store.dialect == "postgresql":
        store.execute("SELECT arende_sok_bygg()")
        return
    for table in ("arende_sok", "arende_sok_exakt"):
        store.execute(f"DELETE FROM {table}")
        store.execute(f"INSERT INTO {table} (rowid, diarienummer, rubrik, offentlig_rubrik, klassificering, "
                      "extern_referens) SELECT * FROM arende_sokbar_text")


def broken_references(store) -> int:
    """Rows pointing at rows that are not there (SQLite checks them here; PostgreSQL refused them already)."""
    return 0 if store.dialect == "postgresql" else len(store.execute("PRAGMA foreign_key_check").fetchall())
