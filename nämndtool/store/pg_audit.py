"""The audit trail's triggers on PostgreSQL (issue 16), made from the same description as SQLite's.

:data:`nämndtool.store.audit.AUDITED` says which tables are recorded, how a change finds its ärende and meeting,
which column is the record's version and what is left out; the columns and the key come from the PostgreSQL
catalog, in the table's order. The rows written are those SQLite's triggers write (see audit.py's docstring):

``ny``         only the key, in ``rad``;
``ändrad``     ``rad`` the key before the change, ``fore``/``efter`` the old and new values of the changed columns
               only, NULL values left out, ``{}`` on both sides for an update that changes nothing, and no row for
               the version bump alone (db/005's second UPDATE that changes only the version);
``borttagen``  the whole row without its NULL values, in ``fore``.

``rad`` is JSON text: the id (``42``), or a JSON array of the key's values written as SQLite's json_array writes
it (``[7,2]``, ``[3,"Anna"]``), so a key reads the same from either store. ``fore``/``efter`` are JSON text that
parses to what SQLite writes (numbers stay numbers; the spacing differs). The user is app_user() (the
PostgreSQL role), the time the column's default, as in SQLite.

One trigger function per table, ``<table>_logg()``, since the ärende and meeting expressions differ by table;
the triggers keep SQLite's names, ``<table>_logg_insert`` / ``_update`` / ``_delete``, AFTER … FOR EACH ROW.
"""

from typing import Callable, Iterable

from nämndtool.store import audit
from nämndtool.store.audit import AUDITED, EVENTS
from nämndtool.store.server import ServerConnection

_OP = dict(zip(EVENTS, ("INSERT", "UPDATE", "DELETE")))


# --- the table's columns and key: audit.py's, read from PostgreSQL's catalog ------------------------------------


def columns(conn, table: str) -> list[str]:
    """The recorded columns of ``table``, in the table's order (``conn``: a psycopg connection)."""
    return audit.columns(ServerConnection(conn, ""), table)


def key_columns(conn, table: str) -> list[str]:
    """The primary key's columns, in the key's order."""
    return audit.key_columns(ServerConnection(conn, ""), table)


def _exists(conn, table: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]


# --- the SQL ------------------------------------------------------------------------------------------------


def _key_sql(key: list[str], row: str) -> str:
    """``rad``: the id as text, or the key as a compact JSON array (SQLite's json_array, byte for byte: to_json
    escapes a string as SQLite does)."""
    if len(key) == 1:
        return f"{row}.{key[0]}::text"
    parts = " || ',' || ".join(f"to_json({row}.{k})::text" for k in key)
    return f"'[' || {parts} || ']'"


def _object_sql(cols: Iterable[str], value: Callable[[str], str]) -> str:
    """A JSON object of ``cols`` without the NULL ones, in column order, as text."""
    pairs = ", ".join(f"'{c}', {value(c)}" for c in cols)
    return f"json_strip_nulls(json_build_object({pairs}))::text"


def function_sql(conn, table: str) -> str:
    """``CREATE OR REPLACE FUNCTION <table>_logg()``: one INSERT INTO andring per recorded event."""
    spec = AUDITED[table]
    cols, key = columns(conn, table), key_columns(conn, table)

    def belongs(row: str) -> str:
        return ", ".join(expr.format(row=row) if expr else "NULL" for expr in (spec.arende, spec.sammantrade))

    def changed(row: str) -> Callable[[str], str]:
        return lambda c: f"CASE WHEN OLD.{c} IS DISTINCT FROM NEW.{c} THEN {row}.{c} END"

    values = {
        "ny": f"'ny', {belongs('NEW')}, {_key_sql(key, 'NEW')}, NULL, NULL",
        "ändrad": (f"'ändrad', {belongs('NEW')}, {_key_sql(key, 'OLD')},\n"
                   f"                {_object_sql(cols, changed('OLD'))},\n"
                   f"                {_object_sql(cols, changed('NEW'))}"),
        "borttagen": (f"'borttagen', {belongs('OLD')}, {_key_sql(key, 'OLD')},\n"
                      f"                {_object_sql(cols, lambda c: f'OLD.{c}')}, NULL"),
    }
    branches = "\n".join(
        f"    {'IF' if i == 0 else 'ELSIF'} TG_OP = '{_OP[event]}' THEN\n"
        "        INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, rad, fore, efter)\n"
        f"        VALUES (app_user(), '{table}', {values[event]});"
        for i, event in enumerate(spec.events))
    return (f"CREATE OR REPLACE FUNCTION {table}_logg() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"{branches}\n    END IF;\n    RETURN NULL;\nEND $$")


def trigger_sql(conn, table: str) -> list[str]:
    """The statements that (re)make the audit triggers of ``table`` as its columns are now (PostgreSQL)."""
    spec = AUDITED[table]
    cols = columns(conn, table)
    statements = [f"DROP TRIGGER IF EXISTS {table}_logg_{op.lower()} ON {table}" for op in _OP.values()]
    statements.append(function_sql(conn, table))
    for event in spec.events:
        kind = _OP[event].lower()
        when = ""
        if event == "ändrad" and spec.version:
            # Every update is recorded but the version bump alone (as in audit.trigger_sql).
            others = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in cols if c != spec.version)
            when = f" WHEN (NEW.{spec.version} = OLD.{spec.version} OR {others})"
        statements.append(f"CREATE TRIGGER {table}_logg_{kind} AFTER {kind.upper()} ON {table}\n"
                          f"FOR EACH ROW{when} EXECUTE FUNCTION {table}_logg()")
    return statements


def create_triggers(conn, *tables: str) -> None:
    """The audit triggers of ``tables`` (all recorded tables that exist if none), made from their columns as they
    are now. ``conn`` is a psycopg 3 connection; the caller commits."""
    for table in tables or [t for t in AUDITED if _exists(conn, t)]:
        for statement in trigger_sql(conn, table):
            conn.execute(statement)
