"""`check --full` finds what the quick check does not, and `check --repair` mends the diary series without losing
anything (issue 11, point 8)."""

import datetime as dt
import os
import time

import pytest

from support import run_cli
from nämndtool.backup import default_backup_root
from nämndtool.check import check_store, repair_store
from nämndtool.store import Store

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

YEAR = dt.date.today().year


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "register.sqlite"
    assert run_cli("init", "--namn", "Socialnämnden", "--kod", "SOCN", db=path).returncode == 0
    for title in ("Ett", "Två", "Tre"):
        assert run_cli("case", "new", "--title", title, db=path).returncode == 0
    return path


def _sql(db, sql, params=()):
    with Store.open(db) as store, store.write():
        store.execute(sql, params)


def test_a_lost_diary_series_is_found_by_check_full_and_case_new_goes_on_above_it(db):
    _sql(db, "DELETE FROM diarieserie")
    quick = run_cli("check", db=db)
    assert quick.returncode == 0, quick.stderr
    full = run_cli("check", "--full", db=db)
    assert full.returncode == 1
    assert f"Diarieserien SOCN/{YEAR} saknas" in full.stderr and "check --repair" in full.stderr

    made = run_cli("case", "new", "--title", "Fyra", db=db)
    assert made.returncode == 0, made.stderr
    assert f"SOCN/{YEAR}:4" in made.stdout
    assert run_cli("check", "--full", db=db).returncode == 0   # the new ärende brought the series row back


def test_repair_recreates_a_missing_series_and_says_so(db):
    _sql(db, "DELETE FROM diarieserie")
    repaired = run_cli("check", "--repair", "--full", db=db)
    assert repaired.returncode == 0, repaired.stderr
    assert f"Diarieserien SOCN/{YEAR} saknades och är återskapad: nästa nummer blir SOCN/{YEAR}:4." in repaired.stdout
    with Store.open(db) as store:
        assert store.value("SELECT senaste FROM diarieserie") == 3
        assert store.value("SELECT count(*) FROM arende") == 3


def test_repair_raises_a_counter_below_the_highest_number_and_never_lowers_one(db):
    _sql(db, "DELETE FROM diarieserie")
    _sql(db, "INSERT INTO diarieserie (namnd_id, ar, senaste) VALUES (1, ?, 1)", (YEAR,))
    _sql(db, "INSERT INTO diarieserie (namnd_id, ar, senaste) VALUES (1, ?, 50)", (YEAR - 1,))
    with Store.open(db) as store:
        assert any("står på 1, men nummer 3" in p for p in check_store(store, full=True))
        done = repair_store(store)
        assert len(done) == 1 and "uppräknad" in done[0]
        assert store.value("SELECT senaste FROM diarieserie WHERE ar = ?", (YEAR,)) == 3
        assert store.value("SELECT senaste FROM diarieserie WHERE ar = ?", (YEAR - 1,)) == 50
        assert repair_store(store) == []
        assert check_store(store, full=True) == []


def test_nothing_to_repair_is_said_plainly(db):
    repaired = run_cli("check", "--repair", db=db)
    assert repaired.returncode == 0 and "Inget behövde lagas." in repaired.stdout


def test_check_full_finds_leftovers_absurd_dates_and_files_not_stored_by_the_program(db):
    with Store.open(db) as store:
        files_dir, backup_root = store.files_dir, default_backup_root(store.path)
        store.save_namnd("SOCN")
        with store.write():
            store.execute("INSERT INTO sammantrade (organ_id, datum) VALUES (1, '9999-12-31')")
    with Store.open(db) as store:
        # Left by processes killed while this one has the store open (opening removes older leftovers).
        (files_dir / "ab").mkdir(parents=True)
        (files_dir / "ab" / "semester.pdf").write_bytes(b"%PDF-1.4 hand-copied")
        (files_dir / ".ny-abc123.tmp").write_bytes(b"half a file")
        partial = backup_root / ".pågående-20260101-120000-4242"
        partial.mkdir(parents=True)
        os.utime(partial, (time.time() - 3600, time.time() - 3600))
        assert check_store(store) == []   # the quick check does not look for these
        problems = check_store(store, full=True)
    text = "\n".join(problems)
    assert "1 sammanträdesdatum ligger utanför det rimliga spannet" in text and "9999-12-31" in text
    assert "semester.pdf" in text and "inte lagts in genom Nämndtool" in text
    assert ".ny-abc123.tmp" in text and ".pågående-20260101-120000-4242" in text
    assert len(problems) == 3
    full = run_cli("check", "--full", db=db)
    assert full.returncode == 1 and "9999-12-31" in full.stderr and "semester.pdf" in full.stderr


def test_a_check_that_finds_a_damaged_database_stops_writes_until_a_full_check_passes(db):
    from test_store_safety import _corrupt_index_pages

    import sqlite3
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    whole = db.read_bytes()
    _corrupt_index_pages(db, "arende")
    checked = run_cli("check", db=db)
    assert checked.returncode == 1 and "Databasen är skadad" in checked.stderr
    with Store.open(db) as store:
        assert "integritetskontrollen" in store.damaged()
    refused = run_cli("case", "new", "--title", "Skrivs inte", db=db)
    assert refused.returncode == 1 and "skadat" in refused.stderr
    db.write_bytes(whole)                                    # the kansli's IT puts the file right by hand …
    assert run_cli("check", "--full", db=db).returncode == 0   # … and a passing full check lifts the stop
    assert run_cli("case", "new", "--title", "Skrivs", db=db).returncode == 0
