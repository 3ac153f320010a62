"""People and address-book operations: seats in an organ, persons' details, recipients of decisions."""

from dataclasses import dataclass

from nämndtool.errors import NamndtoolError
from nämndtool.store import Store
from nämndtool.store.namnder import email_problem


@dataclass(frozen=True)
class Seat:
    """A seat as the user enters it: the role, first day and last day (None: open-ended)."""
    roll: str
    fran: str
    till: str | None = None


def _refuse_bad_dates(seat: Seat) -> None:
    if seat.till is not None and seat.till < seat.fran:
        raise NamndtoolError("Uppdraget kan inte sluta innan det börjar. Rätta datumen.")


def add_seat(store: Store, organ_id: int, person_id: int | None, person: dict, seat: Seat) -> int:
    """A seat in an organ for a known person (whose details are updated from ``person``) or a new one; returns
    the seat's id. Rules: the seat ends no earlier than it begins; (store) a name, a usable e-mail address, no
    overlapping seat of the same person in the organ."""
    _refuse_bad_dates(seat)
    return store.new_seat(organ_id, person_id, person, seat.roll, seat.fran, seat.till)


def change_seat(store: Store, person_id: int, seat_id: int, person: dict, seat: Seat) -> None:
    """Change a person's details and one of their seats together: both or neither. Rules as :func:`add_seat`."""
    _refuse_bad_dates(seat)
    with store.write():
        store.update_person(person_id, person)
        store.update_seat(seat_id, seat.roll, seat.fran, seat.till)


def end_seat(store: Store, seat_id: int, till: str) -> None:
    """End a seat on ``till`` (its last day). Rule: not before the seat's first day."""
    with store.write():
        fran = store.seat(seat_id)["fran"]
        if till < fran:
            raise NamndtoolError(f"Sista dagen kan inte vara före uppdragets första dag ({fran}).")
        store.end_seat(seat_id, till)


def save_recipient(store: Store, recipient_id: int | None, namn: str, adress: str | None,
                   epost: str | None) -> int:
    """Add an address-book entry (``recipient_id`` None) or change one; returns its id. Rules (store): a name, a
    usable e-mail address, not the same name, address and e-mail as another entry."""
    if recipient_id is None:
        return store.add_recipient(namn, adress, epost)
    store.update_recipient(recipient_id, namn, adress, epost)
    return recipient_id


def ensure_recipient(store: Store, namn: str, adress: str | None = None, epost: str | None = None) -> int:
    """The address-book entry with exactly this name, address and e-mail, added when there is none (the
    tjänsteskrivelse editor's "new recipient"). Rules: a name and a usable e-mail address."""
    namn = (namn or "").strip()
    if not namn:
        raise NamndtoolError("Skriv mottagarens namn.")
    problem = email_problem(epost)
    if problem:
        raise NamndtoolError(problem)
    return store.ensure_recipient(namn, (adress or "").strip() or None, (epost or "").strip() or None)


def delete_recipient(store: Store, recipient_id: int) -> None:
    """Remove an address-book entry. Rule (store): not one a tjänsteskrivelse sends its decision to."""
    store.delete_recipient(recipient_id)
