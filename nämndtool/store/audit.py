"""The audit trail (``andring``): which tables it records, the triggers that record them, and reading it back.

One description, :data:`AUDITED`, says which tables are recorded, how a change finds the ärende and the meeting it
belongs to, and what is left out. The triggers are generated from it and from the table's columns as the store
has them (``PRAGMA table_info``), so a column added by a later migration is recorded once that migration asks for
the triggers again (``-- nämndtool: step andringslogg_triggrar <tabell> …``), and no list of columns is written
by hand. The description is plain SQL expressions over ``{row}`` (NEW or OLD), so a second dialect (PostgreSQL,
issue 16) can generate its triggers from the same table.

What a row of the trail holds (db/019), besides who (``app_user()``, the OS user), when, the table and the event:

``ny``
    Only the record's key, in ``rad``: the table itself holds the row. The row as it was inserted is the row as
    it is now, or as it was deleted, with every later change undone, and every later change records the old
    values of what it changed, so nothing is lost. (``efter`` is NULL; a store migrated from the full-row form
    keeps in ``efter`` the few values that cannot be found that way, with ``null`` for a value that was NULL.)
``ändrad``
    ``rad`` is the key before the change; ``fore`` and ``efter`` hold the old and the new value of each column
    that changed, and nothing else. A NULL value is left out: a column found on one side only was NULL on the
    other. An update that changes nothing still writes a row, with ``{}`` on both sides: it was a save (it gave
    the record a new version), and the trail says who made it.
``borttagen``
    The whole row as it was deleted, in ``fore`` (NULL values left out): the table no longer has it, and it is
    where the history of that record ends.

The key ``rad`` is the id, or for a table keyed by (parent, nr) a JSON array of the key's values. The rows the
program writes itself for tables without triggers (merging people and address-book entries,
``store/sammanslagning.py``) have no ``rad`` and keep whole rows.

Why an insert keeps nothing but its key: on the ten-year store (100 000 ärenden, 559 340 changes) 470 000 of the
rows are inserts, and their whole rows (161 MB of JSON) were most of the 288 MB the trail took of a 470 MB file
(61 %). Keeping them whole without the NULLs would still have taken 133 MB, about half the file; keeping only the
key, the trail with its indexes is 55 MB of 230 MB (24 %, ``benchmarks/audit_benchmark.py``, as user ``root``),
about 100 bytes a change, most of it the time, the user name, the table and the index by ärende that the history
tab reads (each character more in the user name adds 0.56 MB). What it costs: the history of an insert is rebuilt
when read (a few indexed queries per record, see :class:`Reader`; ``andring_rad`` finds a record's later changes
and leaves out the inserts, which are most rows), and a column later added to a table shows its value in the
history of older inserts too.
"""

import bisect
import json
import sqlite3
from dataclasses import dataclass
from typing import Callable, Iterable

EVENTS = ("ny", "ändrad", "borttagen")
_TRIGGER = {"ny": "insert", "ändrad": "update", "borttagen": "delete"}


@dataclass(frozen=True)
class Audited:
    """How one table is recorded. ``arende`` and ``sammantrade`` are SQL giving the ärende and the meeting a change
    belongs to (``{row}`` is NEW or OLD; None: none), ``version`` names the record-version column whose bump
    (db/005: a second UPDATE of the same row, changing only it) is not a change of its own, ``events`` which of
    insert, update and delete are recorded, and ``skip`` names columns that are not recorded."""

    arende: str | None
    sammantrade: str | None
    version: str | None = None
    events: tuple[str, ...] = EVENTS
    skip: tuple[str, ...] = ()


_SAVED = "version"
_TJANSTESKRIVELSE = "(SELECT arende_id FROM tjansteskrivelse WHERE id = {row}.tjansteskrivelse_id)"
_PROTOKOLL = "(SELECT sammantrade_id FROM protokoll WHERE id = {row}.protokoll_id)"
_PARAGRAF_ARENDE = "(SELECT arende_id FROM paragraf WHERE id = {row}.paragraf_id)"
_PARAGRAF_MOTE = ("(SELECT p.sammantrade_id FROM protokoll p JOIN paragraf g ON g.protokoll_id = p.id "
                  "WHERE g.id = {row}.paragraf_id)")

AUDITED: dict[str, Audited] = {
    "arende": Audited("{row}.id", None, _SAVED),
    "tjansteskrivelse": Audited("{row}.arende_id", None, _SAVED),
    "forslag": Audited(_TJANSTESKRIVELSE, None),
    "avsnitt": Audited(_TJANSTESKRIVELSE, None),
    "listad_handling": Audited(_TJANSTESKRIVELSE, None),
    "undertecknare": Audited(_TJANSTESKRIVELSE, None),
    "beslutsmottagare": Audited(_TJANSTESKRIVELSE, None),
    "handling": Audited("{row}.arende_id", None),
    "sammantrade": Audited(None, "{row}.id", _SAVED),
    "dagordningspunkt": Audited("{row}.arende_id", "{row}.sammantrade_id"),
    "protokoll": Audited(None, "{row}.sammantrade_id"),
    "justerare": Audited(None, _PROTOKOLL),
    "narvaro": Audited(None, _PROTOKOLL),
    "paragraf": Audited("{row}.arende_id", _PROTOKOLL),
    "beslut": Audited(_PARAGRAF_ARENDE, _PARAGRAF_MOTE),
    "yrkande": Audited(_PARAGRAF_ARENDE, _PARAGRAF_MOTE),
    "rost": Audited(_PARAGRAF_ARENDE, _PARAGRAF_MOTE),
    "anteckning": Audited(_PARAGRAF_ARENDE, _PARAGRAF_MOTE),
    "jav": Audited(_PARAGRAF_ARENDE, _PARAGRAF_MOTE),
    "paragraf_mottagare": Audited(_PARAGRAF_ARENDE, _PARAGRAF_MOTE),
    "delegationsbeslut": Audited("{row}.arende_id", None),
    # A correction is never changed or removed (db/010); `verkstalld` is the lock's own bookkeeping.
    "datumrattelse": Audited(None, "{row}.sammantrade_id", events=("ny",), skip=("verkstalld",)),
    "standardtext": Audited(None, None),
    # A version of the protokoll being signed is never changed but for being cancelled (db/021).
    "signering": Audited(None, "{row}.sammantrade_id", events=("ny", "ändrad")),
}
"""Every table the trail records, in the order the triggers are made."""


# --- the table's columns and key --------------------------------------------------------------------------------


def columns(conn, table: str) -> list[str]:
    """The recorded columns of ``table``, in the table's order."""
    skip = AUDITED[table].skip
    return [name for name, _ in table_info(conn, table) if name not in skip]


def key_columns(conn, table: str) -> list[str]:
    return [name for _, name in sorted((pk, name) for name, pk in table_info(conn, table) if pk)]


def table_info(conn, table: str) -> list[tuple[str, int]]:
    """Each column of ``table`` in order, with its place in the primary key (0: not in it), from the catalog of
    either database (an SQLite connection, or the server store's, which has ``raw``)."""
    if not hasattr(conn, "raw"):
        return [(name, pk) for _, name, _, _, _, pk in conn.execute(f'PRAGMA table_info("{table}")')]
    return [(name, pk or 0) for name, pk in conn.execute(
        """SELECT a.attname, array_position(c.conkey, a.attnum) FROM pg_attribute a
           LEFT JOIN pg_constraint c ON c.conrelid = a.attrelid AND c.contype = 'p'
           WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""", (table,))]


def _key_sql(key: list[str], value: Callable[[str], str]) -> str:
    """The SQL of ``rad``: the id, or a JSON array of the key's values (SQLite's json_array, everywhere)."""
    if len(key) == 1:
        return value(key[0])
    return f"json_array({', '.join(value(k) for k in key)})"


def _object_sql(cols: Iterable[str], value: Callable[[str], str]) -> str:
    """A JSON object of ``cols`` without the NULL ones: json_patch drops a member whose value is null (RFC 7396)."""
    pairs = ", ".join(f"'{c}', {value(c)}" for c in cols)
    return f"json_patch('{{}}', json_object({pairs}))"


# --- the triggers ---------------------------------------------------------------------------------------------


def trigger_sql(conn: sqlite3.Connection, table: str) -> list[str]:
    """The statements that (re)make the audit triggers of ``table`` as its columns are now (SQLite)."""
    spec = AUDITED[table]
    cols, key = columns(conn, table), key_columns(conn, table)

    def belongs(row: str) -> str:
        return ", ".join(expr.format(row=row) if expr else "NULL" for expr in (spec.arende, spec.sammantrade))

    def changed(row: str) -> Callable[[str], str]:
        return lambda c: f"CASE WHEN OLD.{c} IS NOT NEW.{c} THEN {row}.{c} END"

    values = {
        "ny": f"'ny', {belongs('NEW')}, {_key_sql(key, lambda c: f'NEW.{c}')}, NULL, NULL",
        "ändrad": (f"'ändrad', {belongs('NEW')}, {_key_sql(key, lambda c: f'OLD.{c}')},\n"
                   f"            {_object_sql(cols, changed('OLD'))},\n"
                   f"            {_object_sql(cols, changed('NEW'))}"),
        "borttagen": (f"'borttagen', {belongs('OLD')}, {_key_sql(key, lambda c: f'OLD.{c}')},\n"
                      f"            {_object_sql(cols, lambda c: f'OLD.{c}')}, NULL"),
    }
    statements = [f"DROP TRIGGER IF EXISTS {table}_logg_{kind}" for kind in _TRIGGER.values()]
    for event in spec.events:
        kind = _TRIGGER[event]
        when = ""
        if event == "ändrad" and spec.version:
            # Every update is recorded but the version bump alone; before db/019 an update that also set the
            # version itself went unrecorded, and the history rebuilds inserts on every change being recorded.
            others = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in cols if c != spec.version)
            when = f" WHEN NEW.{spec.version} = OLD.{spec.version} OR {others}"
        statements.append(
            f"CREATE TRIGGER {table}_logg_{kind} AFTER {kind.upper()} ON {table}{when}\nBEGIN\n"
            "    INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, rad, fore, efter)\n"
            f"    VALUES (app_user(), '{table}', {values[event]});\nEND")
    return statements


def create_triggers(conn: sqlite3.Connection, *tables: str) -> None:
    """Migration step ``andringslogg_triggrar``: the audit triggers of ``tables`` (all recorded tables if none),
    made from their columns as they are now."""
    for table in tables or [t for t in AUDITED if _exists(conn, t)]:
        for statement in trigger_sql(conn, table):
            conn.execute(statement)


def _exists(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


# --- reading it back -------------------------------------------------------------------------------------------


def _loads(text: str | None) -> dict:
    return json.loads(text) if text else {}


def _present(row: dict) -> dict:
    return {k: v for k, v in row.items() if v is not None}


def _undo(after: dict, fore: dict, efter: dict) -> dict:
    """The row before an update, from the row after it and the update's changed columns."""
    before = dict(after)
    for column in set(fore) | set(efter):
        if fore.get(column) is None:
            before.pop(column, None)
        else:
            before[column] = fore[column]
    return before


def _with(row: dict, given: dict) -> dict:
    """``row`` with the values a migrated insert kept (``null``: the value was NULL)."""
    return _present({**row, **given})


def changed_fields(before: dict | None, after: dict | None) -> dict:
    """The fields that differ, as (old, new), the version left out: what the history shows for a change."""
    before, after = before or {}, after or {}
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k) and k != "version"}


class Reader:
    """Turns rows of ``andring`` into what the history shows: for each, the record before and after (whole rows,
    NULL values left out) and the fields that changed. ``rows(sql, params)`` is the store's query helper."""

    def __init__(self, conn: sqlite3.Connection, rows: Callable[[str, tuple], list[dict]]):
        self.conn, self.rows = conn, rows

    def fill(self, changes: list[dict]) -> list[dict]:
        """Set ``fore``, ``efter`` (dicts or None) and ``fält`` on each change; returns ``changes``."""
        by_table: dict[str, list[dict]] = {}
        for change in changes:
            if change.get("rad") is not None and change["tabell"] in AUDITED:
                by_table.setdefault(change["tabell"], []).append(change)
            else:   # written whole by the program (or an old row this program could not key)
                before, after = _loads(change["fore"]), _loads(change["efter"])
                change.update(fore=before or None, efter=after or None, fält=changed_fields(before, after))
        for table, found in by_table.items():
            states = self._states(table, found)
            for change in found:
                before, after = states[change["id"]]
                diff = (_loads(change["fore"]), _loads(change["efter"])) if change["handelse"] == "ändrad" else None
                change.update(fore=before, efter=after,
                              fält=changed_fields(*diff) if diff else changed_fields(before, after))
        return changes

    def _states(self, table: str, shown: list[dict]) -> dict[int, tuple[dict | None, dict | None]]:
        """For each change shown, the record before and after it. A record's later changes may be filed under
        another ärende or meeting (an item moved to another ärende), so they are looked up by key."""
        events = {change["id"]: change for change in shown}
        by_key: dict = {}
        asked: set = set()
        since = min(events)
        pending = {change["rad"] for change in shown}
        while pending - asked:
            batch = sorted(pending - asked, key=repr)
            asked |= set(batch)
            marks = ", ".join("?" * len(batch))
            for event in self.rows(
                    f"SELECT id, handelse, rad, fore, efter FROM andring WHERE tabell = ? AND handelse <> 'ny' "
                    f"AND rad IN ({marks}) AND id >= ? ORDER BY id", (table, *batch, since)):
                events.setdefault(event["id"], event)
                if event["handelse"] == "ändrad":
                    moved = self._moved_key(table, event)
                    if moved is not None:
                        pending.add(moved)
        for event in sorted(events.values(), key=lambda e: e["id"]):
            by_key.setdefault(event["rad"], ([], []))
            by_key[event["rad"]][0].append(event["id"])
            by_key[event["rad"]][1].append(event)
        states: dict[int, tuple[dict | None, dict | None]] = {}
        for start in sorted(shown, key=lambda c: c["id"]):
            if start["id"] not in states:
                self._chain(table, start, by_key, states)
        return states

    def _chain(self, table: str, start: dict, by_key: dict, states: dict) -> None:
        """One record from ``start`` until it is deleted or to now, walked back from its last state."""
        chain, key, last = [start], start["rad"], start
        while last["handelse"] != "borttagen":
            moved = self._moved_key(table, last) if last["handelse"] == "ändrad" else None
            key = moved if moved is not None else key
            ids, found = by_key.get(key, ([], []))
            at = bisect.bisect_right(ids, last["id"])   # a list row saved often has many records at one key
            following = found[at] if at < len(found) else None
            if following is None or following["handelse"] == "ny":
                break
            chain.append(following)
            last = following
        if last["handelse"] == "borttagen":
            end = _loads(last["fore"])
        else:
            end = self._current(table, key)
        state = end
        for event in reversed(chain):
            fore, efter = _loads(event["fore"]), _loads(event["efter"])
            if event["handelse"] == "borttagen":
                states[event["id"]] = (fore, None)
                state = fore
            elif event["handelse"] == "ändrad":
                before = _undo(state, fore, efter)
                states[event["id"]] = (before, state)
                state = before
            else:
                states[event["id"]] = (None, _with(state, efter))
                state = {}

    def _moved_key(self, table: str, event: dict):
        """The key after an update that changed it, or None."""
        efter = _loads(event["efter"])
        key = key_columns(self.conn, table)
        if not any(k in efter for k in key):
            return None
        old = [event["rad"]] if len(key) == 1 else json.loads(event["rad"])
        new = [efter.get(k, o) for k, o in zip(key, old)]
        return new[0] if len(key) == 1 else json.dumps(new, separators=(",", ":"), ensure_ascii=False)

    def _current(self, table: str, rad) -> dict:
        key = key_columns(self.conn, table)
        values = [rad] if len(key) == 1 else json.loads(rad)
        cols = columns(self.conn, table)
        found = self.rows(f"SELECT {', '.join(cols)} FROM {table} WHERE "
                          + " AND ".join(f"{k} = ?" for k in key), tuple(values))
        return _present(found[0]) if found else {}


# --- db/019: whole rows to changes ------------------------------------------------------------------------------


def compact_trail(conn: sqlite3.Connection) -> None:
    """Migration step ``andringslogg_kompakt`` (db/019): every row of ``andring`` is copied into ``andring_ny``
    with its id, time, user, table, event, ärende and meeting, the rows the triggers wrote whole rewritten into
    the form above.

    Lossless for the history: an update keeps exactly the columns whose values differ (compared as the history
    compares them); a deletion keeps its row; an insert keeps only its key when the row as inserted is what the
    reader will find (the record now, or as deleted, with its later changes undone), and otherwise also the values
    that differ from that (a column since removed from the table, one the old triggers left out, a value changed
    without a trace). One pass over the trail, newest first, so each record's later state is known when its
    earlier changes are reached; the common insert, never changed since and found as it was inserted, is settled
    by comparing two strings. The old audit triggers are dropped first.
    """
    for table in AUDITED:
        for kind in _TRIGGER.values():
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_logg_{kind}")
    tables = [t for t in AUDITED if _exists(conn, t)]
    specs = {t: (columns(conn, t), key_columns(conn, t)) for t in tables}

    def per_table(make: Callable[[list[str], list[str], str], str]) -> str:
        return "CASE tabell " + " ".join(f"WHEN '{t}' THEN {make(*specs[t], t)}" for t in tables) + " END"

    def in_json(source: str) -> Callable[[str], str]:
        return lambda c: f"json_extract({source}, '$.{c}')"

    def now(cols: list[str], key: list[str], table: str) -> str:
        """The record as it is now, as the old triggers wrote it (json_object of every column, NULLs too)."""
        match = " AND ".join(f"t.{k} = {in_json('coalesce(efter, fore)')(k)}" for k in key)
        pairs = ", ".join(f"'{c}', t.{c}" for c in cols)
        return f"(SELECT json_object({pairs}) FROM {table} t WHERE {match})"

    rad = per_table(lambda cols, key, t: _key_sql(key, in_json("coalesce(fore, efter)")))
    nyrad = per_table(lambda cols, key, t: _key_sql(key, in_json("efter")))
    recorded = ", ".join(f"'{t}'" for t in tables)
    # 1. The inserts never changed since and found as they were inserted (the same text as the old trigger wrote):
    #    only their key is kept. That is nearly all of them, settled here without leaving SQLite. A key that a later
    #    update or deletion names is left to the walk (a record moved to a key had to leave it first, so the
    #    update's old key is enough).
    conn.execute("CREATE TEMP TABLE andring_andrad (tabell, rad, PRIMARY KEY (tabell, rad)) WITHOUT ROWID")
    conn.execute(f"""INSERT OR IGNORE INTO temp.andring_andrad
                     SELECT tabell, {rad} FROM andring WHERE handelse <> 'ny' AND tabell IN ({recorded})""")
    conn.execute("CREATE TEMP TABLE andring_bara_nyckel (id INTEGER PRIMARY KEY, rad)")
    conn.execute(f"""INSERT INTO temp.andring_bara_nyckel
                     SELECT id, rad FROM (SELECT id, tabell, efter, {rad} AS rad, {per_table(now)} AS nu FROM andring
                                          WHERE handelse = 'ny' AND tabell IN ({recorded})) x
                     WHERE rad IS NOT NULL AND efter = nu
                       AND NOT EXISTS (SELECT 1 FROM temp.andring_andrad c WHERE c.tabell = x.tabell AND c.rad = x.rad)""")
    # 2. Every other row of a recorded table, newest first.
    conn.execute("CREATE TEMP TABLE andring_kompakt (id INTEGER PRIMARY KEY, rad, fore, efter)")
    cursor = conn.execute(
        f"""SELECT id, tabell, handelse, fore, efter, {rad} AS rad, {nyrad} AS nyrad, {per_table(now)} AS nu
            FROM andring WHERE tabell IN ({recorded}) AND id NOT IN (SELECT id FROM temp.andring_bara_nyckel)
            ORDER BY id DESC""")
    walk = _Walk()
    out: list[tuple] = []
    for id_, tabell, handelse, fore, efter, rad, nyrad, nu in cursor:
        if rad is not None:   # a row without its key is kept as it is
            out.append((id_, *walk.step(tabell, handelse, fore, efter, rad, nyrad, nu)))
        if len(out) >= 20000:
            conn.executemany("INSERT INTO temp.andring_kompakt VALUES (?, ?, ?, ?)", out)
            out.clear()
    conn.executemany("INSERT INTO temp.andring_kompakt VALUES (?, ?, ?, ?)", out)
    # 3. All rows in id order, the rewritten ones in their new form.
    conn.execute(
        """INSERT INTO andring_ny (id, tid, anvandare, tabell, handelse, arende_id, sammantrade_id, rad, fore, efter)
           SELECT a.id, a.tid, a.anvandare, a.tabell, a.handelse, a.arende_id, a.sammantrade_id, coalesce(k.rad, b.rad),
                  CASE WHEN k.id IS NOT NULL THEN k.fore WHEN b.id IS NULL THEN a.fore END,
                  CASE WHEN k.id IS NOT NULL THEN k.efter WHEN b.id IS NULL THEN a.efter END
           FROM andring a LEFT JOIN temp.andring_kompakt k ON k.id = a.id LEFT JOIN temp.andring_bara_nyckel b ON b.id = a.id
           ORDER BY a.id""")
    for temporary in ("andring_kompakt", "andring_bara_nyckel", "andring_andrad"):
        conn.execute(f"DROP TABLE temp.{temporary}")


def _dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


class _Walk:
    """The trail walked newest first, keeping each record's state as the reader will rebuild it: after each
    change, the state that follows it. A state is kept as the text it starts from (the record now, or as
    deleted) and the columns undone since, so a ten-year store's pending records take little memory."""

    def __init__(self) -> None:
        self.seen: dict[str, set] = {}
        self.state: dict[tuple, tuple[str | None, dict]] = {}

    def step(self, table: str, handelse: str, fore: str | None, efter: str | None, rad, nyrad, nu: str | None
             ) -> tuple:
        """One row's ``rad``, ``fore`` and ``efter`` in the new form. ``nu`` is the record as it is now at the key
        after the change, as the old triggers wrote rows."""
        seen = self.seen.setdefault(table, set())
        last = rad not in seen   # nothing later happened at this key
        seen.add(rad)
        if nyrad is not None:
            seen.add(nyrad)
        if handelse == "borttagen":
            before = _dumps(_present(_loads(fore)))
            self.state[table, rad] = (before, {})
            return rad, before, None
        if handelse == "ändrad":
            old, new = _loads(fore), _loads(efter)
            base, undone = self.state.pop((table, nyrad), None) or (nu, {})
            changed = [c for c in set(old) | set(new) if old.get(c) != new.get(c)]
            diff_old = {c: old[c] for c in changed if old.get(c) is not None}
            diff_new = {c: new[c] for c in changed if new.get(c) is not None}
            self.state[table, rad] = (base, {**undone, **{c: old.get(c) for c in changed}})
            return rad, _dumps(diff_old), _dumps(diff_new)
        if last and efter == nu:
            return rad, None, None
        base, undone = self.state.pop((table, rad), None) or (nu, {})
        found = _present({**_loads(base), **undone})
        inserted = _loads(efter)
        kept = {c: inserted.get(c) for c in set(inserted) | set(found)
                if c != "version" and inserted.get(c) != found.get(c)}
        return rad, None, _dumps(dict(sorted(kept.items()))) if kept else None
