"""Issue 14, the Word side: real heading styles, table header rows that repeat, keep-with-next only on headings,
space after tables, no empty header row, room to sign, the "Justerandes signatur" box on every page, the notice
("Ej justerat") under every header, the logo's alternative text, language and core properties; and LibreOffice
opens every .docx the program writes and prints what it should (converted once, read back with pypdf/PDFium)."""

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image
from pypdf import PdfReader

from nämndtool.documents import kallelse, registry, tjansteskrivelse
from nämndtool.documents import protokoll as protokoll_documents
from nämndtool.documents.branding import Branding, load_branding
from nämndtool.documents.markup import parse_document
from nämndtool.documents.model import (
    Document, Field, FieldGrid, Heading, ListBlock, Metadata, Paragraph, RunningHeader, Signature, Span, Table,
)
from nämndtool.documents.render_docx import render_docx
from nämndtool.documents.service import render_bytes
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import protokoll
from nämndtool.store import Store
from support import SAMPLE_JSON

BOX = "Justerandes signatur"
NOTICE = "Ej justerat"
MM = 72 / 25.4  # PDF points per millimetre


def S(text: str, **emphasis) -> tuple[Span, ...]:
    return (Span(text, **emphasis),)


@pytest.fixture(scope="module")
def branding() -> Branding:
    return load_branding(Path("/nonexistent/branding.toml"))  # the shipped defaults only


def word_of(doc: Document, branding: Branding) -> docx.Document:
    return docx.Document(io.BytesIO(render_docx(doc, branding)))


def body(branding: Branding, *blocks, header=RunningHeader(page_numbers=False)) -> docx.Document:
    return word_of(Document(Metadata("Prov"), tuple(blocks), header), branding)


def agenda_table(rows: int) -> Table:
    return Table(rows=tuple((S(str(n)), S(f"Ärende nummer {n}"), S(f"SOCN/2023:{n}")) for n in range(1, rows + 1)),
                 header=(S("Nr"), S("Ärende"), S("Beteckning")), widths=(1, 9, 3))


def everything() -> tuple:
    """One of every block, as a tjänsteskrivelse has them."""
    return (
        FieldGrid(((Field("Datum", S("2023-02-13")), Field("Vår beteckning", S("SOCN/2023:16"))),)),
        Heading(1, S("Nämndens plan med budget")),
        Heading(2, S("Förslag till beslut")),
        ListBlock((S("Socialnämnden beslutar att anta budgetramen."), S("Uppdraget avslutas.")), ordered=True),
        Heading(3, S("Ej verkställda beslut")),
        agenda_table(4),
        Paragraph(S("Beslut som inte verkställts inom tre månader."), style="note"),
        ListBlock((S("Plan med budget 2023"),), ordered=False),
        Paragraph(S("Brödtext.")),
        Signature((("Marie Lundqvist", "Tf. förvaltningschef"), ("Anna Lindqvist", None))),
    )


def _style_chain(word: docx.Document, style_id: str | None):
    while style_id:
        style = word.styles.element.get_by_id(style_id)
        yield style
        based_on = style.find(qn("w:basedOn"))
        style_id = based_on.get(qn("w:val")) if based_on is not None else None


def keeps_with_next(word: docx.Document, p) -> bool:
    """Whether a paragraph keeps with the next: its own w:keepNext, else the first in its style chain."""
    for ppr in [p.pPr, *(s.pPr for s in _style_chain(word, p.style or "Normal"))]:
        found = ppr.find(qn("w:keepNext")) if ppr is not None else None
        if found is not None:
            return found.get(qn("w:val"), "1") not in ("0", "false")
    return False


def space_before_pt(word: docx.Document, p) -> float:
    """A paragraph's space before in points: its own, else its style chain's."""
    for ppr in [p.pPr, *(s.pPr for s in _style_chain(word, p.style or "Normal"))]:
        spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
        if spacing is not None and spacing.get(qn("w:before")) is not None:
            return int(spacing.get(qn("w:before"))) / 20
    return 0.0


# --- headings, keep-with-next, tables -------------------------------------------------------------------------


def test_headings_are_words_own_heading_styles_with_outline_levels(branding):
    word = body(branding, *everything())
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Nämndens plan med budget"), ("Heading 2", "Förslag till beslut"),
                        ("Heading 3", "Ej verkställda beslut")]
    for level in (1, 2, 3):  # what the navigation pane and screen readers read
        style = word.styles[f"Heading {level}"]
        assert style.element.xpath("./w:pPr/w:outlineLvl/@w:val") == [str(level - 1)]
        assert style.builtin and style.style_id == f"Heading{level}"


def test_only_headings_keep_with_the_next_paragraph(branding):
    word = body(branding, *everything())
    paragraphs = list(word.element.body.iter(qn("w:p")))  # the body's and every table cell's
    keeping = {word.styles.element.get_by_id(p.style or "Normal").name_val for p in paragraphs
               if keeps_with_next(word, p)}
    assert keeping == {"heading 1", "heading 2", "heading 3"}
    assert sum(keeps_with_next(word, p) for p in paragraphs) == 3


def test_a_table_header_row_repeats_and_rows_are_not_tied_together(branding):
    word = body(branding, Heading(2, S("Ärenden")), agenda_table(30))
    [table] = word.tables
    assert [bool(row._tr.xpath("./w:trPr/w:tblHeader")) for row in table.rows] == [True] + [False] * 30
    assert [c.text for c in table.rows[0].cells] == ["Nr", "Ärende", "Beteckning"]
    assert not any(keeps_with_next(word, p) for p in table._tbl.iter(qn("w:p")))


@pytest.mark.parametrize("header", [None, (), (S(""), S("  "), S("")), ((), (), ())],
                         ids=["none", "no-cells", "blank-cells", "empty-cells"])
def test_no_header_row_when_the_header_has_no_text(branding, header):
    rows = ((S("Vuxen"), S("3"), S("1")), (S("Barn och unga"), S("2"), S("2")))
    word = body(branding, Table(rows=rows, header=header))
    [table] = word.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["Vuxen", "3", "1"], ["Barn och unga", "2", "2"]]
    assert not table._tbl.xpath(".//w:tblHeader")
    assert table._tbl.xpath("./w:tblPr/w:tblLook/@w:firstRow") == ["0"]  # the style's shaded header is off
    assert all(p.style.name == "Tabelltext" for row in table.rows for c in row.cells for p in c.paragraphs)


def test_a_markdown_table_typed_without_header_gets_no_header_row(branding):
    doc = parse_document("<document title='t'><table><thead><c></c><c> </c></thead>"
                         "<tr><c>Vuxen</c><c>3</c></tr></table></document>")
    [table] = word_of(doc, branding).tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["Vuxen", "3"]]
    assert not table._tbl.xpath(".//w:tblHeader")


def test_a_table_is_followed_by_space(branding):
    caption = Paragraph(S("Källa: verksamhetssystemet."), style="note")
    word = body(branding, agenda_table(2), caption, agenda_table(2), agenda_table(2), Heading(2, S("Nästa")),
                FieldGrid(((Field("Datum", S("2023-02-13")),),)), Paragraph(S("Text")), agenda_table(1))
    children = [c for c in word.element.body.iterchildren() if c.tag != qn("w:sectPr")]
    kinds = ["table" if c.tag == qn("w:tbl") else c.style for c in children]
    assert kinds == ["table", "Anteckning", "table", "Tabellavstånd", "table", "Heading2", "table", "Normal", "table",
                     "Tabellavstånd"]
    for before, after in zip(children, children[1:]):
        if before.tag == qn("w:tbl"):
            assert after.tag == qn("w:p"), "two tables next to each other are one table in Word"
            assert space_before_pt(word, after) >= 8, kinds
    heading = children[5]
    assert space_before_pt(word, heading) == branding.get("spacing", "heading2")[0]  # its own, not overridden
    assert space_before_pt(word, children[1]) == 8 and children[1].pPr.find(qn("w:spacing")) is not None


# --- signatures, signature box, notice ---------------------------------------------------------------------------


def test_each_signer_has_room_to_sign_above_a_line(branding):
    word = body(branding, Paragraph(S("Text")), Signature((("Marie Lundqvist", "Förvaltningschef"),
                                                           ("Anna Lindqvist", None))))
    signers = [p for p in word.paragraphs if p.style.name == "Underskrift"]
    assert [p.text for p in signers] == ["\t\nMarie Lundqvist\nFörvaltningschef", "\t\nAnna Lindqvist"]
    assert all(space_before_pt(word, p._p) >= 15 * MM for p in signers)
    assert all(p.runs[0].underline and p.runs[0].text == "\t" for p in signers)  # the line to sign on
    [stop] = word.styles["Underskrift"].paragraph_format.tab_stops
    assert stop.position >= Mm(60)


def _box_tables(part):
    return [t for t in part.tables if len(t.rows) == 1 and len(t.columns) == 1]


@pytest.mark.parametrize("later", [(), (S("Sammanträdesdatum 2023-02-22"),)], ids=["one-header", "first-page-own"])
def test_signature_box_in_the_footer_of_every_page(branding, later):
    header = RunningHeader(lines=(S("Socialnämnden"),), kind="PROTOKOLL", later_lines=later, signature_box=BOX)
    section = word_of(Document(Metadata("Protokoll"), (Paragraph(S("Text")),), header), branding).sections[0]
    footers = [section.footer] + ([section.first_page_footer] if later else [])
    assert section.different_first_page_header_footer is bool(later)
    for footer in footers:
        assert [p.text for p in footer.paragraphs if p.text] == [BOX]
        [box] = _box_tables(footer)
        row = box.rows[0]
        assert abs(row.height - Mm(15)) < Mm(0.2) and row._tr.xpath("./w:trPr/w:trHeight/@w:hRule") == ["exact"]
        assert abs(box.columns[0].width - Mm(35)) < Mm(0.2)
        assert box._tbl.xpath("./w:tblPr/w:jc/@w:val") == ["right"]
        edges = box._tbl.xpath("./w:tblPr/w:tblBorders/*[@w:val='single']")
        assert sorted(e.tag.split("}")[1] for e in edges) == ["bottom", "left", "right", "top"]
        assert box.rows[0].cells[0].text == ""  # empty, to sign in


def test_no_footer_without_a_signature_box(branding):
    section = word_of(Document(Metadata("x"), (Paragraph(S("x")),), RunningHeader(kind="KALLELSE")),
                      branding).sections[0]
    assert BOX not in section.footer._element.xml and not section.footer.tables


@pytest.mark.parametrize("later", [(), (S("Sammanträdesdatum 2023-02-22"),)], ids=["one-header", "first-page-own"])
def test_notice_in_bold_under_every_header(branding, later):
    header = RunningHeader(lines=(S("Socialnämnden"),), kind="PROTOKOLLSUTDRAG", later_lines=later, notice=NOTICE)
    word = word_of(Document(Metadata("Utdrag"), (Paragraph(S("Text")),), header), branding)
    section = word.sections[0]
    for part in [section.header] + ([section.first_page_header] if later else []):
        last = part.paragraphs[-1]  # under the letterhead table
        assert last.text == NOTICE and last.style.name == "Sidhuvud notis"
        assert part._element[-1] is last._p
    assert word.styles["Sidhuvud notis"].font.bold is True


def test_notice_alone_makes_a_header(branding):
    section = word_of(Document(Metadata("x"), (Paragraph(S("x")),), RunningHeader(page_numbers=False,
                                                                                   notice=NOTICE)), branding).sections[0]
    assert [p.text for p in section.header.paragraphs] == [NOTICE]


# --- logo, language, properties ----------------------------------------------------------------------------------


def test_the_logo_has_alternative_text_naming_the_kommun(tmp_path):
    Image.new("RGB", (120, 40), "#005a8c").save(tmp_path / "logo.png")
    (tmp_path / "branding.toml").write_text('[organisation]\nlogo = "logo.png"\nkommun = "Flens kommun"\n')
    header = RunningHeader(lines=(S("Socialnämnden"),), kind="KALLELSE")
    word = word_of(Document(Metadata("Kallelse"), (Paragraph(S("x")),), header),
                   load_branding(tmp_path / "branding.toml"))
    first = word.sections[0].first_page_header._element
    assert first.xpath(".//wp:docPr/@descr") == ["Logotyp Flens kommun"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample meeting with its §§ created, a registered handling and a delegationsbeslut."""
    folder = tmp_path_factory.mktemp("issue14-docx")
    with Store.open(folder / "register.sqlite") as store:
        meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
        protokoll.create_paragraphs(store, meeting_id)
        namnd_id = store.the_namnd()["id"]
        arende = next(i["arende_id"] for i in store.agenda(meeting_id)
                      if i["arende_id"] and store.tjansteskrivelse(i["arende_id"]))
        store.register_handling(arende, riktning="in", beskrivning="Verksamhetsberättelse Länsjouren 2022",
                                datum="2023-02-03", motpart="Länsjouren")
        store.register_delegationsbeslut(namnd_id, {"datum": "2023-01-15", "beslutsfattare": "Enhetschef Anna Berg",
                                                    "delegationspunkt": "3.1.4", "beskrivning": "Bistånd till hyra"})
        yield store, meeting_id, namnd_id, arende, folder


def every_document_type(store, meeting_id, namnd_id, arende, branding) -> dict[str, Document]:
    """Each kind of document the program writes as .docx, made as the program makes it."""
    return {
        "kallelse-offentlig": kallelse.kallelse_document(store, meeting_id, True),
        "kallelse-intern": kallelse.kallelse_document(store, meeting_id, False),
        "tjansteskrivelse": tjansteskrivelse.tjansteskrivelse_document(store, arende, branding).document,
        "protokoll": protokoll_documents.protokoll_document(store, meeting_id, public=False),
        "protokoll-offentligt": protokoll_documents.protokoll_document(store, meeting_id, public=True),
        "utdrag": protokoll_documents.utdrag_document(store, meeting_id, 5, "Kommunstyrelsen"),
        "forsattsblad": protokoll_documents.forsattsblad_document(store, meeting_id, 5, "Kommunstyrelsen"),
        "diarieutdrag": registry.diary_extract_document(store, namnd_id, "2023-01-01", "2023-12-31", True),
        "meddelanden": registry.meddelanden_document(store, meeting_id, branding),
        "delegationsbeslut": registry.delegationsbeslut_document(store, meeting_id, True, branding),
    }


@pytest.fixture(scope="module")
def documents(sample, branding):
    store, meeting_id, namnd_id, arende, _ = sample
    made = every_document_type(store, meeting_id, namnd_id, arende, branding)
    return {name: (doc, render_bytes(doc, "docx", branding)) for name, doc in made.items()}


def test_every_document_is_swedish_and_names_title_author_and_subject(documents):
    for name, (doc, data) in documents.items():
        word = docx.Document(io.BytesIO(data))
        assert word.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["sv-SE"], name
        properties = word.core_properties
        assert properties.language == "sv-SE", name
        assert properties.title == doc.metadata.title and properties.title, name
        assert properties.author == doc.metadata.author and properties.author, name
        assert properties.subject == (doc.metadata.subject or ""), name
    assert docx.Document(io.BytesIO(documents["kallelse-offentlig"][1])).core_properties.author == "Socialnämnden"


def test_the_documents_own_date_is_its_creation_date_and_rendering_time_is_never_written(branding):
    dated = word_of(Document(Metadata("Protokoll", date="2023-03-01"), (Paragraph(S("x")),)), branding)
    assert (dated.core_properties.created.date().isoformat(), dated.core_properties.modified.date().isoformat()) \
        == ("2023-03-01", "2023-03-01")
    for metadata in (Metadata("Utan datum"), Metadata("Fel datum", date="1 mars")):
        properties = word_of(Document(metadata, (Paragraph(S("x")),)), branding).core_properties
        assert properties.created is None and properties.modified is None


def test_the_protokoll_has_the_box_and_an_unjusterat_utdrag_the_notice(documents):
    protokoll_section = docx.Document(io.BytesIO(documents["protokoll"][1])).sections[0]
    for footer in (protokoll_section.footer, protokoll_section.first_page_footer):
        assert BOX in [p.text for p in footer.paragraphs] and _box_tables(footer)
    utdrag_section = docx.Document(io.BytesIO(documents["utdrag"][1])).sections[0]
    for header in (utdrag_section.header, utdrag_section.first_page_header):
        assert header.paragraphs[-1].text == NOTICE


# --- as LibreOffice prints them ----------------------------------------------------------------------------------

soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                             reason="LibreOffice (soffice) is not installed: the Word files cannot be converted")


def layout_documents() -> dict[str, Document]:
    """Made to show page flow: a long agenda after a heading, signers, a table with its caption, and the box and
    notice on the pages of a three-page document."""
    filler = "Socialnämnden redovisar en budgetavvikelse för helåret. " * 8
    return {
        "long-table": Document(Metadata("Lång tabell"), (
            Heading(1, S("Kallelse")), *(Paragraph(S(filler)) for _ in range(4)), Heading(2, S("Föredragningslista")),
            agenda_table(45)), RunningHeader(kind="KALLELSE")),
        "signers": Document(Metadata("Underskrifter"), (
            Paragraph(S("Vid protokollet")), Signature((("Madelene Sönnerfors", "Sekreterare"),
                                                        ("Martin Edgélius (M)", "Ordförande"), ("Anna Ek (S)", None)))),
            RunningHeader(page_numbers=False)),
        "caption": Document(Metadata("Bildtext"), (
            Table(rows=((S("Vuxen"), S("3")), (S("Barn"), S("2"))), header=(S("Verksamhet"), S("Antal"))),
            Paragraph(S("Källa: verksamhetssystemet."), style="note")), RunningHeader(page_numbers=False)),
        "box-notice": Document(Metadata("Rutan"), (
            Heading(1, S("Protokoll")), *(Paragraph(S(filler * 2)) for _ in range(14))),
            RunningHeader(lines=(S("Socialnämnden"),), kind="PROTOKOLL",
                          later_lines=(S("Sammanträdesdatum 2023-02-22"),), signature_box=BOX, notice=NOTICE)),
    }


@pytest.fixture(scope="module")
def printed(documents, branding, tmp_path_factory) -> dict[str, bytes]:
    """Every document type and the layout documents as .docx, converted to PDF by LibreOffice in one run."""
    folder = tmp_path_factory.mktemp("libreoffice")
    files = {name: data for name, (_, data) in documents.items()}
    files.update({name: render_docx(doc, branding) for name, doc in layout_documents().items()})
    for name, data in files.items():
        (folder / f"{name}.docx").write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *(str(folder / f"{name}.docx") for name in files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {name: (folder / f"{name}.pdf").read_bytes() for name in files}


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def first_heading(doc: Document) -> str:
    return next("".join(s.text for s in b.text) for b in doc.blocks if isinstance(b, Heading) and b.level == 1)


@soffice
@pytest.mark.parametrize("name", ["kallelse-offentlig", "kallelse-intern", "tjansteskrivelse", "protokoll",
                                  "protokoll-offentligt", "utdrag", "forsattsblad", "diarieutdrag", "meddelanden",
                                  "delegationsbeslut"])
def test_libreoffice_opens_each_document_type_and_prints_its_title(documents, printed, name):
    doc, _ = documents[name]
    reader = PdfReader(io.BytesIO(printed[name]))
    text = " ".join(pages_text(printed[name]))
    assert first_heading(doc) in text, f"{name}: {text[:300]}"
    assert reader.metadata.title == doc.metadata.title  # the core property, carried into the PDF
    assert reader.trailer["/Root"].get("/Lang") == "sv-SE"  # the document language, from the styles


@soffice
def test_the_protokoll_prints_the_box_on_every_page_and_the_utdrag_the_notice(printed):
    protokoll_pages = pages_text(printed["protokoll"])
    assert len(protokoll_pages) > 1 and all(BOX in page for page in protokoll_pages)
    assert all(NOTICE in page for page in pages_text(printed["utdrag"]))


@soffice
def test_a_long_table_starts_under_its_heading_and_repeats_its_header_row(printed):
    pages = pages_text(printed["long-table"])
    assert len(pages) >= 2
    first = pages[0]
    assert "Föredragningslista Nr Ärende Beteckning 1 Ärende nummer 1" in first  # not moved whole to page 2
    for page in pages[1:]:
        assert "Nr Ärende Beteckning" in page  # the header row repeated
    printed_rows = [n for n in range(1, 46) if any(f"Ärende nummer {n} SOCN/2023:{n}" in p for p in pages)]
    assert printed_rows == list(range(1, 46))


def _text_boxes(page) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(text, (left, bottom, right, top)) of each text run PDFium finds on a page, in points from the bottom."""
    textpage = page.get_textpage()
    boxes = []
    for index in range(textpage.count_rects()):
        rect = textpage.get_rect(index)
        boxes.append((textpage.get_text_bounded(*rect).strip(), rect))
    return boxes


def _lines(page) -> list[tuple[float, float, float, float]]:
    return [obj.get_bounds() for obj in page.get_objects() if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH]


@soffice
def test_each_signer_has_15_mm_of_paper_above_the_signature_line(printed):
    page = pdfium.PdfDocument(printed["signers"])[0]
    boxes = _text_boxes(page)
    bottom_of = lambda text: next(r[1] for t, r in boxes if t == text)  # noqa: E731
    top_of = lambda text: next(r[3] for t, r in boxes if t == text)  # noqa: E731
    lines = sorted((b for b in _lines(page) if b[2] - b[0] > 50 * MM), key=lambda b: -b[3])
    assert len(lines) == 3, lines  # one line per signer
    above = [bottom_of("Vid protokollet"), bottom_of("Sekreterare"), bottom_of("Ordförande")]
    for line, text_above, name in zip(lines, above, ["Madelene Sönnerfors", "Martin Edgélius (M)", "Anna Ek (S)"]):
        assert (text_above - line[3]) / MM >= 15, f"{name}: {(text_above - line[3]) / MM:.1f} mm"
        assert 0 < (line[1] - top_of(name)) / MM < 5  # the name right under its line


@soffice
def test_a_table_does_not_touch_the_caption_below_it(printed):
    page = pdfium.PdfDocument(printed["caption"])[0]
    caption_top = next(r[3] for t, r in _text_boxes(page) if t.startswith("Källa"))
    table_bottom = min(b[1] for b in _lines(page))
    assert (table_bottom - caption_top) / MM >= 2.5


@soffice
def test_box_and_notice_on_every_page(printed):
    pdf = pdfium.PdfDocument(printed["box-notice"])
    assert len(pdf) >= 3
    for page in pdf:
        boxes = _text_boxes(page)
        texts = [t for t, _ in boxes]
        assert NOTICE in texts and BOX in texts
        lines = _lines(page)
        left, bottom = min(b[0] for b in lines), min(b[1] for b in lines)
        right, top = max(b[2] for b in lines), max(b[3] for b in lines)
        assert 34 <= (right - left) / MM <= 37 and 14.5 <= (top - bottom) / MM <= 16.5  # about 35 × 15 mm
        label = next(r for t, r in boxes if t == BOX)
        assert label[1] >= top - 1 and label[0] >= left - 1  # the label over the box
        body_bottom = min(r[1] for t, r in boxes if t.startswith("Socialnämnden redovisar"))
        assert body_bottom > label[3]  # the text never runs into the box
        notice = next(r for t, r in boxes if t == NOTICE)
        header_bottom = min(r[1] for t, r in boxes if t in ("Socialnämnden", "PROTOKOLL"))
        assert notice[3] <= header_bottom  # under the running header
