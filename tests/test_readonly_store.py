"""A store on a read-only mount opens read-only: reading, exporting, rendering and backing up work; every write is
refused with one clear sentence; nothing tries to migrate it, and an old one gets a clear message.

The tests run as root in CI, where file modes do not stop anything: the store is reached through a read-only bind
mount (skipped where mounting is not permitted), and as an immutable file (``chattr +i``) in a writable folder.
"""

import json
import sqlite3
import subprocess

import pytest

from support import run_cli
from nämndtool.assets import migrations
from nämndtool.store import Store, schema_version

REFUSED = "är öppnat skrivskyddat"


@pytest.fixture
def read_only_mount(tmp_path):
    """(writable folder, the same folder mounted read-only)."""
    source, view = tmp_path / "skrivbar", tmp_path / "skrivskyddad"
    source.mkdir()
    view.mkdir()
    mounted = subprocess.run(f"mount --bind '{source}' '{view}' && mount -o remount,ro,bind '{view}'",
                             shell=True, capture_output=True, text=True)
    if mounted.returncode != 0:
        subprocess.run(["umount", str(view)], capture_output=True)
        pytest.skip(f"en skrivskyddad bind-montering går inte att göra här ({mounted.stderr.strip()}); kräver root")
    yield source, view
    subprocess.run(["umount", str(view)], check=True)


def _demo(folder):
    db = folder / "register.sqlite"
    assert run_cli("demo", db=db).returncode == 0
    with Store.open(db) as store:
        return db, store.value("SELECT id FROM sammantrade ORDER BY datum LIMIT 1")


def _a_public_number(db):
    listed = run_cli("case", "list", db=db)
    assert listed.returncode == 0, listed.stderr
    return next(line.split()[0] for line in listed.stdout.splitlines() if "[SEKRETESS]" not in line)


def test_every_read_and_backup_work_and_every_write_is_refused_on_a_read_only_mount(read_only_mount, tmp_path):
    source, view = read_only_mount
    _, meeting = _demo(source)
    db = view / "register.sqlite"
    before = (source / "register.sqlite").read_bytes()
    out = tmp_path / "ut"
    out.mkdir()
    number = _a_public_number(db)
    for args in (["case", "list"], ["case", "show", number], ["check"], ["check", "--full"],
                 ["export", "--meeting", str(meeting), "--internal", "--out", str(out / "mote.json")],
                 ["render", "kallelse", "--meeting", str(meeting), "--internal", "--format", "pdf",
                  "--out", str(out / "k.pdf")],

                 ["backup", "--out", str(tmp_path / "kopior")]):
        result = run_cli(*args, db=db)
        assert result.returncode == 0, (args, result.stderr)
    assert json.loads((out / "mote.json").read_text())
    assert (out / "k.pdf").read_bytes().startswith(b"%PDF")
    assert list((tmp_path / "kopior").iterdir())
    # A public version records where it went, and opening a secret ärende who read it: both are writes, so on a
    # read-only store they are refused rather than done without their record.
    for args in (["case", "new", "--title", "Nytt ärende"],
                 ["init", "--namn", "Kulturnämnden", "--kod", "KULN"],
                 ["export", "--meeting", str(meeting), "--public", "--out", str(out / "offentlig" / "mote.json")]):
        result = run_cli(*args, db=db)
        assert result.returncode == 1 and "Traceback" not in result.stderr, args
        message = result.stderr.removeprefix("Fel: ").strip()
        assert REFUSED in message and message.count(". ") == 0 and message.endswith("."), message
    assert (source / "register.sqlite").read_bytes() == before


def test_an_immutable_store_file_opens_read_only(tmp_path):
    db, _ = _demo(tmp_path)
    made = subprocess.run(["chattr", "+i", str(db)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i går inte här ({made.stderr.strip()}); kräver root och ett filsystem som stöder det")
    try:
        before = db.read_bytes()
        assert run_cli("case", "list", db=db).returncode == 0
        refused = run_cli("case", "new", "--title", "Nytt ärende", db=db)
        assert refused.returncode == 1 and REFUSED in refused.stderr
        assert db.read_bytes() == before
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)


def test_an_old_read_only_store_is_not_migrated_and_says_so(read_only_mount):
    source, view = read_only_mount
    conn = sqlite3.connect(source / "gammal.sqlite")
    conn.create_function("app_user", 0, lambda: "test")
    for number, _, sql in migrations()[:8]:
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.close()
    result = run_cli("case", "list", db=view / "gammal.sqlite")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "skrivskyddat och har ett äldre format (schema 8)" in result.stderr
    assert f"schema {schema_version()}" in result.stderr
