"""Diary operations: registering ärenden and handlingar, closing and reopening, delegationsbeslut."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from nämndtool.documents.registry import delegationsbeslut_for_meeting
from nämndtool.documents.tjansteskrivelse import comparable_title
from nämndtool.errors import NamndtoolError
from nämndtool.personnummer import find_personnummer
from nämndtool.store import Store
from nämndtool.store.connection import current_user
from nämndtool.store.files import not_a_regular_file
from nämndtool.store.register import bilaga_refusal
from nämndtool.store.tjansteskrivelser import listable_bilagor  # noqa: F401 — the app asks it here

LAGRUM_EXAMPLE = "”26 kap. 1 § OSL”"


def secrecy_fields(secret: bool, lagrum: str | None) -> dict:
    """The secrecy columns of an ärende, handling or delegationsbeslut; a secret one needs its lagrum."""
    lagrum = (lagrum or "").strip() or None
    if secret and lagrum is None:
        raise NamndtoolError(f"Ange sekretessgrunden (lagrum), till exempel {LAGRUM_EXAMPLE}.")
    return {"sekretess": int(bool(secret)), "sekretess_lagrum": lagrum if secret else None}


@dataclass(frozen=True)
class NewArende:
    """What the user gives when registering an ärende. ``handlaggare`` is a name: one not yet known is added."""
    namnd_id: int
    rubrik: str
    offentlig_rubrik: str | None = None
    secret: bool = False
    lagrum: str | None = None
    klassificering: str | None = None
    handlaggare: str | None = None
    handlaggare_id: int | None = None
    """The tjänsteperson chosen from a list (the app's, which tells namesakes apart); used instead of the name."""


def arende_problems(new: NewArende) -> list[str]:
    """What stops registering, in the order of the form (the app shows them inline, the operation refuses)."""
    rubrik, public = (new.rubrik or "").strip(), (new.offentlig_rubrik or "").strip()
    found = []
    if not rubrik:
        found.append("Skriv ärendets rubrik (ärendemening).")
    if new.secret and not (new.lagrum or "").strip():
        found.append(f"Ange sekretessgrunden (lagrum) för sekretessärendet, till exempel {LAGRUM_EXAMPLE}.")
    if new.secret and not public:
        found.append("Ett sekretessärende behöver en offentlig rubrik, som visas i kallelser och offentliga "
                     "handlingar.")
    if not new.secret and find_personnummer(rubrik):
        found.append(f"Rubriken innehåller ett personnummer ({find_personnummer(rubrik)[0]}). Ta bort det, eller "
                     "markera ärendet som sekretessärende.")
    if find_personnummer(public):
        found.append(f"Den offentliga rubriken innehåller ett personnummer ({find_personnummer(public)[0]}). "
                     "Ta bort det.")
    return found


def register_arende(store: Store, new: NewArende, *, today: dt.date | None = None) -> dict:
    """Register a new ärende under the next diary number and return it.

    Changes: a new ``arende`` row, and a new tjänsteperson when ``handlaggare`` names one not yet known.
    Rules: :func:`arende_problems` (rubrik, lagrum and public rubrik of a secret ärende, no personnummer in a
    public rubrik); the store gives the number (no gap, no duplicate)."""
    problems = arende_problems(new)
    if problems:
        raise NamndtoolError("\n".join(problems))
    fields = {"offentlig_rubrik": (new.offentlig_rubrik or "").strip() or None,
              "klassificering": (new.klassificering or "").strip() or None,
              **secrecy_fields(new.secret, new.lagrum)}
    extra = {"today": today} if today else {}
    with store.write():
        if new.handlaggare_id is not None:
            fields["handlaggare_id"] = new.handlaggare_id
        elif (new.handlaggare or "").strip():
            fields["handlaggare_id"] = store.handlaggare_by_name(new.handlaggare.strip())
        return store.register_arende(new.namnd_id, new.rubrik.strip(), **fields, **extra)


@dataclass(frozen=True)
class NewHandling:
    """A handling the user registers in an ärende, optionally with its file."""
    arende_id: int
    beskrivning: str
    riktning: str = "in"
    datum: dt.date | None = None
    motpart: str | None = None
    secret: bool = False
    lagrum: str | None = None
    path: Path | None = None
    bilaga: bool = False
    """The handling becomes a bilaga to the tjänsteskrivelse, last in the ärende's order (it needs a file)."""


def add_handling(store: Store, new: NewHandling, *, by: str | None = None) -> int:
    """Register a handling (and its file) in an ärende; returns its id.

    Changes: a new ``handling`` row and, with a file, the stored file, in one transaction (the file's bytes are
    copied before it; an unreferenced stored file is harmless). Rules: :func:`handling_problems` (a description,
    a lagrum for a secret handling, no personnummer in a public one, a file for a bilaga, no secret bilaga in a
    public ärende), a file that exists and is a regular file (the store also refuses a PDF that needs a password)."""
    problems = handling_problems(new, store.arende(new.arende_id))
    if problems:
        raise NamndtoolError("\n".join(problems))
    fields = secrecy_fields(new.secret, new.lagrum)
    if new.path is not None:
        path = Path(new.path)
        if not path.exists():
            raise NamndtoolError(f"Filen {path} finns inte. Kontrollera sökvägen. Inget har sparats.")
        if not_a_regular_file(path):
            raise NamndtoolError(f"{not_a_regular_file(path)}. Ange en vanlig fil. Inget har sparats.")
    datum = new.datum or dt.date.today()
    return store.add_handling(new.arende_id, {"riktning": new.riktning, "beskrivning": new.beskrivning,
                                              "datum": datum.isoformat(), "motpart": new.motpart,
                                              "bilaga": new.bilaga, **fields},
                              by=by or current_user(), path=new.path)


def register_files(store: Store, arende_id: int, files: list, *, datum: str | None = None, bilagor: bool = False,
                   progress=None, cancelled=None, by: str | None = None) -> list[int]:
    """Register dropped files as incoming handlingar of one ärende (all or none); returns the handling ids.

    ``files`` are ``(path, beskrivning)`` or :class:`DroppedFile` (which says itself whether it is a bilaga);
    ``bilagor`` makes every file a bilaga to the tjänsteskrivelse, after the ärende's bilagor in the order
    given. A handling in a secret ärende is secret under the ärende's lagrum. Meant for a worker thread:
    ``progress(done, total, text)`` reports and ``cancelled()`` stops it (nothing registered then)."""
    arende = store.arende(arende_id)
    secret = {"sekretess": 1, "sekretess_lagrum": arende["sekretess_lagrum"]} if arende["sekretess"] else {}
    entries = []
    for dropped in map(lambda f: f if isinstance(f, DroppedFile) else DroppedFile(*f), files):
        entries.append(({"riktning": "in", "beskrivning": dropped.beskrivning, "datum": datum or dt.date.today()
                         .isoformat(), "bilaga": bilagor or dropped.bilaga, **secret}, dropped.path))
    return store.add_handlingar(arende_id, entries, by=by or current_user(), progress=progress,
                                cancelled=cancelled or (lambda: False))


def close_arende(store: Store, arende_id: int, *, on: dt.date | None = None, by: str | None = None) -> None:
    """Close the ärende on ``on`` (today by default). Rules (store): it exists, is not closed, and the date is
    neither in the future nor before its registration."""
    store.close_arende(arende_id, by=by or current_user(), on=(on or dt.date.today()).isoformat())


def reopen_arende(store: Store, arende_id: int) -> None:
    """Open a closed ärende again with the status it had before. Rule: it must be closed."""
    with store.write():
        if store.arende(arende_id)["status"] != "avslutat":
            raise NamndtoolError("Ärendet är inte avslutat.")
        store.reopen_arende(arende_id)


def save_arende(store: Store, arende_id: int, versions: dict, *, arende_changes: dict,
                tjansteskrivelse: dict | None) -> dict:
    """Save the editor's changes to an ärende and its tjänsteskrivelse in one transaction; returns the new versions.
    Rules (store): a part changed elsewhere since ``versions`` raises ConflictError; secrecy is never lifted
    here (that is :func:`nämndtool.operations.secrecy.unseal_arende`). The bilagor listed under Ärendets
    handlingar take the order of the list (:func:`bilagor_in_listed_order`): that list is where the handläggare
    orders them."""
    with store.write():
        versions = store.save_from_editor(arende_id, versions, arende_changes=arende_changes,
                                          tjansteskrivelse=tjansteskrivelse)
        if tjansteskrivelse is not None:
            bilagor = store.bilagor(arende_id)
            order = bilagor_in_listed_order(bilagor, tjansteskrivelse["handlingar"])
            if order != [b["id"] for b in bilagor]:
                store.order_bilagor(arende_id, order)
        return versions


def log_read(store: Store, arende_id: int, how: str) -> None:
    """Record that the user read a secret ärende (the read log); a public ärende is not logged."""
    if store.arende(arende_id)["sekretess"]:
        store.log_read(arende_id, how)


# --- delegationsbeslut ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewDelegationsbeslut:
    namnd_id: int
    datum: dt.date
    beslutsfattare: str
    delegationspunkt: str
    beskrivning: str
    arende_id: int | None = None
    secret: bool = False
    lagrum: str | None = None


def delegationsbeslut_problems(new: NewDelegationsbeslut, arende: dict | None = None) -> list[str]:
    """What stops registering the decision, in Swedish: punkt, beslutsfattare and description given, and no
    personnummer in the description of a public one (neither it nor its ``arende`` secret), because the list of
    delegationsbeslut is published with the kallelse."""
    found = []
    if not (new.delegationspunkt or "").strip():
        found.append("Ange punkten i delegationsordningen.")
    if not (new.beslutsfattare or "").strip():
        found.append("Ange vem som fattade beslutet.")
    if not (new.beskrivning or "").strip():
        found.append("Skriv kort vad beslutet gäller.")
    hits = find_personnummer(new.beskrivning or "")
    if hits and not new.secret and not (arende or {}).get("sekretess"):
        found.append(f"Beskrivningen innehåller ett personnummer ({hits[0]}). Anmälan av delegationsbeslut är "
                     "offentlig: ta bort det, eller markera beslutet med sekretess.")
    return found


def delegationsbeslut_arende_problem(arende: dict, namnd_id: int | None) -> str | None:
    """Why the decision cannot belong to this ärende: it is another nämnd's."""
    if namnd_id is not None and arende["namnd_id"] != namnd_id:
        return f"Ärendet {arende['diarienummer']} hör till en annan nämnd än den som är vald."
    return None


def register_delegationsbeslut(store: Store, new: NewDelegationsbeslut) -> int:
    """Register a delegationsbeslut; returns its id. Rules: :func:`delegationsbeslut_problems`, the ärende (when
    given) exists and is the nämnd's own (:func:`delegationsbeslut_arende_problem`); a secret one needs its
    lagrum (store)."""
    fields = {"datum": new.datum.isoformat(), "beslutsfattare": (new.beslutsfattare or "").strip(),
              "delegationspunkt": (new.delegationspunkt or "").strip(), "beskrivning": (new.beskrivning or "").strip(),
              **secrecy_fields(new.secret, new.lagrum)}
    with store.write():
        arende = store.arende(new.arende_id) if new.arende_id is not None else None
        problems = delegationsbeslut_problems(new, arende)
        other = arende and delegationsbeslut_arende_problem(arende, new.namnd_id)
        if problems or other:
            raise NamndtoolError("\n".join(problems + ([other] if other else [])))
        if arende is not None:
            fields["arende_id"] = arende["id"]
        return store.register_delegationsbeslut(new.namnd_id, fields)


def pending_delegationsbeslut(store: Store, meeting_id: int) -> list[dict]:
    """The delegationsbeslut that reporting at this meeting would mark: not yet reported, dated up to the meeting.
    The one definition of that filter for the command line and the app."""
    return [d for d in delegationsbeslut_for_meeting(store, meeting_id) if d["anmald_vid"] is None]


def report_delegationsbeslut(store: Store, meeting_id: int) -> int:
    """Mark every pending delegationsbeslut (:func:`pending_delegationsbeslut`) as reported at the meeting;
    returns how many. Read and marked in one transaction, so one registered meanwhile is not half-counted."""
    with store.write():
        store.meeting(meeting_id)
        return store.report_delegationsbeslut(meeting_id, [d["id"] for d in pending_delegationsbeslut(store,
                                                                                                       meeting_id)])


# --- for the app (issue 12) ----------------------------------------------------------------------------------


def handling_problems(new: NewHandling, arende: dict | None = None) -> list[str]:
    """What stops registering a handling, in the order of the app's fields (the app shows them inline,
    :func:`add_handling` refuses): a description, a lagrum for a secret handling, no personnummer in the
    description or the motpart of a public handling, which anyone can read in the diary, and for a bilaga a file
    and, in a public ``arende``, no secrecy (``store.register.bilaga_refusal``)."""
    found = []
    beskrivning = (new.beskrivning or "").strip()
    if not beskrivning:
        found.append("Skriv en kort beskrivning av handlingen, till exempel ”Yttrande från Polisen”.")
    if new.secret and not (new.lagrum or "").strip():
        found.append(f"Ange sekretessgrunden (lagrum) för handlingen, till exempel {LAGRUM_EXAMPLE}.")
    if not new.secret:
        for label, text in (("Beskrivningen", beskrivning), ("Motparten", new.motpart or "")):
            hits = find_personnummer(text)
            if hits:
                found.append(f"{label} innehåller ett personnummer ({hits[0]}). En offentlig handling syns i "
                             "diariet: ta bort det, eller registrera handlingen med sekretess.")
    refused = new.bilaga and bilaga_refusal(new.secret, new.path is not None,
                                            bool((arende or {"sekretess": 1})["sekretess"]))
    if refused:
        found.append(refused[0].upper() + refused[1:])
    return found


# --- bilagor: handlingar that go with the tjänsteskrivelse (issue 13) ------------------------------------------------


class DroppedFile(NamedTuple):
    """A file dropped on an ärende, as the confirming dialog gives it: its description, and whether it is a bilaga."""
    path: Path
    beskrivning: str
    bilaga: bool = False


def mark_bilaga(store: Store, handling_id: int, bilaga: bool = True) -> list[dict]:
    """Make a handling a bilaga to the tjänsteskrivelse (last in the ärende's order), or no longer one (the others
    close up); returns the ärende's bilagor. Rules: the handling exists; a bilaga has a file, and a secret handling
    cannot be a bilaga of a public ärende (``store.register.bilaga_refusal``). Marking what is already marked
    changes nothing."""
    with store.write():
        handling = store.handling(handling_id)
        if bilaga and handling["bilaga_nr"] is None:
            refused = bilaga_refusal(handling["sekretess"], handling["fil_sha256"] is not None,
                                     handling["arende_sekretess"])
            if refused:
                raise NamndtoolError(f"”{handling['beskrivning']}” kan inte bli bilaga: {refused}")
        if bilaga != (handling["bilaga_nr"] is not None):
            store.mark_bilaga(handling_id, bilaga)
        return store.bilagor(handling["arende_id"])


def order_bilagor(store: Store, arende_id: int, handling_ids: list[int]) -> list[dict]:
    """Put the ärende's bilagor in this order (the handlingar pack follows it); returns them. Rule: the list holds
    exactly the ärende's bilagor as they are now, so an order made from a list that changed meanwhile is
    refused (ConflictError) and nothing moves."""
    with store.write():
        store.arende(arende_id)
        store.order_bilagor(arende_id, list(handling_ids))
        return store.bilagor(arende_id)


def move_bilaga(store: Store, handling_id: int, steps: int) -> list[dict]:
    """Move a bilaga ``steps`` places (-1 up, 1 down) in its ärende's order, stopping at either end; returns the
    bilagor. Rule: the handling is a bilaga."""
    with store.write():
        handling = store.handling(handling_id)
        if handling["bilaga_nr"] is None:
            raise NamndtoolError(f"”{handling['beskrivning']}” är ingen bilaga, så den har ingen plats att flytta.")
        ids = [b["id"] for b in store.bilagor(handling["arende_id"])]
        ids.remove(handling_id)
        ids.insert(max(0, min(len(ids), handling["bilaga_nr"] - 1 + steps)), handling_id)
        return order_bilagor(store, handling["arende_id"], ids)


def bilagor_in_listed_order(bilagor: list[dict], listed: list[str]) -> list[int]:
    """The ids of ``bilagor`` (``store.bilagor``) reordered so that those whose titles stand under Ärendets
    handlingar (``listed``) come in the order of that list, in the places they hold; a bilaga not listed keeps
    its place. Titles compare as a reader would (``documents.tjansteskrivelse``)."""
    wanted: list[int] = []
    left = list(bilagor)
    for title in listed:
        match = next((b for b in left if comparable_title(b["titel"]) == comparable_title(title)), None)
        if match is not None:
            left.remove(match)
            wanted.append(match["id"])
    places = iter(wanted)
    return [next(places) if b["id"] in wanted else b["id"] for b in bilagor]


def listed_with_bilagor(listed: list[str], before: list[str], after: list[str]) -> list[str]:
    """Ärendets handlingar once the bilagor changed from ``before`` to ``after`` (titles, in order): a title that
    stopped being a bilaga goes, a new bilaga is added after the last listed bilaga (or at the end), and the listed
    bilagor take the bilagor's order in the places they hold; every other line stays where it is, and a bilaga
    the handläggare left out of the list before stays out."""
    was = {comparable_title(t) for t in before}
    now = [comparable_title(t) for t in after]
    kept = [t for t in listed if comparable_title(t) not in was - set(now)]
    places = [i for i, t in enumerate(kept) if comparable_title(t) in now]
    listed_keys = {comparable_title(t) for t in kept}
    ordered = [t for t in after if comparable_title(t) in listed_keys]
    new = [t for t in after if comparable_title(t) not in listed_keys | was]
    result = list(kept)
    for place, title in zip(places, ordered):
        result[place] = title
    at = places[-1] + 1 if places else len(result)
    return result[:at] + new + result[at:]

