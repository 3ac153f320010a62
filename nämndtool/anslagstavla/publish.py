"""Publishing the notice that a protokoll is justerat on the kommun's digital anslagstavla (KL 8 kap. 9–12 §§).

The day the notice goes up is the anslag: it is recorded in the register (``operations.protokoll.record_anslag``)
in the same transaction that writes the folder, so a refused or failed publication records nothing. Every date
comes from ``justering.deadlines``. Every file passes the secrecy gate before it is written: the public protokoll
through ``documents.service.render_bytes``, the page, the index, the feed and the manifest through
``folder.checked_write``; the page and the PDF are recorded as public outputs of the meeting (``offentliggorande``),
so sealing an ärende later can say where to withdraw them.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from nämndtool.anslagstavla import folder as tavla
from nämndtool.anslagstavla import render
from nämndtool.dates import long_date
from nämndtool.errors import NamndtoolError
from nämndtool.justering import Deadlines, deadline_warnings, deadlines

PAGE_PUBLICATION = "Anslag om justerat protokoll (anslagstavlan)"


@dataclass(frozen=True)
class Published:
    key: str
    page: Path
    pdf: Path
    anslag_upp: dt.date
    deadlines: Deadlines
    recorded: bool            # the anslag was recorded in the register now
    warnings: list[str]


def publish(store, meeting_id: int, folder: Path, *, today: dt.date | None = None, branding=None,
            base_url: str | None = None) -> Published:
    """Put the notice of the meeting's justerat protokoll up in ``folder`` (again: the same files, when it is up).

    Rules: the protokoll is justerat; the anslag is recorded today, unless one is recorded already: then it is
    published with that date only when that is today or the notice is up in this folder with that date.
    ``base_url``: the folder's address on the web, kept for the feed's links (given once is enough)."""
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import protokoll_document
    from nämndtool.documents.service import publication_of, render_bytes, save_rendered
    from nämndtool.operations.protokoll import record_anslag

    today = today or dt.date.today()
    folder = Path(folder)
    meeting = store.meeting(meeting_id)
    what = f"{render.genitive(meeting['organ'])} protokoll {meeting['datum']}"
    if not store.is_justerat(meeting_id):
        raise NamndtoolError(f"{what[0].upper()}{what[1:]} är inte justerat. Anslaget sätts upp först när "
                             "protokollet är justerat: registrera justeringen och publicera sedan.")
    protokoll = store.protokoll(meeting_id)
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    forvaringsplats = (protokoll["forvaringsplats"] or namnd["forvaltning"] or "").strip()
    if not forvaringsplats:
        raise NamndtoolError(f"Det står inte var {what} förvaras, och anslaget måste ange det. Ange nämndens "
                             "förvaltning (namndtool init --forvaltning) och publicera igen.")
    key = tavla.notice_key(meeting["namnd_kod"], meeting["organ"], meeting["datum"])
    justerad = dt.date.fromisoformat(protokoll["justerad"])
    held = dt.date.fromisoformat(meeting["datum"])
    branding = branding or load_branding()

    with tavla.locked(folder), store.write():
        manifest = tavla.read_manifest(folder) or tavla.Manifest(namnd["kommun"] or namnd["namn"], None, [], [])
        if base_url:
            manifest.base_url = base_url.strip()
        existing = manifest.find(key)
        if existing is not None and existing["sammantrade_id"] != meeting_id:
            raise NamndtoolError(f"I {folder} finns redan ett anslag för {meeting['organ']} {meeting['datum']} "
                                 "från ett annat register. Publicera varje register på sin egen anslagstavla.")
        upp = _anslag_day(protokoll["anslag_datum"], existing, today, what, folder)
        record = protokoll["anslag_datum"] is None
        if record:
            warnings = record_anslag(store, meeting_id, upp, today=today).warnings
        else:
            warnings = deadline_warnings(held, justerad, upp, today)
        due = deadlines(held, justerad, upp)

        document = protokoll_document(store, meeting_id, public=True)
        pdf = render_bytes(document, "pdf", branding)
        facts = document.scope.facts
        entry = {
            "nyckel": key, "sammantrade_id": meeting_id, "namnd": namnd["namn"], "namnd_kod": meeting["namnd_kod"],
            "organ": meeting["organ"],
            "rubrik": f"Justerat protokoll: {meeting['organ']} {long_date(meeting['datum'])}",
            "sammantradesdatum": meeting["datum"], "justeringsdatum": justerad.isoformat(),
            "anslag_upp": upp.isoformat(), "anslag_ned": due.anslag_ned_tidigast.isoformat(),
            "overklagande_till": due.overklagande_till.isoformat(), "forvaringsplats": forvaringsplats,
            "sida": tavla.page_name(key), "pdf": tavla.pdf_name(key),
            "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        }
        page = render.notice_page(entry, manifest.kommun, len(pdf))
        manifest.up = [a for a in manifest.up if a["nyckel"] != key] + [entry]

        # The notice's files first, then the manifest that names them, then the lists made from it.
        save_rendered(store, publication_of(document, pdf), pdf, folder / entry["pdf"])
        tavla.checked_write(folder, entry["sida"], page, "html", facts, entry["rubrik"])
        store.record_publication(PAGE_PUBLICATION, str(folder / entry["sida"]),
                                 sha256=hashlib.sha256(page).hexdigest(), meeting_id=meeting_id)
        tavla.write_lists(folder, manifest, today, facts)
    return Published(key, folder / entry["sida"], folder / entry["pdf"], upp, due, record, warnings)


def _anslag_day(recorded: str | None, existing: dict | None, today: dt.date, what: str, folder: Path) -> dt.date:
    """The day the notice went up: today for a new one; the recorded day when that is today or the notice is up
    here with it (publishing again); the folder's day when a stopped run put it up before it was recorded."""
    if recorded is None:
        return dt.date.fromisoformat(existing["anslag_upp"]) if existing else today
    if recorded == today.isoformat() or (existing is not None and existing["anslag_upp"] == recorded):
        return dt.date.fromisoformat(recorded)
    raise NamndtoolError(
        f"Anslaget om {what} är registrerat som uppsatt {recorded}, men det finns inte med det datumet på "
        f"anslagstavlan i {folder}. Ett anslag som sätts upp i dag kan inte få datumet {recorded}: "
        "överklagandetiden räknas från den dag anslaget faktiskt sattes upp. Publicera i den mapp där anslaget "
        "sattes upp, eller rätta anslagsdatumet i registret om det skrevs in fel."
    )
