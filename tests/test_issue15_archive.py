"""Issue 15, point 5: the archive export of a year reads the store in a few set-based queries, copies the files
and makes the delivery durable in one batch, and still delivers exactly what the store holds: the same records and
files as reading the store one ärende at a time, and the same as each ärende exported alone. A failing or killed
export leaves nothing in place that looks like a delivery, complete or half-written.

Since deliveries are E-ARK packages (nämndtool.earkiv.package), one delivery is one package folder named by its
OBJID, which carries the time of the export: a second export into the same folder makes a second package beside the
first (the first untouched, both sound), where the export of one folder per ärende used to replace the folders it
had made; everything else in the folder is still left alone."""

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from earkiv_helpers import (NS, appendix, assert_sound, canonical, case_file, case_files, data_files, erms,
                            file_of, files_of, packages, records, regulation, sha256, text)
from nämndtool import archive_io
from nämndtool.archive import archived_handlingar, upprattade_handlingar
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.earkiv import erms as erms_mapping, layout, package, verify
from nämndtool.earkiv.package import export_arende, export_year
from nämndtool.earkiv.verify import Verification
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import secrecy
from nämndtool.store import Store
from support import SAMPLE_JSON
from test_protokoll_issue13 import ready_for_justering

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

BRANDING = load_branding()
CLOSED = ("SOCN/2023:16", "SOCN/2023:17", "SOCN/2023:19")   # § 6, § 7, and one without a § of its own
TODAY = dt.date(2026, 11, 25)


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


def from_the_store(store, arende_id: int, today: dt.date) -> list[dict]:
    """The handlingar the archive keeps of the ärende, read straight from the store one at a time (not through
    the export's set-based reader), in the order of the caseFile's records."""
    arende = store.arende(arende_id)
    return archived_handlingar(store, arende_id) + upprattade_handlingar(store, arende, BRANDING, today)


def test_the_year_delivers_exactly_what_the_store_holds(year, tmp_path):
    store, namnd_id, ids = year
    out = tmp_path / "leverans"
    exported = export_year(store, namnd_id, 2023, out, today=TODAY, branding=BRANDING)
    assert exported.folder.parent == out and exported.folder.name.startswith("SOCN-ar-2023-")
    assert [p.name for p in out.iterdir()] == [exported.folder.name]   # nothing else
    assert_sound(exported)
    document = erms(exported)
    assert [text(a, "e:objectId") for a in case_files(document)] == list(CLOSED)
    assert (exported.arenden, exported.meetings) == (len(CLOSED), 1)
    assert [regulation(a) for a in case_files(document)] == [None, None, "26 kap. 1 § OSL"]

    # each ärende's records are its handlingar as the store gives them one at a time, with their exact bytes
    listed = {}
    for arende_id, number in zip(ids, CLOSED):
        handlingar, found = from_the_store(store, arende_id, TODAY), records(case_file(document, number))
        assert len(found) == len(handlingar)
        for nr, (h, record) in enumerate(zip(handlingar, found), 1):
            assert text(record, "e:objectId") == f"{number}, handling {nr}"
            assert text(record, "e:title") == h["beskrivning"] or not h["beskrivning"]
            assert regulation(record) == ((h["sekretess_lagrum"] or f"{erms_mapping.OSL}, lagrum ej angivet i "
                                           "registret") if h["sekretess"] else None)
            assert sha256(record) == h["fil_sha256"]
            if h["fil_sha256"]:
                expected = h["data"] if "data" in h else store.file_path(h["fil_sha256"]).read_bytes()
                assert file_of(exported, record) == expected
                listed[appendix(record).get("path")] = expected
    (protokoll,) = records(document.getroot().find("e:aggregations/e:aggregation[@otherAggregationType='sammanträde']",
                                                   NS))
    (meeting_id,) = store.justerade_meetings(namnd_id, 2023)
    stored = store.file_path(store.protokoll(meeting_id)["justerad_pdf_sha256"]).read_bytes()
    assert file_of(exported, protokoll) == stored
    listed[appendix(protokoll).get("path")] = stored

    # the representation holds exactly those files, the store's own ones its bytes
    written = data_files(exported)
    assert written == {path.removeprefix(f"{layout.DATA}/"): data for path, data in listed.items()}
    assert exported.files == len(written)
    for arende_id in ids:
        for h in store.handlingar(arende_id):
            if h["fil_sha256"]:
                assert store.file_path(h["fil_sha256"]).read_bytes() in written.values()
    assert any(name.split("_", 1)[1].startswith("Protokollsutdrag") for name in written)   # after the ärende's prefix
    (tmp_path / "vanlig").mkdir()
    assert out.stat().st_mode == (tmp_path / "vanlig").stat().st_mode   # an ordinary folder, not owner-only
    assert exported.folder.stat().st_mode == (tmp_path / "vanlig").stat().st_mode


def test_one_arende_alone_is_the_same_as_in_the_year(year, tmp_path):
    """Each ärende exported alone (its own package) is described and delivered as the year's package does it: the
    same caseFile, the same files at the same paths."""
    store, namnd_id, ids = year
    whole = export_year(store, namnd_id, 2023, tmp_path / "år", today=TODAY, branding=BRANDING)
    in_year, of_year = erms(whole), data_files(whole)
    for arende_id, number in zip(ids, CLOSED):
        alone = export_arende(store, arende_id, tmp_path / "ett", today=TODAY, branding=BRANDING)
        assert_sound(alone)
        found = case_file(erms(alone), number)
        assert canonical(found) == canonical(case_file(in_year, number))
        files = files_of(alone, found)
        assert files == files_of(whole, case_file(in_year, number))
        written = data_files(alone)
        assert written == {path.removeprefix(f"{layout.DATA}/"): data for path, data in files.items()}
        assert written.items() <= of_year.items()
    assert len(packages(tmp_path / "ett")) == len(CLOSED)


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

    # the disk full while ERMS.xml is written as a stream: the same
    written = package.Digested.write

    def full_disk(self, data):
        if self.size > 1000:
            raise OSError(28, "No space left on device")
        return written(self, data)

    monkeypatch.setattr(package.Digested, "write", full_disk)
    with pytest.raises(NamndtoolError, match="kunde inte skrivas till .*No space left on device"):
        export_year(store, namnd_id, 2023, tmp_path / "ny")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(package.Digested, "write", written)

    out = tmp_path / "leverans"
    export_year(store, namnd_id, 2023, out)
    before = tree(out)
    monkeypatch.setattr(archive_io.Delivery, "put", failing_copy)
    copies.clear()
    with pytest.raises(NamndtoolError):
        export_year(store, namnd_id, 2023, out)
    assert tree(out) == before

    # a rename refused while the new package is moved into place: the folder is as it was
    monkeypatch.setattr(archive_io.Delivery, "put", original)
    rename = os.rename

    def refusing_rename(source, target):
        if Path(target).parent == out and Path(source).parent.name.startswith(archive_io.UNFINISHED):
            raise OSError(13, "Permission denied")
        return rename(source, target)

    monkeypatch.setattr(archive_io.os, "rename", refusing_rename)
    with pytest.raises(NamndtoolError, match="Permission denied"):
        export_year(store, namnd_id, 2023, out)
    monkeypatch.setattr(archive_io.os, "rename", rename)
    assert tree(out) == before

    # an ERMS document that does not follow the schema: the package fails its check and nothing is delivered
    monkeypatch.setattr(verify.schemas, "erms_problems",
                        lambda source, where, appendices=None: [f"{where}: rad 1: elementet saknas."])
    with pytest.raises(NamndtoolError, match="klarade inte kontrollen .*ERMS.xml: rad 1: elementet saknas"):
        export_year(store, namnd_id, 2023, tmp_path / "ogiltig")
    assert not (tmp_path / "ogiltig").exists() and tree(out) == before and unfinished(tmp_path) == []
    monkeypatch.undo()

    # a package that fails the check after writing is not left, neither in place nor unfinished
    monkeypatch.setattr(package, "verify_package",
                        lambda folder, erms=None: Verification(folder, None, 0, ["METS.xml: en fil saknas."]))
    with pytest.raises(NamndtoolError, match="klarade inte kontrollen .*inte lämnats"):
        export_year(store, namnd_id, 2023, out)
    assert tree(out) == before


KILLED = """
import os, signal, sys
from pathlib import Path
from nämndtool import archive_io
from nämndtool.earkiv import package
from nämndtool.store import Store

when = sys.argv[3]
if when == "writing":           # killed when some of the package's files are written, the others not yet
    put = archive_io.Delivery.put
    calls = []
    def and_die(*args):
        put(*args)
        calls.append(1)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
    archive_io.Delivery.put = and_die
elif when == "written":         # killed when every file is written, before the package is checked
    written = package._write_metadata
    def and_die(*args):
        written(*args)
        os.kill(os.getpid(), signal.SIGKILL)
    package._write_metadata = and_die
else:                           # killed when everything is written and durable, before it is moved into place
    durable = archive_io._durable
    def and_die(*args):
        durable(*args)
        os.kill(os.getpid(), signal.SIGKILL)
    archive_io._durable = and_die
with Store.open(Path(sys.argv[1]), create=False) as store:
    package.export_year(store, store.the_namnd()["id"], 2023, Path(sys.argv[2]))
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("when", ["writing", "written", "before moving into place"])
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

    # into a folder holding an earlier delivery: the package there is as the earlier export left it
    out = tmp_path / "leverans"
    earlier = export_year(store, namnd_id, 2023, out)
    (out / "läsmig.txt").write_text("Levererat till kommunarkivet.", encoding="utf-8")
    before = tree(out)
    killed(out)
    after = tree(out)
    assert {k: v for k, v in after.items() if not k.startswith(archive_io.UNFINISHED)} == before
    assert len(unfinished(out)) == 1 and packages(out) == [earlier.folder]

    # the next export goes through as a package beside the earlier one, and leaves the unfinished folder alone
    exported = export_year(store, namnd_id, 2023, out)
    assert packages(out) == sorted([earlier.folder, exported.folder])
    assert {k: v for k, v in tree(out).items() if k in before} == before
    assert len(unfinished(out)) == 1
    assert_sound(exported)
    assert exported.arenden == len(CLOSED)


def test_exporting_again_into_the_same_folder_adds_a_package_and_keeps_the_rest(year, tmp_path):
    """What changed with E-ARK: the second export no longer replaces the first one's packages; it is a package of
    its own beside the first, which is left exactly as it was. Both pass the archive's check and deliver the same."""
    store, namnd_id, ids = year
    out = tmp_path / "leverans"
    first = export_year(store, namnd_id, 2023, out, today=TODAY, branding=BRANDING)
    fresh = tree(first.folder)
    (out / "följebrev.txt").write_text("Till kommunarkivet", encoding="utf-8")
    (out / "SOCN-2022-26").mkdir()

    again = export_year(store, namnd_id, 2023, out, today=TODAY, branding=BRANDING)
    assert again.folder != first.folder and again.objid != first.objid
    assert packages(out) == sorted([first.folder, again.folder])
    assert tree(first.folder) == fresh   # the earlier delivery untouched
    assert_sound(first)
    assert_sound(again)
    assert data_files(again) == data_files(first)
    assert canonical(erms(again).getroot().find("e:aggregations", NS)) == \
        canonical(erms(first).getroot().find("e:aggregations", NS))
    assert (out / "följebrev.txt").read_text(encoding="utf-8") == "Till kommunarkivet"
    assert (out / "SOCN-2022-26").is_dir() and unfinished(out) == []

    # one ärende alone into the same folder: a third package, the two years' as they were
    year_trees = {p: tree(p) for p in (first.folder, again.folder)}
    alone = export_arende(store, ids[1], out, today=TODAY, branding=BRANDING)
    assert packages(out) == sorted([first.folder, again.folder, alone.folder])
    assert {p: tree(p) for p in year_trees} == year_trees
    assert_sound(alone)
    assert data_files(alone).items() <= data_files(first).items()


class _OneSecond(dt.datetime):
    """A clock standing still: every export started within the same second."""

    @classmethod
    def now(cls, tz=None):
        return cls(2026, 12, 6, 10, 0, 0)


def test_two_exports_within_one_second_make_two_packages(imported, tmp_path, monkeypatch):
    """Two deliveries are two packages with OBJIDs of their own, however quickly they follow each other: a
    delivery once in place is never replaced by a later one (here the ärende gained a handling in between)."""
    store, _ = imported
    arende_id = store.arende_by_number(parse("SOCN/2023:17"))["id"]
    monkeypatch.setattr(package, "dt", SimpleNamespace(date=dt.date, datetime=_OneSecond))
    out = tmp_path / "leverans"
    first = export_arende(store, arende_id, out, today=TODAY, branding=BRANDING)
    fresh = tree(first.folder)
    store.register_handling(arende_id, riktning="in", beskrivning="Komplettering", datum="2023-03-05",
                            motpart="Sökanden")
    second = export_arende(store, arende_id, out, today=TODAY, branding=BRANDING)
    assert second.objid != first.objid
    assert len(packages(out)) == 2
    assert tree(first.folder) == fresh
