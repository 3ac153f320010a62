"""Moving a register between an SQLite file and the server store (``namndtool migrate``): everything comes along
(history, audit trail, files, the justerat protokoll with its hash, the ids' marks), the rules still hold in the new
store, and a copy that is not whole is never reported as done."""

import datetime as dt

import pytest

from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store, copying
from nämndtool.transfer import migrate
from support import SAMPLE_JSON, bypass, refused_by_database, run_cli
from test_protokoll_issue13 import ready_for_justering


@pytest.fixture(scope="module")
def justerat_file(tmp_path_factory):
    """An SQLite register with the sample meeting justerat (secret §§, files, history), closed again."""
    path = tmp_path_factory.mktemp("flytt") / "register.sqlite"
    with Store.open(path) as store:
        meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
        ready_for_justering(store, meeting_id)
        justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
        store.register_arende(store.the_namnd()["id"], "Borttaget ärende", today=dt.date(2023, 4, 1))
        gone = store.value("SELECT max(id) FROM arende")
        store.execute("DELETE FROM arende WHERE id = ?", (gone,))   # its id must never come back
    return path, meeting_id, gone


def _rows(store) -> dict:
    return {t: list(copying.read_rows(store, t, copying.columns(store, t)))
            for t in copying.copied_tables(store, store)}


@pytest.fixture
def local_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_a_file_register_moved_to_the_server_and_back_is_the_same_row_for_row(justerat_file, pg_dsn, tmp_path,
                                                                              local_cache):
    path, meeting_id, gone = justerat_file
    result = run_cli("migrate", "--from", str(path), "--to", pg_dsn)
    assert result.returncode == 0, result.stderr
    assert "kontrollerade" in result.stdout
    back = tmp_path / "tillbaka.sqlite"
    migrate(pg_dsn, back)
    with Store.open(path) as original, Store.open(back) as returned, Store.open(pg_dsn) as server:
        assert _rows(returned) == _rows(original)
        assert returned.history(meeting_id=meeting_id) == original.history(meeting_id=meeting_id)
        sha = server.protokoll(meeting_id)["justerad_pdf_sha256"]
        assert sha and server.file_path(sha).read_bytes() == original.file_path(sha).read_bytes()
        assert server.list_arenden(search="arsredovisning") and len(server.list_arenden(search="arsredovisning")) == len(
            original.list_arenden(search="arsredovisning"))
        new = server.register_arende(server.the_namnd()["id"], "Nytt ärende", today=dt.date(2023, 4, 2))
        assert new["id"] > gone   # the id of the deleted ärende is never given out again
        with pytest.raises(refused_by_database(), match="justerat"):
            bypass(server, "UPDATE paragraf SET rubrik = 'x' WHERE protokoll_id = "
                           f"(SELECT id FROM protokoll WHERE sammantrade_id = {meeting_id})")


def test_only_a_new_empty_register_is_moved_into(justerat_file, pg_dsn, tmp_path, local_cache):
    path, _, _ = justerat_file
    migrate(path, pg_dsn)
    with pytest.raises(NamndtoolError, match="innehåller redan uppgifter"):
        migrate(path, pg_dsn)
    existing = tmp_path / "finns.sqlite"
    existing.write_bytes(b"")
    with pytest.raises(NamndtoolError, match="finns redan"):
        migrate(pg_dsn, existing)
    with pytest.raises(NamndtoolError, match="två olika"):
        migrate(path, path)


def test_a_damaged_file_stops_the_move_and_leaves_no_new_register(tmp_path, local_cache):
    source = tmp_path / "källa.sqlite"
    with Store.open(source) as store:
        import_meeting(store, SAMPLE_JSON)
        sha = store.value("SELECT sha256 FROM fil ORDER BY sha256 LIMIT 1")
        damaged = store.file_path(sha)
    damaged.write_bytes(damaged.read_bytes() + b"!")
    target = tmp_path / "mål.sqlite"
    with pytest.raises(NamndtoolError, match="ändrats eller skadats"):
        migrate(source, target)
    assert not target.exists() and not (tmp_path / "mål-filer").exists()
