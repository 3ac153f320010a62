"""Hostile and broken input: every text field in every template, damaged JSON and bilagor, huge and empty files.
Each gets a clear Swedish message or renders correctly; nothing crashes, hangs or changes stored data."""

import copy
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from support import SAMPLE_DIR, SAMPLE_JSON
from docs_helpers import docx_text, flat, pdf_text
from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.pack import build_pack
from nämndtool.documents.public_check import PersonnummerError
from nämndtool.documents.service import render_bytes
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store

NASTY = [
    "<b>fet</b> & <i>", "]]><!--", "{{ 7*7 }} {% raw %}", "{# kommentar #}", "</document><p>", "&amp;&lt;",
    "**fet** _kursiv_ | a | b |", "\u202eemordnilap\u202c", "שלום עולם", "مرحبا", "😀👍🏽 🇸🇪", "Łukasz Şahin Ørjan",
    "\x00\x01\x07\x0b\x1b", "\ufeff\u200b\u00ad", "a" * 5000, "ord " * 3000, "\n\n\n", "\t", "\\", "'\"",
]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
SLOW = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """One imported sample store, copied for each example."""
    folder = tmp_path_factory.mktemp("bas")
    with Store.open(folder / "s.sqlite") as store:
        import_meeting(store, SAMPLE_JSON)
    return folder


def _copy(base: Path, work: Path) -> Store:
    for item in base.iterdir():
        target = work / item.name
        if item.is_dir():
            shutil.copytree(item, target)
        else:
            target.write_bytes(item.read_bytes())
    return Store.open(work / "s.sqlite")


def _render_all(store: Store, meeting_id: int, arende_id: int) -> None:
    branding = load_branding()
    for fmt in ("pdf", "docx"):
        for public in (True, False):
            try:
                render_bytes(kallelse_document(store, meeting_id, public), fmt, branding)
            except PersonnummerError:
                pass
        render_bytes(tjansteskrivelse_document(store, arende_id, branding).document, fmt, branding)


@pytest.mark.slow
@SLOW
@given(title=TEXT, summary=TEXT, point=TEXT, section=TEXT, signer=TEXT, recipient=TEXT, place=TEXT)
def test_any_text_in_any_field_renders_and_stays_text(base, title, summary, point, section, signer, recipient, place):
    with tempfile.TemporaryDirectory() as work, _copy(base, Path(work)) as store:
        meeting = store.meetings()[0]
        arende = store.list_arenden(search="årsredovisning")[0]
        try:
            store.update_arende(arende["id"], {"rubrik": title.strip() or "x"})
            store.save_meeting(meeting["organ_id"], meeting["datum"], {"plats": place, "forhinder_namn": signer})
            ts = store.tjansteskrivelse(arende["id"])
            store.save_tjansteskrivelse(
                arende["id"], {**ts, "rubrik": title, "sammanfattning": summary, "mottagare": recipient,
                               "er_beteckning": point},
                forslag=[p for p in (point, "Socialnämnden beslutar.") if p.strip()],
                avsnitt=[{"rubrik": section, "text": summary}], handlingar=[h for h in (section,) if h.strip()],
                undertecknare=[{"namn": signer or "-", "titel": title}] if signer.strip() else [],
                mottagare_ids=[store.ensure_recipient(recipient.strip() or "Akten")])
        except NamndtoolError as refused:
            assert "Ingenting har sparats" in str(refused)   # the store says no, in Swedish, and keeps its data
            reject()
        _render_all(store, meeting["id"], arende["id"])


def test_user_text_cannot_change_a_template(imported):
    store, meeting_id = imported
    arende = store.list_arenden(search="årsredovisning")[0]
    store.update_arende(arende["id"], {"rubrik": "</c></tr></table><h1>Injicerad</h1><table><tr><c>"})
    store.save_agenda(meeting_id, [{"nr": 1, "rubrik": "{{ namnd }} </c><pagebreak/>", "typ": "standard",
                                    "sekretess": 0}])
    document = kallelse_document(store, meeting_id, True)
    text = flat(pdf_text(render_bytes(document, "pdf", load_branding())))
    assert "{{ namnd }} </c><pagebreak/>" in text
    assert len(document.blocks) == len(kallelse_document(store, meeting_id, False).blocks)


def test_personnummer_in_any_public_field_is_refused_with_where(imported):
    store, meeting_id = imported
    store.save_meeting(store.meeting(meeting_id)["organ_id"], "2023-02-22", {"plats": "Rum 850709-1234"})
    with pytest.raises(PersonnummerError, match="Plats"):
        render_bytes(kallelse_document(store, meeting_id, True), "docx", load_branding())


MUTATIONS = st.lists(st.tuples(st.sampled_from(["drop", "null", "string", "number", "list", "object", "huge"]),
                               st.integers(0, 10_000)), min_size=1, max_size=4)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


def _mutate(data, mutations):
    data = copy.deepcopy(data)
    for kind, seed in mutations:
        paths = [p for p in _paths(data) if p]
        path = paths[seed % len(paths)]
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        if kind == "drop":
            parent.pop(key) if isinstance(parent, dict) else parent.pop(key)
        else:
            parent[key] = {"null": None, "string": "SOCN/2022:015", "number": -1, "list": [], "object": {},
                           "huge": "x" * 100_000}[kind]
    return data


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MUTATIONS)
def test_damaged_import_files_give_a_message_and_change_nothing(mutations):
    original = json.loads(SAMPLE_JSON.read_text())
    damaged = _mutate(original, mutations)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        shutil.copytree(SAMPLE_DIR / "bilagor", work / "bilagor")   # a link out of the folder would be refused
        file = work / "m.json"
        file.write_text(json.dumps(damaged, ensure_ascii=False))
        with Store.open(work / "s.sqlite") as store:
            import_meeting(store, SAMPLE_JSON)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            before = (work / "s.sqlite").read_bytes()
            try:
                import_meeting(store, file)
            except NamndtoolError as error:
                assert str(error) and "Traceback" not in str(error)
                store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                assert (work / "s.sqlite").read_bytes() == before


@pytest.mark.parametrize("name, content", [
    ("tom.pdf", b""),
    ("trasig.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"),
    ("inte-pdf.pdf", "Det här är en textfil med åäö.".encode()),
])
def test_broken_bilagor_are_stored_reported_and_replaced_in_the_pack(store, sample_copy, name, content):
    (sample_copy.parent / "bilagor" / name).write_bytes(content)
    data = json.loads(sample_copy.read_text())
    data["arenden"][0]["bilagor"] = [{"titel": "Problembilaga", "fil": f"bilagor/{name}"}]
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    result = import_meeting(store, sample_copy)
    assert any("Problembilaga" in w for w in result.warnings)
    pack = build_pack(store, result.meeting_id, True, load_branding())
    assert "Bilagan kunde inte tas med" in flat(pdf_text(pack.pdf))
    assert any("Problembilaga" in w for w in pack.warnings)


@pytest.mark.slow
def test_a_500_mb_bilaga_is_stored_without_reading_it_into_memory(store, sample_copy):
    big = sample_copy.parent / "bilagor" / "stor.pdf"
    with open(big, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(500 * 1024 * 1024)   # sparse: takes no disk until written
    data = json.loads(sample_copy.read_text())
    data["arenden"][0]["bilagor"] = [{"titel": "Stor bilaga", "fil": "bilagor/stor.pdf"}]
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    import tracemalloc
    tracemalloc.start()
    result = import_meeting(store, sample_copy)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    (bilaga,) = store.bilagor(store.list_arenden(search="årsredovisning")[0]["id"])
    assert bilaga["storlek"] == 500 * 1024 * 1024 and bilaga["skadad"]
    assert any("Stor bilaga" in w for w in result.warnings)
    os.remove(store.file_path(bilaga["sha256"]))


def test_kallelse_docx_keeps_right_to_left_and_emoji(imported):
    store, meeting_id = imported
    store.save_agenda(meeting_id, [{"nr": 1, "rubrik": "שלום 😀 Łukasz", "typ": "standard", "sekretess": 0}])
    assert "שלום 😀 Łukasz" in docx_text(render_bytes(kallelse_document(store, meeting_id, True), "docx",
                                                    load_branding()))
