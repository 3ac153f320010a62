"""The Word renderer: real built-in styles, restarting lists, header with page fields, any text survives."""

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt, RGBColor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from nämndtool.documents.branding import Branding, load_branding
from nämndtool.documents.model import (
    Document,
    Field,
    FieldGrid,
    Heading,
    ListBlock,
    Metadata,
    PageBreak,
    Paragraph,
    RunningHeader,
    Signature,
    Span,
    Table,
)
from nämndtool.documents.render_docx import render_docx
from nämndtool.documents.render_pdf import render_pdf

MARKING = "SEKRETESS 26 kap. 1 § OSL"
LINE = "\t\n"  # a signer's paragraph starts with the signature line: an underlined tab, then a line break
W = {"w": nsmap["w"]}


def S(text: str, **emphasis) -> tuple[Span, ...]:
    return (Span(text, **emphasis),)


@pytest.fixture(scope="module")
def branding() -> Branding:
    return load_branding(Path("/nonexistent/branding.toml"))  # the shipped defaults only


def render(branding: Branding, *blocks, header=RunningHeader(), marking=None, metadata=None) -> docx.Document:
    doc = Document(metadata or Metadata("Prov"), tuple(blocks), header, marking=marking)
    return docx.Document(io.BytesIO(render_docx(doc, branding)))


def xml(part) -> str:
    return part._element.xml


def tjansteskrivelse(marking: str | None = None) -> Document:
    """As the tjänsteskrivelse for SOCN/2023:16 in seed 001 (lines 687-725), long enough for two pages."""
    text = (
        "Socialnämnden har av kommunfullmäktige tilldelats en budgetram om 203 226 tkr. I budgetramens tekniska "
        "justering har den tillfälliga utökningen på 10 000 tkr som var beslutad för åren 2020–2022 tagits bort. "
        "Justeringar har gjorts för politikerarvoden, föräldrastödsprogram, telefoni, sociala avgifter och ökade hyror."
    )
    header = RunningHeader(
        lines=(S("Socialförvaltningen"), S("Stab")),
        kind="TJÄNSTESKRIVELSE",
        later_lines=(S("Datum 2023-02-13"), S("Vår beteckning SOCN/2023:16")),
    )
    blocks = (
        FieldGrid(
            rows=(
                (
                    Field("Datum", S("2023-02-13")),
                    Field("Vår beteckning", S("SOCN/2023:16")),
                    Field("Ert datum", ()),
                    Field("Er beteckning", ()),
                ),
                (Field("Vår handläggare", S("Julia Lindberg")), Field("Handläggare telefon", S("0150-570 00"))),
            )
        ),
        Paragraph((Span("Mottagare:", bold=True), Span("Socialnämnden", break_before=True))),
        Heading(1, S("Nämndens plan med budget")),
        Heading(2, S("Socialförvaltningens förslag till beslut")),
        ListBlock(
            (
                S("Socialnämnden beslutar att anta den tilldelade budgetramen för 2023."),
                S("Socialnämnden godkänner att förvaltningen åtar sig att arbeta mot resultatmålen."),
            ),
            ordered=True,
        ),
        Heading(2, S("Sammanfattning av ärendet")),
        Paragraph(S(text)),
        Paragraph((Span("Kommunfullmäktige har avsatt "), Span("10 000 tkr", bold=True), Span(". " + text))),
        Heading(3, S("Ej verkställda gynnande beslut kvartal 4")),
        Table(
            rows=((S("Vuxen"), S("3"), S("1")), (S("Barn och unga"), S("2"), S("2"))),
            header=(S("Verksamhet"), S("Antal"), S("Varav kvinnor")),
            widths=(3, 1, 1),
        ),
        Paragraph(S("Beslut som inte verkställts inom tre månader."), style="note"),
        Heading(2, S("Ärendets handlingar")),
        ListBlock((S("Socialnämndens plan med budget 2023"), S("Investeringsbudget 2023 med plan 2024-2027")), False),
        Heading(2, S("Förvaltningens bedömning")),
        *(Paragraph(S(text)) for _ in range(6)),
        Signature((("Marie Lundqvist", "Tf. förvaltningschef"),)),
        Paragraph((Span("Beslutet skickas till:", bold=True), Span("Akten", break_before=True))),
    )
    metadata = Metadata("Nämndens plan med budget", "Julia Lindberg", "SOCN/2023:16")
    return Document(metadata, blocks, header, marking=marking, public=marking is None)


AGENDA = (
    ("Upprop", ""),
    ("Val av justerare", ""),
    ("Fastställande av dagordning", ""),
    ("Sekretessärende", "Sekretess"),
    ("Socialnämndens årsredovisning 2022", "SOCN/2023:17"),
    ("Socialnämndens plan med budget 2023", "SOCN/2023:16"),
    ("Socialnämndens internkontrollrapport 2022", "SOCN/2022:15"),
    ("Socialnämndens internkontrollplan 2023", "SOCN/2023:19"),
    ("Rapportering av ej verkställda gynnande beslut", "SOCN/2022:26"),
    ("Yttrande över motion om att inrätta en familjecentral", "SOCN/2022:42"),
    ("Yttrande över remiss av Platsvarumärket Katrineholm", "SOCN/2022:111"),
    ("Återrapportering - socialnämndens dataskyddsefterlevnad", "SOCN/2022:100"),
    ("Verksamhetsinformation", ""),
    ("Anmälan av delegationsbeslut", ""),
    ("Meddelanden", ""),
)


def kallelse() -> Document:
    """As the kallelse in seed 001 (lines 3-22): the agenda of 15 items, then the chair."""
    rows = tuple(
        (S(str(number)), S(title), S(beteckning, bold=beteckning == "Sekretess"))
        for number, (title, beteckning) in enumerate(AGENDA, 1)
    )
    blocks = (
        Heading(1, S("Kallelse")),
        FieldGrid(((Field("Organ", S("Socialnämnden")), Field("Tid", S("2023-03-15 kl. 13:15"))),)),
        Heading(2, S("Ärenden")),
        Table(rows=rows, header=(S("Nr"), S("Ärende"), S("Beteckning")), widths=(1, 9, 3)),
        Signature((("Martin Edgélius (M)", "Ordförande"),)),
    )
    header = RunningHeader(lines=(S("Katrineholms kommun"), S("Socialnämnden")), kind="KALLELSE")
    return Document(Metadata("Kallelse Socialnämnden", "Nämndsekreterare", "Kallelse"), blocks, header)


# --- structure and styles ----------------------------------------------------------------------------------------


def test_blocks_become_paragraphs_in_order_with_built_in_styles(branding):
    word = render(
        branding,
        Heading(1, S("Titel")),
        Heading(2, S("Förslag till beslut")),
        ListBlock((S("ett"), S("två")), ordered=True),
        Heading(3, S("Underrubrik")),
        Paragraph(S("Brödtext")),
        ListBlock((S("punkt"),), ordered=False),
        Paragraph(S("Anteckning"), style="note"),
        Paragraph(S("Liten"), style="small"),
        Paragraph(S("okänd stil blir Normal"), style="whatever"),
    )
    assert [(p.style.name, p.text) for p in word.paragraphs] == [
        ("Heading 1", "Titel"),
        ("Heading 2", "Förslag till beslut"),
        ("List Number", "ett"),
        ("List Number", "två"),
        ("Heading 3", "Underrubrik"),
        ("Normal", "Brödtext"),
        ("List Bullet", "punkt"),
        ("Anteckning", "Anteckning"),
        ("Liten text", "Liten"),
        ("Normal", "okänd stil blir Normal"),
    ]
    assert word.styles["Anteckning"].base_style.name == "Normal"
    assert word.styles["Anteckning"].font.italic is True


def test_heading_levels_outside_the_range_are_clamped(branding):
    word = render(branding, Heading(0, S("noll")), Heading(12, S("tolv")))
    assert [p.style.name for p in word.paragraphs] == ["Heading 1", "Heading 9"]


def test_each_ordered_list_restarts_at_one(branding):
    word = render(
        branding,
        ListBlock((S("a"), S("b")), ordered=True),
        Paragraph(S("mellan")),
        ListBlock((S("c"), S("d")), ordered=True),
    )
    numbering = word.part.numbering_part.element
    lists = [p for p in word.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in lists]
    assert num_ids[0] == num_ids[1] and num_ids[2] == num_ids[3] and num_ids[0] != num_ids[2]
    style_num = word.styles["List Number"].element.pPr.numPr.numId.val
    style_abstract = numbering.num_having_numId(style_num).abstractNumId.val
    for num_id in (num_ids[0], num_ids[2]):
        num = numbering.num_having_numId(num_id)
        assert num.abstractNumId.val == style_abstract  # the same list format, a new count
        assert num.xpath("./w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val") == ["1"]
    level = numbering.xpath(f"./w:abstractNum[@w:abstractNumId='{style_abstract}']/w:lvl[@w:ilvl='0']")[0]
    assert level.xpath("./w:numFmt/@w:val", namespaces=W) == ["decimal"]
    assert level.xpath("./w:start/@w:val", namespaces=W) == ["1"]


def test_bullet_list_uses_a_bullet_in_the_branding_font(branding):
    word = render(branding, ListBlock((S("x"),), ordered=False))
    numbering = word.part.numbering_part.element
    num_id = word.styles["List Bullet"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(num_id).abstractNumId.val
    level = numbering.xpath(f"./w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl")[0]
    assert level.xpath("./w:numFmt/@w:val", namespaces=W) == ["bullet"]
    assert level.xpath("./w:lvlText/@w:val", namespaces=W) == ["\u2022"]
    assert level.xpath("./w:rPr/w:rFonts/@w:ascii", namespaces=W) == ["DejaVu Sans"]


def test_styles_carry_the_branding_not_the_runs(branding):
    word = render(branding, Heading(1, S("Titel")), Heading(2, S("Avsnitt")), Paragraph(S("Text")))
    family = branding.get("font", "family")
    sizes = {"Normal": "body", "Heading 1": "heading1", "Heading 2": "heading2", "Heading 3": "heading3"}
    for name, size in sizes.items():
        style = word.styles[name]
        assert style.font.size == Pt(branding.get("size", size))
        fonts = style.element.rPr.rFonts
        assert [fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")] == [family] * 4
        assert fonts.get(qn("w:asciiTheme")) is None
    heading_colour = RGBColor.from_string(branding.get("colour", "heading").lstrip("#"))
    assert word.styles["Heading 1"].font.color.rgb == heading_colour
    assert word.styles["Heading 1"].font.bold is True
    # no direct formatting of size or font on the runs, so restyling in Word works
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            assert run.font.size is None and run.font.name is None


def test_other_branding_changes_the_styles(branding, tmp_path):
    own = tmp_path / "branding.toml"
    own.write_text('[font]\nfamily = "Liberation Serif"\n[size]\nheading1 = 20\n[colour]\nheading = "#005a8c"\n')
    word = docx.Document(io.BytesIO(render_docx(Document(Metadata("x"), (Heading(1, S("T")),)), load_branding(own))))
    assert word.styles["Heading 1"].font.size == Pt(20)
    assert word.styles["Heading 1"].font.color.rgb == RGBColor(0x00, 0x5A, 0x8C)
    assert word.styles["Normal"].font.name == "Liberation Serif"


def test_document_language_is_swedish_in_the_styles(branding):
    word = render(branding, Paragraph(S("Hej")))
    styles = word.styles.element
    assert styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["sv-SE"]
    assert word.styles["Normal"].element.xpath("./w:rPr/w:lang/@w:val") == ["sv-SE"]
    assert word.settings.element.xpath("./w:themeFontLang/@w:val") == ["sv-SE"]


def test_page_is_a4_with_branding_margins(branding):
    section = render(branding, Paragraph(S("x"))).sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731  (Word stores twips)
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    for side in ("top", "bottom", "left", "right"):
        assert mm(getattr(section, f"{side}_margin")) == branding.get("page", f"margin_{side}")


# --- spans, signature, page break ----------------------------------------------------------------------------------


def test_spans_keep_emphasis_and_line_breaks_stay_in_the_paragraph(branding):
    word = render(
        branding,
        Paragraph((Span("fet", bold=True), Span(" kursiv", italic=True), Span("ny rad", break_before=True))),
    )
    [paragraph] = word.paragraphs
    assert paragraph.text == "fet kursiv\nny rad"
    runs = {run.text: run for run in paragraph.runs if run.text.strip()}
    assert runs["fet"].bold is True and runs["fet"].italic is None
    assert runs[" kursiv"].italic is True and runs[" kursiv"].bold is None
    assert len(paragraph._p.xpath(".//w:br")) == 1


def test_signature_prints_line_then_name_then_title_with_room_to_sign(branding):
    signers = (("Marie Lundqvist", "Tf. förvaltningschef"), ("Utan Titel", None))
    word = render(branding, Paragraph(S("Text")), Signature(signers))
    signatures = [p for p in word.paragraphs if p.style.name == "Underskrift"]
    assert [p.text for p in signatures] == [LINE + "Marie Lundqvist\nTf. förvaltningschef", LINE + "Utan Titel"]
    assert all(p.runs[0].text == "\t" and p.runs[0].underline for p in signatures)
    assert word.styles["Underskrift"].paragraph_format.space_before >= Mm(15)


def test_page_break(branding):
    word = render(branding, Paragraph(S("sida 1")), PageBreak(), Paragraph(S("sida 2")))
    assert len(word.element.body.xpath(".//w:br[@w:type='page']")) == 1


# --- running header ------------------------------------------------------------------------------------------------


def test_header_has_lines_kind_and_page_x_of_y(branding):
    header = RunningHeader(lines=(S("Socialförvaltningen"), S("Stab")), kind="TJÄNSTESKRIVELSE")
    word = render(branding, Paragraph(S("x")), header=header)
    section = word.sections[0]
    assert section.different_first_page_header_footer is False
    text = xml(section.header)
    assert "TJÄNSTESKRIVELSE" in text and "Socialförvaltningen" in text and "Stab" in text
    hdr = section.header._element
    # "x (y)": PAGE, " (", NUMPAGES, ")" in one paragraph
    [page_paragraph] = hdr.xpath(".//w:p[.//w:instrText]")
    instructions = [t.strip() for t in page_paragraph.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "".join(page_paragraph.xpath(".//w:t/text()")) == "1 (1)"
    assert len(page_paragraph.xpath(".//w:fldChar[@w:fldCharType='begin']")) == 2
    first_line_runs = hdr.xpath(".//w:p[.//w:t[text()='Socialförvaltningen']]//w:r")[0]
    assert first_line_runs.xpath("./w:rPr/w:b"), "the first letterhead line is bold"
    assert all(p.xpath("./w:pPr/w:pStyle/@w:val") == ["Header"] for p in hdr.xpath(".//w:p"))


def test_no_page_numbers_when_switched_off(branding):
    word = render(branding, Paragraph(S("x")), header=RunningHeader(lines=(S("Förvaltning"),), page_numbers=False))
    assert "instrText" not in xml(word.sections[0].header)


def test_later_lines_only_in_the_header_after_the_first_page(branding):
    header = RunningHeader(
        lines=(S("Socialförvaltningen"),), kind="TJÄNSTESKRIVELSE", later_lines=(S("Vår beteckning SOCN/2023:16"),)
    )
    section = render(branding, Paragraph(S("x")), header=header).sections[0]
    assert section.different_first_page_header_footer is True
    first, later = xml(section.first_page_header), xml(section.header)
    assert "Socialförvaltningen" in first and "Socialförvaltningen" in later
    assert "SOCN/2023:16" not in first and "SOCN/2023:16" in later
    assert "NUMPAGES" in first and "NUMPAGES" in later


def test_marking_in_every_header_in_the_secret_colour(branding):
    header = RunningHeader(lines=(S("Socialförvaltningen"),), kind="TJÄNSTESKRIVELSE", later_lines=(S("Datum"),))
    word = render(branding, Paragraph(S("x")), header=header, marking=MARKING)
    section = word.sections[0]
    for part in (section.first_page_header, section.header):
        [marking] = [p for p in part.paragraphs if p.text == MARKING]
        assert marking.style.name == "Sekretessmarkering"
    style = word.styles["Sekretessmarkering"]
    assert style.font.bold is True
    assert style.font.color.rgb == RGBColor.from_string(branding.get("colour", "secret").lstrip("#"))


def test_marking_without_other_header_content(branding):
    section = render(branding, Paragraph(S("x")), header=RunningHeader(page_numbers=False), marking=MARKING).sections[0]
    assert MARKING in xml(section.header)


# --- tables --------------------------------------------------------------------------------------------------------


def test_grid_table_has_a_repeating_header_row_and_a_built_in_style(branding):
    rows = tuple((S(str(n)), S(f"Ärende {n}"), S("")) for n in range(1, 16))
    word = render(branding, Table(rows=rows, header=(S("Nr"), S("Ärende"), S("Beteckning")), widths=(1, 9, 3)))
    [table] = word.tables
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["Nr", "Ärende", "Beteckning"]
    assert len(table.rows) == 16
    flagged = [bool(row._tr.xpath("./w:trPr/w:tblHeader")) for row in table.rows]
    assert flagged == [True] + [False] * 15
    assert table.rows[0].cells[0].paragraphs[0].style.name == "Tabellrubrik"
    assert table._tbl.xpath("./w:tblPr/w:tblLook/@w:firstRow") == ["1"]
    widths = [col.width for col in table.columns]
    assert widths[1] > 8 * widths[0] and abs(sum(widths) - Mm(210 - 25 - 22)) < Mm(1)
    shading = word.styles["Table Grid"].element.xpath("./w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd/@w:fill")
    assert shading == [branding.get("colour", "table_header").lstrip("#").upper()]


def test_grid_table_without_header_does_not_style_the_first_row(branding):
    word = render(branding, Table(rows=((S("a"), S("b")),)))
    [table] = word.tables
    assert not table._tbl.xpath(".//w:tblHeader")
    assert table._tbl.xpath("./w:tblPr/w:tblLook/@w:firstRow") == ["0"]


def test_plain_table_and_ragged_rows(branding):
    word = render(branding, Table(rows=((S("a"),), (S("b"), S("c"), S("d"))), style="plain"), Table(rows=()))
    [table] = word.tables  # the empty table is left out
    assert table.style.name == "Normal Table"  # no borders
    assert [[c.text for c in row.cells] for row in table.rows] == [["a", "", ""], ["b", "c", "d"]]


def test_field_grid_prints_labels_even_with_empty_values(branding):
    grid = FieldGrid(((Field("Datum", S("2023-02-13")), Field("Ert datum", ()), Field("Er beteckning", ())),))
    word = render(branding, grid)
    [table] = word.tables
    assert table.style.name == "Normal Table"
    cells = [[p.text for p in cell.paragraphs] for cell in table.rows[0].cells]
    assert cells == [["Datum", "2023-02-13"], ["Ert datum", ""], ["Er beteckning", ""]]
    assert table.rows[0].cells[1].paragraphs[0].style.name == "Fältetikett"


# --- metadata and text ---------------------------------------------------------------------------------------------


def test_core_properties(branding):
    metadata = Metadata("Nämndens plan med budget", "Julia Lindberg", "SOCN/2023:16")
    word = render(branding, Paragraph(S("x")), metadata=metadata)
    properties = word.core_properties
    assert properties.title == "Nämndens plan med budget"
    assert properties.author == "Julia Lindberg"
    assert properties.subject == "SOCN/2023:16"
    assert properties.language == "sv-SE"
    assert properties.last_modified_by == "Nämndtool"
    assert properties.comments == ""


def test_same_document_gives_the_same_bytes(branding):
    assert render_docx(tjansteskrivelse(), branding) == render_docx(tjansteskrivelse(), branding)


def test_names_with_diacritics_are_intact(branding):
    name = "Łukasz Şahin Edgélius åäö"
    header = RunningHeader(lines=(S(name),))
    word = render(branding, Heading(1, S(name)), Paragraph(S(name)), Signature(((name, name),)), header=header)
    assert [p.text for p in word.paragraphs] == [name, name, f"{LINE}{name}\n{name}"]
    assert name in xml(word.sections[0].header)


def test_control_characters_and_markup_are_harmless(branding):
    word = render(
        branding,
        Paragraph(S("a\x00b\x0bc <b>&amp; \x1f\ufffe\r\nslut")),
        Heading(2, S("\x07")),
        Table(rows=((S("\x00"),),)),
        Signature((("\x01Namn", "\x02"),)),
        header=RunningHeader(lines=(S("\x00Rad"),), kind="\x0b"),
        marking="\x00" + MARKING,
        metadata=Metadata("T\x00itel" + "x" * 400, "\x01", "\x02"),
    )
    assert word.paragraphs[0].text == "ab\nc <b>&amp; \nslut"
    assert word.paragraphs[1].text == ""
    assert word.paragraphs[2].text == LINE + "Namn"
    assert word.core_properties.title.startswith("Titelx")
    assert MARKING in xml(word.sections[0].header)


HOSTILE = "Ett\tTvå\x00Tre\x0bFyra\r\nFem\u2028Sex\x7f\x85Sju\ud800\ufffe\x1fÅtta\x9bNio\x0cTio"


def test_one_text_rule_for_pdf_and_word(branding):
    """The same hostile text shows the same in the PDF and the Word file: a tab is a space; CR LF, CR, vertical tab,
    form feed, NEL and U+2028 are line breaks; NUL, other control characters, lone surrogates and U+FFFE are gone."""
    expected = ["Ett TvåTre", "Fyra", "Fem", "Sex", "SjuÅttaNio", "Tio"]
    doc = Document(Metadata(HOSTILE), (Paragraph(S(HOSTILE)), Signature(((HOSTILE, None),))),
                   RunningHeader(page_numbers=False))
    word = docx.Document(io.BytesIO(render_docx(doc, branding)))
    assert [p.text.split("\n") for p in word.paragraphs] == [expected, ["\t", *expected]]
    assert word.core_properties.title == "\n".join(expected)
    pdf = PdfReader(io.BytesIO(render_pdf(doc, branding)))
    assert [line.strip() for line in pdf.pages[0].extract_text().splitlines()] == expected + expected
    assert pdf.metadata.title == "\n".join(expected)


def test_unknown_block_type_is_refused(branding):
    with pytest.raises(TypeError, match="str"):
        render_docx(Document(Metadata("x"), ("inte ett block",)), branding)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(), other=st.text(), title=st.text())
def test_any_text_renders_and_reopens(branding, text, other, title):
    doc = Document(
        Metadata(title or "x", author=other, subject=text),
        (
            Heading(1, S(text)),
            Paragraph((Span(text, bold=True), Span(other, break_before=True))),
            Table(rows=((S(text), S(other)),), header=(S(other), S(text))),
            FieldGrid(((Field(text, S(other)),),)),
            Signature(((text, other),)),
        ),
        RunningHeader(lines=(S(text),), kind=other, later_lines=(S(other),)),
        marking=text or None,
    )
    word = docx.Document(io.BytesIO(render_docx(doc, branding)))
    # Nothing printable is lost or added; a tab becomes a space, other control characters are dropped or become
    # line breaks (documents.text.clean).
    kept = lambda s: "".join(c for c in s.replace("\t", " ") if c.isprintable())  # noqa: E731
    heading, paragraph, signature = [p for p in word.paragraphs if p.style.name != "Tabellavstånd"]
    assert heading.style.name == "Heading 1" and kept(heading.text) == kept(text)
    assert kept(paragraph.text) == kept(text) + kept(other)
    assert kept(signature.text) == " " + kept(text) + kept(other)  # the signature line is a tab
    assert kept(word.tables[0].rows[-1].cells[0].text) == kept(text)  # no header row when the header is empty
    assert kept(word.tables[1].rows[0].cells[0].text) == kept(text) + kept(other)
    assert len(word.core_properties.title) <= 255
    assert kept(text) in kept(word.sections[0].first_page_header.tables[0].rows[0].cells[0].text)


# --- as printed by LibreOffice -------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_header_page_numbers_and_the_agenda(branding, tmp_path):
    (tmp_path / "tjansteskrivelse.docx").write_bytes(render_docx(tjansteskrivelse(MARKING), branding))
    (tmp_path / "kallelse.docx").write_bytes(render_docx(kallelse(), branding))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "tjansteskrivelse.docx"), str(tmp_path / "kallelse.docx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pages = [page.extract_text() for page in PdfReader(tmp_path / "tjansteskrivelse.pdf").pages]
    assert len(pages) == 2
    assert all(MARKING in page and "TJÄNSTESKRIVELSE" in page for page in pages)
    assert "1 (2)" in pages[0] and "2 (2)" in pages[1]
    assert "Vår beteckning SOCN/2023:16" not in pages[0] and "Vår beteckning SOCN/2023:16" in pages[1]
    [agenda] = [page.extract_text() for page in PdfReader(tmp_path / "kallelse.pdf").pages]
    assert "1 (1)" in agenda and "KALLELSE" in agenda
    for title, beteckning in AGENDA:
        assert title in agenda and beteckning in agenda


def test_logo_from_branding_is_in_the_first_page_header_only(tmp_path):
    import io as _io
    from docx import Document as _Word
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.markup import parse_document
    from nämndtool.documents.render_docx import render_docx
    png = tmp_path / "logo.png"
    from PIL import Image
    Image.new("RGB", (120, 40), "#005a8c").save(png)
    settings = tmp_path / "branding.toml"
    settings.write_text('[organisation]\nlogo = "logo.png"\n')
    doc = parse_document("<document title='t'><header kind='KALLELSE'><line>Socialnämnden</line></header>"
                         "<p>Text</p></document>")
    word = _Word(_io.BytesIO(render_docx(doc, load_branding(settings))))
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert "graphicData" in section.first_page_header._element.xml
    assert "graphicData" not in section.header._element.xml
