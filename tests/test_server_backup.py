"""Backups of the server store (pg_dump, custom format) restored into an empty database and proven whole there;
a damaged or foreign backup is refused before anything is restored."""

import json

import pytest

from nämndtool.backup import verify_backup
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import maintenance
from nämndtool.store import Store
from support import SAMPLE_JSON, run_cli


@pytest.fixture
def server_store(pg_dsn, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with Store.open(pg_dsn) as store:
        import_meeting(store, SAMPLE_JSON)
        yield store


def test_the_command_line_backs_up_and_restores_a_server_store_with_every_row_and_file(server_store, pg_cluster,
                                                                                        tmp_path):
    out = tmp_path / "kopior"
    result = run_cli("backup", "--out", str(out), db=server_store.location)
    assert result.returncode == 0, result.stderr
    [folder] = list(out.glob("namndtool-backup-*"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["typ"] == "postgresql" and manifest["filer"] and manifest["antal"]["arende"] > 0
    assert verify_backup(folder) == []
    target = pg_cluster.create_database()
    result = run_cli("restore", "--from", str(folder), db=target)
    assert result.returncode == 0, result.stderr
    assert "kontrollerad" in result.stdout
    with Store.open(target, create=False) as restored:
        assert restored.table_counts() == server_store.table_counts()
        sha = next(iter(manifest["filer"]))
        assert restored.file_path(sha).read_bytes() == server_store.file_path(sha).read_bytes()


def test_a_changed_byte_or_a_missing_dump_is_refused_before_anything_is_restored(server_store, pg_cluster, tmp_path):
    folder = maintenance.back_up(server_store, tmp_path / "kopior").path
    dump = folder / "register.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    target = pg_cluster.create_database()
    with pytest.raises(NamndtoolError, match="kontrollsumma"):
        maintenance.restore(folder, target)
    dump.unlink()
    assert "saknas" in verify_backup(folder)[0]
    with Store.open(target) as untouched:   # nothing was restored: opening makes an empty register
        assert untouched.is_empty()


def test_a_server_backup_is_not_restored_into_a_file_nor_a_file_backup_into_a_server(server_store, pg_cluster,
                                                                                       tmp_path):
    folder = maintenance.back_up(server_store, tmp_path / "kopior").path
    with pytest.raises(NamndtoolError, match="migrate"):
        maintenance.restore(folder, tmp_path / "fil.sqlite")
    with Store.open(tmp_path / "fil.sqlite") as file_store:
        file_backup = maintenance.back_up(file_store, tmp_path / "filkopior").path
    with pytest.raises(NamndtoolError, match="migrate"):
        maintenance.restore(file_backup, pg_cluster.create_database())
    assert not (tmp_path / "fil.sqlite.fore-aterstallning").exists()
