"""The kallelse as the seeds print it, in a public and an internal version, as PDF and Word."""

import pytest

from docs_helpers import docx_paragraphs, docx_text, flat, pdf_pages, pdf_text
from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import agenda_rows, forhinder_line, kallelse_document
from nämndtool.documents.service import render_bytes

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


def _item(nr, rubrik, secret=False, dnr=None, note=None, lagrum=None):
    return {"nr": nr, "rubrik": rubrik, "sekretess": int(secret), "diarienummer": dnr, "anteckning": note,
            "sekretess_lagrum": lagrum}


def _rows(rows):
    return [(r.nr, r.rubrik, r.beteckning) for r in rows]


def test_public_collapses_consecutive_secret_items_and_keeps_numbers():
    agenda = [_item(1, "Upprop"), _item(2, "Val av justerare"), _item(3, "Fastställande av dagordning"),
              _item(4, "TEMA Samverkan")]
    agenda += [_item(n, f"Placering {n}", True, f"SOCN/2018:{n}") for n in range(5, 19)]
    agenda += [_item(19, "Internkontrollredovisning 2017", note="handlingarna dukas"),
               _item(20, "Svar på remiss", dnr="SOCN/2018:23")]
    rows = _rows(agenda_rows(agenda, public=True))
    assert rows[4] == ("5–18", "Sekretessärenden", "")
    assert rows[5] == ("19", "Internkontrollredovisning 2017", "")
    assert rows[6] == ("20", "Svar på remiss", "SOCN/2018:23")
    assert not [r for r in rows if "Placering" in r[1] or r[2].startswith("SOCN/2018:1")]


def test_public_lone_secret_item_reads_sekretessarende():
    rows = agenda_rows([_item(3, "X"), _item(4, "Vård av Anna", True, "SOCN/2023:5"), _item(5, "Y")], public=True)
    assert _rows(rows)[1] == ("4", "Sekretessärende", "Sekretess") and rows[1].beteckning_fet


def test_secret_items_separated_by_a_public_one_are_two_lines():
    agenda = [_item(1, "a", True), _item(2, "b", True), _item(3, "Budget"), _item(4, "c", True)]
    assert _rows(agenda_rows(agenda, public=True)) == [
        ("1–2", "Sekretessärenden", ""), ("3", "Budget", ""), ("4", "Sekretessärende", "Sekretess")]


def test_internal_shows_every_item_with_its_title_and_secrecy():
    rows = agenda_rows([_item(4, "Vård av Anna", True, "SOCN/2023:5", lagrum="26 kap. 1 § OSL")], public=False)
    assert _rows(rows) == [("4", "Vård av Anna", "SOCN/2023:5")]
    assert rows[0].anteckning == "Sekretess enligt 26 kap. 1 § OSL"


@pytest.mark.parametrize("parts, expected", [
    (("Madelene Sönnerfors", "madelene@katrineholm.se", "0150-569 90"),
     "Förhinder anmäls till Madelene Sönnerfors, madelene@katrineholm.se eller 0150-569 90."),
    (("Madelene Sönnerfors", None, "0150-569 90"), "Förhinder anmäls till Madelene Sönnerfors, 0150-569 90."),
    ((None, "kansli@katrineholm.se", None), "Förhinder anmäls till kansli@katrineholm.se."),
    ((None, None, None), None),
])
def test_forhinder_line(parts, expected):
    assert forhinder_line(*parts) == expected


@pytest.fixture
def demo_meeting(imported):
    store, meeting_id = imported
    with store.write():
        store.update("sammantrade", {"id": meeting_id}, {"forhinder_namn": "Madelene Sönnerfors",
                                                       "forhinder_epost": "madelene.sonnerfors@katrineholm.se",
                                                       "forhinder_telefon": "0150-569 90"})
    return store, meeting_id


def test_public_kallelse_pdf_as_in_the_seed(demo_meeting):
    store, meeting_id = demo_meeting
    pdf = render_bytes(kallelse_document(store, meeting_id, public=True), "pdf", load_branding())
    text = flat(pdf_text(pdf))
    for expected in ["Sammanträdande organ", "Socialnämnden", "2023-02-22 kl. 13:00", "Solrosen", "Nr", "Ärende",
                     "Beteckning", "Sekretessärende", "SOCN/2022:111", "Martin Edgélius (M)", "Ordförande",
                     "Förhinder anmäls till Madelene Sönnerfors, madelene.sonnerfors@katrineholm.se eller 0150-569 90.",
                     "1 (1)"]:
        assert expected in text, expected
    assert text.index("Upprop") < text.index("Sekretessärende") < text.index("SOCN/2023:17") < text.index("Meddelanden")


def test_public_kallelse_docx_uses_word_styles(demo_meeting):
    store, meeting_id = demo_meeting
    data = render_bytes(kallelse_document(store, meeting_id, public=True), "docx", load_branding())
    paragraphs = docx_paragraphs(data)
    styles = {style for style, _ in paragraphs}
    assert any(s.startswith("Heading 1") or s == "Title" for s in styles)
    texts = [t for _, t in paragraphs]
    assert "Sekretessärende" in texts and "SOCN/2022:111" in texts
    assert "Martin Edgélius (M)" in docx_text(data)


def test_internal_kallelse_names_the_secret_item_and_is_marked(store, sample_copy):
    import json
    from nämndtool.exchange.importer import import_meeting
    data = json.loads(sample_copy.read_text())
    data["dagordning"][3].update(rubrik="Ansökan om vård enligt LVU", diarienummer="SOCN/2023:5",
                                 sekretess={"lagrum": "26 kap. 1 § OSL"})
    data["arenden"].append({"diarienummer": "SOCN/2023:5", "rubrik": "Ansökan om vård enligt LVU",
                            "sekretess": {"lagrum": "26 kap. 1 § OSL"}})   # an agenda's number must be known
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    internal = pdf_pages(render_bytes(kallelse_document(store, meeting_id, public=False), "pdf", load_branding()))
    assert "Ansökan om vård enligt LVU" in internal[0] and "SOCN/2023:5" in internal[0]
    assert all("INTERN VERSION" in page for page in internal)
    public = pdf_text(render_bytes(kallelse_document(store, meeting_id, public=True), "pdf", load_branding()))
    assert "LVU" not in public and "SOCN/2023:5" not in public and "INTERN" not in public


def test_tabled_item_prints_its_note(store, sample_copy):
    import json
    from nämndtool.exchange.importer import import_meeting
    data = json.loads(sample_copy.read_text())
    data["dagordning"][12]["anteckning"] = "handlingarna dukas"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    text = pdf_text(render_bytes(kallelse_document(store, meeting_id, public=True), "pdf", load_branding()))
    assert "Verksamhetsinformation handlingarna dukas" in flat(text)
