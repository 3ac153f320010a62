"""Producing documents as files: the one place that picks a renderer, renders and checks a public output (a single
document here, the meeting pack in ``pack.build_pack``, which renders its parts with ``render_checked`` and passes
the whole pack through ``release``) and writes atomically."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from nämndtool.atomic import write_atomic
from nämndtool.documents.branding import Branding
from nämndtool.documents.model import Document
from nämndtool.documents.public_check import refuse_personnummer
from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.secrecy import gate
from nämndtool.store import Store

FORMATS = ("pdf", "docx")


def render_preview(document: Document, fmt: str, branding: Branding) -> bytes:
    """The document as PDF or DOCX for showing on screen in the program; never for sending or publishing."""
    if fmt == "pdf":
        from nämndtool.documents.render_pdf import render_pdf
        return render_pdf(document, branding)
    if fmt == "docx":
        from nämndtool.documents.render_docx import render_docx
        return render_docx(document, branding)
    raise NamndtoolError(f"Okänt format {fmt!r}: välj pdf eller docx.")


def render_checked(document: Document, fmt: str, branding: Branding, *, parts=None) -> bytes:
    """The document as PDF or DOCX; a public version is refused when its text shows a personnummer. Not yet free to
    leave the program: the whole public output it becomes part of passes ``release`` last. ``parts``: a
    ``part_cache.DiskParts`` where a PDF made from the same content is kept (the pack's parts)."""
    refuse_personnummer(document)
    if parts is None or fmt != "pdf":
        return render_preview(document, fmt, branding)
    from nämndtool.documents.part_cache import document_key

    key = document_key(document, branding)
    data = parts.get(key)
    if data is None:
        data = render_preview(document, fmt, branding)
        parts.put(key, data)
    return data


def release(data: bytes, fmt: str, title: str, facts) -> bytes:
    """The last step of every public output: its finished bytes are read back by the secrecy gate and refused
    (``GateError``) if they hold a secret or a personnummer; otherwise returned as they are."""
    gate.check(data, fmt, title, facts)
    return data


def render_bytes(document: Document, fmt: str, branding: Branding) -> bytes:
    """The document as PDF or DOCX, ready to leave the program; a public version has passed ``release``."""
    data = render_checked(document, fmt, branding)
    if document.public:
        release(data, fmt, document.metadata.title, _scope(document).facts)
    return data


def write_document(document: Document, fmt: str, out: Path, branding: Branding) -> None:
    """Render and write atomically; a public version is recorded with where it went."""
    write_rendered(document, render_bytes(document, fmt, branding), out)


def write_rendered(document: Document, data: bytes, out: Path) -> None:
    """Write ``data``, which ``render_bytes`` made of ``document``, atomically; a public version is recorded with
    where it went (through the document's own store: for callers on the store's thread)."""
    publication = publication_of(document, data)
    save_rendered(publication.store if publication else None, publication, data, out)


@dataclass(frozen=True)
class Publication:
    """What is recorded when a public document leaves the program: so that when an ärende is made secret later
    the secretary is told where to withdraw it. Plain data, so another thread's connection can record it."""
    title: str
    sha256: str
    meeting_id: int | None
    arende_id: int | None
    store: object = field(default=None, compare=False, repr=False)


def publication_of(document: Document, data: bytes) -> Publication | None:
    """The record for a public document rendered as ``data``; None for an internal one (nothing is recorded)."""
    if not document.public:
        return None
    scope = _scope(document)
    return Publication(document.metadata.title, hashlib.sha256(data).hexdigest(), scope.meeting_id, scope.arende_id,
                       scope.store)


def save_rendered(store: Store | None, publication: Publication | None, data: bytes, out: Path) -> Path:
    """Write ``data`` atomically to ``out`` and, for a public document, record where it went in ``store``."""
    write_atomic(out, data)
    if publication is not None:
        store.record_publication(publication.title, str(out), sha256=publication.sha256,
                                 meeting_id=publication.meeting_id, arende_id=publication.arende_id)
    return out


def _scope(document: Document):
    if document.scope is None:
        raise NamndtoolError(
            f"Den offentliga versionen av ”{document.metadata.title}” kan inte kontrolleras (den saknar uppgift om "
            "vad den gäller) och skapas därför inte. Kontakta support."
        )
    return document.scope


def arende_of_item(store: Store, meeting_id: int, nr: int) -> int:
    """The ärende behind agenda item ``nr`` of a meeting (reaches ärenden without a diary number too)."""
    item = next((i for i in store.agenda(meeting_id) if i["nr"] == nr), None)
    if item is None:
        raise NotFoundError(f"Sammanträdet {meeting_id} har ingen punkt {nr} på dagordningen.")
    if item["arende_id"] is None:
        raise NotFoundError(f"Punkt {nr} ({item['rubrik']}) har inget ärende och därför ingen tjänsteskrivelse.")
    return item["arende_id"]
