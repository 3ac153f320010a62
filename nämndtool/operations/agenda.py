"""Agenda operations on one item at a time: add an ärende, a standard item, a tema or a stand-alone item, move an
item, remove one. The command line's way of building an agenda (the app edits the whole list and saves it with
:func:`nämndtool.operations.meetings.replace_agenda`).

Every operation runs in one transaction and shares the rules of :mod:`nämndtool.operations.meetings`: the agenda of a
justerat meeting is locked; an ärende stands once on an agenda and the user is told when it also stands on another
open agenda; items are numbered 1..n after every change; an item that already has a § keeps its number and content
(the store refuses); secrecy of a stand-alone item is never lifted here.
"""

from dataclasses import dataclass

from nämndtool.errors import NamndtoolError
from nämndtool.operations import meetings
from nämndtool.operations.diary import secrecy_fields
from nämndtool.personnummer import find_personnummer
from nämndtool.store import Store
from nämndtool.store.sammantraden import STANDARD_CLOSING, STANDARD_OPENING

KINDS = ("arende", "standard", "tema", "fristaende")
"""An ärende of the diary; a standard item (Upprop, Val av justerare …); a tema (a themed presentation); a
stand-alone item without an ärende in the diary (it may be secret on its own)."""


@dataclass(frozen=True)
class NewItem:
    """An item to put on the agenda. ``kind`` one of :data:`KINDS`; ``arende_id`` for an ärende, ``rubrik`` for the
    others; ``position`` the number it gets (None: where its kind goes: a standard item in its standard place,
    everything else before the closing standard items)."""
    kind: str
    rubrik: str | None = None
    arende_id: int | None = None
    secret: bool = False
    lagrum: str | None = None
    anteckning: str | None = None
    position: int | None = None


@dataclass(frozen=True)
class ItemChange:
    """An item after the change: its number and title, and what the user should know."""
    nr: int
    rubrik: str
    warnings: tuple[str, ...] = ()


def add_item(store: Store, meeting_id: int, new: NewItem) -> ItemChange:
    """Put one item on the agenda and return its number.

    Rules: the meeting is not justerat; the position is on the agenda (1 to one past the last item) and moves no
    item that has a § (store); without a position the item goes where its kind goes, but after every item that
    has a §; an ärende belongs to the meeting's nämnd and is not on this agenda already, a secret ärende becomes
    a secret item, and a warning names the other open meeting it stands on; an ärende's secrecy is the ärende's
    own; a standard item stands once; a title is given and, on a public item, holds no personnummer; a secret
    item names its lagrum."""
    if new.kind not in KINDS:
        raise ValueError(f"unknown item kind {new.kind!r}")
    with store.write():
        meeting = meetings.editable_meeting(store, meeting_id)
        stored = store.agenda(meeting_id)
        _check_position(new.position, len(stored) + 1, "en ny punkt")
        items = [meetings.as_stored(item) for item in stored]
        warnings = []
        if new.kind == "arende":
            item = _arende_on_agenda(store, meeting, stored, new)
            warnings += meetings.other_agenda_warnings(store, [new.arende_id], meeting_id)
        else:
            item = _item_without_arende(new, items)
        position = new.position - 1 if new.position else max(_default_place(items, item),
                                                             _after_paragraphs(store, meeting_id))
        items.insert(position, item)
        warnings += store.replace_agenda(meeting_id, items)
        return ItemChange(position + 1, item["rubrik"], tuple(warnings))


def _arende_on_agenda(store: Store, meeting: dict, stored: list[dict], new: NewItem) -> dict:
    """The stored form of an ärende's item, after the rules of :func:`meetings.add_arenden`."""
    if new.arende_id is None:
        raise ValueError("an ärende item needs its arende_id")
    if new.secret or new.lagrum:
        raise NamndtoolError("Sekretessen för en punkt med ärende hör till ärendet: markera ärendet med sekretess "
                             "i stället.")
    item = meetings.arende_for_agenda(store, meeting, stored, new.arende_id)
    return {**item, "anteckning": (new.anteckning or "").strip() or None}


def _after_paragraphs(store: Store, meeting_id: int) -> int:
    """The first place (0-based) after every item that has a §: a new item cannot go before them."""
    protokoll = store.protokoll(meeting_id)
    return max((p["dagordning_nr"] or 0 for p in (protokoll or {}).get("paragrafer", [])), default=0)


def _item_without_arende(new: NewItem, items: list[dict]) -> dict:
    """The stored form of a standard item, a tema or a stand-alone item, after its rules."""
    rubrik = " ".join((new.rubrik or "").split())
    if not rubrik:
        raise NamndtoolError("Punkten behöver en rubrik.")
    if new.kind == "standard":
        rubrik = next((t for t in (*STANDARD_OPENING, *STANDARD_CLOSING) if t.casefold() == rubrik.casefold()),
                      rubrik)
        taken = next((nr for nr, item in enumerate(items, 1) if item["typ"] == "standard"
                      and " ".join((item["rubrik"] or "").split()).casefold() == rubrik.casefold()), None)
        if taken:
            raise NamndtoolError(f"Dagordningen har redan punkten {rubrik} (punkt {taken}).")
    secrecy = secrecy_fields(new.secret, new.lagrum)
    if not new.secret and find_personnummer(rubrik):
        raise NamndtoolError(f"Rubriken innehåller ett personnummer ({find_personnummer(rubrik)[0]}). Ta bort det, "
                             "eller markera punkten med sekretess.")
    typ = {"standard": "standard", "tema": "tema", "fristaende": "arende"}[new.kind]
    return {"id": None, "rubrik": rubrik, "typ": typ, "arende_id": None, **secrecy,
            "anteckning": (new.anteckning or "").strip() or None}


def _default_place(items: list[dict], item: dict) -> int:
    """Where an item goes when no position is given (0-based)."""
    if item["typ"] == "standard" and item["rubrik"] in (*STANDARD_OPENING, *STANDARD_CLOSING):
        return meetings.standard_position(items, item["rubrik"])
    return meetings.arende_position(items)


def _check_position(position: int | None, last: int, what: str) -> None:
    """``position`` (when given) is a number from 1 to ``last``."""
    if position is not None and not 1 <= position <= last:
        where = "punkt 1" if last == 1 else f"punkt 1–{last}"
        raise NamndtoolError(f"Dagordningen har ingen plats {position}: {what} kan stå som {where}.")


def _item_number(items: list[dict], nr: int) -> dict:
    if not 1 <= nr <= len(items):
        count = "inga punkter" if not items else ("1 punkt" if len(items) == 1 else f"{len(items)} punkter")
        raise NamndtoolError(f"Dagordningen har ingen punkt {nr}; den har {count}.")
    return items[nr - 1]


def move_item(store: Store, meeting_id: int, nr: int, to: int) -> ItemChange:
    """Move item ``nr`` to number ``to``; the items between move one step. Rules: the meeting is not justerat; both
    numbers are on the agenda; no item that has a § moves (store)."""
    with store.write():
        meetings.editable_meeting(store, meeting_id)
        items = [meetings.as_stored(item) for item in store.agenda(meeting_id)]
        item = _item_number(items, nr)
        _check_position(to, len(items), "punkten")
        if to == nr:
            return ItemChange(nr, item["rubrik"])
        items.insert(to - 1, items.pop(nr - 1))
        return ItemChange(to, item["rubrik"], tuple(store.replace_agenda(meeting_id, items)))


def remove_item(store: Store, meeting_id: int, nr: int) -> dict:
    """Take item ``nr`` off the agenda and return it as it stood (its ärende stays in the diary); the items after
    it move up one number. Rules: the meeting is not justerat; the item is on the agenda and has no § (store)."""
    with store.write():
        meetings.editable_meeting(store, meeting_id)
        agenda = store.agenda(meeting_id)
        removed = _item_number(agenda, nr)
        store.replace_agenda(meeting_id, [meetings.as_stored(item) for item in agenda if item["nr"] != nr])
        return removed
