"""The pypdf implementation of nämndtool.documents.pdfmerge, as the product had it before the switch to pikepdf.

Kept here only so that pack_benchmark.py can measure both libraries on the same inputs in the same run
(``--backend pypdf``). The operations are those of the former product module, unchanged; they are only split into
the same named steps as the product module (_add_pages, _stamp_overlay, _stamp, _outline, _write) so that the
profile breakdown can name them. The product keeps one implementation: nämndtool/documents/pdfmerge.py.
"""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from nämndtool.documents.pdfmerge import STAMP_FONT, STAMP_FONT_BOLD, Bookmark, Stamp, _register_fonts

__all__ = ["Bookmark", "Stamp", "assemble", "page_count", "page_texts"]


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


def _add_pages(pdfs: list[bytes]) -> PdfWriter:
    writer = PdfWriter()
    for pdf in pdfs:
        for page in PdfReader(io.BytesIO(pdf)).pages:
            added = writer.add_page(page)
            if added.get("/Rotate"):
                added.transfer_rotation_to_content()
    return writer


def _stamp(writer: PdfWriter, overlay: PdfReader) -> None:
    for page, stamp_page in zip(writer.pages, overlay.pages):
        page.merge_page(stamp_page, over=True)


def _outline(writer: PdfWriter, bookmarks: list[Bookmark]) -> None:
    outline = {}
    for bookmark in bookmarks:
        parent = outline.get(id(bookmark.parent)) if bookmark.parent else None
        outline[id(bookmark)] = writer.add_outline_item(title=bookmark.title, page_number=bookmark.page, parent=parent)


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def assemble(pdfs: list[bytes], bookmarks: list[Bookmark], stamps: list[Stamp], *, metadata: dict,
             language: str, footer: str) -> bytes:
    writer = _add_pages(pdfs)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    _stamp(writer, _stamp_overlay(sizes, stamps, footer))
    _outline(writer, bookmarks)
    writer.add_metadata(metadata)
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    writer.page_mode = "/UseOutlines"
    return _write(writer)
