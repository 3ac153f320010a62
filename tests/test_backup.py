"""Backups while the store is in use, restore only from a complete backup, and the start-up check."""

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from support import run_cli
from nämndtool.check import check_store
from nämndtool.backup import (
    advice, backups, daily_backup, default_backup_root, leftovers, restore, take_backup, verify_backup,
)
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store, schema_version
from nämndtool.store.files import sha256_of
from nämndtool.store.sidecars import files_folder, restore_temporary


def test_backup_while_another_connection_writes_and_restore(imported, tmp_path):
    store, meeting_id = imported
    other = Store.open(store.path)
    other.conn.execute("BEGIN IMMEDIATE")
    other.conn.execute("UPDATE sammantrade SET plats = 'Ej bekräftad' WHERE id = ?", (meeting_id,))
    backup = take_backup(store, tmp_path / "kopior")       # the uncommitted write is not in the snapshot
    other.conn.execute("COMMIT")
    other.close()
    assert verify_backup(backup.path) == []
    assert backup.files == 11
    store.save_meeting(store.meeting(meeting_id)["organ_id"], "2023-02-22", {"plats": "Efter kopian"})
    path = store.path
    store.close()
    kept = restore(backup.path, path).kept
    with Store.open(path) as restored:
        assert restored.meeting(meeting_id)["plats"] == "Solrosen"
        assert check_store(restored, full=True) == []
    with Store.open(kept) as before_restore:
        assert before_restore.meeting(meeting_id)["plats"] == "Efter kopian"


def test_an_incomplete_backup_is_not_restored(imported, tmp_path):
    store, _ = imported
    backup = take_backup(store, tmp_path / "kopior")
    victim = next((backup.path / "filer").iterdir())
    victim.write_bytes(b"skadad")
    store.close()
    before = store.path.read_bytes()
    with pytest.raises(NamndtoolError, match="inte är hel"):
        restore(backup.path, store.path)
    assert store.path.read_bytes() == before


def test_restore_refuses_while_the_store_is_in_use(imported, tmp_path):
    store, _ = imported
    backup = take_backup(store, tmp_path / "kopior")
    before = store.path.read_bytes()
    with pytest.raises(NamndtoolError, match=f"används av ett annat fönster eller program: .*process {os.getpid()}"):
        restore(backup.path, store.path)
    assert store.path.read_bytes() == before


def test_only_the_newest_backups_are_kept_and_one_a_day(imported, tmp_path):
    store, _ = imported
    root = tmp_path / "kopior"
    for day in range(1, 6):
        take_backup(store, root, keep=3, now=dt.datetime(2026, 11, day, 8, 0, 0))
    assert [b.name for b in backups(root)] == [f"namndtool-backup-202611{d:02d}-080000" for d in (5, 4, 3)]
    assert daily_backup(store, root, today=dt.date(2026, 11, 5)) is None
    assert daily_backup(store, root, today=dt.date(2026, 11, 25)) is not None


def test_start_up_check_names_the_problem_and_the_backup_to_restore(imported, tmp_path):
    store, _ = imported
    root = default_backup_root(store.path)
    good = take_backup(store, root)
    assert check_store(store) == []
    stored = next(p for p in store.files_dir.rglob("*") if p.is_file())
    stored.unlink()
    problems = check_store(store)
    assert problems == [f"1 sparade filer saknas i mappen {store.files_dir}."]
    message = advice(store.path, problems)
    assert str(good.path) in message and "restore --from" in message


def test_backup_and_restore_from_the_command_line(tmp_path):
    db = tmp_path / "demo.sqlite"
    assert run_cli("demo", db=db).returncode == 0
    result = run_cli("backup", "--out", str(tmp_path / "kopior"), db=db)
    assert result.returncode == 0, result.stderr
    (folder,) = backups(tmp_path / "kopior")
    assert json.loads((folder / "manifest.json").read_text())["filer"]
    assert run_cli("case", "new", "--title", "Efter kopian", db=db).returncode == 0
    result = run_cli("restore", "--from", str(folder), db=db)
    assert result.returncode == 0, result.stderr
    assert "Efter kopian" not in run_cli("case", "list", db=db).stdout
    assert run_cli("check", db=db).returncode == 0


def test_two_backups_in_the_same_second_are_both_kept(imported, tmp_path):
    store, _ = imported
    root, now = tmp_path / "kopior", dt.datetime(2026, 11, 5, 8, 0, 0)
    first, second = take_backup(store, root, now=now), take_backup(store, root, now=now)
    assert first.path != second.path and first.path.is_dir() and second.path.is_dir()
    assert backups(root) == [second.path, first.path]
    assert verify_backup(first.path) == verify_backup(second.path) == []


def test_a_backup_dated_in_the_future_does_not_push_out_the_one_just_taken(imported, tmp_path):
    store, _ = imported
    root = tmp_path / "kopior"
    future = take_backup(store, root, now=dt.datetime(2099, 1, 1, 12, 0, 0))    # a clock that was wrong once
    taken = take_backup(store, root, keep=1)
    assert taken.path.is_dir() and verify_backup(taken.path) == []
    assert backups(root) == [taken.path] and not future.path.exists()


def _tamper(folder, change):
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps(change(manifest)))


def test_restore_checks_the_backup_against_its_own_database_before_replacing_anything(imported, tmp_path):
    store, _ = imported
    root = tmp_path / "kopior"
    cases = {
        # without its counts too, as an older manifest: the database copy itself names the lost file
        "lost entry and file": lambda m: {**{k: v for k, v in m.items() if k != "antal"},
                                          "filer": dict(list(m["filer"].items())[1:])},
        "counts": lambda m: {**m, "antal": {**m["antal"], "arenden": m["antal"]["arenden"] + 1}},
        "a list": lambda m: [m],
        "garbage": lambda m: "inte en innehållsförteckning",
    }
    folders = {name: take_backup(store, root, keep=10).path for name in cases}
    path = store.path
    store.close()
    before = path.read_bytes()
    for name, change in cases.items():
        folder = folders[name]
        if name == "lost entry and file":
            lost = next(iter(json.loads((folder / "manifest.json").read_text())["filer"]))
            (folder / "filer" / lost).unlink()
        _tamper(folder, change)
        with pytest.raises(NamndtoolError, match="inte är hel") as refused:
            restore(folder, path)
        assert ("saknas" if name == "lost entry and file" else "antalen" if name == "counts"
                else "innehållsförteckningen") in str(refused.value), name
        assert path.read_bytes() == before
    result = run_cli("restore", "--from", str(folders["a list"]), db=path)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "innehållsförteckningen" in result.stderr


def test_a_backup_from_a_newer_version_is_not_restored(imported, tmp_path):
    store, _ = imported
    folder = take_backup(store, tmp_path / "kopior").path
    conn = sqlite3.connect(folder / "register.sqlite")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    _tamper(folder, lambda m: {**m, "databas_sha256": sha256_of(folder / "register.sqlite")})
    store.close()
    with pytest.raises(NamndtoolError, match="nyare version av Nämndtool"):
        restore(folder, store.path)
    with Store.open(store.path) as still:
        assert still.value("PRAGMA user_version") == schema_version()


def _big_store(tmp_path, files=40, size=4 << 20):
    db = tmp_path / "stor.sqlite"
    with Store.open(db) as store:
        for n in range(files):
            source = tmp_path / f"bilaga-{n}.bin"
            source.write_bytes(os.urandom(size))
            store.put_file(source)
            source.unlink()
    return db


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL finns bara på Unix-liknande system")
def test_a_killed_backup_is_cleared_away_at_the_next_start_and_reported_until_then(tmp_path):
    db = _big_store(tmp_path)
    root = default_backup_root(db)
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from nämndtool.store import Store; "
                               "s = Store.open(sys.argv[1]); print('open', flush=True); sys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    child = subprocess.Popen([sys.executable, "-m", "nämndtool", "--db", str(db), "backup"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(root.glob(".pågående-*/filer/*")) and time.monotonic() < deadline:
        assert child.poll() is None, "säkerhetskopian blev klar innan den hann avbrytas"
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    (partial,) = root.glob(".pågående-*")
    files = files_folder(db)
    (files / ".ny-avbruten.tmp").write_bytes(b"halv fil")        # as a killed import leaves it
    restore_temporary(db).write_bytes(b"halv databas")           # as a killed restore leaves it
    assert backups(root) == []
    try:
        assert leftovers(db) == [partial]       # the temporary files may be the holder's work in progress
        assert run_cli("case", "list", db=db).returncode == 0
        assert partial.exists() and (files / ".ny-avbruten.tmp").exists() and restore_temporary(db).exists()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    assert set(leftovers(db)) == {partial, files / ".ny-avbruten.tmp", restore_temporary(db)}
    result = run_cli("case", "list", db=db)                     # the next start, alone with the store
    assert "Traceback" not in result.stderr
    assert not partial.exists() and not (files / ".ny-avbruten.tmp").exists() and not restore_temporary(db).exists()
    assert leftovers(db) == []


def test_a_full_disk_gives_a_swedish_message_and_leaves_no_partial_copy(tmp_path):
    db = _big_store(tmp_path, files=6, size=1 << 20)
    small = tmp_path / "liten"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"en liten tmpfs kan inte monteras här ({mounted.stderr.decode().strip()}); kräver root")
    try:
        result = run_cli("backup", "--out", str(small), db=db)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "är full" in result.stderr and "ingen säkerhetskopia har tagits" in result.stderr
        assert [p.name for p in small.iterdir() if p.name != ".nummer.lock"] == []
        assert run_cli("check", db=db).returncode == 0
    finally:
        subprocess.run(["umount", str(small)], check=True)
