"""Backups while the store is in use, restore only from a complete backup, and the start-up check."""

import datetime as dt
import json
import os

import pytest

from conftest import run_cli
from nämndtool.check import check_store
from nämndtool.backup import (
    advice, backups, daily_backup, default_backup_root, restore, take_backup, verify_backup,
)
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store


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
