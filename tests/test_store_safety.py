"""Replacing the store under other processes, and damaged stores: nothing reported saved is lost, no diary number
is handed out twice, and a store that reported damage takes no writes until it has been checked or restored."""

import datetime as dt
import getpass
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from support import run_cli
from nämndtool.backup import backups, restore
from nämndtool.store import Store

HOLDER = textwrap.dedent("""
    import datetime as dt, sys
    from nämndtool.store import Store
    store = Store.open(sys.argv[1])
    if sys.argv[2] == "no-lock":        # as a process on a system without OS locks, or an older program
        store._holding.release()
    print("open", flush=True)
    for line in sys.stdin:              # each line: register one ärende and report its number, or the refusal
        try:
            found = store.register_arende(store.the_namnd("SOCN")["id"], line.strip(), today=dt.date(2026, 3, 2))
            print(found["diarienummer"], flush=True)
        except Exception as error:
            print("REFUSED", str(error).replace("\\n", " "), flush=True)
""")


def _holder(db, mode="lock"):
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), mode], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "open", child.stderr.read()
    return child


def _register(child, title):
    child.stdin.write(f"{title}\n")
    child.stdin.flush()
    return child.stdout.readline().strip()


def _stop(child):
    child.stdin.close()
    child.wait(timeout=30)
    child.stdout.close()
    child.stderr.close()


def _numbers(db):
    with Store.open(db) as store:
        return [r["lopnr"] for r in store.rows("SELECT lopnr FROM arende WHERE ar = 2026 ORDER BY lopnr")]


@pytest.fixture
def socn(tmp_path):
    db = tmp_path / "register.sqlite"
    with Store.open(db) as store:
        store.save_namnd("SOCN", "Socialnämnden")
        store.register_arende(store.the_namnd("SOCN")["id"], "Före kopian", today=dt.date(2026, 3, 2))
    assert run_cli("backup", "--out", str(tmp_path / "kopior"), db=db).returncode == 0
    (backup,) = backups(tmp_path / "kopior")
    return db, backup


def test_restore_is_refused_while_another_process_has_the_store_open_and_names_it(socn):
    db, backup = socn
    child = _holder(db)
    try:
        assert _register(child, "Efter kopian") == "SOCN/2026:2"
        before = db.read_bytes()
        result = run_cli("restore", "--from", str(backup), db=db)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"process {child.pid}" in result.stderr and getpass.getuser() in result.stderr
        assert "används av ett annat fönster eller program" in result.stderr and "Stäng det" in result.stderr
        assert db.read_bytes() == before
        assert _register(child, "Efter försöket") == "SOCN/2026:3"   # the holder goes on, nothing lost
    finally:
        _stop(child)
    assert _numbers(db) == [1, 2, 3]
    result = run_cli("restore", "--from", str(backup), db=db)     # once it has closed, the restore goes ahead
    assert result.returncode == 0, result.stderr
    assert "inget nummer lämnas ut två gånger" in result.stdout
    new = run_cli("case", "new", "--title", "Efter återställningen", db=db)
    assert new.returncode == 0, new.stderr
    assert "SOCN/2026:4" in new.stdout                              # 2 and 3 were handed out: never again


def test_a_process_whose_store_was_replaced_refuses_its_next_write(socn):
    db, backup = socn
    child = _holder(db, "no-lock")
    try:
        assert _register(child, "Efter kopian") == "SOCN/2026:2"
        result = run_cli("restore", "--from", str(backup), db=db)
        assert result.returncode == 0, result.stderr
        answer = _register(child, "I det ersatta registret")
        assert answer.startswith("REFUSED") and "har bytts ut medan det var öppet här" in answer
        assert "sparades inte" in answer
        assert _register(child, "Igen").startswith("REFUSED")      # and every later write too
    finally:
        _stop(child)
    new = run_cli("case", "new", "--title", "Efter återställningen", db=db)
    assert new.returncode == 0, new.stderr
    assert "SOCN/2026:3" in new.stdout
    assert _numbers(db) == [1, 3]      # 2 was lost with the restore, but is never handed out again


def test_a_restored_store_is_a_new_generation_of_the_same_store(socn):
    db, backup = socn
    identity = "SELECT identitet, generation FROM register_identitet"
    with Store.open(db) as store:
        (uuid, generation), = store.conn.execute(identity).fetchall()
    for expected in (generation + 1, generation + 2):     # restoring the same backup twice: still a new one
        restore(backup, db)
        with Store.open(db) as store:
            assert store.conn.execute(identity).fetchall() == [(uuid, expected)]


def _corrupt_index_pages(db, table):
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND rootpage > 0", (table,))]
    conn.close()
    data = bytearray(db.read_bytes())
    for page in pages:
        data[(page - 1) * size:page * size] = b"\xff" * size
    db.write_bytes(bytes(data))


def test_a_store_that_reported_damage_takes_no_writes_until_checked_or_restored(tmp_path):
    db = tmp_path / "register.sqlite"
    assert run_cli("demo", db=db).returncode == 0
    assert run_cli("backup", "--out", str(tmp_path / "kopior"), db=db).returncode == 0
    _corrupt_index_pages(db, "arende")
    listed = run_cli("case", "list", db=db)
    assert listed.returncode == 1 and "skadad" in listed.stderr and "Traceback" not in listed.stderr
    before = db.read_bytes()
    new = run_cli("case", "new", "--title", "Skrivs inte", db=db)
    assert new.returncode == 1 and "Traceback" not in new.stderr
    assert "rapporterat att det är skadat" in new.stderr and "check --full" in new.stderr
    assert db.read_bytes() == before
    with Store.open(db) as store:
        assert "malformed" in store.damaged()
    (backup,) = backups(tmp_path / "kopior")
    assert run_cli("restore", "--from", str(backup), db=db).returncode == 0
    new = run_cli("case", "new", "--title", "Efter återställningen", db=db)
    assert new.returncode == 0, new.stderr


def test_clear_damaged_lets_writes_through_again(store):
    store.save_namnd("SOCN", "Socialnämnden")
    from nämndtool.store.sidecars import damage_marker
    damage_marker(store.path).write_text("database disk image is malformed\n")
    with pytest.raises(Exception, match="skadat"):
        store.register_arende(store.the_namnd("SOCN")["id"], "Skrivs inte")
    store.clear_damaged()
    assert store.damaged() is None
    assert store.register_arende(store.the_namnd("SOCN")["id"], "Skrivs")["lopnr"] == 1


def test_texts_written_through_insert_and_update_are_composed(store):
    with store.write():
        store.insert("namnd", {"kod": "SOCN", "namn": "Va\u0308xjo\u0308 socialna\u0308mnd"})   # combining marks
    assert store.value("SELECT namn FROM namnd") == "V\u00e4xj\u00f6 socialn\u00e4mnd"
    with store.write():
        store.update("namnd", {"kod": "SOCN"}, {"namn": "A\u030angermanland"})
    assert store.value("SELECT namn FROM namnd") == "\u00c5ngermanland"


def test_restore_through_a_link_to_the_store_is_refused_while_it_is_open(socn, tmp_path):
    db, backup = socn
    link = tmp_path / "genväg.sqlite"
    link.symlink_to(db)
    with Store.open(db):
        with pytest.raises(Exception, match="används av ett annat fönster eller program"):
            restore(backup, link)
    restore(backup, link)                         # once closed: the store behind the link is restored
    assert link.is_symlink() and link.resolve() == db.resolve()
    assert _numbers(db) == [1]
