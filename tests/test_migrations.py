"""Numbered migrations, tracked in user_version: old stores are migrated, newer or broken ones refused."""

import sqlite3

import pytest

from support import run_cli, run_cli_process
from nämndtool.assets import migrations
from nämndtool.errors import StoreError
from nämndtool.store import Store, schema_version


def _store_at_version(path, version: int):
    conn = sqlite3.connect(path)
    for number, _, sql in migrations()[:version]:
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {number}")
    return conn


def test_migrations_are_numbered_from_one_without_gaps():
    numbers = [n for n, _, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1)) and schema_version() == len(numbers) >= 2


def test_a_version_1_store_is_migrated_and_its_data_searchable(tmp_path):
    path = tmp_path / "gammal.sqlite"
    conn = _store_at_version(path, 1)
    conn.execute("INSERT INTO namnd (namn, kod) VALUES ('Socialnämnden', 'SOCN')")
    conn.execute("INSERT INTO arende (namnd_id, ar, lopnr, rubrik) VALUES (1, 2019, 4, 'Socialnämndens årsredovisning 2018')")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.value("PRAGMA user_version") == schema_version()
        found = store.list_arenden(search="arsredovisning")
        assert [a["diarienummer"] for a in found] == ["SOCN/2019:4"]
    kept = tmp_path / "gammal.fore-schema-2.sqlite"
    assert kept.exists()
    assert sqlite3.connect(kept).execute("PRAGMA user_version").fetchone()[0] == 1


def test_opening_twice_applies_nothing_more(tmp_path):
    path = tmp_path / "s.sqlite"
    Store.open(path).close()
    before = path.read_bytes()
    Store.open(path).close()
    assert path.read_bytes() == before


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "ny.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="nyare version av Nämndtool"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_store_gives_a_clear_message_and_is_untouched(tmp_path):
    path = tmp_path / "trasig.sqlite"
    path.write_bytes(b"Det h\xc3\xa4r \xc3\xa4r ingen databas." * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="skadad eller är inget Nämndtool-register"):
        Store.open(path)
    assert path.read_bytes() == before
    result = run_cli("case", "list", db=path)
    assert result.returncode == 1
    assert "skadad" in result.stderr and "Traceback" not in result.stderr


def test_a_damaged_store_gives_a_clear_message(tmp_path):
    path = tmp_path / "skadad.sqlite"
    with Store.open(path) as store:
        store.save_namnd("SOCN", "Socialnämnden")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[100:4096 * 2] = b"\xff" * (4096 * 2 - 100)   # the schema page is gone
    path.write_bytes(bytes(data))
    result = run_cli("case", "list", db=path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "går inte att läsa" in result.stderr and "säkerhetskopia" in result.stderr


def test_a_locked_store_gives_a_clear_message(tmp_path):
    path = tmp_path / "last.sqlite"
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        # a real process: the busy timeout is read from the environment when the program starts
        result = run_cli_process("init", "--namn", "Socialnämnden", "--kod", "SOCN", db=path,
                                 env={"NAMNDTOOL_BUSY_TIMEOUT_MS": "300"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "upptaget" in result.stderr and "försök igen" in result.stderr
    with Store.open(path) as store:
        assert store.is_empty()
