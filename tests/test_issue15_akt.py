"""Issue 15, point 5: a §'s secrecy is found by its keys (db/020), and the akt copies (the protokollsutdrag of each
§ and the tjänsteskrivelse as decided) are filed at justering and copied by the archive."""

import datetime as dt
import hashlib
import re
import sys
from pathlib import Path

import pytest

from docs_helpers import pdf_text
from earkiv_helpers import assert_sound, canonical, case_file, data_files, erms, packages, records, regulation
from nämndtool import archive, check
from nämndtool.assets import migrations
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera as justera_without_copies
from nämndtool.earkiv.package import export_arende
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import protokoll as protokoll_ops, secrecy
from nämndtool.store import Store
from support import SAMPLE_JSON
from test_protokoll_issue13 import ready_for_justering
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import make_store  # noqa: E402

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

TINY = make_store.Scale(arenden=600, handlingar=1200, meetings=100, files=40)


def _view_of_007() -> str:
    """paragraf_sekretess as db/007 defined it, as a temporary view of another name."""
    sql = next(text for number, _name, text in migrations() if number == 7)
    found = re.search(r"CREATE VIEW paragraf_sekretess AS(.*?);", sql, re.S).group(1)
    return f"CREATE TEMP VIEW paragraf_sekretess_007 AS{found}"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated store (secret ärenden, secret handlingar, agenda items and §§) with one more meeting, not
    justerat, holding every way a § can come by its secrecy."""
    path = tmp_path_factory.mktemp("sekretessvy") / "register.sqlite"
    make_store.generate(path, TINY, seed=15)
    store = Store.open(path)
    secret, public = (store.value("SELECT min(id) FROM arende WHERE sekretess = ?", (s,)) for s in (1, 0))
    lagrum_secret = store.value("SELECT id FROM arende WHERE sekretess = 1 ORDER BY id DESC LIMIT 1")
    with store.write():
        store.execute("UPDATE arende SET sekretess_lagrum = '25 kap. 1 § OSL' WHERE id = ?", (lagrum_secret,))
        organ = store.value("SELECT id FROM organ ORDER BY id LIMIT 1")
        meeting = store.insert("sammantrade", {"organ_id": organ, "datum": "2026-02-02", "status": "kallat"})
        items = [  # rubrik, arende_id, own secrecy, lagrum
            ("Fristående hemlig punkt", None, 1, "26 kap. 1 § OSL"),
            ("Fristående hemlig punkt utan lagrum", None, 1, None),
            ("Fristående offentlig punkt", None, 0, None),
            ("Punkt med hemligt ärende, paragraf utan ärende", secret, 0, None),
            ("Punkt med hemligt ärende", secret, 0, None),
            ("Punkt med offentligt ärende", public, 0, None),
            ("Punkt med offentligt ärende, paragraf med hemligt", public, 0, None),
            ("Punkt med hemligt ärende med lagrum", lagrum_secret, 0, None),
            ("Fristående offentlig punkt, paragraf med hemligt ärende", None, 0, None),
            ("Fristående hemlig punkt, paragraf med hemligt ärende", None, 1, "26 kap. 1 § OSL"),
        ]
        for nr, (rubrik, arende_id, own, lagrum) in enumerate(items, 1):
            store.insert("dagordningspunkt", {"sammantrade_id": meeting, "nr": nr, "rubrik": rubrik,
                                              "typ": "arende" if arende_id else "standard", "arende_id": arende_id,
                                              "sekretess": own, "sekretess_lagrum": lagrum})
        protokoll = store.insert("protokoll", {"sammantrade_id": meeting})
        paragrafer = [  # dagordning_nr, arende_id
            (1, None), (2, None), (3, None), (4, None), (5, secret), (6, public), (7, secret), (8, public),
            (9, lagrum_secret), (10, lagrum_secret),
            (None, None), (None, public), (None, secret), (99, public), (98, None),
        ]
        for nr, (punkt, arende_id) in enumerate(paragrafer, 1):
            store.insert("paragraf", {"protokoll_id": protokoll, "organ_id": organ, "ar": 2026, "nr": 900 + nr,
                                      "dagordning_nr": punkt, "rubrik": f"Paragraf {nr}", "arende_id": arende_id})
    yield store
    store.close()


def test_the_paragraf_secrecy_view_gives_the_rows_it_gave_before(generated):
    store = generated
    store.execute(_view_of_007())
    columns = "paragraf_id, sekretess, sekretess_lagrum"
    before = store.rows(f"SELECT {columns} FROM paragraf_sekretess_007 ORDER BY paragraf_id")
    after = store.rows(f"SELECT {columns} FROM paragraf_sekretess ORDER BY paragraf_id")
    assert after == before
    assert [c[1] for c in store.execute("PRAGMA table_info(paragraf_sekretess)")] == \
        [c[1] for c in store.execute("PRAGMA table_info(paragraf_sekretess_007)")]
    assert len(after) == store.value("SELECT count(*) FROM paragraf")
    values = {(r["sekretess"], r["sekretess_lagrum"]) for r in after}
    # the store holds public and secret §§, with and without a lagrum, from an ärende and from an item
    assert {(0, None), (1, None), (1, "26 kap. 1 § OSL"), (1, "25 kap. 1 § OSL")} <= values
    unknown = store.rows("SELECT gs.sekretess FROM paragraf g JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id "
                         "WHERE g.arende_id IS NULL AND g.nr IN (911, 915)")
    assert [r["sekretess"] for r in unknown] == [1, 1]   # neither an ärende nor an item: never public


@pytest.mark.parametrize("view, key", [("paragraf_sekretess", "paragraf_id"),
                                       ("punkt_sekretess", "dagordningspunkt_id")])
def test_one_row_of_a_secrecy_view_is_found_by_its_keys(generated, view, key):
    plan = " | ".join(r[3] for r in generated.execute(f"EXPLAIN QUERY PLAN SELECT * FROM {view} WHERE {key} = 5"))
    assert "SCAN" not in plan and "MATERIALIZE" not in plan, plan


# --- the akt copies filed at justering (db/020) ----------------------------------------------------------------

JUSTERAD = dt.date(2023, 3, 1)
TODAY = dt.date(2023, 4, 1)
PUBLIC, OTHER = "SOCN/2023:16", "SOCN/2023:17"   # § 6 and § 7 of the sample meeting, public
LAGRUM = "26 kap. 1 § OSL"
BRANDING = load_branding()


def _imported(folder: Path):
    store = Store.open(folder / "s.sqlite")
    meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
    secrecy.seal_arende(store, store.arende_by_number(parse("SOCN/2023:19"))["id"], LAGRUM)
    ready_for_justering(store, meeting_id)
    return store, meeting_id


def _paragraf_arenden(store, meeting_id) -> list[int]:
    return sorted({p["arende_id"] for p in store.protokoll(meeting_id)["paragrafer"] if p["arende_id"]})


def _export(store, numbers, out: Path) -> dict[str, bytes]:
    """Each ärende exported alone into ``out``; what the packages deliver of them: every file of the
    representations (path under representations/rep1/data → bytes) and, under ``<diarienummer> ERMS``, the
    ärende's caseFile as canonical XML. A package's name and its METS.xml and ERMS control carry the time of the
    export, so two deliveries of the same are compared by what they deliver."""
    found = {}
    for number in numbers:
        package = export_arende(store, store.arende_by_number(parse(number))["id"], out, TODAY, BRANDING)
        assert_sound(package)
        found.update(data_files(package))
        found[f"{number} ERMS"] = canonical(case_file(erms(package), number))
    return found


def _no_rendering(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the archive rendered a document it has a recorded copy of")
    monkeypatch.setattr(archive, "render_pdf", refuse)


@pytest.fixture
def justerat(tmp_path):
    """The sample meeting justerat through the operation (the akt copies filed)."""
    store, meeting_id = _imported(tmp_path)
    protokoll_ops.justera(store, meeting_id, JUSTERAD, BRANDING, today=JUSTERAD)
    yield store, meeting_id
    store.close()


def test_the_justering_files_an_utdrag_of_every_paragraf_with_an_arende_and_its_tjansteskrivelse(justerat):
    store, meeting_id = justerat
    arenden = _paragraf_arenden(store, meeting_id)
    recorded = store.akt_copies_of_arenden(arenden)
    utdrag = {k[3] for k in recorded if k[2] == "utdrag"}
    assert utdrag == {p["id"] for p in store.protokoll(meeting_id)["paragrafer"] if p["arende_id"]}
    with_ts = {a for a in arenden if store.tjansteskrivelse_as_decided(meeting_id, a) is not None}
    assert with_ts and {k[1] for k in recorded if k[2] == "tjansteskrivelse"} == with_ts
    assert {(r["ursprung"], r["datum"] if k[2] == "utdrag" else "") for k, r in recorded.items()} <= \
        {("justering", JUSTERAD.isoformat()), ("justering", "")}
    for key, found in recorded.items():
        data = store.file_path(found["sha256"]).read_bytes()
        assert data.startswith(b"%PDF-") and len(data) == found["storlek"], key
    secret = store.arende_by_number(parse("SOCN/2023:19"))["id"]
    marked = [r for k, r in recorded.items() if k[1] == secret]
    assert marked and all(r["sekretess"] == 1 and r["sekretess_lagrum"] == LAGRUM for r in marked)
    assert check.unregistered_files(store) == []


def test_the_archive_copies_the_recorded_copy_byte_for_byte(justerat, tmp_path, monkeypatch):
    store, _meeting_id = justerat
    arende_id = store.arende_by_number(parse(PUBLIC))["id"]
    recorded = store.akt_copies_of_arenden([arende_id])
    _no_rendering(monkeypatch)
    files = _export(store, [PUBLIC], tmp_path / "ut")
    shipped = {hashlib.sha256(data).hexdigest() for name, data in files.items() if not name.endswith(" ERMS")}
    for found in recorded.values():
        assert found["sha256"] in shipped
        data = store.file_path(found["sha256"]).read_bytes()
        assert data in files.values()
    assert store.akt_copies_of_arenden([arende_id]) == recorded   # nothing rendered, nothing recorded


def test_a_store_justerat_before_the_copies_exports_what_it_did_and_records_them_once(justerat, tmp_path,
                                                                                     monkeypatch):
    with_copies, _ = justerat
    old, meeting_id = _imported(tmp_path / "gammal")
    justera_without_copies(old, meeting_id, JUSTERAD, BRANDING, JUSTERAD)
    assert old.akt_copies_of_arenden(_paragraf_arenden(old, meeting_id)) == {}
    numbers = (PUBLIC, OTHER, "SOCN/2023:19")
    expected = _export(with_copies, numbers, tmp_path / "med")
    first = _export(old, numbers, tmp_path / "forsta")
    assert first == expected
    recorded = old.akt_copies_of_arenden(_paragraf_arenden(old, meeting_id))
    assert recorded and {r["ursprung"] for r in recorded.values()} == {"arkivering"}
    _no_rendering(monkeypatch)
    assert _export(old, numbers, tmp_path / "andra") == first
    old.close()


def _utdrag_of(files: dict[str, bytes], nr: int) -> bytes:
    return next(data for name, data in files.items() if name.endswith(f"-paragraf-{nr}.pdf"))


def test_a_secrecy_set_after_justering_gives_a_newly_marked_copy_and_lifting_it_keeps_that_copy(
        justerat, tmp_path, monkeypatch):
    store, meeting_id = justerat
    arende_id = store.arende_by_number(parse(PUBLIC))["id"]
    filed = _utdrag_of(_export(store, [PUBLIC], tmp_path / "fore"), 6)
    assert "SEKRETESS" not in pdf_text(filed)
    secrecy.seal_arende(store, arende_id, LAGRUM)
    files = _export(store, [PUBLIC], tmp_path / "efter")
    marked = _utdrag_of(files, 6)
    assert marked != filed and f"SEKRETESS {LAGRUM}" in pdf_text(marked)
    ts = next(data for name, data in files.items() if "_Tjansteskrivelse" in name)
    assert f"SEKRETESS {LAGRUM}" in pdf_text(ts)
    (package,) = packages(tmp_path / "efter")
    found = case_file(erms(package), PUBLIC)
    assert regulation(found) == LAGRUM
    assert [regulation(r) for r in records(found) if r.get("recordType") == "protokollsutdrag"] == [LAGRUM]
    newest = store.akt_copies_of_arenden([arende_id])
    assert {(r["sekretess"], r["sekretess_lagrum"], r["ursprung"]) for r in newest.values()} == \
        {(1, LAGRUM, "arkivering")}
    _no_rendering(monkeypatch)   # the marked copy is recorded: the next export copies it
    assert _export(store, [PUBLIC], tmp_path / "igen") == files
    secrecy.unseal_arende(store, arende_id, "Sekretessen prövad på nytt")
    assert _utdrag_of(_export(store, [PUBLIC], tmp_path / "havd"), 6) == marked


@pytest.mark.parametrize("where", ["rendering", "storing"])
def test_a_copy_that_cannot_be_filed_leaves_the_protokoll_not_justerat_and_nothing_written(tmp_path, monkeypatch,
                                                                                           where):
    store, meeting_id = _imported(tmp_path)
    files_before = sorted(p.name for p in store.files_dir.rglob("*"))
    rows_before = {t: store.value(f"SELECT count(*) FROM {t}") for t in (
        "akt_dokument", "beslutat_arende", "beslutad_bilaga", "fil")}
    real_render, real_durable = archive.render_pdf, archive.durable
    calls = []

    def render(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("typst: kunde inte sätta sidan")
        return real_render(*args, **kwargs)

    def durable(folder, files):
        if files:
            raise OSError(28, "No space left on device")
        real_durable(folder, files)

    if where == "rendering":
        monkeypatch.setattr(archive, "render_pdf", render)
    else:
        monkeypatch.setattr(archive, "durable", durable)
    with pytest.raises(NamndtoolError) as refused:
        protokoll_ops.justera(store, meeting_id, JUSTERAD, BRANDING, today=JUSTERAD)
    assert "Ingenting har ändrats" in str(refused.value)
    assert not store.is_justerat(meeting_id)
    assert store.protokoll(meeting_id)["justerad_pdf_sha256"] is None
    assert {t: store.value(f"SELECT count(*) FROM {t}") for t in rows_before} == rows_before
    assert sorted(p.name for p in store.files_dir.rglob("*")) == files_before
    assert check.unregistered_files(store) == []
    monkeypatch.undo()
    protokoll_ops.justera(store, meeting_id, JUSTERAD, BRANDING, today=JUSTERAD)   # and it can be done again
    assert store.is_justerat(meeting_id) and store.akt_copies_of_arenden(_paragraf_arenden(store, meeting_id))
    store.close()
