"""Putting PDF pieces together into one file: pages in order, bookmarks, a stamp on every page, metadata.

Everything that touches PDF internals for the pack is here, so the PDF library can be swapped on measured figures
(see benchmarks/) without touching the pack's logic.
"""

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from nämndtool.assets import resource

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
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_texts(pdf: bytes) -> list[str]:
    """The extracted text of each page (empty where extraction fails)."""
    texts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # noqa: BLE001 — a page whose text cannot be read has nothing to scan
            texts.append("")
    return texts


def _stamp_overlay(sizes: list[tuple[float, float]], stamps: list[Stamp], footer: str) -> PdfReader:
    """One overlay page per page of the pack: "footer · sida n (N)" at the bottom, the marking at the top."""
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
    return PdfReader(io.BytesIO(buffer.getvalue()))


def assemble(pdfs: list[bytes], bookmarks: list[Bookmark], stamps: list[Stamp], *, metadata: dict,
             language: str, footer: str) -> bytes:
    writer = PdfWriter()
    for pdf in pdfs:
        for page in PdfReader(io.BytesIO(pdf)).pages:
            added = writer.add_page(page)
            if added.get("/Rotate"):
                added.transfer_rotation_to_content()
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    overlay = _stamp_overlay(sizes, stamps, footer)
    for page, stamp_page in zip(writer.pages, overlay.pages):
        page.merge_page(stamp_page, over=True)
    outline = {}
    for bookmark in bookmarks:
        parent = outline.get(id(bookmark.parent)) if bookmark.parent else None
        outline[id(bookmark)] = writer.add_outline_item(title=bookmark.title, page_number=bookmark.page, parent=parent)
    writer.add_metadata(metadata)
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
