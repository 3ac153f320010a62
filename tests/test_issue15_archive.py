"""Issue 15, point 5: the archive export of a year reads the store in a few set-based queries, copies the files
and makes the delivery durable in one batch, and still delivers exactly what the store holds. A failing or killed
export leaves nothing in place that looks like a delivery, complete or half-written; a second export into the
same folder replaces the packages it made and leaves everything else there alone."""

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lxml import etree

from nämndtool import archive, archive_io
from nämndtool.archive import (NAMESPACE, _unique, archived_handlingar, arende_xml, export_arende, export_year,
                               upprattade_handlingar)
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import secrecy
from nämndtool.store import Store
from support import SAMPLE_JSON
from test_protokoll_issue13 import ready_for_justering

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

NS = {"f": NAMESPACE}
BRANDING = load_branding()
CLOSED = ("SOCN/2023:16", "SOCN/2023:17", "SOCN/2023:19")   # § 6, § 7, and one without a § of its own


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The sample meeting justerat 2023-03-01 with SOCN/2023:19 secret, and three 2023 ärenden closed after it.
    Yields (store, namnd id, the closed ärenden's ids)."""
    store = Store.open(tmp_path_factory.mktemp("arkiv15") / "s.sqlite")
    meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
    secrecy.seal_arende(store, store.arende_by_number(parse("SOCN/2023:19"))["id"], "26 kap. 1 § OSL")
    ready_for_justering(store, meeting_id)
    justera(store, meeting_id, dt.date(2023, 3, 1), BRANDING)
    ids = []
    for number in CLOSED:
        arende = store.arende_by_number(parse(number))
        store.close_arende(arende["id"], by="Madelene Sönnerfors", on="2023-03-10")
        ids.append(arende["id"])
    yield store, store.the_namnd()["id"], ids
    store.close()


def tree(root: Path) -> dict[str, str]:
    """Every folder and file under ``root`` (hidden ones too): relative path → SHA-256 of the bytes, or "mapp"."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "mapp"
            for p in sorted(root.rglob("*"))}


def expected_package(store, arende_id: int, today: dt.date) -> dict[str, bytes]:
    """The package of the ärende computed straight from the store, one read at a time, as the export did before
    it read a year at once: path inside the package → bytes."""
    arende = store.arende(arende_id)
    handlingar = archived_handlingar(store, arende_id) + upprattade_handlingar(store, arende, BRANDING, today)
    files, used = {}, set()
    for h in handlingar:
        if h["fil_sha256"]:
            files[h["id"]] = f"filer/{_unique(h['filnamn'], used)}"
    found = {"arende.xml": arende_xml(store, arende, handlingar, files, today).encode("utf-8")}
    for h in handlingar:
        if h["id"] in files:
            found[files[h["id"]]] = h["data"] if "data" in h else store.file_path(h["fil_sha256"]).read_bytes()
    return found


@pytest.mark.parametrize("kept", [archive.KEEP_FILE_BYTES, 0], ids=["read once and kept", "copied by the kernel"])
def test_the_year_delivers_exactly_what_the_store_holds(year, tmp_path, monkeypatch, kept):
    store, namnd_id, ids = year
    monkeypatch.setattr(archive, "KEEP_FILE_BYTES", kept)
    out = tmp_path / "leverans"
    exported = export_year(store, namnd_id, 2023, out)
    today = dt.date.today()
    assert [e.folder for e in exported] == [out / n.replace("/", "-").replace(":", "-") for n in CLOSED]
    assert sorted(p.name for p in out.iterdir()) == sorted(e.folder.name for e in exported)   # nothing else
    for arende_id, package in zip(ids, exported):
        expected = expected_package(store, arende_id, today)
        written = {p.relative_to(package.folder).as_posix(): p.read_bytes()
                   for p in package.folder.rglob("*") if p.is_file()}
        assert written == expected
        assert package.files == len(expected) - 1
        # every file is listed with the SHA-256 of its bytes, and the store's own files are the store's bytes
        xml = etree.fromstring(written["arende.xml"])
        for fil in xml.iterfind(".//f:Fil", NS):
            assert hashlib.sha256(written[fil.get("Sokvag")]).hexdigest() == fil.get("Checksumma")
        for h in store.handlingar(arende_id):
            if h["fil_sha256"]:
                assert store.file_path(h["fil_sha256"]).read_bytes() in written.values()
    assert any(p.name.startswith("Protokollsutdrag") for e in exported for p in (e.folder / "filer").iterdir())
    (tmp_path / "vanlig").mkdir()
    assert out.stat().st_mode == (tmp_path / "vanlig").stat().st_mode   # an ordinary folder, not owner-only


def test_one_arende_alone_is_the_same_package_as_in_the_year(year, tmp_path):
    store, namnd_id, ids = year
    export_year(store, namnd_id, 2023, tmp_path / "år")
    alone = export_arende(store, ids[0], tmp_path / "ett")
    assert tree(alone.folder) == tree(tmp_path / "år" / alone.folder.name)


def test_the_store_answers_for_many_as_it_does_for_one(year):
    store, _, _ = year
    ids = sorted(r["id"] for r in store.list_arenden())
    assert store.arenden_by_id(ids) == {i: store.arende(i) for i in ids}
    assert {i: store.handlingar_of_arenden(ids).get(i, []) for i in ids} == {i: store.handlingar(i) for i in ids}
    assert {i: store.decided_bilagor_of_arenden(ids).get(i, []) for i in ids} == \
        {i: store.decided_bilagor_of_arende(i) for i in ids}
    assert store.arenden_with_tjansteskrivelse(ids) == {i for i in ids if store.tjansteskrivelse(i) is not None}
    decisions = store.decisions_of_arenden(ids)
    assert {i: decisions.get(i, []) for i in ids} == {i: store.decisions_of_arende(i) for i in ids}
    paragrafer = [d["id"] for found in decisions.values() for d in found]
    assert paragrafer and store.meetings_of_paragrafer(paragrafer) == {p: store.paragraf_meeting(p) for p in paragrafer}
    meetings = [m["id"] for m in store.meetings()]
    protokoll = store.protokoll_of_meetings(meetings)
    assert protokoll and protokoll == {m: store.protokoll(m) for m in meetings if store.protokoll(m) is not None}


def unfinished(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(archive_io.UNFINISHED)]


def test_a_failing_export_leaves_nothing_and_an_earlier_delivery_as_it_was(year, tmp_path, monkeypatch):
    store, namnd_id, _ = year
    copies = []

    def failing_copy(self, path, content):
        copies.append(path)
        if len(copies) == 3:
            raise OSError(28, "No space left on device")
        return original(self, path, content)

    original = archive_io.Delivery.put
    monkeypatch.setattr(archive_io.Delivery, "put", failing_copy)
    with pytest.raises(NamndtoolError, match="kunde inte skrivas till .*Inget ofullständigt paket har lämnats kvar"):
        export_year(store, namnd_id, 2023, tmp_path / "ny")
    assert list(tmp_path.iterdir()) == []   # no delivery, no unfinished folder beside it

    monkeypatch.setattr(archive_io.Delivery, "put", original)
    out = tmp_path / "leverans"
    export_year(store, namnd_id, 2023, out)
    before = tree(out)
    monkeypatch.setattr(archive_io.Delivery, "put", failing_copy)
    copies.clear()
    with pytest.raises(NamndtoolError):
        export_year(store, namnd_id, 2023, out)
    assert tree(out) == before

    # a rename refused while the packages are moved into place: the earlier package goes back where it was
    monkeypatch.setattr(archive_io.Delivery, "put", original)
    rename = os.rename

    def refusing_rename(source, target):
        if Path(target) == out / "SOCN-2023-17" and Path(source).parent.name.startswith(archive_io.UNFINISHED):
            raise OSError(13, "Permission denied")
        return rename(source, target)

    monkeypatch.setattr(archive_io.os, "rename", refusing_rename)
    with pytest.raises(NamndtoolError, match="Permission denied"):
        export_year(store, namnd_id, 2023, out)
    monkeypatch.setattr(archive_io.os, "rename", rename)
    assert tree(out) == before

    # a package that does not follow the schema stops the year before anything is in place
    monkeypatch.setattr(archive_io.Delivery, "put", original)
    monkeypatch.setattr(archive, "validate", lambda xml, where: (_ for _ in ()).throw(
        NamndtoolError(f"Arkivpaketet för {where} följer inte schemat. Inget har skrivits.")))
    with pytest.raises(NamndtoolError, match="följer inte schemat"):
        export_year(store, namnd_id, 2023, tmp_path / "ogiltig")
    assert not (tmp_path / "ogiltig").exists() and tree(out) == before and unfinished(tmp_path) == []


KILLED = """
import os, signal, sys
from pathlib import Path
from nämndtool import archive, archive_io
from nämndtool.store import Store

when = sys.argv[3]
if when == "writing":           # killed after the first package is written, the others not yet
    written = archive._write_package
    def and_die(*args):
        found = written(*args)
        os.kill(os.getpid(), signal.SIGKILL)
    archive._write_package = and_die
else:                           # killed when everything is written and durable, before it is moved into place
    durable = archive_io._durable
    def and_die(*args):
        durable(*args)
        os.kill(os.getpid(), signal.SIGKILL)
    archive_io._durable = and_die
with Store.open(Path(sys.argv[1]), create=False) as store:
    archive.export_year(store, store.the_namnd()["id"], 2023, Path(sys.argv[2]))
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("when", ["writing", "before moving into place"])
def test_a_killed_export_leaves_no_delivery_that_looks_complete(year, tmp_path, when):
    store, namnd_id, _ = year

    def killed(out: Path) -> None:
        result = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED), str(store.path), str(out), when],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == -signal.SIGKILL, result.stderr

    # a first delivery: nothing at the destination; only a hidden folder that says it is unfinished
    killed(tmp_path / "ny")
    assert not (tmp_path / "ny").exists()
    left = unfinished(tmp_path)
    assert len(left) == 1 and left[0].name.startswith(".ofullstandig-arkivleverans-ny-")

    # into a folder holding an earlier delivery: every package there is as the earlier export left it
    out = tmp_path / "leverans"
    export_year(store, namnd_id, 2023, out)
    (out / "läsmig.txt").write_text("Levererat till kommunarkivet.", encoding="utf-8")
    before = tree(out)
    killed(out)
    after = tree(out)
    assert {k: v for k, v in after.items() if not k.startswith(archive_io.UNFINISHED)} == before
    assert len(unfinished(out)) == 1

    # the next export goes through and leaves the unfinished folders alone, out of the way
    exported = export_year(store, namnd_id, 2023, out)
    assert {k: v for k, v in tree(out).items() if not k.startswith(archive_io.UNFINISHED)} == before
    assert len(exported) == len(CLOSED)


def test_exporting_again_into_the_same_folder_replaces_the_packages_and_keeps_the_rest(year, tmp_path):
    store, namnd_id, ids = year
    out = tmp_path / "leverans"
    first = export_year(store, namnd_id, 2023, out)
    fresh = tree(out)
    (out / "följebrev.txt").write_text("Till kommunarkivet", encoding="utf-8")
    (out / "SOCN-2022-26").mkdir()
    (first[0].folder / "filer" / "gammal-fil.pdf").write_bytes(b"%PDF-1.4 from an older export")

    again = export_year(store, namnd_id, 2023, out)
    assert [e.folder for e in again] == [e.folder for e in first]
    assert {k: v for k, v in tree(out).items() if k.startswith("SOCN-2023")} == fresh   # as a fresh export
    assert (out / "följebrev.txt").read_text(encoding="utf-8") == "Till kommunarkivet"
    assert (out / "SOCN-2022-26").is_dir() and unfinished(out) == []

    # one ärende alone into the same folder
    assert export_arende(store, ids[1], out).folder == first[1].folder
    assert {k: v for k, v in tree(out).items() if k.startswith("SOCN-2023")} == fresh
