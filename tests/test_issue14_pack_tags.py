"""Issue 14, point 3: the meeting pack keeps its generated parts tagged, its bookmarks, title and language.

Two documents rendered by the real renderer (tagged PDF/UA-1) and an untagged bilaga made with reportlab go through
pdfmerge.assemble, the function the pack uses; the result is read back with pikepdf (structure tree, parent tree,
content streams), pypdf (outline, text) and the independent validator page-validation.
"""

import io
from pathlib import Path

import page
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from nämndtool.documents.branding import load_branding
from nämndtool.documents.model import Document, Heading, ListBlock, Metadata, PageBreak, Paragraph, RunningHeader
from nämndtool.documents.model import Span, Table
from nämndtool.documents.pdfmerge import Bookmark, Stamp, assemble
from nämndtool.documents.render_pdf import render_pdf

TITLE = "Handlingar Socialnämnden 2024-03-12"
MARKING = "SEKRETESS 26 kap. 1 § OSL"


def t(text: str, **emphasis) -> tuple[Span, ...]:
    return (Span(text, **emphasis),)


def document(title: str, kind: str, h1: str, h2: str) -> Document:
    """Two pages: a heading, text, a table with a header row, a list; a page break; a second heading."""
    return Document(
        metadata=Metadata(title=title, author="Socialförvaltningen"),
        header=RunningHeader(lines=(t("Socialförvaltningen", bold=True),), kind=kind),
        blocks=(
            Heading(1, t(h1)),
            Paragraph(t("Nämnden sammanträder i Stora salen.")),
            Table(header=(t("Punkt"), t("Ärende")), rows=((t("1"), t("Upprop")), (t("2"), t("Budget 2025")))),
            ListBlock((t("Åtgärd ett"), t("Åtgärd två")), ordered=False),
            PageBreak(),
            Heading(2, t(h2)),
            Paragraph(t("Förvaltningen föreslår att nämnden godkänner uppföljningen.")),
        ),
    )


def untagged_bilaga() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, "Statistikrapport februari (inskannad bilaga utan taggar)")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> dict[str, bytes]:
    branding = load_branding(Path(tmp_path_factory.mktemp("branding")) / "none.toml")  # the shipped defaults
    return {
        "kallelse": render_pdf(document("Kallelse Socialnämnden", "KALLELSE", "Kallelse till sammanträde",
                                        "Föredragningslista"), branding),
        "tjänsteskrivelse": render_pdf(document("Ekonomisk uppföljning", "TJÄNSTESKRIVELSE",
                                                "Ekonomisk uppföljning februari", "Förslag till beslut"), branding),
        "bilaga": untagged_bilaga(),
    }


def pages_of(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def make_pack(pdfs: list[bytes]) -> bytes:
    """As pack.build_pack calls it: a bookmark per part, a stamp on every page (the internal pack's marking)."""
    bookmarks, stamps, first = [], [], 0
    for number, pdf in enumerate(pdfs):
        bookmarks.append(Bookmark(f"Del {number + 1}", first, None))
        first += pages_of(pdf)
    stamps = [Stamp(n, MARKING) for n in range(first)]
    return assemble(pdfs, bookmarks, stamps,
                    metadata={"/Title": TITLE, "/Author": "Socialförvaltningen", "/Creator": "Nämndtool"},
                    language="sv-SE", footer=TITLE)


@pytest.fixture(scope="module")
def mixed(parts) -> bytes:
    return make_pack([parts["kallelse"], parts["tjänsteskrivelse"], parts["bilaga"]])


def kids(element) -> list:
    k = element.get(Name.K)
    return [] if k is None else list(k) if isinstance(k, Array) else [k]


def elements(element):
    """The structure elements under element, depth first, in order."""
    for kid in kids(element):
        if isinstance(kid, Dictionary) and Name.S in kid:
            yield kid
            yield from elements(kid)


def part_of(element) -> pikepdf.Object:
    while element.get(Name.S) != Name.Part:
        element = element[Name.P]
    return element


def mcids(pdf: pikepdf.Pdf, page_number: int) -> list[int]:
    """The marked-content IDs on a page's content stream, in order."""
    found = []
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[page_number]):
        if operator == pikepdf.Operator("BDC") and isinstance(operands[1], Dictionary) and Name.MCID in operands[1]:
            found.append(int(operands[1][Name.MCID]))
    return found


def marks(element) -> set[int]:
    """The MCIDs an element marks directly (integers and marked-content references in its /K)."""
    found = set()
    for kid in kids(element):
        if isinstance(kid, int):
            found.add(int(kid))
        elif isinstance(kid, Dictionary) and kid.get(Name.Type) == Name.MCR:
            found.add(int(kid[Name.MCID]))
    return found


def test_structure_tree_holds_each_tagged_part_in_page_order(mixed):
    with pikepdf.open(io.BytesIO(mixed)) as pdf:
        root = pdf.Root.StructTreeRoot
        (document_element,) = kids(root)
        assert document_element.S == Name.Document
        part_elements = kids(document_element)
        assert [p.S for p in part_elements] == [Name.Part, Name.Part]   # the untagged bilaga adds none
        assert [str(p.T) for p in part_elements] == ["Kallelse Socialnämnden", "Ekonomisk uppföljning"]
        headings = [[(str(e.S), str(e.T)) for e in elements(p) if str(e.S) in ("/H1", "/H2")] for p in part_elements]
        assert headings == [[("/H1", "Kallelse till sammanträde"), ("/H2", "Föredragningslista")],
                            [("/H1", "Ekonomisk uppföljning februari"), ("/H2", "Förslag till beslut")]]
        # each part's elements mark the pages the part was copied to: kallelse 1–2, tjänsteskrivelse 3–4
        page_index = {p.objgen: n for n, p in enumerate(pdf.pages)}
        for part, pages in zip(part_elements, ({0, 1}, {2, 3})):
            marked = {page_index[e.Pg.objgen] for e in elements(part) if Name.Pg in e}
            assert marked == pages
        assert all(str(e.S) != "/Document" for p in part_elements for e in elements(p))


def test_parent_tree_keys_are_unique_and_resolve_to_the_right_part(mixed):
    with pikepdf.open(io.BytesIO(mixed)) as pdf:
        root = pdf.Root.StructTreeRoot
        parent_tree = pikepdf.NumberTree(root.ParentTree)
        part_elements = kids(kids(root)[0])
        keys = [p.obj.get(Name.StructParents) for p in pdf.pages]
        assert keys[4] is None                                     # the untagged bilaga's page
        tagged = [int(k) for k in keys[:4]]
        assert len(set(tagged)) == 4
        assert int(root.ParentTreeNextKey) > max(parent_tree.keys())
        for number, key in enumerate(tagged):
            owner = part_elements[0] if number < 2 else part_elements[1]
            row = parent_tree[key]
            on_page = mcids(pdf, number)
            assert on_page, f"sida {number + 1} saknar taggat innehåll"
            for mcid in on_page:
                element = row[mcid]
                assert mcid in marks(element)
                assert element.Pg.objgen == pdf.pages[number].objgen
                assert part_of(element).objgen == owner.objgen


def test_table_header_ids_stay_unique_and_point_into_their_own_part(mixed):
    with pikepdf.open(io.BytesIO(mixed)) as pdf:
        root = pdf.Root.StructTreeRoot
        ids = dict(pikepdf.NameTree(root.IDTree).items())
        assert len(ids) == 4                                       # two TH cells in each part, none lost
        for part in kids(kids(root)[0]):
            cells = [e for e in elements(part) if e.S == Name.TD]
            assert cells
            for cell in cells:
                for attribute in (cell.A if isinstance(cell.A, Array) else [cell.A]):
                    for header in attribute.get(Name.Headers, []):
                        target = ids[str(header)]
                        assert target.S == Name.TH
                        assert part_of(target).objgen == part.objgen


def test_catalog_and_metadata_give_language_title_and_tagging(mixed):
    with pikepdf.open(io.BytesIO(mixed)) as pdf:
        assert str(pdf.Root.Lang) == "sv-SE"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.docinfo.Title) == TITLE
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == TITLE
        # one part is not accessible, so the pack does not claim PDF/UA-1
        assert "pdfuaid:part" not in xmp
    outline = PdfReader(io.BytesIO(mixed)).outline
    assert [item.title for item in outline] == ["Del 1", "Del 2", "Del 3"]


def test_stamp_is_an_artifact_on_every_page(mixed):
    with pikepdf.open(io.BytesIO(mixed)) as pdf:
        for number, page_ in enumerate(pdf.pages):
            stamp_names = {str(k) for k in page_.Resources.XObject.keys() if str(k).startswith("/NtStamp")}
            assert stamp_names, f"sida {number + 1} saknar stämpel"
            stack, drawn = [], 0
            for operands, operator in pikepdf.parse_content_stream(page_):
                op = str(operator)
                if op in ("BMC", "BDC"):
                    stack.append(str(operands[0]))
                elif op == "EMC":
                    stack.pop()
                elif op == "Do" and str(operands[0]) in stamp_names:
                    assert stack and stack[-1] == "/Artifact", f"sidan {number + 1}: stämpeln ritas utanför /Artifact"
                    drawn += 1
            assert drawn == 1 and not stack
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(mixed)).pages]
    assert all(f"sida {n} (5)" in text and MARKING in text for n, text in enumerate(texts, 1))


def test_pack_of_generated_parts_passes_pdf_ua_1(parts):
    pack = make_pack([parts["kallelse"], parts["tjänsteskrivelse"]])
    report = page.validate_pdf_bytes(pack, profile="ua1")
    assert not report.failures, [str(f) for f in report.failures]
    assert report.is_compliant
    with pikepdf.open(io.BytesIO(pack)) as pdf:
        assert str(pdf.open_metadata()["pdfuaid:part"]) == "1"


def tagged_with_link(pdf: bytes) -> bytes:
    """A tagged part with a link annotation, as an accessible bilaga has: a /Link element marking the annotation
    through an OBJR, reached from the parent tree under the annotation's /StructParent."""
    with pikepdf.open(io.BytesIO(pdf)) as source:
        root = source.Root.StructTreeRoot
        key = int(root.ParentTreeNextKey)
        first = source.pages[0]
        annotation = source.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=[72, 72, 200, 90], Border=[0, 0, 0], StructParent=key,
            Contents=pikepdf.String("Nämndens webbplats"),
            A=Dictionary(S=Name.URI, URI=pikepdf.String("https://example.se/namnd"))))
        first.obj[Name.Annots] = Array([annotation])
        top = kids(root)[0]
        link = source.make_indirect(Dictionary(
            Type=Name.StructElem, S=Name.Link, P=top, Pg=first.obj,
            K=Array([Dictionary(Type=Name.OBJR, Obj=annotation, Pg=first.obj)])))
        top.K.append(link)
        pikepdf.NumberTree(root.ParentTree)[key] = link
        root.ParentTreeNextKey = key + 1
        out = io.BytesIO()
        source.save(out)
        return out.getvalue()


def test_annotation_parent_keys_are_moved_with_their_part(parts):
    pack = make_pack([parts["kallelse"], tagged_with_link(parts["tjänsteskrivelse"])])
    with pikepdf.open(io.BytesIO(pack)) as pdf:
        root = pdf.Root.StructTreeRoot
        parent_tree = pikepdf.NumberTree(root.ParentTree)
        (annotation,) = pdf.pages[2].Annots
        key = int(annotation.StructParent)
        page_keys = {int(p.StructParents) for p in pdf.pages}
        assert key not in page_keys and key < int(root.ParentTreeNextKey)
        link = parent_tree[key]
        assert link.S == Name.Link
        assert link.K[0].Obj.objgen == annotation.objgen
        assert part_of(link).objgen == kids(kids(root)[0])[1].objgen


def test_page_keys_of_a_part_without_structure_tree_are_dropped(parts):
    """A file whose pages carry /StructParents but that has no structure tree (a broken export) is copied as
    untagged: its stale keys would otherwise point into another part's elements."""
    with pikepdf.open(io.BytesIO(parts["tjänsteskrivelse"])) as source:
        del source.Root[Name.StructTreeRoot]
        out = io.BytesIO()
        source.save(out)
    pack = make_pack([parts["kallelse"], out.getvalue()])
    with pikepdf.open(io.BytesIO(pack)) as pdf:
        assert [p.obj.get(Name.StructParents) for p in pdf.pages[2:]] == [None, None]
        assert len(kids(kids(pdf.Root.StructTreeRoot)[0])) == 1
