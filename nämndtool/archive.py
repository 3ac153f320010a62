"""What the archive keeps of an ärende, read from the store (the package itself is written by nämndtool.earkiv).

Beside the handlingar the register holds, the archive carries the ärende's own upprättade handlingar as the
program writes them (PDF/A-2a, see DEVELOPERS.md "The PDF engine"): the tjänsteskrivelse as each justerat meeting
decided on it, and the protokollsutdrag of every justerat § about the ärende, filed in the akt at justering."""

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path

from nämndtool.archive_io import durable
from nämndtool.documents.branding import Branding
from nämndtool.documents.model import Document
from nämndtool.documents.protokoll import utdrag_document
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store


def archived_handlingar(store: Store, arende_id: int) -> list[dict]:
    """Every handling of the ärende, and after them every bilaga a justerat meeting decided on that the ärende no
    longer holds (a later meeting replaced it): what was decided on stays in the archive, as an upprättad handling
    dated with the meeting, secret when its file is secret anywhere."""
    handlingar = store.handlingar(arende_id)
    present = {h["fil_sha256"] for h in handlingar}
    for bilaga in store.decided_bilagor_of_arende(arende_id):
        if bilaga["sha256"] in present:
            continue
        present.add(bilaga["sha256"])
        handlingar.append({
            "id": f"beslutad:{bilaga['sha256']}", "riktning": "upprattad", "datum": bilaga["datum"], "motpart": None,
            "beskrivning": bilaga["titel"], "sekretess": int(store.is_secret_file(bilaga["sha256"])),
            "sekretess_lagrum": None, "fil_sha256": bilaga["sha256"], "filnamn": bilaga["filnamn"],
            "storlek": bilaga["storlek"]})
    return handlingar


def _as_archived(document: Document, namnd: str, date: str | None) -> Document:
    """The document as the archive keeps it: dated (its XMP and Info) and made by the nämnd, whose archive it is."""
    return replace(document, metadata=replace(document.metadata, author=namnd, date=date))


def _generated(handling_id: str, beskrivning: str, datum: str | None, secret: int, lagrum: str | None,
               filnamn: str, data: bytes) -> dict:
    """An upprättad handling the program writes for the package, with the keys of ``store.handlingar()``."""
    return {"id": handling_id, "riktning": "upprattad", "datum": datum, "motpart": None, "beskrivning": beskrivning,
            "sekretess": secret, "sekretess_lagrum": lagrum if secret else None,
            "fil_sha256": hashlib.sha256(data).hexdigest(), "filnamn": filnamn, "storlek": len(data), "data": data}


def _justerad(store: Store, meeting_id: int, paragraf: dict) -> str | None:
    """The day the § was justerad: the protokoll's justering, or the meeting's day for a § justerad at it."""
    protokoll = store.protokoll(meeting_id)
    if protokoll and protokoll["justerad"]:
        return protokoll["justerad"]
    return store.meeting(meeting_id)["datum"] if paragraf["omedelbart_justerad"] else None


# --- the akt copies ---------------------------------------------------------------------------------------------
# The tjänsteskrivelse as decided and the protokollsutdrag of each § are the ärende's own upprättade handlingar.
# They are rendered once, at the justering (file_akt_copies, in its transaction), and kept as stored files recorded
# in akt_dokument (db/020); the archive copies the recorded file. A store justerat before that has none: its first
# export renders the copies and records them, later exports copy them.


def _tjansteskrivelse_copy(store: Store, arende: dict, meeting_id: int | None, namnd: str, datum: str,
                           branding: Branding) -> bytes:
    document = tjansteskrivelse_document(store, arende["id"], branding, meeting_id).document
    return render_pdf(_as_archived(document, namnd, datum), branding)


def _utdrag_copy(store: Store, meeting_id: int, paragraf: dict, namnd: str, justerad: str,
                 branding: Branding) -> bytes:
    document = utdrag_document(store, meeting_id, paragraf["nr"], None, for_the_akt=True,
                               bestyrkt_datum=dt.date.fromisoformat(justerad))
    return render_pdf(_as_archived(document, namnd, justerad), branding)


def recorded_copy_holds(recorded: dict | None, datum: str | None, secret: int, lagrum: str | None) -> bool:
    """Whether the recorded akt copy is the one the archive keeps, rather than a new rendering.

    The copy made at justering is the archive's truth: a later change of the templates or the branding does not
    rewrite it. It is replaced (a new copy rendered and recorded beside it) only when it lacks what holds now:

    - a secrecy marking the § or ärende now has: the copy was made public (secrecy set after the justering), or
      marked with another lagrum;
    - the date it carries was corrected since (a recorded correction of the justering date).

    A copy marked secret whose secrecy was lifted later is kept: the marking was true when it was filed, and the
    package's Restriktion elements always say what holds at the export."""
    if recorded is None or recorded["datum"] != datum:
        return False
    return not secret or (recorded["sekretess"] == 1 and recorded["sekretess_lagrum"] == (lagrum or None))


def _akt_handling(handling_id: str, beskrivning: str, datum: str | None, secret: int, lagrum: str | None,
                  filnamn: str, recorded: dict | None, render, record: dict | None) -> dict:
    """The handling of one akt copy: the recorded file when it holds (``recorded_copy_holds``), else rendered by
    ``render()``; a rendered one carries ``record`` (where it belongs, for akt_dokument) under ``akt``."""
    if recorded_copy_holds(recorded, datum, secret, lagrum):
        return {"id": handling_id, "riktning": "upprattad", "datum": datum, "motpart": None,
                "beskrivning": beskrivning, "sekretess": secret, "sekretess_lagrum": lagrum if secret else None,
                "fil_sha256": recorded["sha256"], "filnamn": filnamn, "storlek": recorded["storlek"]}
    found = _generated(handling_id, beskrivning, datum, secret, lagrum, filnamn, render())
    if record is not None:
        found["akt"] = {**record, "datum": datum, "sekretess": secret, "sekretess_lagrum": lagrum}
    return found


def upprattade_handlingar(store: Store, arende: dict, branding: Branding, today: dt.date) -> list[dict]:
    """The ärende's own documents as PDF, each an upprättad handling.

    The tjänsteskrivelse as each justerat meeting decided on it (one file for each version; as it stands when no
    justerat meeting decided on the ärende), dated with its own date, else the meeting's, else ``today`` (the day
    it is written as it stands); then, for every justerat § about the ärende, its protokollsutdrag (the internal
    version, without a recipient), bestyrkt and dated the day it was justerad. Secret as the ärende and the §
    are; made by the nämnd.

    A document of a justerat meeting is its recorded akt copy (``fil_sha256``, copied from the store) when that
    holds (:func:`recorded_copy_holds`); otherwise it is rendered (its bytes under ``data``) and, being of a
    justerat meeting, carries under ``akt`` what the export records once the delivery is in place."""
    namnd = store.namnd_by_kod(arende["namnd_kod"])["namn"]
    recorded = store.akt_copies_of_arenden([arende["id"]])
    paragrafer = []
    for decision in store.decisions_of_arende(arende["id"]):
        meeting_id = store.paragraf_meeting(decision["id"])
        paragraf = store.paragraf(decision["id"])
        justerad = _justerad(store, meeting_id, paragraf)
        if justerad:
            paragrafer.append((meeting_id, decision, paragraf, justerad))
    justerade = {m for m, *_ in paragrafer if store.is_justerat(m)}
    meetings = [m for m in dict.fromkeys(m for m, *_ in paragrafer) if m in justerade] or [None]
    found, seen = [], []
    for meeting_id in meetings:
        ts = store.tjansteskrivelse_as_decided(meeting_id, arende["id"])
        if ts is None or ts in seen:
            continue
        seen.append(ts)
        datum = ts["datum"] or (store.meeting(meeting_id)["datum"] if meeting_id else today.isoformat())
        key = (meeting_id, arende["id"], "tjansteskrivelse", None)
        found.append(_akt_handling(
            f"tjansteskrivelse:{meeting_id}", "Tjänsteskrivelse", datum, arende["sekretess"],
            arende["sekretess_lagrum"], f"Tjansteskrivelse-{datum}.pdf", recorded.get(key),
            lambda: _tjansteskrivelse_copy(store, arende, meeting_id, namnd, datum, branding),
            _where(*key) if meeting_id else None))
    for meeting_id, decision, paragraf, justerad in paragrafer:
        key = (meeting_id, arende["id"], "utdrag", paragraf["id"])
        found.append(_akt_handling(
            f"utdrag:{decision['id']}", f"Protokollsutdrag § {paragraf['nr']}, {decision['organ']} {decision['datum']}",
            justerad, paragraf["sekretess"], paragraf["sekretess_lagrum"],
            f"Protokollsutdrag-{decision['organ']}-{decision['datum']}-paragraf-{paragraf['nr']}.pdf",
            recorded.get(key), lambda: _utdrag_copy(store, meeting_id, paragraf, namnd, justerad, branding),
            _where(*key) if meeting_id in justerade else None))
    return found


def _where(meeting_id: int, arende_id: int, slag: str, paragraf_id: int | None) -> dict:
    return {"sammantrade_id": meeting_id, "arende_id": arende_id, "slag": slag, "paragraf_id": paragraf_id}


def akt_copies(store: Store, meeting_id: int, branding: Branding) -> list[dict]:
    """The akt copies of a justerat meeting, rendered as the archive renders them: for each § with an ärende its
    protokollsutdrag for the akt, and for each such ärende with a tjänsteskrivelse that tjänsteskrivelse as the
    meeting decided on it; each as the keys ``record_akt_copies`` takes (``data`` the PDF's bytes)."""
    protokoll = store.protokoll(meeting_id)
    justerad = protokoll["justerad"]
    copies, arenden = [], {}
    for paragraf in protokoll["paragrafer"]:
        if paragraf["arende_id"] is None:
            continue
        arende = arenden.get(paragraf["arende_id"]) or arenden.setdefault(
            paragraf["arende_id"], store.arende(paragraf["arende_id"]))
        namnd = store.namnd_by_kod(arende["namnd_kod"])["namn"]
        try:
            data = _utdrag_copy(store, meeting_id, paragraf, namnd, justerad, branding)
        except Exception as error:
            raise _not_filed(f"protokollsutdraget av § {paragraf['nr']}", error) from error
        copies.append({**_where(meeting_id, arende["id"], "utdrag", paragraf["id"]), "datum": justerad,
                       "sekretess": paragraf["sekretess"], "sekretess_lagrum": paragraf["sekretess_lagrum"],
                       "data": data})
    for arende in arenden.values():
        ts = store.tjansteskrivelse_as_decided(meeting_id, arende["id"])
        if ts is None:
            continue
        datum = ts["datum"] or store.meeting(meeting_id)["datum"]
        namnd = store.namnd_by_kod(arende["namnd_kod"])["namn"]
        try:
            data = _tjansteskrivelse_copy(store, arende, meeting_id, namnd, datum, branding)
        except Exception as error:
            raise _not_filed(f"tjänsteskrivelsen i {arende['diarienummer'] or arende['rubrik']}", error) from error
        copies.append({**_where(meeting_id, arende["id"], "tjansteskrivelse", None), "datum": datum,
                       "sekretess": arende["sekretess"], "sekretess_lagrum": arende["sekretess_lagrum"],
                       "data": data})
    return copies


def _not_filed(what: str, error: Exception) -> NamndtoolError:
    return NamndtoolError(
        f"Protokollet justerades inte: {what} kunde inte skrivas till ärendets akt ({error}). Ingenting har "
        "ändrats. Försök igen; kvarstår felet, kontakta den som sköter Nämndtool.")


def file_akt_copies(store: Store, meeting_id: int, branding: Branding, written: list[str]) -> None:
    """Render and record the akt copies of the justerat meeting (:func:`akt_copies`) in the caller's transaction:
    the justering's, so a justering is never recorded without its copies nor the copies without it. The SHA-256 of
    every copy is added to ``written`` before anything is stored, for the caller to forget the files
    (``store.forget_unregistered_files``) when its transaction fails."""
    copies = akt_copies(store, meeting_id, branding)
    written += [hashlib.sha256(c["data"]).hexdigest() for c in copies]
    store.record_akt_copies(copies, "justering", durable)


class Prefetched:
    """The store as the archive reads it for a set of ärenden: what it asks once per ärende, §, meeting or file is
    answered from a few set-based queries made up front, everything else is passed on to the store. The export
    only reads, so the answers stay true while it runs; they are shared, and neither the archive nor the document
    functions it calls change them."""

    def __init__(self, store: Store, arende_ids: list[int]):
        self._store = store
        self._arenden = store.arenden_by_id(arende_ids)
        self._handlingar = store.handlingar_of_arenden(arende_ids)
        self._bilagor = store.decided_bilagor_of_arenden(arende_ids)
        self._decisions = store.decisions_of_arenden(arende_ids)
        self._with_tjansteskrivelse = store.arenden_with_tjansteskrivelse(arende_ids)
        self._akt: dict[int, dict[tuple, dict]] = {}
        for key, found in store.akt_copies_of_arenden(arende_ids).items():
            self._akt.setdefault(key[1], {})[key] = found
        self._meeting_of = store.meetings_of_paragrafer([d["id"] for ds in self._decisions.values() for d in ds])
        self._protokoll = store.protokoll_of_meetings(sorted(set(self._meeting_of.values())))
        self._paragrafer = {(meeting_id, p["nr"]): p for meeting_id, protokoll in self._protokoll.items()
                            for p in protokoll["paragrafer"]}
        self._paragraf = {p["id"]: p for p in self._paragrafer.values()}
        self._memo: dict[tuple, object] = {}

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def _once(self, method: str, *args):
        key = (method, *args)
        if key not in self._memo:
            self._memo[key] = getattr(self._store, method)(*args)
        return self._memo[key]

    def arende(self, arende_id: int) -> dict:
        return self._arenden[arende_id] if arende_id in self._arenden else self._store.arende(arende_id)

    def handlingar(self, arende_id: int) -> list[dict]:
        return list(self._handlingar.get(arende_id, [])) if arende_id in self._arenden else \
            self._store.handlingar(arende_id)

    def decided_bilagor_of_arende(self, arende_id: int) -> list[dict]:
        return list(self._bilagor.get(arende_id, [])) if arende_id in self._arenden else \
            self._store.decided_bilagor_of_arende(arende_id)

    def decisions_of_arende(self, arende_id: int) -> list[dict]:
        return list(self._decisions.get(arende_id, [])) if arende_id in self._arenden else \
            self._store.decisions_of_arende(arende_id)

    def akt_copies_of_arenden(self, arende_ids: list[int]) -> dict[tuple, dict]:
        if not set(arende_ids) <= self._arenden.keys():
            return self._store.akt_copies_of_arenden(arende_ids)
        return {key: found for arende_id in arende_ids for key, found in self._akt.get(arende_id, {}).items()}

    def tjansteskrivelse_as_decided(self, meeting_id: int | None, arende_id: int) -> dict | None:
        if meeting_id is None and arende_id in self._arenden and arende_id not in self._with_tjansteskrivelse:
            return None     # as it stands: it has none
        return self._store.tjansteskrivelse_as_decided(meeting_id, arende_id)

    def paragraf_meeting(self, paragraf_id: int) -> int:
        found = self._meeting_of.get(paragraf_id)
        return self._store.paragraf_meeting(paragraf_id) if found is None else found

    def protokoll(self, meeting_id: int) -> dict | None:
        return self._protokoll[meeting_id] if meeting_id in self._protokoll else self._store.protokoll(meeting_id)

    def is_justerat(self, meeting_id: int) -> bool:
        if meeting_id in self._protokoll:
            return self._protokoll[meeting_id]["justerad"] is not None
        return self._store.is_justerat(meeting_id)

    def paragraf(self, paragraf_id: int) -> dict:
        return self._paragraf[paragraf_id] if paragraf_id in self._paragraf else self._store.paragraf(paragraf_id)

    def paragraf_by_number(self, meeting_id: int, nr: int) -> dict:
        found = self._paragrafer.get((meeting_id, nr))
        return self._store.paragraf_by_number(meeting_id, nr) if found is None else found

    def meeting(self, meeting_id: int) -> dict:
        return self._once("meeting", meeting_id)

    def namnd_by_kod(self, kod: str) -> dict | None:
        return self._once("namnd_by_kod", kod)

    def tjanstepersoner(self) -> list[dict]:
        return self._once("tjanstepersoner")

    def stored_file(self, sha256: str) -> Path:
        """The stored file's path, its checksum checked once for the export however many handlingar hold it. The
        export copies it from there (by the kernel): keeping small files' bytes to write them again saved no time
        on a year's package and held 64 MB (BENCHMARKS.md, issue 18)."""
        return self._once("file_path", sha256)


def record_rendered(store: Store, copies: list[dict]) -> None:
    """Record the akt copies an export had to render (a store justerat before they were filed at justering, or a
    secrecy changed since), so the next export copies them. The delivery is in place already: a store that cannot
    be written (read-only) renders them again next time, which is all that is lost."""
    if not copies or getattr(store, "read_only", False):
        return
    store.record_akt_copies(copies, "arkivering", durable)
