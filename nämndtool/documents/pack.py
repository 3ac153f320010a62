"""The meeting pack (handlingar): one PDF with the kallelse, a table of contents, and for each agenda item in
order its tjänsteskrivelse followed by its bilagor; a bookmark per item and per bilaga, a running page number on
every page.

The public pack leaves secret items out entirely: no text, no bookmark, no file name, no metadata. The internal
pack has everything, with the secrecy marking on every page of a secret item. Each part is rendered and checked
by ``service.render_checked`` and the whole public pack passes ``service.release`` (the secrecy gate) last, as a
single document does in ``service.render_bytes``.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nämndtool.atomic import write_atomic
from nämndtool.documents import part_cache, service
from nämndtool.documents.branding import Branding, genitive
from nämndtool.documents.convert import WORD_SUFFIXES, libreoffice, word_to_pdf
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.model import Document
from nämndtool.documents.pdfmerge import Bookmark, Stamp, assemble, page_count
from nämndtool.documents.registry import (delegationsbeslut_document, delegationsbeslut_for_meeting,
                                          meddelanden_document, meddelanden_period)
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.documents.templates import render_template
from nämndtool.documents.tjansteskrivelse import comparable_title
from nämndtool.documents.tjansteskrivelse import handlingar_mismatch, tjansteskrivelse_document
from nämndtool.errors import NamndtoolError
from nämndtool.secrecy import examined, gate
from nämndtool.secrecy.content import secret_windows_anywhere
from nämndtool.secrecy.facts import Scope, with_listed_pages
from nämndtool.secrecy.labels import INTERNAL_MARKING_SHORT, safe_title
from nämndtool.secrecy.labels import secret_marking as marking_for
from nämndtool.store import Store
from nämndtool.store.files import examined_copy, keep_safe_copy
from nämndtool.store.register import bilaga_refusal

Progress = Callable[[int, int, str], None]


class Cancelled(NamndtoolError):
    def __init__(self):
        super().__init__("Skapandet av handlingarna avbröts. Ingen fil har skrivits.")


@dataclass
class Part:
    """One piece of the pack: a PDF, its bookmark text and level (0 = item, 1 = bilaga)."""

    pdf: bytes
    title: str
    level: int
    marking: str | None = None   # stamped on every page (internal pack, secret item)
    bilaga: str | None = None    # the bilaga's title
    pages: int = 0
    osl_list: bool = False       # a Meddelanden or delegationsbeslut list made from the diary (OSL 5 kap. 2 §)
    examination: object = None   # a public bilaga's made-safe copy: what the gate read from it (secrecy.examined)


@dataclass
class PackResult:
    pdf: bytes
    warnings: list[str] = field(default_factory=list)
    left_out: int = 0                                   # secret items not in a public pack
    meeting_id: int = 0
    public: bool = False
    listed_pages: set[int] = field(default_factory=set)   # pages (1-based) of the OSL 5:2 lists in the pack


@dataclass
class _Item:
    heading: str
    parts: list[Part]


class PartCache:
    """Rendered tjänsteskrivelser and prepared bilagor, shared by the public and the internal pack; with ``disk``
    (``part_cache.DiskParts``, what ``build_pack`` uses when given no cache) every rendered part and made-safe bilaga
    is also kept on disk by content, so a pack built again renders only what changed."""

    def __init__(self, disk: part_cache.DiskParts | None = None):
        self.parts: dict[tuple, tuple] = {}
        self.disk = disk
        self.copies: part_cache.SafeCopies | None = None   # the made-safe bilagor kept beside the store

    def get(self, key: tuple, make: Callable[[], tuple]) -> tuple:
        if key not in self.parts:
            self.parts[key] = make()
        return self.parts[key]


def _is_tabled(item: dict) -> bool:
    """ "handlingarna dukas": the papers are handed out at the meeting, so the pack has none for the item."""
    return "dukas" in (item["anteckning"] or "").casefold()


def build_pack(
    store: Store, meeting_id: int, public: bool, branding: Branding, *, cache: PartCache | None = None,
    progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False,
) -> PackResult:
    cache = cache or PartCache(part_cache.for_store(store))
    meeting = store.meeting(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    agenda = store.agenda(meeting_id)
    included = [i for i in agenda if not (public and i["sekretess"])]
    result = PackResult(b"", left_out=len(agenda) - len(included), meeting_id=meeting_id, public=public)
    marking = None if public or not any(i["sekretess"] for i in agenda) else INTERNAL_MARKING_SHORT
    scope = Scope(store, meeting_id=meeting_id, osl_lists=True)

    items: list[_Item] = []
    for step, item in enumerate(included, 1):
        if cancelled():
            raise Cancelled()
        if progress:
            progress(step, len(included) + 2, f"Punkt {item['nr']}: {safe_title(item['rubrik'], item['sekretess'])}")
        if _is_tabled(item):
            continue
        parts = _item_parts(store, meeting_id, item, public, branding, namnd["namn"], cache, result.warnings, scope)
        if parts:
            items.append(_Item(f"{item['nr']}. {item['rubrik']}", parts))

    kallelse = _render_public_checked(kallelse_document(store, meeting_id, public), branding, cache)
    if progress:
        progress(len(included) + 1, len(included) + 2, "Innehållsförteckning och sidnummer")
    titel = f"Handlingar {meeting['organ']} {meeting['datum']}"
    toc = _table_of_contents(titel, namnd, meeting, items, page_count(kallelse), public, marking, branding, cache)
    parts = [Part(kallelse, "Kallelse", 0), Part(toc, "Innehåll", 0)]
    for item in items:
        parts += item.parts
    bookmarks, stamps = _bookmarks_and_stamps(parts, items)
    result.listed_pages = _listed_pages(parts)
    if cancelled():
        raise Cancelled()
    result.pdf = assemble(
        [p.pdf for p in parts], bookmarks, stamps,
        metadata={"/Title": titel, "/Author": namnd["forvaltning"] or namnd["namn"],
                  "/Subject": f"Kallelse med handlingar, {meeting['organ']} {meeting['datum']}",
                  "/Creator": "Nämndtool"},
        language="sv-SE", footer=titel,
    )
    if public:
        service.release(result.pdf, "pdf", titel,
                        gate.pack_facts(with_listed_pages(scope.facts, result.listed_pages),
                                        [(p.pdf, p.examination) for p in parts], scope.facts, cache.disk))
    if progress:
        progress(len(included) + 2, len(included) + 2, "Klart")
    return result


def write_pack(store: Store, result: PackResult, out: Path) -> None:
    """Write a built pack atomically; a public one is recorded with where it went."""
    write_atomic(out, result.pdf)
    if result.public:
        store.record_publication("Handlingar (offentlig version)", str(out),
                                 sha256=hashlib.sha256(result.pdf).hexdigest(), meeting_id=result.meeting_id)


def _render_public_checked(document: Document, branding: Branding, cache: PartCache | None = None) -> bytes:
    """A part of the pack, rendered and checked as every document is; the gate reads the whole pack at the end.
    With a disk cache, a part made from the same content before is taken from it (the check still runs)."""
    return service.render_checked(document, "pdf", branding, parts=cache.disk if cache else None)


def _generated(store, meeting_id, item, public, branding, cache) -> bytes | None:
    """The Meddelanden and Anmälan av delegationsbeslut lists made from the registry, for an item whose ärende has
    no tjänsteskrivelse of its own (an imported or written one is kept), and only when the registry has something
    to report: with nothing registered the pack invents no "Redovisning av 0 beslut"."""
    title = item["rubrik"].casefold()
    meeting = store.meeting(meeting_id)
    if title.startswith("meddelanden"):
        fran, till = meddelanden_period(store, meeting_id)
        if not store.diary_entries(meeting["namnd_id"], fran, till, riktning="in"):
            return None
        return _render_public_checked(meddelanden_document(store, meeting_id, branding), branding, cache)
    if title.startswith("anmälan av delegationsbeslut"):
        if not delegationsbeslut_for_meeting(store, meeting_id):
            return None
        return _render_public_checked(delegationsbeslut_document(store, meeting_id, public, branding), branding,
                                      cache)
    return None


def _item_parts(store, meeting_id, item, public, branding, namnd, cache, warnings, scope) -> list[Part]:
    """The item's tjänsteskrivelse (or the list the registry makes for a Meddelanden or delegationsbeslut item
    without one), then every bilaga of its ärende."""
    arende_id = item["arende_id"]
    has_tjansteskrivelse = (arende_id is not None
                            and store.tjansteskrivelse_as_decided(meeting_id, arende_id) is not None)
    parts = []
    if not has_tjansteskrivelse:
        generated = _generated(store, meeting_id, item, public, branding, cache)
        if generated is not None:
            parts.append(Part(generated, f"{item['nr']}. {item['rubrik']}", 0, osl_list=True))
    if arende_id is None:
        return parts
    secret_marking = marking_for(item["sekretess_lagrum"]) if item["sekretess"] else None
    where = f"Punkt {item['nr']} ({item['rubrik']})"
    if has_tjansteskrivelse:
        def make_ts():
            ts = tjansteskrivelse_document(store, arende_id, branding, meeting_id)
            return _render_public_checked(ts.document, branding, cache), ts.warnings
        pdf, ts_warnings = cache.get(("ts", arende_id), make_ts)
        warnings.extend(_handlingar_warnings(store, meeting_id, arende_id, where, ts_warnings))
        parts.append(Part(pdf, f"Tjänsteskrivelse: {item['nr']}. {item['rubrik']}", 0))
    for bilaga in store.bilagor_as_decided(meeting_id, arende_id):
        if public and (bilaga["sekretess"] or store.is_secret_file(bilaga["sha256"])):
            warnings.append(f"{where}: bilagan ”{bilaga['titel']}” omfattas av sekretess och är bara med i den "
                            "interna versionen. Ska en bilaga med i den offentliga versionen, registrera en version "
                            "utan de sekretessbelagda uppgifterna i ärendet och gör den till bilaga.")
            continue

        def make_bilaga(bilaga=bilaga):
            return _bilaga_pdf(store, bilaga, namnd, branding)
        pdf, bilaga_warnings, pages = cache.get(("bilaga", bilaga["sha256"], bilaga["titel"]), make_bilaga)
        examination = None
        if public:
            pdf, bilaga_warnings, pages, examination = cache.get(
                ("offentlig bilaga", bilaga["sha256"], bilaga["titel"]),
                lambda pdf=pdf, bilaga=bilaga, w=bilaga_warnings: _public_bilaga(pdf, w, bilaga, namnd, branding,
                                                                                 scope, cache))
        warnings.extend(f"{where}: {w}" for w in bilaga_warnings)
        parts.append(Part(pdf, bilaga["titel"], 1, marking=secret_marking, bilaga=bilaga["titel"], pages=pages,
                          examination=examination))
    return parts


def _handlingar_warnings(store, meeting_id, arende_id, where, ts_warnings) -> list[str]:
    """The tjänsteskrivelse's warnings, with the comparison of Ärendets handlingar and the bilagor said as what the
    secretary can do about it: a listed handling registered but not made a bilaga, one not registered at all. A
    bilaga the list does not name is in the pack anyway, so it is not worth a warning on every build (the ärende
    editor shows it, where it can be added to the list). A justerat meeting has none of these: what it decided on
    cannot change."""
    arende = store.arende_as_decided(meeting_id, arende_id)
    ts = store.tjansteskrivelse_as_decided(meeting_id, arende_id)
    bilagor = store.bilagor_as_decided(meeting_id, arende_id)
    label = arende["diarienummer"] or arende["rubrik"]
    compared = {f"{label}: {w}" for w in handlingar_mismatch(ts["handlingar"], [b["titel"] for b in bilagor])}
    kept = [w for w in ts_warnings if w not in compared]
    if not compared or store.meeting(meeting_id)["status"] == "justerat":
        return kept
    attached = {comparable_title(b["titel"]) for b in bilagor}
    registered = {comparable_title(h["beskrivning"]): bool(bilaga_refusal(h["sekretess"], True, arende["sekretess"]))
                  for h in store.handlingar(arende_id) if h["fil_sha256"] and h["bilaga_nr"] is None}
    for title in ts["handlingar"]:
        if comparable_title(title) in attached or _is_the_tjansteskrivelse(title, registered):
            continue
        if registered.get(comparable_title(title)):
            kept.append(f"{where}: ”{title}” står under Ärendets handlingar men är en handling med sekretess i ett "
                        "offentligt ärende, så den kan inte bli bilaga. Registrera en version utan de "
                        "sekretessbelagda uppgifterna och gör den till bilaga, eller ta bort raden ur Ärendets "
                        "handlingar.")
        elif comparable_title(title) in registered:
            kept.append(f"{where}: ”{title}” står under Ärendets handlingar och är registrerad i ärendet, men är "
                        "ingen bilaga och kommer därför inte med i handlingarna. Öppna ärendet, välj handlingen "
                        "under fliken Handlingar och klicka på Gör till bilaga.")
        else:
            kept.append(f"{where}: ”{title}” står under Ärendets handlingar men finns inte som bilaga i ärendet. "
                        "Registrera filen under fliken Handlingar i ärendet och gör den till bilaga, eller ta bort "
                        "raden ur Ärendets handlingar.")
    return kept


def _is_the_tjansteskrivelse(title: str, registered: dict) -> bool:
    """ "Tjänsteskrivelse, 2023-02-13" in Ärendets handlingar names the tjänsteskrivelse itself, which the pack
    has; unless a handling of the ärende bears that title (another förvaltning's, to be made a bilaga)."""
    return comparable_title(title).startswith("tjänsteskrivelse") and comparable_title(title) not in registered


def _public_bilaga(pdf: bytes, warnings: list[str], bilaga, namnd, branding, scope,
                   cache: PartCache | None = None) -> tuple[bytes, list[str], int, object]:
    """The bilaga made safe for the public pack (annotations and form fields flattened, metadata, scripts and
    attached files removed), then read by the gate on its own; a bilaga that cannot be made safe is replaced by a
    page that says so. A stored PDF was made safe and read once (``secrecy.examined``, db/018): here only the
    matching against the facts and the store's index of this moment is done, on what was read from exactly the
    made-safe bytes that go into the pack (their SHA-256 is checked). With the examination, which the final gate
    uses to read only what the pack adds to these bytes (``gate.check_pack``)."""
    examination, safe = _stored_examination(scope.store, bilaga, pdf)
    if examination is not None and examination.safe_sha256 and safe is None:
        safe = _made_safe(pdf, examination, _copies(scope.store, cache))
    if examination is None or (examination.safe_sha256 and safe is None):
        safe, refusal = examined.made_safe(pdf)   # not a stored PDF, or made safe differently now: read it here
        examination = examined.read(safe, 0) if safe is not None else examined.Examination(0, None, refusal)
    if examination.safe_sha256 is None:
        return _missing_page(bilaga, namnd, branding,
                             f"den kunde inte göras säker att publicera: {examination.refusal}")
    if secret_windows_anywhere(scope.store, examination.windows):
        return _missing_page(bilaga, namnd, branding, "den har samma innehåll som en sekretessbelagd handling")
    findings = gate.findings_in_examined(examination, scope.facts, cache.disk if cache else None)
    if findings:
        what = "; ".join(dict.fromkeys(f"{f.where}: {f.what}" for f in findings[:3]))
        return _missing_page(bilaga, namnd, branding, f"den innehåller uppgifter som inte får publiceras ({what})")
    return safe, warnings, examination.pages, examination


def _is_stored_pdf(bilaga) -> bool:
    """Whether the pack uses the stored file's own bytes (a PDF that is not damaged)."""
    return Path(bilaga["filnamn"]).suffix.lower() == ".pdf" and bilaga["skadad"] is None


def _stored_examination(store: Store, bilaga, pdf: bytes):
    """What was read from a stored PDF bilaga (db/018), and the made-safe bytes when they were made just now; read
    now and kept, with its made-safe copy, for a file stored before, or by another version of the readers. (None,
    None) when the pack does not use the stored bytes, or pikepdf cannot count its pages."""
    if not _is_stored_pdf(bilaga):
        return None, None
    examination, safe = store.examination(bilaga["sha256"]), None
    if examination is None:
        examination, safe = examined_copy(pdf)
        if examination is not None and not store.read_only:
            keep_safe_copy(store, safe)
            store.save_examination(bilaga["sha256"], examination)
    return examination, safe


def _copies(store: Store, cache: PartCache | None) -> part_cache.SafeCopies | None:
    """Where the made-safe copies of the store's PDF bilagor are kept; None for a store opened read-only."""
    if store.read_only:
        return None
    if cache is None:
        return part_cache.safe_copies(store.path)
    if cache.copies is None:
        cache.copies = part_cache.safe_copies(store.path)
    return cache.copies


def _made_safe(pdf: bytes, examination, copies: part_cache.SafeCopies | None) -> bytes | None:
    """The made-safe bytes that were examined: the copy kept when the file was examined, or made again (and kept)
    when it is missing; None if making them again gives other bytes than were examined (then they are read
    afresh)."""
    safe = copies.get(examination.safe_sha256) if copies else None
    if safe is None:
        safe, _ = examined.made_safe(pdf)
        if safe is None or hashlib.sha256(safe).hexdigest() != examination.safe_sha256:
            return None
        if copies:
            copies.put(safe)
    return safe


def _missing_page(bilaga, namnd, branding, reason: str) -> tuple[bytes, list[str], int, None]:
    page = render_pdf(render_template("bilaga_saknas.xml", titel=bilaga["titel"], namnd=namnd,
                                      orsak="den kan inte publiceras", filnamn="", public=True,
                                      marking=None), branding)
    return page, [f"Bilagan ”{bilaga['titel']}” ({bilaga['filnamn']}) är inte med i den offentliga versionen: "
                  f"{reason}. En sida säger det i stället. Byt ut den mot en version utan uppgifterna."], 0, None


def _bilaga_pdf(store, bilaga, namnd, branding) -> tuple[bytes, list[str], int]:
    """The bilaga as PDF pages, with their count when it is known (0: count them); a file that cannot be included
    becomes one page that says so."""
    name, suffix = bilaga["filnamn"], Path(bilaga["filnamn"]).suffix.lower()
    path = store.file_path(bilaga["sha256"])
    reason = None
    if suffix == ".pdf":
        reason = bilaga["skadad"]
        if reason is None:
            examination = store.examination(bilaga["sha256"])
            return path.read_bytes(), [], examination.pages if examination else 0
    elif suffix in WORD_SUFFIXES:
        converted = word_to_pdf(path, suffix)
        if converted is not None:
            return converted, [], 0
        reason = ("LibreOffice, som behövs för att omvandla Word-filer, är inte installerat" if libreoffice() is None
                  else "LibreOffice kunde inte omvandla Word-filen")
    else:
        reason = f"filtypen {suffix or '(utan filändelse)'} kan inte tas med"
    page = render_pdf(render_template("bilaga_saknas.xml", titel=bilaga["titel"], namnd=namnd, orsak=reason,
                                      filnamn=name, public=True, marking=None), branding)
    return page, [f"Bilagan ”{bilaga['titel']}” ({name}) kunde inte tas med: {reason}. En sida säger det i stället."], 0


def _table_of_contents(titel, namnd, meeting, items, kallelse_pages, public, marking, branding, cache) -> bytes:
    """The contents page. Its own length moves every page number after it, so it is rendered until stable."""
    toc_pages = 1
    while True:
        page = kallelse_pages + toc_pages + 1
        rows = []
        for item in items:
            rows.append({"niva": 0, "text": item.heading, "sida": page})
            for part in item.parts:
                if part.level == 1:
                    rows.append({"niva": 1, "text": part.title, "sida": page})
                part.pages = part.pages or page_count(part.pdf)
                page += part.pages
        document = render_template("innehall.xml", titel=titel, namnd=namnd["namn"], kommun=namnd["kommun"],
                                   organ_genitiv=genitive(meeting["organ"]),
                                   datum=meeting["datum"], rader=rows, public=public, marking=marking)
        pdf = _render_public_checked(document, branding, cache)
        if page_count(pdf) == toc_pages:
            return pdf
        toc_pages = page_count(pdf)


def _listed_pages(parts: list[Part]) -> set[int]:
    pages, page = set(), 0
    for part in parts:
        if part.osl_list:
            pages |= set(range(page + 1, page + part.pages + 1))
        page += part.pages
    return pages


def _bookmarks_and_stamps(parts: list[Part], items: list[_Item]) -> tuple[list[Bookmark], list[Stamp]]:
    bookmarks, stamps = [], []
    page = 0
    starts = {}
    for part in parts:
        part.pages = part.pages or page_count(part.pdf)
        starts[id(part)] = page
        stamps += [Stamp(page + n, part.marking) for n in range(part.pages)]
        page += part.pages
    bookmarks.append(Bookmark("Kallelse", starts[id(parts[0])], None))
    bookmarks.append(Bookmark("Innehåll", starts[id(parts[1])], None))
    for item in items:
        parent = Bookmark(item.heading, starts[id(item.parts[0])], None)
        bookmarks.append(parent)
        for part in item.parts:
            if part.level == 1:
                bookmarks.append(Bookmark(part.title, starts[id(part)], parent))
    return bookmarks, stamps
