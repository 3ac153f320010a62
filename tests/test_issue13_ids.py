"""Issue 13: an id is never given out again (db/016). A person or recipient merged away, a meeting or an item
removed: a view, a script or a file still holding its id must never reach a different row through it."""

import datetime as dt
import re
import sqlite3

import pytest

import nämndtool.store.migrations as runner
from nämndtool.assets import migrations
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import people
from nämndtool.store import Store
from support import SAMPLE_JSON
from test_protokoll_issue13 import ready_for_justering

REBUILT = ["namnd", "organ", "person", "uppdrag", "mottagare", "arende", "handling", "tjansteskrivelse",
           "sammantrade", "dagordningspunkt", "protokoll", "narvaro", "paragraf", "delegationsbeslut"]


def test_a_new_recipient_never_gets_the_id_of_one_merged_away(store):
    keep = people.save_recipient(store, None, "Akten", "Box 1, 111 11 Staden", None)
    merged_away = people.save_recipient(store, None, "akten", "Box 1, 111 11 Staden", None)
    assert merged_away > keep
    people.merge_recipients(store, keep, [merged_away])
    assert [r["id"] for r in store.address_book()] == [keep]
    new = people.save_recipient(store, None, "Revisorerna", "Stadshuset", None)
    assert new > merged_away


def test_a_new_person_never_gets_the_id_of_one_merged_away(store):
    keep = store.ensure_person("Julia Lindberg", epost="julia.lindberg@example.se")
    merged_away = store.ensure_person("julia lindberg", titel="Controller")
    assert merged_away > keep
    people.merge_persons(store, keep, [merged_away])
    assert store.person(merged_away) is None
    assert store.ensure_person("Karin Ek") > merged_away


def test_every_table_whose_rows_can_go_counts_on_from_its_highest_id(store):
    for table in REBUILT:
        sql = store.value("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
        assert "INTEGER PRIMARY KEY AUTOINCREMENT" in sql, table


# --- migrating a store built at schema 15 ----------------------------------------------------------------------

def _schema(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {(t, n): (tbl, sql) for t, n, tbl, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != 'sqlite_sequence'")}
    finally:
        conn.close()


def _plain(create: str) -> str:
    return re.sub(r'^CREATE TABLE "?(\w+)"? ', r"CREATE TABLE \1 ", create).replace(" AUTOINCREMENT", "")


def _rows(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        tables = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' "
            "AND name NOT LIKE 'arende_sok%'")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def _migration_sql(number: int) -> str:
    return next(sql for n, _, sql in migrations() if n == number)


@pytest.fixture
def store_at_15(tmp_path, monkeypatch):
    """A store written by the program at schema 15: the sample meeting justerat, a second meeting, a merge of
    recipients whose merged-away entry had the highest id, a person merged away."""
    path = tmp_path / "femton.sqlite"
    with monkeypatch.context() as patch:
        patch.setattr(runner, "migrations", lambda: migrations()[:15])
        with Store.open(path) as store:
            assert store.value("PRAGMA user_version") == 15
            # today's program reads and writes fil.tillganglig (db/017, issue 14): the column is there while it
            # writes, and dropped again below, so the store is as schema 15 had it
            store.conn.execute("ALTER TABLE fil ADD COLUMN tillganglig INTEGER")
            # and keeps what the gate read from each stored file (db/018, issue 15), dropped again likewise
            store.conn.executescript(_migration_sql(18))
            # and asks whether a digital justering is under way (db/021, issue 17), dropped again likewise
            store.conn.execute("CREATE TABLE signering (sammantrade_id INTEGER, nr INTEGER, sha256 TEXT, "
                               "avbruten TEXT)")
            meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
            ready_for_justering(store, meeting_id)
            justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
            keep = people.save_recipient(store, None, "Akten", "Box 1", None)
            gone = people.save_recipient(store, None, "akten", "Box 1", None)
            people.merge_recipients(store, keep, [gone])
            person_keep = store.ensure_person("Julia Lindberg", epost="julia.lindberg@example.se")
            person_gone = store.ensure_person("julia lindberg", titel="Controller")
            people.merge_persons(store, person_keep, [person_gone])
            store.conn.execute("ALTER TABLE fil DROP COLUMN tillganglig")
            store.conn.execute("DROP TABLE fil_granskning")
            store.conn.execute("DROP TABLE signering")
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, meeting_id, gone, person_gone


def test_a_store_at_schema_15_migrates_with_every_row_reference_trigger_and_index(store_at_15, monkeypatch):
    path, meeting_id, gone, person_gone = store_at_15
    schema_before, rows_before = _schema(path), _rows(path)
    monkeypatch.setattr(runner, "migrations", lambda: migrations()[:16])   # db/016 alone; db/017 adds a column
    with Store.open(path) as store:
        assert store.value("PRAGMA user_version") == 16
        assert store.value("PRAGMA foreign_keys") == 1
        assert store.rows("PRAGMA foreign_key_check") == []
        assert store.value("PRAGMA integrity_check") == "ok"
    schema_after, rows_after = _schema(path), _rows(path)
    assert rows_after == rows_before
    # the same tables, indexes, triggers and views, each written exactly as before; only the rebuilt tables gain
    # AUTOINCREMENT (and SQLite quotes the name it renamed)
    assert schema_after.keys() == schema_before.keys()
    triggers = [k for k in schema_before if k[0] == "trigger"]
    assert len(triggers) > 100 and len([k for k in schema_before if k[0] == "index"]) > 20
    for key, (table, sql) in schema_before.items():
        after_table, after_sql = schema_after[key]
        assert after_table == table
        if key[0] == "table" and key[1] in REBUILT:
            assert "INTEGER PRIMARY KEY AUTOINCREMENT," in after_sql and _plain(after_sql) == _plain(sql), key
        else:
            assert after_sql == sql, key
    # ids merged away before the migration are not given out after it
    monkeypatch.undo()
    with Store.open(path) as store:
        assert people.save_recipient(store, None, "Revisorerna", "Stadshuset", None) > gone
        assert store.ensure_person("Karin Ek") > person_gone


def test_after_the_migration_the_triggers_still_fire(store_at_15):
    path, meeting_id, _, _ = store_at_15
    with Store.open(path) as store:
        paragraf = store.protokoll(meeting_id)["paragrafer"][0]
        # the justering lock (db/003) refuses a change to a § of a justerat protokoll
        with pytest.raises(sqlite3.IntegrityError, match="justera"):
            store.conn.execute("UPDATE paragraf SET rubrik = 'Ändrad' WHERE id = ?", (paragraf["id"],))
        with pytest.raises(sqlite3.IntegrityError, match="justera"):
            store.conn.execute("UPDATE dagordningspunkt SET rubrik = 'Ändrad' WHERE sammantrade_id = ?",
                               (meeting_id,))
        # the audit trail (db/005) records a change to a meeting and to a person
        before = store.value("SELECT count(*) FROM andring")
        with store.write():
            store.conn.execute("UPDATE person SET titel = 'Controller' WHERE namn = 'Julia Lindberg'")
            store.conn.execute("INSERT INTO sammantrade (organ_id, datum) SELECT organ_id, '2023-04-19' "
                               "FROM sammantrade WHERE id = ?", (meeting_id,))
        assert store.value("SELECT count(*) FROM andring") >= before + 1
        assert store.value("SELECT count(*) FROM andring WHERE tabell = 'sammantrade' AND handelse = 'ny'") >= 1
        # secrecy (db/007) is not lifted from an ärende without a recorded reason
        with store.write():
            store.conn.execute("INSERT INTO arende (namnd_id, rubrik, sekretess, sekretess_lagrum) "
                               "SELECT id, 'Ansökan om bistånd', 1, '26 kap. 1 § OSL' FROM namnd")
        secret = store.value("SELECT max(id) FROM arende")
        with pytest.raises(sqlite3.IntegrityError, match="eget beslut"):
            store.conn.execute("UPDATE arende SET sekretess = 0, sekretess_lagrum = NULL WHERE id = ?", (secret,))


def test_a_refused_rebuild_leaves_the_store_at_its_old_schema(tmp_path, monkeypatch):
    """A migration that would break a reference is rolled back, and foreign keys are on again afterwards."""
    path = tmp_path / "s.sqlite"
    with monkeypatch.context() as patch:
        patch.setattr(runner, "migrations", lambda: migrations()[:15])
        with Store.open(path) as store:
            store.save_namnd("SOCN", "Socialnämnden")
    broken = (16, "trasig", runner.AUTOINCREMENT + "person\nDELETE FROM namnd;\n")
    monkeypatch.setattr(runner, "migrations", lambda: migrations()[:15] + [broken])
    with pytest.raises(Exception, match="schema 16 avbröts"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 15
    assert conn.execute("SELECT count(*) FROM namnd").fetchone()[0] == 1
