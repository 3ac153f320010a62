"""The PDF renderer, read back with pypdf: text, page furniture, metadata, fonts, and robustness to any text."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
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
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.errors import NamndtoolError


def t(text: str, **emphasis) -> tuple[Span, ...]:
    return (Span(text, **emphasis),)


@pytest.fixture(scope="module")
def branding(tmp_path_factory) -> Branding:
    # A path that does not exist: the shipped defaults, whatever the user's own settings say.
    return load_branding(tmp_path_factory.mktemp("branding") / "none.toml")


def make_doc(*blocks, header=None, marking=None, metadata=None) -> Document:
    return Document(
        metadata=metadata or Metadata(title="Provdokument"),
        blocks=tuple(blocks),
        header=header or RunningHeader(lines=(t("Socialförvaltningen", bold=True),), kind="TJÄNSTESKRIVELSE"),
        marking=marking,
    )


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------------------------------------------------------
# Realistic documents, also rendered to /tmp/render_pdf_samples by test_samples_render


def tjansteskrivelse() -> Document:
    return Document(
        metadata=Metadata(
            title="Rapportering av ej verkställda gynnande beslut",
            author="Julia Lindberg",
            subject="Tjänsteskrivelse SOCN/2022:26",
        ),
        header=RunningHeader(
            lines=(t("Socialförvaltningen", bold=True), t("Stab")),
            kind="TJÄNSTESKRIVELSE",
            later_lines=(t("Datum 2023-02-13"), t("Vår beteckning SOCN/2022:26")),
        ),
        blocks=(
            FieldGrid(
                rows=(
                    (
                        Field("Datum", t("2023-02-13")),
                        Field("Vår beteckning", t("SOCN/2022:26 - 1.2.7 - Återkoppla till förtroendevalda")),
                    ),
                    (Field("Ert datum", ()), Field("Er beteckning", ())),
                    (Field("Mottagare", t("Socialnämnden")),),
                    (
                        Field("Vår handläggare", t("Julia Lindberg")),
                        Field(
                            "Handläggare telefon / e-post",
                            (Span("0150-570 00"), Span("julia.lindberg@katrineholm.se", break_before=True)),
                        ),
                    ),
                )
            ),
            Heading(1, t("Rapportering av ej verkställda gynnande beslut enligt SoL och LSS, kvartal 4 2022")),
            Heading(2, t("Förvaltningens förslag till beslut")),
            ListBlock(
                items=(
                    t("Socialnämnden godkänner rapporteringen av ej verkställda gynnande beslut för kvartal 4 2022."),
                    t("Socialnämnden överlämnar rapporten till kommunfullmäktige och revisorerna för kännedom."),
                ),
                ordered=True,
            ),
            Heading(2, t("Sammanfattning av ärendet")),
            Paragraph(
                t(
                    "Socialnämnden ska enligt 16 kap. 6 f § socialtjänstlagen (SoL) och 28 f § lagen om stöd och "
                    "service till vissa funktionshindrade (LSS) rapportera gynnande beslut som inte har verkställts "
                    "inom tre månader från beslutsdatum till Inspektionen för vård och omsorg (IVO)."
                )
            ),
            Paragraph(
                (
                    Span("Under kvartal 4 2022 har "),
                    Span("sju", bold=True),
                    Span(" beslut rapporterats. Av dessa avser fyra bistånd i form av kontaktperson och tre "
                         "bistånd i form av stödfamilj. Orsaken är i samtliga fall "),
                    Span("brist på lämpliga uppdragstagare", italic=True),
                    Span("."),
                )
            ),  # fmt: skip
            Table(
                header=(t("Insats"), t("Lagrum"), t("Antal"), t("Äldsta beslut")),
                rows=(
                    (t("Kontaktperson"), t("SoL 4 kap. 1 §"), t("4"), t("2022-03-15")),
                    (t("Stödfamilj"), t("SoL 4 kap. 1 §"), t("2"), t("2022-05-02")),
                    (t("Korttidsvistelse utanför det egna hemmet"), t("LSS 9 § 6"), t("1"), t("2022-07-21")),
                ),
                widths=(5, 3, 1.4, 2.6),
            ),
            Paragraph(t("Uppgifterna är avidentifierade enligt 26 kap. 1 § OSL."), style="note"),
            Heading(2, t("Ärendets handlingar")),
            ListBlock(
                items=(
                    t("Rapport ej verkställda beslut kvartal 4 2022"),
                    t("Statistikrapport ej verkställda beslut 2022-12-31"),
                ),
                ordered=False,
            ),
            Signature(signers=(("Marie Lundqvist", "T.f. förvaltningschef"), ("Julia Lindberg", "Utredare"))),
            Paragraph((Span("Beslutet skickas till:", bold=True), Span("Kommunfullmäktige, revisorerna, akten",
                                                                        break_before=True))),
        ),
    )  # fmt: skip


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
    return Document(
        metadata=Metadata(title="Kallelse socialnämnden 2023-02-22", author="Socialnämnden", subject="Kallelse"),
        header=RunningHeader(lines=(t("Socialnämnden", bold=True),), kind="KALLELSE"),
        blocks=(
            FieldGrid(
                rows=(
                    (Field("Sammanträdesdatum", t("2023-02-22")), Field("Tid", t("13:15"))),
                    (Field("Plats", t("Sammanträdesrummet Ormen, Stadshuset, Drottninggatan 5, Katrineholm")),),
                )
            ),
            Heading(1, t("Kallelse till socialnämndens sammanträde")),
            Paragraph(
                t(
                    "Ledamöterna kallas till sammanträde. Ersättare som inte tjänstgör kallas för kännedom. "
                    "Förhinder anmäls till nämndsekreteraren senast dagen före sammanträdet."
                )
            ),
            Table(
                header=(t("Nr"), t("Ärende"), t("Beteckning")),
                rows=tuple(
                    (t(str(n)), t(title), t(number, bold=number == "Sekretess"))
                    for n, (title, number) in enumerate(AGENDA, start=1)
                ),
                widths=(1, 9, 3),
            ),
            Signature(signers=(("Martin Edgélius (M)", "Ordförande"),)),
            Paragraph(t("Handlingarna finns på kommunens webbplats: https://www.katrineholm.se/politik/"), "small"),
        ),
    )


# ---------------------------------------------------------------------------------------------------------------


def test_every_block_type_comes_out_in_order(branding):
    doc = make_doc(
        FieldGrid(rows=((Field("Datum", t("2023-02-13")), Field("Vår beteckning", t("SOCN/2023:16"))),)),
        Heading(1, t("Titeln på ärendet")),
        Heading(2, t("Förslag till beslut")),
        ListBlock(items=(t("Första punkten"), t("Andra punkten")), ordered=True),
        Heading(3, t("Underrubrik")),
        Paragraph((Span("Vanlig "), Span("fet", bold=True), Span(" och "), Span("kursiv", italic=True))),
        Paragraph((Span("Rad ett"), Span("Rad två", break_before=True))),
        Paragraph(t("En anteckning"), style="note"),
        Paragraph(t("Liten text"), style="small"),
        ListBlock(items=(t("Punkt A"), t("Punkt B")), ordered=False),
        Table(header=(t("Kolumn ett"), t("Kolumn två")), rows=((t("Cell A1"), t("Cell A2")),), style="plain"),
        Signature(signers=(("Marie Lundqvist", "Förvaltningschef"),)),
        PageBreak(),
        Paragraph(t("Efter sidbrytningen")),
    )
    pages = pages_text(render_pdf(doc, branding))
    assert len(pages) == 2
    assert "Efter sidbrytningen" in pages[1] and "Efter sidbrytningen" not in pages[0]
    text = flat(" ".join(pages))
    expected = [
        "Datum", "2023-02-13", "Vår beteckning", "SOCN/2023:16", "Titeln på ärendet", "Förslag till beslut",
        "1.", "Första punkten", "2.", "Andra punkten", "Underrubrik", "Vanlig fet och kursiv", "Rad ett",
        "Rad två", "En anteckning", "Liten text", "Punkt A", "Punkt B", "Kolumn ett", "Kolumn två", "Cell A1",
        "Cell A2", "Marie Lundqvist", "Förvaltningschef", "Efter sidbrytningen",
    ]  # fmt: skip
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} missing or out of order after {text[position - 40:position]!r}"
        position = found + len(piece)


def test_break_before_starts_a_new_line(branding):
    text = pages_text(render_pdf(make_doc(Paragraph((Span("Rad ett"), Span("Rad två", break_before=True)))), branding))
    assert re.search(r"Rad ett\s*\n\s*Rad två", text[0])


def test_page_numbers_count_the_whole_document(branding):
    one = pages_text(render_pdf(make_doc(Paragraph(t("Kort"))), branding))
    assert len(one) == 1 and "1 (1)" in one[0]
    two = pages_text(render_pdf(make_doc(Paragraph(t("Ett")), PageBreak(), Paragraph(t("Två"))), branding))
    assert len(two) == 2
    assert "1 (2)" in two[0] and "2 (2)" in two[1]


def test_no_page_numbers_when_the_header_says_so(branding):
    header = RunningHeader(lines=(t("Socialförvaltningen"),), kind="KALLELSE", page_numbers=False)
    (text,) = pages_text(render_pdf(make_doc(Paragraph(t("Kort")), header=header), branding))
    assert "KALLELSE" in text and "1 (1)" not in text


def test_header_kind_on_every_page_and_later_lines_only_after_the_first(branding):
    header = RunningHeader(
        lines=(t("Socialförvaltningen", bold=True), t("Stab")),
        kind="TJÄNSTESKRIVELSE",
        later_lines=(t("Vår beteckning SOCN/2023:16"),),
    )
    blocks = [Paragraph(t(f"Stycke {n} " + "text " * 60)) for n in range(40)]
    pages = pages_text(render_pdf(make_doc(*blocks, header=header), branding))
    assert len(pages) >= 3
    for page in pages:
        assert "TJÄNSTESKRIVELSE" in page and "Socialförvaltningen" in page and "Stab" in page
    assert "SOCN/2023:16" not in pages[0]
    assert all("SOCN/2023:16" in page for page in pages[1:])
    assert all(f"{n} ({len(pages)})" in page for n, page in enumerate(pages, start=1))


def test_marking_on_every_page_in_header_and_footer(branding):
    marking = "SEKRETESS 26 kap. 1 § OSL"
    blocks = [Paragraph(t("text " * 80)) for _ in range(30)]
    pages = pages_text(render_pdf(make_doc(*blocks, marking=marking), branding))
    assert len(pages) >= 2
    for page in pages:
        assert flat(page).count(marking) == 2


def test_metadata_and_language(branding):
    metadata = Metadata(title="Nämndens plan med budget", author="Julia Lindberg", subject="Tjänsteskrivelse")
    reader = PdfReader(io.BytesIO(render_pdf(make_doc(Paragraph(t("x")), metadata=metadata), branding)))
    info = reader.metadata
    assert info.title == "Nämndens plan med budget"
    assert info.author == "Julia Lindberg"
    assert info.subject == "Tjänsteskrivelse"
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]   # the title, not the file name


def test_every_font_is_embedded(branding):
    pdf = render_pdf(tjansteskrivelse(), branding)
    assert not re.search(rb"/BaseFont\s*/Helvetica", pdf)
    reader = PdfReader(io.BytesIO(pdf))
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    for font in fonts:
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
        assert "/FontFile2" in descriptor, font["/BaseFont"]
    assert {str(font["/BaseFont"]).split("+")[-1] for font in fonts} >= {"DejaVuSans", "DejaVuSans-Bold",
                                                                          "DejaVuSans-Oblique"}  # fmt: skip


def test_names_survive_text_extraction(branding):
    names = "Łukasz Şahin Edgélius åäö ÅÄÖ"
    pdf = render_pdf(
        make_doc(
            Heading(1, t(names)),
            Paragraph(t(names, italic=True)),
            Paragraph(t(names, bold=True, italic=True)),
            Table(rows=((t(names),),)),
            Signature(signers=((names, None),)),
        ),
        branding,
    )
    assert flat(pages_text(pdf)[0]).count(names) == 5


def test_markup_in_user_text_is_printed_literally(branding):
    nasty = "<b>&</i> &amp; <br/> <font color=red>x</font> 😀 \x00\x07 slut"
    header = RunningHeader(lines=(t("<i>Förvaltning & Co</i>"),), kind="A < B")
    pdf = render_pdf(
        make_doc(
            Heading(1, t(nasty)),
            Paragraph(t(nasty, bold=True)),
            Table(rows=((t(nasty), t("&lt;")),)),
            FieldGrid(rows=((Field("<Datum>", t(nasty)),),)),
            Signature(signers=((nasty, nasty),)),
            header=header,
            marking="<SEKRETESS & co>",
        ),
        branding,
    )
    text = flat(pages_text(pdf)[0])
    # A narrow cell may wrap the text anywhere, so it is counted with the white space taken out.
    assert re.sub(r"\s+", "", text).count("<b>&</i>&amp;<br/><fontcolor=red>x</font>") == 6
    for literal in ("<i>Förvaltning & Co</i>", "A < B", "&lt;", "<Datum>", "<SEKRETESS & co>"):
        assert literal in text


def test_long_table_splits_with_the_header_repeated(branding):
    table = Table(
        header=(t("Nr"), t("Ärende"), t("Beteckning")),
        rows=tuple((t(str(n)), t(f"Ärende nummer {n}"), t(f"SOCN/2023:{n}")) for n in range(1, 201)),
        widths=(1, 9, 3),
    )
    pages = pages_text(render_pdf(make_doc(table), branding))
    assert len(pages) > 3
    for page in pages:
        assert re.search(r"Nr\s*Ärende\s*Beteckning", page)
    text = flat(" ".join(pages))
    assert all(f"Ärende nummer {n} SOCN/2023:{n}" in text for n in (1, 100, 200))


def test_long_words_and_huge_cells_wrap_instead_of_overflowing(branding):
    url = "https://www.katrineholm.se/" + "mycket-lang-adress/" * 12
    mail = "förnamn.efternamn." * 6 + "@katrineholm.se"
    huge = " ".join(f"ord{n}" for n in range(2500))  # taller than a page in a single cell
    pdf = render_pdf(
        make_doc(
            Heading(1, t("Titel " * 40)),
            Table(rows=((t("1"), t(url), t(mail)),), widths=(1, 9, 3)),
            Table(rows=((t("1"), t(huge)),), widths=(1, 9)),
            FieldGrid(rows=((Field("Vår beteckning", t(url)), Field("E-post", t(mail))),)),
        ),
        branding,
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = "".join(re.sub(r"\s+", "", page.extract_text()) for page in reader.pages)
    assert url in text and mail in text and "ord2499" in text


def test_empty_field_value_keeps_its_label(branding):
    grid = FieldGrid(rows=((Field("Ert datum", ()), Field("Er beteckning", t(""))), (Field("Datum", t("2023-02-13")),)))
    text = flat(pages_text(render_pdf(make_doc(grid), branding))[0])
    assert "Ert datum" in text and "Er beteckning" in text and "2023-02-13" in text


def test_empty_blocks_do_not_fail(branding):
    doc = make_doc(
        Paragraph(()), ListBlock((), ordered=True), Table(rows=()), Table(rows=((), (t("x"),))), FieldGrid(rows=()),
        Signature(signers=()), Heading(7, t("Djup rubrik")),
    )  # fmt: skip
    assert "Djup rubrik" in pages_text(render_pdf(doc, branding))[0]
    assert [page.strip() for page in pages_text(render_pdf(Document(Metadata(title=""), ()), branding))] == ["1 (1)"]


def test_output_is_deterministic(branding):
    assert render_pdf(tjansteskrivelse(), branding) == render_pdf(tjansteskrivelse(), branding)


def test_unknown_block_type_is_an_error(branding):
    with pytest.raises(TypeError):
        render_pdf(make_doc("inte ett block"), branding)


def png(width: int, height: int) -> bytes:
    """A small PNG, solid blue, made by hand so the test needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x5a\x8c" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def with_logo(branding: Branding, directory: Path, data: bytes) -> Branding:
    (directory / "logo.png").write_bytes(data)
    organisation = {**branding.values["organisation"], "logo": "logo.png"}
    return Branding({**branding.values, "organisation": organisation}, directory)


def test_logo_on_first_page_only(branding, tmp_path):
    own = with_logo(branding, tmp_path, png(120, 40))
    pdf = render_pdf(make_doc(Paragraph(t("Ett")), PageBreak(), Paragraph(t("Två"))), own)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages[0].images) == 1 and not pages[1].images
    assert "Socialförvaltningen" in pages[0].extract_text()


def test_unreadable_logo_is_a_swedish_error(branding, tmp_path):
    with pytest.raises(NamndtoolError, match="Logotypen"):
        render_pdf(make_doc(Paragraph(t("Ett"))), with_logo(branding, tmp_path, b"inte en bild"))


inline = st.lists(st.builds(Span, st.text(), st.booleans(), st.booleans(), st.booleans()), max_size=4).map(tuple)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(), spans=inline, title=st.text(), marking=st.one_of(st.none(), st.text()))
def test_any_text_renders(branding, text, spans, title, marking):
    doc = Document(
        metadata=Metadata(title=title, author=text, subject=text),
        header=RunningHeader(lines=(spans, t(text)), kind=text, later_lines=(spans,)),
        marking=marking,
        blocks=(
            Heading(1, spans),
            Heading(2, t(text)),
            Paragraph(t(text)),
            Paragraph(spans, style="note"),
            ListBlock(items=(spans, t(text)), ordered=True),
            Table(header=(t(text), spans), rows=((spans, t(text)),), widths=(1, 2)),
            FieldGrid(rows=((Field(text, spans), Field(text, ())),)),
            Signature(signers=((text, text), (text, None))),
        ),
    )
    assert render_pdf(doc, branding).startswith(b"%PDF")


SAMPLES = Path("/tmp/render_pdf_samples")


@pytest.mark.parametrize("name", ["tjansteskrivelse", "kallelse", "tjansteskrivelse_sekretess_logo"])
def test_samples_render(branding, tmp_path, name):
    """The realistic documents render; they are also written out for a person to look at."""
    if name == "tjansteskrivelse_sekretess_logo":
        doc = tjansteskrivelse()
        doc = Document(doc.metadata, doc.blocks, doc.header, marking="SEKRETESS 26 kap. 1 § OSL", public=False)
        branding = with_logo(branding, tmp_path, png(160, 48))
    else:
        doc = globals()[name]()
    pdf = render_pdf(doc, branding)
    SAMPLES.mkdir(exist_ok=True)
    (SAMPLES / f"{name}.pdf").write_bytes(pdf)
    text = flat(" ".join(pages_text(pdf)))
    assert doc.metadata.title.split()[0] in text
