"""Issue 15, point 4: the audit trail stores only what changed (db/019), with the same history and guarantees.

An update keeps the old and new value of each column that changed; an insert keeps only the record's key (the table
holds the row, and every later change keeps the old values of what it changed); a deletion keeps the whole row. The
history built from that is compared here with the history the whole-row trail gave, for the same changes, both on a
store migrated from schema 18 and on a new one.
"""

import json
import sqlite3

import pytest

from nämndtool.assets import migrations
from nämndtool.diarienummer import parse
from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store
from nämndtool.store import audit
from nämndtool.store import migrations as runner
from nämndtool.store.register import HISTORY_GROUP_SECONDS, _net_group, _seconds_between
from support import SAMPLE_JSON, run_cli

BEFORE = 18
"""The schema before the compact trail (db/019)."""


def trail(store, **where) -> list[dict]:
    clause = " AND ".join(f"{k} = ?" for k in where) or "1"
    return store.rows(f"SELECT * FROM andring WHERE {clause} ORDER BY id", tuple(where.values()))


def _arende(store, number: str) -> int:
    return store.arende_by_number(parse(number))["id"]


def _edit(store, sql: str, params=()) -> None:
    with store.write():
        store.execute(sql, params)


# --- what one change writes ----------------------------------------------------------------------------------


def test_an_update_records_only_the_changed_columns_with_old_and_new_value(imported):
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:17"))
    store.update_arende(arende["id"], {"rubrik": "Årsredovisning 2022", "extern_referens": "KS 2023/4"})
    change = trail(store, tabell="arende")[-1]
    assert (change["handelse"], change["rad"], change["arende_id"]) == ("ändrad", arende["id"], arende["id"])
    assert json.loads(change["fore"]) == {"rubrik": arende["rubrik"]}          # extern_referens was NULL: left out
    assert json.loads(change["efter"]) == {"rubrik": "Årsredovisning 2022", "extern_referens": "KS 2023/4"}
    store.update_arende(arende["id"], {"extern_referens": None})
    change = trail(store, tabell="arende")[-1]
    assert (json.loads(change["fore"]), json.loads(change["efter"])) == ({"extern_referens": "KS 2023/4"}, {})
    newest = store.history(arende_id=arende["id"])[0]
    assert newest["fält"] == {"extern_referens": ("KS 2023/4", None)}


def test_an_update_that_changes_nothing_is_still_recorded_as_a_save_without_fields(imported):
    """Pinned: it gave the record a new version, and the trail keeps who saved it (as before db/019)."""
    store, _ = imported
    arende_id = _arende(store, "SOCN/2023:17")
    count = len(trail(store))
    _edit(store, "UPDATE arende SET rubrik = rubrik WHERE id = ?", (arende_id,))
    rows = trail(store)
    assert len(rows) == count + 1
    assert (rows[-1]["handelse"], rows[-1]["fore"], rows[-1]["efter"]) == ("ändrad", "{}", "{}")
    assert store.history(arende_id=arende_id)[0]["fält"] == {}
    assert not any(e["id"] == rows[-1]["id"] for e in store.net_history(arende_id=arende_id))


def test_an_insert_keeps_the_key_and_the_history_shows_the_row_as_inserted_after_later_changes(imported):
    store, _ = imported
    arende_id = _arende(store, "SOCN/2023:17")
    handling_id = store.add_handling(arende_id, {"riktning": "in", "beskrivning": "Yttrande från Polisen",
                                                 "datum": "2023-02-01", "motpart": "Polisen"}, by="Sara Gibro")
    inserted = trail(store, tabell="handling")[-1]
    assert (inserted["handelse"], inserted["rad"], inserted["fore"], inserted["efter"]) == ("ny", handling_id, None,
                                                                                            None)
    _edit(store, "UPDATE handling SET beskrivning = 'Yttrande', motpart = NULL WHERE id = ?", (handling_id,))
    _edit(store, "DELETE FROM handling WHERE id = ?", (handling_id,))
    deleted = trail(store, tabell="handling")[-1]
    assert json.loads(deleted["fore"])["beskrivning"] == "Yttrande" and "motpart" not in json.loads(deleted["fore"])
    history = [e for e in store.history(arende_id=arende_id) if e["tabell"] == "handling" and e["rad"] == handling_id]
    assert [e["handelse"] for e in history] == ["borttagen", "ändrad", "ny"]
    removed, changed, new = history
    assert new["fält"]["beskrivning"] == (None, "Yttrande från Polisen") and new["fält"]["motpart"] == (None, "Polisen")
    assert changed["fält"] == {"beskrivning": ("Yttrande från Polisen", "Yttrande"), "motpart": ("Polisen", None)}
    assert removed["fält"]["beskrivning"] == ("Yttrande", None) and "motpart" not in removed["fält"]
    assert changed["efter"]["id"] == changed["fore"]["id"] == handling_id    # whole rows for the view


def test_a_record_changed_under_another_arende_still_shows_its_first_state(imported):
    """An agenda item moved to another ärende: the move is filed under the new ärende, and the item's insert in
    the first ärende's history still shows the ärende it was inserted with."""
    store, meeting_id = imported
    first, other = _arende(store, "SOCN/2023:17"), _arende(store, "SOCN/2023:16")
    item = store.row("SELECT id, rubrik FROM dagordningspunkt WHERE arende_id = ?", (first,))
    _edit(store, "UPDATE dagordningspunkt SET arende_id = ? WHERE id = ?", (other, item["id"]))
    new = next(e for e in store.history(arende_id=first) if e["tabell"] == "dagordningspunkt")
    assert new["handelse"] == "ny" and new["fält"]["arende_id"] == (None, first)
    moved = next(e for e in store.history(arende_id=other) if e["tabell"] == "dagordningspunkt")
    assert moved["fält"] == {"arende_id": (first, other)}


def test_a_record_whose_key_changed_is_followed_to_its_new_key(imported):
    store, _ = imported
    arende_id = _arende(store, "SOCN/2023:17")
    ts = store.tjansteskrivelse(arende_id)
    store.save_tjansteskrivelse(arende_id, ts, forslag=["Först.", "Sedan."], avsnitt=[], handlingar=[],
                                undertecknare=[], mottagare_ids=[])
    _edit(store, "UPDATE forslag SET nr = 3 WHERE tjansteskrivelse_id = ? AND nr = 1", (ts["id"],))
    _edit(store, "UPDATE forslag SET text = 'Sist.' WHERE tjansteskrivelse_id = ? AND nr = 3", (ts["id"],))
    changes = [e for e in store.history(arende_id=arende_id) if e["tabell"] == "forslag" and e["id"] >
               max(c["id"] for c in trail(store, tabell="forslag", handelse="borttagen"))]
    assert [(e["handelse"], e["fält"]) for e in changes] == [
        ("ändrad", {"text": ("Först.", "Sist.")}),
        ("ändrad", {"nr": (1, 3)}),
        ("ny", {"nr": (None, 2), "text": (None, "Sedan."), "tjansteskrivelse_id": (None, ts["id"])}),
        ("ny", {"nr": (None, 1), "text": (None, "Först."), "tjansteskrivelse_id": (None, ts["id"])}),
    ]


def test_setting_the_version_by_hand_no_longer_hides_a_change(imported):
    store, _ = imported
    arende_id = _arende(store, "SOCN/2023:17")
    _edit(store, "UPDATE arende SET rubrik = 'I smyg', version = version + 1 WHERE id = ?", (arende_id,))
    assert store.history(arende_id=arende_id)[0]["fält"]["rubrik"][1] == "I smyg"
    count = len(trail(store))
    store.update_arende(arende_id, {"rubrik": "Öppet"})      # and the version bump itself is no change of its own
    assert len(trail(store)) == count + 1


# --- the guarantees --------------------------------------------------------------------------------------------


def test_every_recorded_table_has_generated_triggers_that_need_app_user(store):
    for table, spec in audit.AUDITED.items():
        for event in spec.events:
            kind = {"ny": "insert", "ändrad": "update", "borttagen": "delete"}[event]
            sql = store.value("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                              (f"{table}_logg_{kind}",))
            assert sql and "app_user()" in sql and "INSERT INTO andring" in sql, (table, kind)
            if event == "ändrad":
                assert all(f"OLD.{c} IS NOT NEW.{c}" in sql for c in audit.columns(store.conn, table)), table


def test_the_trail_stays_append_only_and_an_outside_connection_still_cannot_change_recorded_tables(imported):
    store, _ = imported
    arende_id = _arende(store, "SOCN/2023:17")
    store.update_arende(arende_id, {"rubrik": "Ny"})
    for sql in ("UPDATE andring SET fore = NULL", "UPDATE andring SET rad = 0", "DELETE FROM andring"):
        with pytest.raises(sqlite3.IntegrityError, match="kan inte ändras"):
            store.conn.execute(sql)
    outside = sqlite3.connect(store.path)
    try:
        for sql in ("UPDATE arende SET rubrik = 'obemärkt'", "DELETE FROM forslag",
                    "INSERT INTO handling (arende_id, riktning, beskrivning) VALUES (1, 'in', 'obemärkt')"):
            with pytest.raises(sqlite3.OperationalError, match="app_user"):
                outside.execute(sql)
    finally:
        outside.close()


def test_a_table_given_a_column_later_records_it_once_its_triggers_are_made_again(store):
    """What a later migration does with ``-- nämndtool: step andringslogg_triggrar <tabell>``."""
    with store.write():
        store.execute("ALTER TABLE standardtext ADD COLUMN kommentar TEXT")
        audit.create_triggers(store.conn, "standardtext")
        namnd = store.insert("namnd", {"namn": "Socialnämnden", "kod": "SOCN"})
        store.execute("INSERT INTO standardtext (namnd_id, punkt, nr, text) VALUES (?, 'Upprop', 1, '')", (namnd,))
        store.execute("UPDATE standardtext SET kommentar = 'ny kolumn'")
    change = trail(store, tabell="standardtext")[-1]
    assert (change["rad"], json.loads(change["efter"])) == (json.dumps([namnd, "Upprop"], separators=(",", ":")),
                                                           {"kommentar": "ny kolumn"})


# --- the same history as before, for the same changes ----------------------------------------------------------


def _changes(store) -> list[int]:
    """A scripted series of changes through the store: edits, NULLs set and cleared, a tjänsteskrivelse saved twice
    (its lists deleted and inserted again), a förslag renumbered and changed, a handling registered, changed and
    removed, an agenda item moved to another ärende, a close and a reopening. Returns the ärenden whose history to
    compare."""
    first, other = _arende(store, "SOCN/2023:17"), _arende(store, "SOCN/2023:16")
    store.update_arende(first, {"rubrik": "Årsredovisning 2022", "status": "beslutat"})
    store.update_arende(first, {"extern_referens": "KS 2023/4"})
    store.update_arende(first, {"extern_referens": None, "svar_senast": "2023-05-01"})
    ts = store.tjansteskrivelse(first)
    for forslag in (["Ett förslag.", "Ett till."], ["Ett ändrat förslag.", "Ett till."]):
        store.save_tjansteskrivelse(first, {**ts, "rubrik": forslag[0]}, forslag=forslag,
                                    avsnitt=[{"rubrik": "Bakgrund", "text": "Text."}], handlingar=[],
                                    undertecknare=[{"namn": "Sara Gibro", "titel": "Nämndsekreterare"}],
                                    mottagare_ids=[])
        ts = store.tjansteskrivelse(first)
    # a list row given another number (its key) and then changed at its new key
    _edit(store, "UPDATE forslag SET nr = 3 WHERE tjansteskrivelse_id = ? AND nr = 2", (ts["id"],))
    _edit(store, "UPDATE forslag SET text = 'Omnumrerat.' WHERE tjansteskrivelse_id = ? AND nr = 3", (ts["id"],))
    handling = store.add_handling(first, {"riktning": "in", "beskrivning": "Yttrande", "datum": "2023-02-01",
                                          "motpart": "Polisen"}, by="Sara Gibro")
    _edit(store, "UPDATE handling SET beskrivning = 'Yttrande från Polisen' WHERE id = ?", (handling,))
    _edit(store, "DELETE FROM handling WHERE id = ?", (handling,))
    _edit(store, "UPDATE dagordningspunkt SET arende_id = ? WHERE arende_id = ?", (other, first))
    store.update_arende(other, {"rubrik": "Flyttad punkt"})
    store.close_arende(first, "Sara Gibro", "2023-12-31")
    store.reopen_arende(first)
    return [first, other]


def _present(row: dict | None) -> dict | None:
    return None if row is None else {k: v for k, v in row.items() if v is not None and k != "version"}


def _old_history(store, arende_id: int) -> list[dict]:
    """The history as the whole-row trail gave it (store.history before db/019), read from the raw rows."""
    found = store.rows("SELECT * FROM andring WHERE arende_id = ? ORDER BY id DESC", (arende_id,))
    for change in found:
        before, after = (json.loads(change[k]) if change[k] else {} for k in ("fore", "efter"))
        change.update(fore=before or None, efter=after or None, fält=audit.changed_fields(before, after))
    return found


def _old_net_history(changes: list[dict]) -> list[dict]:
    """store.net_history before db/019, from :func:`_old_history` (its grouping is unchanged)."""
    groups: list[list[dict]] = []
    for change in reversed(changes):
        last = groups[-1][-1] if groups else None
        if last is not None and last["anvandare"] == change["anvandare"] and \
                _seconds_between(last["tid"], change["tid"]) <= HISTORY_GROUP_SECONDS:
            groups[-1].append(dict(change))
        else:
            groups.append([dict(change)])
    return sorted((e for g in groups for e in _net_group(g)), key=lambda e: e["id"], reverse=True)


def _shown(history: list[dict], *, ids: bool = True) -> list[tuple]:
    """What the CLI and the history tab show of each change: who, when, what and the fields, and the record's row
    the tab names a new or removed record by (a changed one by its number). Without ``ids`` (two stores made at
    different times) a handling's registration time and the record ids it was given are left out."""
    clock = () if ids else ("registrerad", "id")
    def record(entry: dict, side: str) -> dict | None:
        row = _present(entry[side])
        if row is not None and entry["handelse"] == "ändrad":
            row = {k: v for k, v in row.items() if k == "nr"}
        return row if row is None else {k: v for k, v in row.items() if k not in clock}

    return [((e["id"], e["tid"]) if ids else ()) + (
        e["anvandare"], e["tabell"], e["handelse"],
        {k: v for k, v in e["fält"].items() if k not in clock}, record(e, "efter"), record(e, "fore"))
        for e in history]


@pytest.fixture
def store_at_18(tmp_path, monkeypatch):
    """A store made at schema 18, whose triggers write whole rows, with the sample meeting and the scripted
    changes in it; yields its path, the ärenden to compare and their history then."""
    path = tmp_path / "schema-18" / "register.sqlite"   # apart from the store of the `store` fixture
    path.parent.mkdir()
    with monkeypatch.context() as patch:
        patch.setattr(runner, "migrations", lambda: migrations()[:BEFORE])
        with Store.open(path) as old:
            assert old.value("PRAGMA user_version") == BEFORE
            import_meeting(old, SAMPLE_JSON)
            arenden = _changes(old)
            # a change the old triggers let through unrecorded (the version set by hand), to a field no later
            # change names: the migrated insert keeps the value it had
            _edit(old, "UPDATE arende SET offentlig_rubrik = 'Utan spår', version = version + 1 WHERE id = ?",
                  (arenden[0],))
            before = {a: _old_history(old, a) for a in arenden}
            count = old.value("SELECT count(*) FROM andring")
    return path, arenden, before, count


def test_a_store_migrated_from_whole_rows_shows_the_same_history_with_every_row_kept(store_at_18):
    path, arenden, before, count = store_at_18
    with Store.open(path) as store:
        assert store.value("PRAGMA user_version") >= BEFORE + 1
        assert store.value("SELECT count(*) FROM andring") == count
        assert store.value("SELECT count(*) FROM andring WHERE tabell = 'arende' AND handelse = 'ny' "
                           "AND efter IS NOT NULL") == 1
        for arende_id in arenden:
            assert _shown(store.history(arende_id=arende_id)) == _shown(before[arende_id])
            assert _shown(store.net_history(arende_id=arende_id)) == _shown(_old_net_history(before[arende_id]))
    kept = path.with_name(f"register.fore-schema-{BEFORE + 1}.sqlite")
    assert sqlite3.connect(kept).execute("PRAGMA user_version").fetchone()[0] == BEFORE


def test_a_new_store_shows_the_same_history_as_the_whole_row_trail_for_the_same_changes(store_at_18, imported):
    _, _, before, _ = store_at_18
    store, _ = imported
    arenden = _changes(store)
    for arende_id, old in zip(arenden, before.values()):
        assert _shown(store.history(arende_id=arende_id), ids=False) == _shown(old, ids=False)
        assert _shown(store.net_history(arende_id=arende_id), ids=False) == \
            _shown(_old_net_history(old), ids=False)


def test_the_cli_history_prints_the_same_changes_after_the_migration(store_at_18):
    path, arenden, before, _ = store_at_18
    printed = run_cli("case", "history", "SOCN/2023:17", db=path)
    assert printed.returncode == 0, printed.stderr
    for change in before[arenden[0]]:
        assert f"{change['tabell']} {change['handelse']}" in printed.stdout
        for field, (old, new) in change["fält"].items():
            assert f"    {field}: {old!r} → {new!r}" in printed.stdout
