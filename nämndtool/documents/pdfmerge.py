"""Putting PDF pieces together into one file: pages in order, bookmarks, a stamp on every page, metadata.

Everything that touches PDF internals for the pack is here, so the PDF library can be swapped on measured figures
(see benchmarks/pack_benchmark.py and BENCHMARKS.md) without touching the pack's logic.

Pages are copied and stamped with pikepdf (qpdf, C++), measured several times faster than pypdf for the same work.
A source page's content is left as it is: it is wrapped in q … Q and the stamp, one small form XObject per page, is
drawn over it, turned to match the page's /Rotate so that it reads upright where the page is shown. Text is read
with PDFium (pypdfium2), which pikepdf cannot do.
"""

import io
from dataclasses import dataclass

import pikepdf
import pypdfium2
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from nämndtool.assets import resource
from nämndtool.pdfium import LOCK as PDFIUM

STAMP_FONT = "NamndtoolStamp"
STAMP_FONT_BOLD = "NamndtoolStampBold"


@dataclass
class Bookmark:
    title: str
    page: int                     # 0-based page index in the assembled file
    parent: "Bookmark | None"


@dataclass
class Stamp:
    page: int
    marking: str | None           # secrecy marking for this page, or None


def _register_fonts() -> None:
    if STAMP_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(STAMP_FONT, io.BytesIO(resource("fonts", "DejaVuSans.ttf").read_bytes())))
        pdfmetrics.registerFont(TTFont(STAMP_FONT_BOLD, io.BytesIO(resource("fonts", "DejaVuSans-Bold.ttf").read_bytes())))


def page_count(pdf: bytes) -> int:
    with Pdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def page_texts(pdf: bytes) -> list[str]:
    """The extracted text of each page (empty where extraction fails), read with PDFium: the personnummer scan of
    a public pack reads every bilaga page, and pypdf's pure-Python extraction took most of the pack's time."""
    with PDFIUM:
        return _page_texts(pdf)


def _page_texts(pdf: bytes) -> list[str]:
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError:
        return []
    texts = []
    try:
        for page in document:
            try:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
            except pypdfium2.PdfiumError:
                texts.append("")
            finally:
                page.close()
    finally:
        document.close()
    return texts


@dataclass
class _Placement:
    """Where a page shows: its visible box and its /Rotate, as the reader sees the page."""

    box: tuple[float, float, float, float]   # the crop box, x0 y0 x1 y1 in the page's own space
    rotate: int                              # 0, 90, 180 or 270 (clockwise, as /Rotate)

    @property
    def shown_size(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        return (x1 - x0, y1 - y0) if self.rotate in (0, 180) else (y1 - y0, x1 - x0)

    def matrix(self) -> tuple[float, ...]:
        """From the upright stamp's space (origin bottom left as shown) to the page's own space."""
        x0, y0, x1, y1 = self.box
        return {0: (1, 0, 0, 1, x0, y0), 90: (0, 1, -1, 0, x1, y0),
                180: (-1, 0, 0, -1, x1, y1), 270: (0, -1, 1, 0, x0, y1)}[self.rotate]


def _placement(page: pikepdf.Page) -> _Placement:
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    rotate = int(page.obj.get(Name.Rotate, 0)) % 360
    return _Placement((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), rotate - rotate % 90)


def _add_pages(pdfs: list[bytes]) -> tuple[Pdf, list[Pdf]]:
    out = Pdf.new()
    sources = [Pdf.open(io.BytesIO(pdf)) for pdf in pdfs]
    for source in sources:
        out.pages.extend(source.pages)
    return out, sources


def _stamp_overlay(sizes: list[tuple[float, float]], stamps: list[Stamp], footer: str) -> bytes:
    """One overlay page per page of the pack, upright as shown: "footer · sida n (N)" at the bottom, the marking
    at the top. One reportlab canvas for all pages."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    total = len(sizes)
    for (width, height), stamp in zip(sizes, stamps):
        canvas.setPageSize((width, height))
        canvas.setFont(STAMP_FONT, 7.5)
        canvas.setFillColor(HexColor("#555555"))
        canvas.drawCentredString(width / 2, 14, f"{footer} · sida {stamp.page + 1} ({total})")
        if stamp.marking:
            canvas.setFont(STAMP_FONT_BOLD, 10)
            canvas.setFillColor(HexColor("#b00020"))
            canvas.drawCentredString(width / 2, height - 16, stamp.marking)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _own_resources(page: pikepdf.Page) -> tuple[Dictionary, Dictionary]:
    """A /Resources and /XObject of the page's own: pages copied from one file often share one dictionary."""
    resources = page.obj.get(Name.Resources)
    own = Dictionary({key: resources[key] for key in resources.keys()}) if resources is not None else Dictionary()
    xobjects = own.get(Name.XObject)
    own_x = Dictionary({key: xobjects[key] for key in xobjects.keys()}) if xobjects is not None else Dictionary()
    own[Name.XObject] = own_x
    page.obj[Name.Resources] = own
    return own, own_x


def _stamp(out: Pdf, placements: list[_Placement], overlay: bytes) -> None:
    """Draw overlay page n over page n: the page's own content in q … Q, then the stamp as a form XObject."""
    with Pdf.open(io.BytesIO(overlay)) as stamps:
        forms = stamps.make_indirect(Array([page.as_form_xobject() for page in stamps.pages]))
        copied = out.copy_foreign(forms)
    for page, placement, form in zip(out.pages, placements, copied):
        _, xobjects = _own_resources(page)
        name, n = "/NtStamp", 0
        while name in xobjects:
            n += 1
            name = f"/NtStamp{n}"
        xobjects[name] = form
        matrix = " ".join(f"{v:g}" for v in placement.matrix())
        page.contents_add(out.make_stream(b"q\n"), prepend=True)
        page.contents_add(out.make_stream(f"\nQ\nq {matrix} cm {name} Do Q\n".encode()))


def _outline(out: Pdf, bookmarks: list[Bookmark]) -> None:
    items: dict[int, OutlineItem] = {}
    with out.open_outline() as outline:
        for bookmark in bookmarks:
            item = OutlineItem(bookmark.title, bookmark.page)
            items[id(bookmark)] = item
            parent = items.get(id(bookmark.parent)) if bookmark.parent else None
            (parent.children if parent else outline.root).append(item)


def _write(out: Pdf) -> bytes:
    """No object streams: the outline, metadata and every page's objects stay readable in the file as written."""
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def assemble(pdfs: list[bytes], bookmarks: list[Bookmark], stamps: list[Stamp], *, metadata: dict,
             language: str, footer: str) -> bytes:
    out, sources = _add_pages(pdfs)
    try:
        placements = [_placement(page) for page in out.pages]
        _stamp(out, placements, _stamp_overlay([p.shown_size for p in placements], stamps, footer))
        _outline(out, bookmarks)
        for key, value in metadata.items():
            out.docinfo[Name(key)] = value
        out.Root[Name.Lang] = pikepdf.String(language)
        out.Root[Name.PageMode] = Name.UseOutlines
        return _write(out)
    finally:
        for source in sources:
            source.close()
        out.close()
