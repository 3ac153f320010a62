"""Issue 14, point 4: the archive package of an ärende carries its own upprättade handlingar as PDF files the
program makes (the tjänsteskrivelse as decided, the protokollsutdrag of every justerat §), each a record of the
ärende's caseFile in the package's ERMS document with its date, secrecy, file and SHA-256; every one of them, and
the protokoll stored at justering, passes PDF/A-2a with zero failed rules, has its fonts embedded and XMP with the
title, the nämnd as author and the document's date."""

import datetime as dt
import hashlib
import io

import page
import pikepdf
import pytest
from lxml import etree

from docs_helpers import pdf_text
from earkiv_helpers import NS, appendix, assert_sound, case_file, erms, file_of, records, regulation
from earkiv_helpers import date as dated, text as text_of
from nämndtool.earkiv.package import export_arende
from nämndtool.earkiv.schemas import erms_problems
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import justera
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import diary, secrecy
from nämndtool.store import Store
from support import SAMPLE_JSON
from test_protokoll_issue13 import ready_for_justering

BRANDING = load_branding()
PLAN = "SOCN/2023:16"        # § 6, a tjänsteskrivelse dated 2023-02-13, one bilaga
SECRET = "SOCN/2022:26"      # § 9, a tjänsteskrivelse dated 2023-02-13, made secret before the meeting
LAGRUM = "26 kap. 1 § OSL"
JUSTERAD = "2023-03-01"
LATER_FORSLAG = "Socialnämnden beslutar att anta en helt ny plan, skriven efter justeringen."


@pytest.fixture(scope="module")
def justerat(tmp_path_factory):
    """The sample meeting with SOCN/2022:26 secret, justerat 2023-03-01; then the tjänsteskrivelse of
    SOCN/2023:16 is rewritten (an ärende lives on after its meeting). Yields (store, meeting_id, stored protokoll
    bytes as justerat)."""
    store = Store.open(tmp_path_factory.mktemp("arkiv") / "s.sqlite")
    meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
    secrecy.seal_arende(store, store.arende_by_number(parse(SECRET))["id"], LAGRUM)
    ready_for_justering(store, meeting_id)
    sha = justera(store, meeting_id, dt.date.fromisoformat(JUSTERAD), BRANDING)
    stored = store.file_path(sha).read_bytes()
    plan = store.arende_by_number(parse(PLAN))["id"]
    ts = store.tjansteskrivelse(plan)
    diary.save_arende(store, plan, store.editor_versions(plan), arende_changes={}, tjansteskrivelse={
        "header": {"rubrik": ts["rubrik"]}, "forslag": [LATER_FORSLAG], "avsnitt": [], "undertecknare": [],
        "mottagare_ids": [], "handlingar": ts["handlingar"]})
    yield store, meeting_id, stored
    store.close()


def package(store, number: str, out) -> tuple[object, etree._Element]:
    """The ärende's package, checked as the archive checks it, and the ärende's caseFile in its ERMS document."""
    exported = export_arende(store, store.arende_by_number(parse(number))["id"], out, today=dt.date(2026, 11, 25),
                             branding=BRANDING)
    assert_sound(exported)
    tree = erms(exported)
    assert erms_problems(tree) == []
    return exported, case_file(tree, number)


def generated(exported, found) -> dict[str, tuple[etree._Element, bytes]]:
    """Title → (record, file bytes) of every upprättad handling the program wrote for the package; the file's
    checksum is checked against the record on the way (and its size against METS.xml by ``assert_sound``)."""
    result = {}
    for record in records(found):
        if record.get("recordType") not in ("tjänsteskrivelse", "protokollsutdrag"):
            continue
        assert record.find("e:direction", NS).get("otherDirectionDefinition") == "upprättad"
        fil = appendix(record)
        assert fil.get("name").endswith(".pdf") and fil.get("fileFormat") == "PDF/A-2a"
        result[text_of(record, "e:title")] = (record, file_of(exported, record))
    return result


def assert_archival(data: bytes, title: str, date: str) -> None:
    """PDF/A-2a with no failed rule, every font embedded, XMP with the title, the nämnd as author and the date."""
    report = page.validate_pdf_bytes(data, profile="2a")
    assert [f"{f.rule_id}: {f.message}" for f in report.failures] == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        descriptors = [o for o in pdf.objects
                       if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"]
        assert descriptors
        assert all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d.keys()) for d in descriptors)
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "A"
        assert meta["dc:title"] == title
        assert list(meta["dc:creator"]) == ["Socialnämnden"]
        assert meta["xmp:CreateDate"].startswith(date)


def test_the_package_carries_the_tjansteskrivelse_as_decided_and_the_utdrag_of_the_justerat_paragraf(
        justerat, tmp_path):
    store, meeting_id, stored = justerat
    exported, found = package(store, PLAN, tmp_path)
    files = generated(exported, found)
    assert set(files) == {"Tjänsteskrivelse", "Protokollsutdrag § 6, Socialnämnden 2023-02-22"}
    assert exported.files == len([r for r in records(found) if appendix(r) is not None]) == 4   # 2 registered + these

    handling, tjansteskrivelse = files["Tjänsteskrivelse"]
    assert dated(handling, "created") == "2023-02-13T00:00:00"
    assert regulation(handling) is None
    text = pdf_text(tjansteskrivelse)
    assert "Socialnämnden beslutar att anta" in text and LATER_FORSLAG not in text   # as decided, not as now
    assert_archival(tjansteskrivelse, "Nämndens plan med budget", "2023-02-13")   # its own rubrik

    handling, utdrag = files["Protokollsutdrag § 6, Socialnämnden 2023-02-22"]
    assert dated(handling, "created") == f"{JUSTERAD}T00:00:00"
    assert regulation(handling) is None
    text = pdf_text(utdrag)
    assert "§ 6" in text and "Ej justerat" not in text and JUSTERAD in text   # bestyrkt the day it was justerat
    assert_archival(utdrag, "Protokollsutdrag § 6 Socialnämnden 2023-02-22", JUSTERAD)

    # the justering's record and its stored PDF are as they were
    protokoll = store.protokoll(meeting_id)
    assert store.file_path(protokoll["justerad_pdf_sha256"]).read_bytes() == stored
    assert hashlib.sha256(stored).hexdigest() == protokoll["justerad_pdf_sha256"]


def test_the_protokoll_stored_at_justering_is_archival(justerat):
    _store, _meeting_id, stored = justerat
    assert_archival(stored, "Protokoll Socialnämnden 2023-02-22", JUSTERAD)


def test_a_secret_arendes_package_marks_its_generated_handlingar_secret(justerat, tmp_path):
    store, meeting_id, _ = justerat
    assert not any(m["adress_bekraftad"] for m in store.paragraf_by_number(meeting_id, 9)["mottagare"])
    exported, found = package(store, SECRET, tmp_path)
    assert regulation(found) == LAGRUM
    files = generated(exported, found)
    assert set(files) == {"Tjänsteskrivelse", "Protokollsutdrag § 9, Socialnämnden 2023-02-22"}
    for description, (handling, data) in files.items():
        assert regulation(handling) == LAGRUM, description
        assert "SEKRETESS" in pdf_text(data), description
    _, utdrag = files["Protokollsutdrag § 9, Socialnämnden 2023-02-22"]
    # the archive's copy is made though no recipient's address was confirmed, and it names no recipient
    text = pdf_text(utdrag)
    assert "§ 9" in text and "Till" not in text.split("§ 9")[0]
    assert_archival(utdrag, "Protokollsutdrag § 9 Socialnämnden 2023-02-22", JUSTERAD)


def test_before_justering_the_package_has_the_tjansteskrivelse_as_it_stands_and_no_utdrag(imported, tmp_path):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    exported, found = package(store, PLAN, tmp_path)
    files = generated(exported, found)
    assert set(files) == {"Tjänsteskrivelse"}
    assert_archival(files["Tjänsteskrivelse"][1], "Nämndens plan med budget", "2023-02-13")
