"""Reading produced documents back, for the document tests."""

import io

from docx import Document as WordDocument
from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) for every bookmark, in order."""
    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, then every table cell paragraph."""
    doc = WordDocument(io.BytesIO(data))
    found = [(p.style.name, p.text) for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [(p.style.name, p.text) for p in cell.paragraphs]
    return found


def docx_text(data: bytes) -> str:
    doc = WordDocument(io.BytesIO(data))
    parts = [text for _, text in docx_paragraphs(data)]
    for section in doc.sections:
        for part in (section.header, section.first_page_header):
            parts += [p.text for p in part.paragraphs]
            for table in part.tables:
                parts += [c.text for row in table.rows for c in row.cells]
    props = doc.core_properties
    parts += [props.title or "", props.subject or "", props.author or "", props.keywords or ""]
    return "\n".join(parts)


def flat(text: str) -> str:
    """Whitespace and line breaks collapsed, so wrapped lines compare as one."""
    return " ".join(text.split())
