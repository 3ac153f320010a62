"""Meeting operations: the nämnd itself, meetings and their agenda."""

import datetime as dt
import re
from dataclasses import dataclass

from nämndtool import diarienummer as dnr
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store
from nämndtool.store.namnder import email_problem
from nämndtool.labels import MEETING_STATUS
from nämndtool.operations import protokoll as protokoll_ops
from nämndtool.store.sammantraden import ITEM_COLUMNS, MEETING_STATUSES, STANDARD_CLOSING, STANDARD_OPENING


@dataclass(frozen=True)
class SavedNamnd:
    namnd_id: int
    kod: str
    created: bool


def save_namnd(store: Store, kod: str, namn: str | None = None, *, forvaltning: str | None = None,
               kommun: str | None = None, adress: str | None = None) -> SavedNamnd:
    """Create the nämnd with this code (with its organ), or update the fields given.

    Rules: the code is 2–10 letters (as in diary numbers); a new nämnd needs a name (store)."""
    kod = (kod or "").strip().upper()
    if not dnr.is_valid_code(kod):
        raise NamndtoolError(f'"{kod}" är ingen nämndkod: koden ska vara 2–10 bokstäver, till exempel SOCN.')
    with store.write():
        existed = store.namnd_by_kod(kod) is not None
        namnd_id = store.save_namnd(kod, (namn or "").strip() or None, forvaltning=forvaltning, kommun=kommun,
                                    adress=adress)
    return SavedNamnd(namnd_id, kod, not existed)


def create_meeting(store: Store, organ_id: int, datum: str, fields: dict) -> int:
    """A new meeting; returns its id. Rules (store): one meeting per organ and date; a chair named in
    ``ordforande_namn`` is added to the people when not known, in the same transaction; :func:`meeting_problems`."""
    _refuse(meeting_problems(fields))
    return store.create_meeting(organ_id, datum, fields)


def update_meeting(store: Store, meeting_id: int, organ_id: int, datum: str, fields: dict) -> None:
    """Change a meeting (organ and date included). Rules (store): not a justerat meeting; one meeting per organ
    and date; :func:`meeting_problems`."""
    _refuse(meeting_problems(fields))
    store.update_meeting(meeting_id, organ_id, datum, fields)


def delete_meeting(store: Store, meeting_id: int) -> None:
    """Remove a meeting with its agenda and its draft protokoll; the ärenden stay in the diary.
    Rule: a justerat meeting cannot be removed."""
    with store.write():
        meeting = store.meeting(meeting_id)
        if meeting["status"] == "justerat":
            raise NamndtoolError(f"Sammanträdet {meeting['organ']} {meeting['datum']} är justerat. Dagordningen är "
                                 "låst och sammanträdet kan inte tas bort.")
        store.delete_meeting(meeting_id)


def replace_agenda(store: Store, meeting_id: int, items: list[dict]) -> list[str]:
    """Write the whole agenda as the app's agenda editor holds it; returns warnings (a secret stand-alone item
    the new agenda calls public stays secret). Rules (store): a justerat agenda is locked; items with
    paragraphs keep what the § holds; secrecy is never lifted by an agenda edit."""
    return store.replace_agenda(meeting_id, items)


def save_agenda(store: Store, meeting_id: int, items: list[dict], *, keep_secret: bool = False) -> list[str]:
    """Set the whole agenda, items kept by number (the import's way); returns warnings as :func:`replace_agenda`."""
    return store.save_agenda(meeting_id, items, keep_secret=keep_secret)


# --- for the app (issue 12) ----------------------------------------------------------------------------------


_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def meeting_problems(fields: dict) -> list[str]:
    """What is wrong with a meeting's fields as typed (the app shows it inline, :func:`create_meeting` and
    :func:`update_meeting` refuse): a time given must be a time of day (TT:MM), and fields that speak of the time
    must give one (a kallelse without a time tells nobody when to come); the address for förhinder must be an
    e-mail address when given. One organ meeting twice on a day is refused by the store, which alone can see every
    meeting. (Fields without a ``tid`` key change other things and leave the time unchecked.)"""
    problems = []
    if "tid" in fields:
        tid = (fields.get("tid") or "").strip()
        if not tid:
            problems.append("Sammanträdet saknar tid: ange när det börjar, till exempel 13:00.")
        elif not _CLOCK.fullmatch(tid):
            problems.append(f"”{tid}” är inget klockslag: skriv tiden som TT:MM, till exempel 13:00.")
    problem = email_problem(fields.get("forhinder_epost"))
    return problems + ([problem] if problem else [])


def _refuse(problems: list[str]) -> None:
    if problems:
        raise NamndtoolError("\n".join(problems))


# --- for the app (issue 13): where items go, copying an agenda, several ärenden at once, warnings -----------------

OPEN_ARENDE_STATUSES = ("inkommet", "under_beredning", "klart_for_namnd")
"""An ärende in one of these has not been decided: it may come back on a later agenda."""


@dataclass(frozen=True)
class AgendaChange:
    """What an agenda operation did: how many items it added, and what the user should know (an ärende that also
    stands on another open agenda, items of the other meeting that were not copied)."""
    added: int
    warnings: tuple[str, ...] = ()


def _is_standard(item: dict, titles: tuple[str, ...]) -> bool:
    return item.get("typ") == "standard" and (item.get("rubrik") or "").strip().casefold() in {
        t.casefold() for t in titles
    }


def _standard_index(item: dict, titles: tuple[str, ...]) -> int:
    return [t.casefold() for t in titles].index(item["rubrik"].strip().casefold())


def has_standard(items: list[dict], title: str) -> bool:
    """True when the agenda already holds this standard item, wherever it stands."""
    return any(_is_standard(item, (title,)) for item in items)


def standard_position(items: list[dict], title: str) -> int:
    """Where a missing standard item goes: opening items at the top, closing items at the end, in standard order.

    The opening block is the run of opening items at the top, the closing block the run of closing items at
    the end; the new item takes its place by standard order within its block.
    """
    if title in STANDARD_OPENING:
        k = STANDARD_OPENING.index(title)
        position = 0
        while position < len(items) and _is_standard(items[position], STANDARD_OPENING):
            if _standard_index(items[position], STANDARD_OPENING) > k:
                break
            position += 1
        return position
    k = STANDARD_CLOSING.index(title)
    position = len(items)
    while position > 0 and _is_standard(items[position - 1], STANDARD_CLOSING):
        if _standard_index(items[position - 1], STANDARD_CLOSING) < k:
            break
        position -= 1
    return position


def arende_position(items: list[dict]) -> int:
    """Where a new ärende goes: after everything else, before the closing standard items."""
    position = len(items)
    while position > 0 and _is_standard(items[position - 1], STANDARD_CLOSING):
        position -= 1
    return position


def _canonical_title(item: dict) -> str | None:
    """The standard title (as spelt in STANDARD_OPENING/CLOSING) of a standard item with one, else None."""
    rubrik = (item.get("rubrik") or "").strip().casefold()
    return next((t for t in (*STANDARD_OPENING, *STANDARD_CLOSING) if t.casefold() == rubrik), None) \
        if item.get("typ") == "standard" else None


def as_stored(item: dict) -> dict:
    """An agenda row as ``replace_agenda`` takes it (its id keeps the stored row)."""
    return {"id": item.get("id"), **{key: item.get(key) for key in ITEM_COLUMNS}}


def arende_item(arende: dict) -> dict:
    """An agenda item for an ärende of the diary; a secret ärende is a secret item."""
    secret = bool(arende.get("sekretess"))
    return {"id": None, "rubrik": arende["rubrik"], "typ": "arende", "arende_id": arende["id"],
            "sekretess": int(secret), "sekretess_lagrum": arende.get("sekretess_lagrum") if secret else None,
            "anteckning": None}


def editable_meeting(store: Store, meeting_id: int) -> dict:
    meeting = store.meeting(meeting_id)
    if meeting["status"] == "justerat":
        raise NamndtoolError(f"Sammanträdet {meeting['organ']} {meeting['datum']} är justerat, så dagordningen kan "
                             "inte ändras.")
    return meeting


def other_agenda_warnings(store: Store, arende_ids: list[int], meeting_id: int) -> list[str]:
    """One sentence per ärende that also stands on the agenda of another meeting not yet held, naming it."""
    return [f"Ärendet {p['diarienummer'] or p['rubrik']} står redan som punkt {p['nr']} på dagordningen för "
            f"{p['organ']} {p['datum']}. Ta bort det där om det inte ska behandlas två gånger."
            for p in store.open_agenda_places(arende_ids, meeting_id)]


def arende_for_agenda(store: Store, meeting: dict, stored: list[dict], arende_id: int) -> dict:
    """The agenda item for an ärende of the diary, after the rules every way of adding one shares: the ärende
    belongs to the meeting's nämnd and is not on this agenda (``stored``) already."""
    arende = store.arende(arende_id)
    number = arende.get("diarienummer") or arende["rubrik"]
    if arende["namnd_id"] != meeting["namnd_id"]:
        raise NamndtoolError(f"Ärendet {number} hör till en annan nämnd och kan inte läggas på "
                             f"dagordningen för {meeting['organ']}.")
    taken = next((item["nr"] for item in stored if item["arende_id"] == arende_id), None)
    if taken:
        raise NamndtoolError(f"Ärendet {number} står redan som punkt {taken} på dagordningen.")
    return arende_item(arende)


def add_arenden(store: Store, meeting_id: int, arende_ids: list[int]) -> AgendaChange:
    """Put several ärenden of the diary on the agenda, in the order given, before the closing standard items; a
    secret ärende becomes a secret item. Rules: the meeting is not justerat; every ärende exists, belongs to the
    meeting's nämnd and is not on this agenda already (all or nothing). Warns (does not refuse) when an ärende
    also stands on the agenda of another meeting not yet held (planerat or kallat), naming that meeting.

    An extra ärende, added at the meeting once the closing items have their §§: it still goes before the closing
    items, and gets its § at once; the §§ of the closing items move on by one number each (the protokoll follows
    the agenda's order, § numbers without a gap). Refused when a later meeting of the organ already has §§ this
    year or a § that would move was justerad omedelbart (its number is already out)."""
    with store.write():
        meeting = editable_meeting(store, meeting_id)
        stored = store.agenda(meeting_id)
        items = [as_stored(item) for item in stored]
        ids = list(dict.fromkeys(arende_ids))
        if not ids:
            return AgendaChange(0)
        new = [arende_for_agenda(store, meeting, stored, arende_id) for arende_id in ids]
        position = arende_position(items)
        items[position:position] = new
        moving = store.paragraph_items_from(meeting_id, position + 1)
        if moving:
            _refuse_moving_paragraphs(store, meeting, moving)
            store.move_paragraph_items(meeting_id, position + 1, len(new))
        warnings = other_agenda_warnings(store, ids, meeting_id) + store.replace_agenda(meeting_id, items)
        if moving:
            protokoll_ops.create_paragraphs(store, meeting_id)
            store.renumber_paragraphs(meeting_id)
    return AgendaChange(len(ids), tuple(warnings))


def _refuse_moving_paragraphs(store: Store, meeting: dict, moving: list[dict]) -> None:
    """An extra ärende moves the §§ after it one number on: not when another meeting's §§ or an omedelbart
    justerad § hold the numbers."""
    later = store.later_paragraph_meeting(meeting["id"])
    if later:
        raise NamndtoolError(f"Sammanträdet {later} har redan paragrafer i årets serie, så ett extra ärende på "
                             f"{meeting['organ']} {meeting['datum']} skulle bryta numreringen. Lägg ärendet på "
                             "ett senare sammanträde.")
    fixed = next((p for p in moving if p["omedelbart_justerad"]), None)
    if fixed:
        raise NamndtoolError(f"§ {fixed['nr']} {fixed['rubrik']} är omedelbart justerad och behåller sitt nummer, så "
                             "ett extra ärende kan inte läggas före den. Lägg ärendet sist på dagordningen i stället.")


def copy_agenda(store: Store, meeting_id: int, from_meeting_id: int) -> AgendaChange:
    """Copy another meeting's agenda into this one: its standard items with their texts (note, secrecy), and its
    ärenden that are still open (not beslutat or avslutat: tabled or sent back, they come up again). Other items
    (tema items, items without an ärende in the diary) and decided ärenden are not copied; the warnings say how
    many. What the agenda already holds (the same standard item, the same ärende) is kept, not doubled; standard
    items take their standard places, ärenden go before the closing standard items.

    Rules: the meeting is not justerat; the other meeting is another meeting of the same nämnd."""
    with store.write():
        meeting = editable_meeting(store, meeting_id)
        source = store.meeting(from_meeting_id)
        if from_meeting_id == meeting_id:
            raise NamndtoolError("Välj ett annat sammanträde att kopiera dagordningen från.")
        if source["namnd_id"] != meeting["namnd_id"]:
            raise NamndtoolError(f"{source['organ']} {source['datum']} hör till en annan nämnd; dagordningen kan bara "
                                 "kopieras mellan sammanträden i samma nämnd.")
        items = [as_stored(item) for item in store.agenda(meeting_id)]
        present_arenden = {item["arende_id"] for item in items if item["arende_id"]}
        copied_arenden: list[int] = []
        decided = other = 0
        for item in store.agenda(from_meeting_id):
            title = _canonical_title(item)
            if title is not None:
                if not has_standard(items, title):
                    items.insert(standard_position(items, title), {**as_stored(item), "id": None, "rubrik": title})
                continue
            if item["typ"] == "standard":
                if not any(i["typ"] == "standard" and i["rubrik"] == item["rubrik"] for i in items):
                    items.insert(arende_position(items), {**as_stored(item), "id": None})
                continue
            if item["arende_id"] is None:
                other += 1
                continue
            if item["arende_id"] in present_arenden:
                continue
            arende = store.arende(item["arende_id"])
            if arende["status"] not in OPEN_ARENDE_STATUSES:
                decided += 1
                continue
            items.insert(arende_position(items), {**arende_item(arende), "anteckning": item["anteckning"]})
            present_arenden.add(arende["id"])
            copied_arenden.append(arende["id"])
        added = len(items) - len(store.agenda(meeting_id))
        notes = []
        if decided:
            what = "1 ärende" if decided == 1 else f"{decided} ärenden"
            done = "beslutat eller avslutat" if decided == 1 else "beslutade eller avslutade"
            notes.append(f"{what} från {source['organ']} {source['datum']} är {done} och kopierades inte.")
        if other:
            what, them, they = ("1 punkt", "den", "den") if other == 1 else (f"{other} punkter", "dem", "de")
            notes.append(f"{what} utan ärende i diariet (till exempel tema eller information) kopierades inte; lägg "
                         f"till {them} för hand om {they} ska med.")
        warnings = other_agenda_warnings(store, copied_arenden, meeting_id)
        if added:
            warnings += store.replace_agenda(meeting_id, items)
    return AgendaChange(added, tuple(notes + warnings))


def meeting_warnings(store: Store, organ_id: int, datum: str) -> list[str]:
    """What the secretary should know about a meeting of this organ on this date, without refusing it: the date
    lies outside every mandate period of the organ (no ledamot or ersättare has a seat that day, so the kallelse
    has nobody to go to and the chair cannot be chosen). An organ without any seats yet gives no warning."""
    terms = store.seat_terms(organ_id)
    if not terms or store.roster(organ_id, datum):
        return []
    spans = ", ".join(f"{t['fran']}–{t['till'] or 'tills vidare'}" for t in _merged_terms(terms))
    return [f"{datum} ligger utanför mandatperioderna för {store.organ_name(organ_id)} ({spans}): ingen ledamot "
            "eller ersättare har uppdrag den dagen, så kallelsen har ingen att gå till. Kontrollera datumet, eller "
            "lägg in den nya mandatperiodens ledamöter och ersättare under Personer och mottagare."]


def _merged_terms(terms: list[dict]) -> list[dict]:
    """Overlapping or adjoining periods joined into one."""
    merged: list[dict] = []
    for term in terms:
        last = merged[-1] if merged else None
        if last and (last["till"] is None or term["fran"] <= _day_after(last["till"])):
            if last["till"] is not None and (term["till"] is None or term["till"] > last["till"]):
                last["till"] = term["till"]
        else:
            merged.append(dict(term))
    return merged


def _day_after(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


# --- the meeting's status (issue 13) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    before: str
    after: str


def set_status(store: Store, meeting_id: int, status: str) -> StatusChange:
    """Set a meeting's status by hand: planerat, kallat or genomfört. Rules: justerat is set by the justering and
    never undone; a meeting whose protokoll has §§ or attendance has been held and cannot go back to planerat or
    kallat. The program also moves a meeting on by itself: kallat when the kallelse is saved, genomfört when the
    §§ are created or the attendance recorded."""
    status = _status_code(status)
    with store.write():
        meeting = store.meeting(meeting_id)
        before = meeting["status"]
        name = f"{meeting['organ']} {meeting['datum']}"
        if status == before:
            return StatusChange(before, status)
        if before == "justerat":
            raise NamndtoolError(f"Sammanträdet {name} är justerat: protokollet är låst, så statusen kan inte "
                                 "ändras tillbaka.")
        if status == "justerat":
            raise NamndtoolError(f"Sammanträdet {name} blir justerat när protokollet justeras (Protokoll → "
                                 "Justering, eller 'namndtool protokoll justera'), inte genom att statusen ändras.")
        if MEETING_STATUSES.index(status) < MEETING_STATUSES.index("genomfort") and store.meeting_is_held(meeting_id):
            raise NamndtoolError(f"Sammanträdet {name} har redan närvaro eller paragrafer i protokollet, alltså har "
                                 f"det genomförts. Statusen kan inte gå tillbaka till {MEETING_STATUS[status]}.")
        store.set_meeting_status(meeting_id, status)
    return StatusChange(before, status)


def _status_code(status: str) -> str:
    """``genomfort`` for "Genomfört", "genomfört" or "genomfort"."""
    wanted = (status or "").strip().casefold()
    for code, label in MEETING_STATUS.items():
        if wanted in (code, label.casefold()):
            return code
    allowed = ", ".join(MEETING_STATUS[c] for c in MEETING_STATUSES[:3])
    raise NamndtoolError(f"”{status}” är ingen status för ett sammanträde. Välj {allowed}.")


def kallelse_saved(store: Store, publication) -> None:
    """A document was saved (``operations.documents.save_document``): when it is a meeting's kallelse, the meeting
    is kallat (a planerat one; one further on stays)."""
    if publication is not None and publication.meeting_id is not None and publication.arende_id is None \
            and publication.title.startswith("Kallelse "):
        mark_kallat(store, publication.meeting_id)


def mark_kallat(store: Store, meeting_id: int) -> bool:
    """The kallelse has been saved or sent: a planerat meeting becomes kallat (one further on stays). True when
    the status changed."""
    return store.advance_meeting_status(meeting_id, "kallat")
