"""Producing documents as files: the one place that picks a renderer and writes atomically."""

from pathlib import Path

from nämndtool.atomic import write_atomic
from nämndtool.documents.branding import Branding
from nämndtool.documents.model import Document
from nämndtool.documents.public_check import refuse_personnummer
from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.store import Store

FORMATS = ("pdf", "docx")


def render_bytes(document: Document, fmt: str, branding: Branding) -> bytes:
    """The document as PDF or DOCX. A public document with a personnummer-shaped string is refused."""
    refuse_personnummer(document)
    if fmt == "pdf":
        from nämndtool.documents.render_pdf import render_pdf
        return render_pdf(document, branding)
    if fmt == "docx":
        from nämndtool.documents.render_docx import render_docx
        return render_docx(document, branding)
    raise NamndtoolError(f"Okänt format {fmt!r}: välj pdf eller docx.")


def write_document(document: Document, fmt: str, out: Path, branding: Branding) -> None:
    write_atomic(out, render_bytes(document, fmt, branding))


def arende_of_item(store: Store, meeting_id: int, nr: int) -> int:
    """The ärende behind agenda item ``nr`` of a meeting (reaches ärenden without a diary number too)."""
    item = next((i for i in store.agenda(meeting_id) if i["nr"] == nr), None)
    if item is None:
        raise NotFoundError(f"Sammanträdet {meeting_id} har ingen punkt {nr} på dagordningen.")
    if item["arende_id"] is None:
        raise NotFoundError(f"Punkt {nr} ({item['rubrik']}) har inget ärende och därför ingen tjänsteskrivelse.")
    return item["arende_id"]
