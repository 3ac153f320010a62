"""Issue 14: every PDF the program writes from its own templates is tagged and passes PDF/UA-1 and PDF/A-2a in an
independent validator (page-validation, a Rust checker that passes the veraPDF corpus), with zero failed rules;
and the structure a screen reader follows is there: headings, lists, tables with header cells, the language,
the title shown in the title bar, the logo's alternative text, running headers and footers as artifacts."""

import datetime as dt
import io
import struct
import zlib

import page
import pikepdf

from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.model import (
    Document, Heading, ListBlock, Metadata, Paragraph, RunningHeader, Span, Table,
)
from nämndtool.documents.protokoll import forsattsblad_document, protokoll_document, utdrag_document
from nämndtool.documents.registry import delegationsbeslut_document, diary_extract_document, meddelanden_document
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.documents.templates import render_template
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document

BRANDING = load_branding()


def failures(pdf: bytes, profile: str) -> list[str]:
    report = page.validate_pdf_bytes(pdf, profile=profile)
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


def documents(store, meeting_id) -> dict[str, Document]:
    """One of each document type the program writes from its own templates, public and internal where both exist."""
    namnd_id = store.namnd_by_kod(store.meeting(meeting_id)["namnd_kod"])["id"]
    agenda = store.agenda(meeting_id)
    arenden = [i["arende_id"] for i in agenda if i["arende_id"] and store.tjansteskrivelse(i["arende_id"])]
    paragrafer = store.protokoll(meeting_id)["paragrafer"]
    with_recipient = next(p for p in paragrafer if p["mottagare"] and not p["sekretess"])
    recipient = with_recipient["mottagare"][0]["namn"]
    docs = {
        "kallelse offentlig": kallelse_document(store, meeting_id, True),
        "kallelse intern": kallelse_document(store, meeting_id, False),
        "protokoll offentligt": protokoll_document(store, meeting_id, public=True),
        "protokoll internt": protokoll_document(store, meeting_id, public=False),
        "utdrag": utdrag_document(store, meeting_id, with_recipient["nr"], recipient,
                                  bestyrkt_datum=dt.date(2023, 3, 2)),
        "försättsblad": forsattsblad_document(store, meeting_id, with_recipient["nr"], recipient),
        "diarieutdrag offentligt": diary_extract_document(store, namnd_id, "2022-01-01", "2023-12-31", True),
        "diarieutdrag internt": diary_extract_document(store, namnd_id, "2022-01-01", "2023-12-31", False),
        "meddelanden": meddelanden_document(store, meeting_id, BRANDING),
        "delegationsbeslut offentlig": delegationsbeslut_document(store, meeting_id, True, BRANDING),
        "delegationsbeslut intern": delegationsbeslut_document(store, meeting_id, False, BRANDING),
        "bilaga saknas": render_template("bilaga_saknas.xml", titel="Statistik januari", namnd="Socialnämnden",
                                         orsak="Filen finns inte.", filnamn="statistik.pdf", public=True,
                                         marking=None),
    }
    docs["tjänsteskrivelse"] = tjansteskrivelse_document(store, arenden[0], BRANDING).document
    for arende_id in arenden[1:]:
        docs[f"tjänsteskrivelse {arende_id}"] = tjansteskrivelse_document(store, arende_id, BRANDING).document
    return docs


def test_every_document_type_passes_pdf_ua_1_and_pdf_a_2a(justerat):
    store, meeting_id = justerat
    failed = {}
    for name, document in documents(store, meeting_id).items():
        pdf = render_pdf(document, BRANDING)
        for profile in ("ua1", "2a"):
            if problems := failures(pdf, profile):
                failed[f"{name} ({profile})"] = problems
    assert failed == {}


def test_the_protokoll_stored_at_justering_is_archival(justerat):
    store, meeting_id = justerat
    stored = store.file_path(store.protokoll(meeting_id)["justerad_pdf_sha256"]).read_bytes()
    assert failures(stored, "2a") == [] and failures(stored, "ua1") == []
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"].startswith("Protokoll")
        assert "Socialnämnden" in meta["dc:creator"]
        assert meta["xmp:CreateDate"].startswith("2023-03-01")   # the day it was justerat
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "A"


# --- the structure a screen reader follows ---------------------------------------------------------------------


def structure(pdf: bytes) -> list[str]:
    """The structure element types in reading order."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        def walk(node):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                found.append(str(node.S)[1:])
                if "/K" in node:
                    walk(node.K)
        walk(doc.Root.StructTreeRoot.K)
    return found


def t(text: str) -> tuple[Span, ...]:
    return (Span(text),)


def test_headings_lists_and_tables_are_tagged_as_such():
    doc = Document(
        metadata=Metadata(title="Kallelse Socialnämnden", author="Socialnämnden"),
        header=RunningHeader(lines=(t("Socialnämnden"), t("Katrineholms kommun")), kind="KALLELSE"),
        blocks=(Heading(1, t("Kallelse")), Heading(3, t("Föredragningslista")),   # a skipped level is mended
                ListBlock((t("Ett"), t("Två")), ordered=True),
                Table(header=(t("Nr"), t("Ärende")), rows=((t("1"), t("Upprop")),)),
                Paragraph(t("Slut."))),
    )
    pdf = render_pdf(doc, BRANDING)
    tags = structure(pdf)
    assert tags.index("H1") < tags.index("H2") < tags.index("L") < tags.index("Table")
    assert "H3" not in tags and tags.count("LI") == 2 and tags.count("TH") == 2 and "TD" in tags
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert str(opened.Root.Lang) == "sv-SE"
        assert opened.Root.ViewerPreferences.DisplayDocTitle
        assert opened.Root.MarkInfo.Marked
        assert str(opened.docinfo.Title) == "Kallelse Socialnämnden"


def test_running_header_and_footer_are_artifacts_not_content():
    doc = Document(metadata=Metadata(title="Prov"), marking="SEKRETESS 26 kap. 1 § OSL",
                   header=RunningHeader(lines=(t("Socialnämnden"),), kind="KALLELSE", signature_box="Justerandes signatur"),
                   blocks=(Heading(1, t("Rubrik")), Paragraph(t("Brödtext."))))
    pdf = render_pdf(doc, BRANDING)
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        content = b"".join(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(p)) for p in opened.pages)
    # The header and the footer (marking, signature box) are pagination artifacts; the body is marked content
    # of its structure elements.
    assert b"/Artifact << /Attached [ /Top ] /Subtype /Header" in content
    assert b"/Subtype /Footer" in content
    assert b"/MCID 0" in content
    assert failures(pdf, "ua1") == []


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x00\x5a\x8c" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_the_logo_has_alternative_text_and_the_pdf_stays_valid(tmp_path):
    (tmp_path / "logo.png").write_bytes(_png(40, 20))
    (tmp_path / "profil.toml").write_text('[organisation]\nkommun = "Katrineholms kommun"\nlogo = "logo.png"\n',
                                          encoding="utf-8")
    branding = load_branding(tmp_path / "profil.toml")
    doc = Document(metadata=Metadata(title="Prov"), header=RunningHeader(lines=(t("Socialnämnden"),)),
                   blocks=(Heading(1, t("Rubrik")),))
    pdf = render_pdf(doc, branding)
    assert b"Logotyp Katrineholms kommun" in pdf or "Logotyp Katrineholms kommun" in _alt_texts(pdf)
    assert failures(pdf, "ua1") == [] and failures(pdf, "2a") == []


def _alt_texts(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [str(o.Alt) for o in doc.objects if isinstance(o, pikepdf.Dictionary) and "/Alt" in o]


def test_a_character_no_font_can_draw_is_a_visible_mark_not_a_failure():
    doc = Document(metadata=Metadata(title="Prov"), header=RunningHeader(),
                   blocks=(Heading(1, t("Rubrik")), Paragraph(t("Namn: ঀ ᚠ slut"))))
    pdf = render_pdf(doc, BRANDING)
    assert failures(pdf, "2a") == []
    from pypdf import PdfReader
    assert "Namn: \ufffd \ufffd slut" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

