"""Issue 14, point 1, the page layout the PDF renderer owns, measured on the rendered pages (PDFium's character
boxes, in points from the bottom-left corner): a table too long for what is left of a page starts there and
continues with its header repeated, instead of leaving the page empty; a heading moves only with its next block;
signers get room to sign; the justerare's box and a notice repeat on every page."""

import pypdfium2
import pytest

from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.model import (
    Document, Heading, Metadata, Paragraph, RunningHeader, Signature, Span, Table,
)
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.pdfium import LOCK

BRANDING = load_branding()
MM = 72 / 25.4


def t(text: str) -> tuple[Span, ...]:
    return (Span(text),)


def lines(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page, each run of text as PDFium segments it, as (text, bottom, top) in points, top of the page first."""
    pages = []
    with LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            for page in document:
                text = page.get_textpage()
                runs = []
                for i in range(text.count_rects()):
                    left, bottom, right, top = text.get_rect(i)
                    runs.append((text.get_text_bounded(left, bottom, right, top).strip(), bottom, top))
                pages.append(sorted((r for r in runs if r[0]), key=lambda r: -r[2]))
        finally:
            document.close()
    return pages


def where(pages, needle: str) -> tuple[int, float, float]:
    for number, page in enumerate(pages, start=1):
        for text, bottom, top in page:
            if needle in text:
                return number, bottom, top
    raise AssertionError(f"{needle!r} finns inte i dokumentet")


def test_a_long_table_starts_on_the_page_it_follows_and_repeats_its_header():
    rows = tuple((t(str(n)), t(f"Ärende nummer {n} med en rubrik"), t(f"SOCN/2023:{n}")) for n in range(1, 80))
    doc = Document(metadata=Metadata(title="Kallelse"), header=RunningHeader(lines=(t("Socialnämnden"),)),
                   blocks=(Heading(1, t("Kallelse")), Paragraph(t("Tid: 2023-02-22 kl. 13.00")),
                           Table(header=(t("Nr"), t("Ärende"), t("Beteckning")), rows=rows, widths=(1, 9, 3))))
    pages = lines(render_pdf(doc, BRANDING))
    assert len(pages) >= 2
    assert where(pages, "Ärende nummer 1 med")[0] == 1           # not pushed to page 2
    for page in pages:
        assert any("Beteckning" in text for text, _, _ in page)   # the header row on every page


def test_the_internal_kallelse_starts_its_agenda_on_page_one(tmp_path):
    from nämndtool.exchange.importer import import_meeting
    from nämndtool.store import Store
    from support import SAMPLE_JSON
    with Store.open(tmp_path / "s.sqlite") as store:
        meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
        pdf = render_pdf(kallelse_document(store, meeting_id, False), BRANDING)
    pages = lines(pdf)
    assert where(pages, "Upprop")[0] == 1 and where(pages, "Föredragningslista")[0] == 1


def test_a_heading_moves_with_its_text_and_nothing_else_leaves_the_page_short():
    long = "Socialnämnden har tilldelats en budgetram och redovisar här hur den används under året. " * 6
    blocks = [Heading(1, t("Tjänsteskrivelse"))]
    for n in range(1, 9):
        blocks += [Heading(2, t(f"Avsnitt {n}")), Paragraph(t(long))]
    pdf = render_pdf(Document(metadata=Metadata(title="Prov"), header=RunningHeader(), blocks=tuple(blocks)),
                     BRANDING)
    pages = lines(pdf)
    body_bottom = BRANDING.get("page", "margin_bottom") * MM
    lowest_on_first = min(bottom for _, bottom, _ in pages[0])
    assert lowest_on_first < body_bottom + 40 * MM   # page 1 is filled to near its foot, not three quarters
    for number, page in enumerate(pages, start=1):   # no heading is the last line of a page
        last = page[-1][0]
        assert not last.startswith("Avsnitt"), f"rubriken {last!r} står ensam sist på sidan {number}"


def test_each_signer_has_at_least_15_mm_to_sign_on():
    doc = Document(metadata=Metadata(title="Protokoll"), header=RunningHeader(),
                   blocks=(Heading(1, t("Underskrifter")), Paragraph(t("Justerat den 2023-03-01.")),
                           Signature((("Martin Edgélius", "Ordförande"), ("Anders Gölevik", "Justerare")))))
    pages = lines(render_pdf(doc, BRANDING))
    _, above_bottom, _ = where(pages, "Justerat den")
    _, _, name_top = where(pages, "Martin Edgélius")
    assert above_bottom - name_top >= 15 * MM


def test_the_justerare_box_and_the_notice_are_on_every_page():
    doc = Document(metadata=Metadata(title="Protokollsutdrag"),
                   header=RunningHeader(lines=(t("Socialnämnden"),), signature_box="Justerandes signatur",
                                        notice="Ej justerat"),
                   blocks=(Heading(1, t("Protokollsutdrag")),) + tuple(Paragraph(t("Text. " * 60)) for _ in range(12)))
    pages = lines(render_pdf(doc, BRANDING))
    assert len(pages) >= 2
    for page in pages:
        texts = [text for text, _, _ in page]
        assert "Justerandes signatur" in texts and "Ej justerat" in texts


@pytest.mark.parametrize("date, expected", [("2023-03-01", "D:20230301"), (None, "D:20000101")])
def test_the_file_carries_the_document_date_or_a_fixed_one(date, expected):
    doc = Document(metadata=Metadata(title="Protokoll", author="Socialnämnden", date=date), header=RunningHeader(),
                   blocks=(Heading(1, t("Protokoll")),))
    pdf = render_pdf(doc, BRANDING)
    assert f"/CreationDate({expected}".encode() in pdf.replace(b" ", b"") or expected.encode() in pdf
    assert render_pdf(doc, BRANDING) == pdf   # the same bytes every time

