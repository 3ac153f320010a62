"""The tjänsteskrivelse with the parts the seeds show; a missing part is left out, never an empty heading."""

import pytest

from docs_helpers import docx_paragraphs, flat, pdf_pages, pdf_text
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import Branding, load_branding
from nämndtool.documents.model import Heading, plain
from nämndtool.documents.service import render_bytes
from nämndtool.documents.tjansteskrivelse import handlingar_mismatch, tjansteskrivelse_document

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


def _doc(store, number):
    return tjansteskrivelse_document(store, store.arende_by_number(parse(number))["id"], load_branding())


def _headings(document):
    return [plain(b.text) for b in document.blocks if isinstance(b, Heading)]


def test_full_header_and_parts_in_seed_order(imported):
    store, _ = imported
    result = _doc(store, "SOCN/2023:16")
    text = flat(pdf_text(render_bytes(result.document, "pdf", load_branding())))
    assert "1 (1)" in text
    order = ["Socialförvaltningen", "Stab", "TJÄNSTESKRIVELSE", "Datum", "2023-02-13", "Vår beteckning",
             "SOCN/2023:16", "Ert datum", "Er beteckning", "Mottagare", "Socialnämnden", "Vår handläggare",
             "Julia Lindberg", "0150-570 00", "julia.lindberg@katrineholm.se", "Nämndens plan med budget",
             "Socialförvaltningens förslag till beslut", "1. Socialnämnden beslutar att anta", "2. Socialnämnden godkänner",
             "Sammanfattning av ärendet", "Ärendets handlingar", "Investeringsbudget 2023 med plan 2024-2027",
             "Marie Lundqvist", "Tf. förvaltningschef", "Beslutet skickas till:",
             "akten"]   # the sample spells it "akten" first; the import finds "Akten" as that entry (issue 13)
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "None" not in text


def test_missing_header_parts_are_left_out_but_ert_datum_labels_stay(imported):
    store, _ = imported
    document = _doc(store, "SOCN/2023:17").document   # no enhet, handläggare, datum or mottagare in the seed
    text = pdf_text(render_bytes(document, "pdf", load_branding()))
    assert "Ert datum" in text and "Er beteckning" in text
    for absent in ("Vår handläggare", "Mottagare", "Datum\n", "None", "Handläggare telefon"):
        assert absent not in text


def test_one_point_is_a_paragraph_several_a_numbered_list(imported):
    store, _ = imported
    one = render_bytes(_doc(store, "SOCN/2023:19").document, "docx", load_branding())
    styles = dict((t, s) for s, t in docx_paragraphs(one))
    assert "List Number" not in styles.get("Socialnämnden godkänner upprättad internkontrollplan för år 2023.", "")
    two = render_bytes(_doc(store, "SOCN/2023:17").document, "docx", load_branding())
    numbered = [t for s, t in docx_paragraphs(two) if s == "List Number"]
    assert len(numbered) == 2 and numbered[0].startswith("Socialnämnden beslutar att godkänna")


def test_report_without_forslag_signers_or_recipients(imported):
    store, _ = imported
    document = _doc(store, "SOCN/2022:100").document
    headings = _headings(document)
    assert "Förvaltningens förslag till beslut" not in headings
    assert headings == ["Intern rapport om socialnämndens dataskyddsefterlevnad", "Sammanfattning av ärendet",
                        "Förvaltningens fortsatta arbete"]
    text = pdf_text(render_bytes(document, "pdf", load_branding()))
    assert "Beslutet skickas till" not in text


def test_forslag_heading_is_set_per_forvaltning(imported, tmp_path):
    store, _ = imported
    own = tmp_path / "branding.toml"
    own.write_text('[text]\nforslag_rubrik."Socialförvaltningen" = "Socialförvaltningens förslag till beslut"\n')
    branding = load_branding(own)
    arende = store.arende_by_number(parse("SOCN/2023:16"))
    document = tjansteskrivelse_document(store, arende["id"], branding).document
    assert "Socialförvaltningens förslag till beslut" in _headings(document)


def test_markdown_table_and_lists_in_sections(imported):
    store, _ = imported
    text = flat(pdf_text(render_bytes(_doc(store, "SOCN/2022:26").document, "pdf", load_branding())))
    assert "Ej verkställda gynnande beslut kvartal 4" in text and "Kontaktfamilj" in text


def test_handlingar_mismatch_is_reported(imported):
    store, _ = imported
    assert _doc(store, "SOCN/2022:100").warnings == [
        "SOCN/2022:100: Bilagan ”§ 113 Dataskyddsefterlevnad för socialnämnden” är bifogad men står inte under "
        "Ärendets handlingar."]
    assert _doc(store, "SOCN/2023:16").warnings == []
    assert handlingar_mismatch(["Beslutsstatistik - orsaker"], ["beslutsstatistik – Orsaker"]) == []
    assert handlingar_mismatch(["A", "B"], ["B", "C"]) == [
        "”A” står under Ärendets handlingar men finns inte bland bilagorna.",
        "Bilagan ”C” är bifogad men står inte under Ärendets handlingar."]


def test_page_x_of_y_on_every_page(imported):
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:17"))
    ts = store.tjansteskrivelse(arende["id"])
    long_text = "\n\n".join(f"Stycke {n}. " + "Socialnämnden redovisar en budgetavvikelse. " * 12 for n in range(30))
    with store.write():
        store.update("tjansteskrivelse", {"id": ts["id"]}, {"sammanfattning": long_text})
    pages = pdf_pages(render_bytes(_doc(store, "SOCN/2023:17").document, "pdf", load_branding()))
    total = len(pages)
    assert total >= 3
    for n, page in enumerate(pages, 1):
        assert f"{n} ({total})" in page and "TJÄNSTESKRIVELSE" in page
    assert "Vår beteckning SOCN/2023:17" in pages[1]


def test_secret_tjansteskrivelse_is_marked_on_every_page(imported):
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:19"))
    with store.write():
        store.update("arende", {"id": arende["id"]}, {"sekretess": 1, "sekretess_lagrum": "26 kap. 1 § OSL"})
    document = _doc(store, "SOCN/2023:19").document
    assert not document.public
    for page in pdf_pages(render_bytes(document, "pdf", load_branding())):
        assert "SEKRETESS 26 kap. 1 § OSL" in page


def test_public_tjansteskrivelse_with_a_personnummer_is_refused(imported):
    from nämndtool.documents.public_check import PersonnummerError
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:19"))
    ts = store.tjansteskrivelse(arende["id"])
    with store.write():
        store.update("tjansteskrivelse", {"id": ts["id"]}, {"sammanfattning": "Gäller barnet 121212-1212 i familjen."})
    with pytest.raises(PersonnummerError) as caught:
        render_bytes(_doc(store, "SOCN/2023:19").document, "pdf", load_branding())
    message = str(caught.value)
    assert "1212••-••••" in message and "121212-1212" not in message and "Sammanfattning av ärendet" in message


def test_branding_kommun_and_font_come_from_the_settings_file(tmp_path):
    own = tmp_path / "branding.toml"
    own.write_text('[organisation]\nkommun = "Linköpings kommun"\n[size]\nbody = 12\n')
    branding = load_branding(own)
    assert isinstance(branding, Branding)
    assert branding.get("organisation", "kommun") == "Linköpings kommun"
    assert branding.get("size", "body") == 12 and branding.get("size", "heading1") == 16
