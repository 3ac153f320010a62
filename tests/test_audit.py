"""The audit trail, the read log of secret ärenden, and edits that collide between two windows."""

import getpass
import sqlite3

import pytest

from support import bypass, refused_by_database, run_cli
from nämndtool.diarienummer import parse
from nämndtool.errors import ConflictError
from nämndtool.store import Store

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


def test_every_change_is_recorded_with_user_old_and_new_value(imported):
    store, meeting_id = imported
    arende = store.arende_by_number(parse("SOCN/2023:17"))
    store.update_arende(arende["id"], {"rubrik": "Årsredovisning 2022", "status": "beslutat"})
    ts = store.tjansteskrivelse(arende["id"])
    store.save_tjansteskrivelse(arende["id"], {**ts, "rubrik": "Ny rubrik"}, forslag=["Ett förslag."], avsnitt=[],
                                handlingar=[], undertecknare=[], mottagare_ids=[])
    history = store.history(arende_id=arende["id"])
    newest_arende_change = next(h for h in history if h["tabell"] == "arende" and h["handelse"] == "ändrad")
    assert newest_arende_change["anvandare"] == store.value("SELECT app_user()") != ""
    assert newest_arende_change["fält"] == {"rubrik": ("Socialnämndens årsredovisning 2022", "Årsredovisning 2022"),
                                            "status": ("klart_for_namnd", "beslutat")}
    assert any(h["tabell"] == "forslag" and h["handelse"] == "borttagen" for h in history)
    assert any(h["tabell"] == "tjansteskrivelse" and h["fält"].get("rubrik") == ("Socialnämndens årsredovisning 2022",
                                                                                   "Ny rubrik") for h in history)
    store.save_agenda(meeting_id, [{"nr": 1, "rubrik": "Upprop", "typ": "standard", "sekretess": 0}])
    assert any(h["tabell"] == "dagordningspunkt" and h["handelse"] == "borttagen"
               for h in store.history(meeting_id=meeting_id))


def test_the_trail_cannot_be_edited_and_outside_tools_cannot_write_unrecorded(imported):
    store, _ = imported
    store.log_read(store.arende_by_number(parse("SOCN/2023:17"))["id"], "test")
    for sql in ("UPDATE andring SET anvandare = 'någon annan'", "DELETE FROM andring",
                "UPDATE lasning SET anvandare = 'x'", "DELETE FROM lasning"):
        with pytest.raises(refused_by_database(), match="kan inte ändras"):
            bypass(store, sql)
    if store.dialect == "sqlite":   # a plain sqlite3 connection lacks the program's user function: it cannot write
        outside = sqlite3.connect(store.path)
        with pytest.raises(sqlite3.OperationalError, match="app_user"):
            outside.execute("UPDATE arende SET rubrik = 'obemärkt'")
        outside.close()
        return
    bypass(store, "UPDATE arende SET rubrik = 'ändrad i psql' WHERE id = 1")   # the server records it, by role
    found = store.row("SELECT anvandare, efter FROM andring WHERE tabell = 'arende' ORDER BY id DESC LIMIT 1")
    assert found["anvandare"] == store.value("SELECT session_user") and "ändrad i psql" in found["efter"]


def test_reading_a_secret_arende_is_logged(tmp_path):
    db = tmp_path / "demo.sqlite"
    assert run_cli("demo", db=db).returncode == 0
    with Store.open(db) as store:
        secret = store.list_arenden(sekretess=True)[0]
    assert run_cli("case", "show", secret["diarienummer"], db=db).returncode == 0
    assert run_cli("case", "show", "SOCN/2023:17", db=db).returncode == 0   # public: not logged
    history = run_cli("case", "history", secret["diarienummer"], db=db).stdout
    assert "läste ärendet (namndtool case show)" in history and getpass.getuser() in history
    with Store.open(db) as store:
        assert [r["hur"] for r in store.reads(secret["id"])] == ["namndtool case show"]
        assert store.reads(store.arende_by_number(parse("SOCN/2023:17"))["id"]) == []


def test_an_edit_over_someone_elses_change_is_detected(imported):
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:16"))
    opened_at = arende["version"]
    with Store.open(store.location) as other_window:
        other_window.update_arende(arende["id"], {"rubrik": "Ändrad i det andra fönstret"})
    with pytest.raises(ConflictError, match="har ändrats av"):
        store.expect_version("arende", arende["id"], opened_at)
    store.expect_version("arende", arende["id"], store.arende(arende["id"])["version"])
