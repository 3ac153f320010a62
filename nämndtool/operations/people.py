"""People and address-book operations: seats in an organ, persons' details, recipients of decisions, merging
duplicates, and renewing an organ's seats for a new mandate period."""

import datetime as dt
from dataclasses import dataclass, field

from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.store import Store
from nämndtool.store.namnder import check_period, email_problem
from nämndtool.text import identity_key, nfc


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


def save_handlaggare(store: Store, person_id: int | None, namn: str, titel: str | None = None,
                     epost: str | None = None, telefon: str | None = None) -> int:
    """Add a handläggare (``person_id`` None) or change a person's namn, titel, e-post and telefon, which the
    tjänsteskrivelse prints in its header; returns the person's id. One transaction, recorded in the audit trail.
    Rules (store): a name, a usable e-mail address (or none)."""
    return store.save_tjansteperson(person_id, {"namn": namn, "titel": titel, "epost": epost, "telefon": telefon})


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


# --- likely duplicates and merging ------------------------------------------------------------------------------

PERSON_DETAILS = ("titel", "parti", "epost", "telefon")
"""A kept person's empty details are filled in from the merged ones (the name and role stay the kept person's)."""

ELECTED = ("ledamot", "ersattare")
MAX_NAMED = 6
"""How many ärenden, meetings or seats a preview names before it says "och N till"."""


@dataclass(frozen=True)
class DuplicateGroup:
    """Rows that look like one person or one recipient: ``rows`` (as ``store.all_persons()`` or
    ``store.address_book()`` gives them) and ``reason`` ("samma namn", "samma e-post" or both), in Swedish."""
    rows: list
    reason: str


def likely_duplicates(store: Store, kind: str) -> list[DuplicateGroup]:
    """Persons (``kind`` "person") or address-book entries ("mottagare") that are probably the same: the same
    name when case, Unicode form and spaces are ignored ("Akten" and "akten"), or the same e-mail address. A
    tjänsteperson and a förtroendevald are never grouped (they are not merged), nor two recipients of the same
    name at different postal addresses when either is used in a secret case ("Vårdnadshavare 1" of two families
    are two recipients). Largest group first."""
    rows = store.all_persons() if kind == "person" else store.address_book()
    parent = {r["id"]: r["id"] for r in rows}
    reasons: dict[int, set] = {}

    def root(row_id):
        while parent[row_id] != row_id:
            row_id = parent[row_id]
        return row_id

    for key, reason in ((lambda r: identity_key(r["namn"]), "samma namn"),
                        (lambda r: identity_key(r["epost"]) if r["epost"] else None, "samma e-post")):
        buckets: dict = {}
        for row in rows:
            value = key(row)
            side = ("tjansteperson" if row.get("roll") == "tjansteperson" else "vald") if kind == "person" else ""
            if value:
                buckets.setdefault((side, value), []).append(row)
        for bucket in buckets.values():
            private = kind == "mottagare" and reason == "samma namn" and len(bucket) > 1 \
                and any(_in_secret_case(store, r["id"]) for r in bucket)
            for n, row in enumerate(bucket):
                for other in bucket[:n]:
                    if private and _postal(other) != _postal(row):
                        continue   # a name such as "Vårdnadshavare 1" in secret cases: only the same address
                    parent[root(row["id"])] = root(other["id"])
                    reasons.setdefault(other["id"], set()).add(reason)
                    reasons.setdefault(row["id"], set()).add(reason)
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(root(row["id"]), []).append(row)
    found = []
    for members in groups.values():
        if len(members) > 1:
            said = set().union(*(reasons.get(m["id"], set()) for m in members))
            found.append(DuplicateGroup(members, "samma namn och e-post" if len(said) > 1 else said.pop()))
    return sorted(found, key=lambda g: (-len(g.rows), identity_key(g.rows[0]["namn"])))


def _postal(recipient: dict) -> str:
    return identity_key(recipient.get("adress") or "")


def _in_secret_case(store: Store, recipient_id: int) -> list[str]:
    """The secret ärenden and §§ that send a decision to the recipient, named as the preview names them."""
    uses = store.recipient_uses(recipient_id)
    return ([_arende_name(t) for t in uses["tjansteskrivelser"] if t["sekretess"]]
            + [_paragraph_name(p) for p in uses["paragrafer"] if p["sekretess"]])


@dataclass(frozen=True)
class MergePreview:
    """What a merge will do, for the user to read before it is done, and why it cannot be done (``problems``).

    ``kept`` is the kept row as it will be after the merge, ``removed`` the rows that go; ``moves`` lists what
    moves to the kept row as (heading, the things named); ``notes`` what else happens (details filled in, a
    doubled line dropped, an address confirmation to be made again)."""
    kind: str
    kept: dict
    removed: list
    moves: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def describe_person(person: dict) -> str:
    """A person in one line, as the merge preview and the pickers show them: name, title or party, e-mail."""
    role = "tjänsteperson" if person.get("roll") == "tjansteperson" else "förtroendevald"
    parts = [person.get("titel"), f"parti {person['parti']}" if person.get("parti") else None, person.get("epost"),
             person.get("telefon")]
    details = ", ".join(p for p in parts if p)
    return f"{person['namn']} ({role}{', ' + details if details else ''})"


def describe_recipient(recipient: dict) -> str:
    """An address-book entry in one line: name, postal address and e-mail, or that it has neither."""
    parts = [p for p in (recipient.get("adress"), recipient.get("epost")) if p]
    return f"{recipient['namn']}, {', '.join(parts)}" if parts else f"{recipient['namn']} (ingen adress eller e-post)"


def _named(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_NAMED])
    return shown + (f" och {len(items) - MAX_NAMED} till" if len(items) > MAX_NAMED else "")


def _arende_name(row: dict) -> str:
    """An ärende named without disclosing a secret title: its number, or "ett sekretessärende"."""
    if row.get("diarienummer"):
        return row["diarienummer"]
    return "ett sekretessärende" if row.get("sekretess") else f"”{row['rubrik']}”"


def _meeting_name(row: dict) -> str:
    return f"{row['organ']} {row['datum']}"


def _paragraph_name(row: dict) -> str:
    return f"{row['organ']} {row['datum']} § {row['nr']}"


def _seat_text(seat: dict) -> str:
    role = {"ordforande": "ordförande", "vice_ordforande": "vice ordförande", "ledamot": "ledamot",
            "ersattare": "ersättare"}.get(seat["roll"], seat["roll"])
    return f"{role} i {seat['organ']} {seat['fran']} – {seat['till'] or 'tills vidare'}"


def _overlap(a: dict, b: dict) -> bool:
    return a["organ_id"] == b["organ_id"] and a["fran"] <= (b["till"] or "9999-12-31") \
        and b["fran"] <= (a["till"] or "9999-12-31")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _rows_to_merge(getter, keep_id: int, remove_ids, what: str) -> tuple[dict, list]:
    """The kept row and the rows to remove; refused when there is nothing to merge or a row is gone."""
    remove_ids = list(dict.fromkeys(remove_ids))
    if not remove_ids:
        raise NamndtoolError(f"Välj minst två {what} att slå ihop.")
    if keep_id in remove_ids:
        raise NamndtoolError(f"Välj vilken av {what} som ska behållas; den kan inte också tas bort.")
    kept = getter(keep_id)
    removed = [getter(i) for i in remove_ids]
    if kept is None or None in removed:
        raise NotFoundError(f"En av de valda {what} finns inte längre. Uppdatera vyn och försök igen.")
    return kept, removed


def _other_moves(uses: dict, moves: list) -> None:
    for other in uses["ovriga"]:
        moves.append((f"{_count(other['antal'], 'rad', 'rader')} i {other['tabell']}", []))


def person_merge_preview(store: Store, keep_id: int, remove_ids: list[int]) -> MergePreview:
    """What merging the persons ``remove_ids`` into ``keep_id`` will do, and why it may not be done.

    Refused: a tjänsteperson with a förtroendevald; a removed person named in a justerat protokoll (attendance
    or ordförande: a justerat protokoll does not change); two of them in the attendance of the same meeting;
    seats in the same organ at the same time (an identical seat is dropped instead)."""
    kept, removed = _rows_to_merge(store.person, keep_id, remove_ids, "personer")
    preview = MergePreview("person", dict(kept), removed)
    problems, moves, notes = preview.problems, preview.moves, preview.notes
    kinds = {p["roll"] == "tjansteperson" for p in [kept, *removed]}
    if len(kinds) > 1:
        problems.append("En tjänsteperson och en förtroendevald kan inte slås ihop: de är inte samma person här.")
    filled = {}
    for person in removed:
        for column in PERSON_DETAILS:
            if not (kept.get(column) or filled.get(column)) and person.get(column):
                filled[column] = person[column]
    if filled:
        preview.kept.update(filled)
        labels = {"titel": "titel", "parti": "parti", "epost": "e-post", "telefon": "telefon"}
        notes.append("Uppgifter som saknas hos den som behålls tas från de andra: "
                     + ", ".join(f"{labels[c]} {v}" for c, v in filled.items()) + ".")

    seats = [dict(s, person=kept["namn"]) for s in store.person_uses(keep_id)["uppdrag"]]
    attendance = {n["protokoll_id"]: kept for n in store.person_uses(keep_id)["narvaro"]}
    arenden, skrivelser, sessions, chaired, moved_seats = [], [], [], [], []
    for person in removed:
        uses = store.person_uses(person["id"])
        locked = sorted({_meeting_name(n) for n in uses["narvaro"] + uses["ordforande"] if n["justerad"]})
        if locked:
            problems.append(
                f"{describe_person(person)} står i det justerade protokollet från {_named(locked)}, som inte kan "
                "ändras. Behåll den personen i stället, eller låt båda finnas kvar.")
        for n in uses["narvaro"]:
            other = attendance.setdefault(n["protokoll_id"], person)
            if other is not person and not n["justerad"]:
                problems.append(f"Både {other['namn']} och {person['namn']} står i närvaron för {_meeting_name(n)}. "
                                "Ta bort den ena raden ur närvaron först.")
        for seat in uses["uppdrag"]:
            same = next((s for s in seats if _overlap(s, seat)), None)
            if same is None:
                seats.append(dict(seat, person=person["namn"]))
                moved_seats.append(_seat_text(seat))
            elif (same["roll"], same["fran"], same["till"]) == (seat["roll"], seat["fran"], seat["till"]):
                notes.append(f"Uppdraget som {_seat_text(seat)} finns redan hos den som behålls; dubbletten tas bort.")
            else:
                problems.append(f"{same['person']} och {person['namn']} har uppdrag i {seat['organ']} under samma tid "
                                f"({_seat_text(same)}; {_seat_text(seat)}). Ändra eller avsluta det ena först.")
        arenden += [_arende_name(a) for a in uses["arenden"]]
        skrivelser += [_arende_name(t) for t in uses["tjansteskrivelser"]]
        sessions += [_meeting_name(n) for n in uses["narvaro"]]
        chaired += [_meeting_name(s) for s in uses["ordforande"]]
        _other_moves(uses, moves)
    for items, one, many in ((arenden, "Handläggare för 1 ärende", "Handläggare för {} ärenden"),
                             (skrivelser, "Handläggare i 1 tjänsteskrivelse", "Handläggare i {} tjänsteskrivelser"),
                             (moved_seats, "1 uppdrag", "{} uppdrag"),
                             (sessions, "Närvaro vid 1 sammanträde", "Närvaro vid {} sammanträden"),
                             (chaired, "Ordförande för 1 sammanträde", "Ordförande för {} sammanträden")):
        if items:
            moves.append((one if len(items) == 1 else many.format(len(items)), items))
    return preview


def merge_persons(store: Store, keep_id: int, remove_ids: list[int]) -> MergePreview:
    """Merge the persons ``remove_ids`` into ``keep_id``: every reference (ärenden and tjänsteskrivelser as
    handläggare, seats, attendance, ordförande, and any other) moves to the kept person, whose missing details are
    filled in, and the others are removed; the audit trail records them. Rules: :func:`person_merge_preview`.
    Returns the preview that was carried out."""
    with store.write():
        preview = person_merge_preview(store, keep_id, remove_ids)
        if preview.problems:
            raise NamndtoolError("Personerna slås inte ihop. " + " ".join(preview.problems))
        details = {c: preview.kept[c] for c in PERSON_DETAILS if preview.kept.get(c) != store.person(keep_id).get(c)}
        store.merge_persons(keep_id, [p["id"] for p in preview.removed], details)
    return preview


def recipient_merge_preview(store: Store, keep_id: int, remove_ids: list[int]) -> MergePreview:
    """What merging the address-book entries ``remove_ids`` into ``keep_id`` will do, and why it may not be done.

    Refused: a removed entry among the recipients of a justerat protokoll (a justerat protokoll does not change),
    one an utdrag has been sent to (where a decision went must stay as it was recorded), or one that receives
    decisions in a secret case at another postal address than the kept entry's (a decision about a child must not
    change address through a merge). Every decision that
    named a removed entry is sent to the kept entry's address afterwards: the preview says so."""
    kept, removed = _rows_to_merge(store.recipient, keep_id, remove_ids, "mottagare")
    preview = MergePreview("mottagare", dict(kept), removed)
    problems, moves, notes = preview.problems, preview.moves, preview.notes
    kept_uses = store.recipient_uses(keep_id)
    kept_skrivelser = {t["tjansteskrivelse_id"] for t in kept_uses["tjansteskrivelser"]}
    kept_paragrafer = {p["paragraf_id"] for p in kept_uses["paragrafer"]}
    skrivelser, paragrafer, utskick = [], [], []
    for recipient in removed:
        uses = store.recipient_uses(recipient["id"])
        locked = [_paragraph_name(p) for p in uses["paragrafer"] if p["justerad"]]
        if locked:
            problems.append(
                f"{describe_recipient(recipient)} står bland mottagarna i justerade protokoll ({_named(locked)}), "
                "som inte kan ändras. Behåll den mottagaren i stället, eller låt båda finnas kvar.")
        secret = _in_secret_case(store, recipient["id"])
        if secret and _postal(recipient) != _postal(kept):
            problems.append(
                f"{describe_recipient(recipient)} får beslut i sekretessärenden ({_named(secret)}) och har en annan "
                "postadress än den som behålls. Ett beslut om en enskild får inte byta adress genom en "
                "sammanslagning: ändra mottagaren i ärendet, om adressen verkligen är en annan.")
        sent = [_paragraph_name(u) for u in uses["utskick"] if u["skickat"]]
        if sent:
            problems.append(
                f"Protokollsutdrag har redan skickats till {describe_recipient(recipient)} ({_named(sent)}); vart "
                "de skickades ska gå att se. Behåll den mottagaren i stället, eller låt båda finnas kvar.")
        for t in uses["tjansteskrivelser"]:
            if t["tjansteskrivelse_id"] in kept_skrivelser:
                notes.append(f"{_arende_name(t)} skickar redan beslutet till den som behålls: raden med "
                             f"{recipient['namn']} tas bort.")
            else:
                skrivelser.append(_arende_name(t))
                kept_skrivelser.add(t["tjansteskrivelse_id"])
        other_address = nfc(recipient["adress"] or "") != nfc(kept["adress"] or "")
        for p in uses["paragrafer"]:
            if p["paragraf_id"] in kept_paragrafer:
                notes.append(f"{_paragraph_name(p)} har redan den som behålls bland mottagarna: raden med "
                             f"{recipient['namn']} tas bort.")
                continue
            paragrafer.append(_paragraph_name(p))
            kept_paragrafer.add(p["paragraf_id"])
            if other_address and p["adress_bekraftad"]:
                notes.append(f"Adressen i {_paragraph_name(p)} var bekräftad för {describe_recipient(recipient)}. "
                             "Den som behålls har en annan adress, så den behöver bekräftas på nytt.")
        utskick += [_paragraph_name(u) for u in uses["utskick"]]
        _other_moves(uses, moves)
    for items, one, many in (
            (skrivelser, "Beslutet skickas till, i 1 tjänsteskrivelse", "Beslutet skickas till, i {} tjänsteskrivelser"),
            (paragrafer, "Mottagare i 1 paragraf", "Mottagare i {} paragrafer"),
            (utskick, "1 protokollsutdrag i utskickslistan", "{} protokollsutdrag i utskickslistan")):
        if items:
            moves.append((one if len(items) == 1 else many.format(len(items)), items))
    if skrivelser or paragrafer:
        notes.insert(0, f"De besluten skickas i fortsättningen till {describe_recipient(kept)}.")
    return preview


def merge_recipients(store: Store, keep_id: int, remove_ids: list[int]) -> MergePreview:
    """Merge the address-book entries ``remove_ids`` into ``keep_id``: every tjänsteskrivelse, § and utdrag that
    named one of them names the kept entry (a line already there is not doubled), and they are removed; the audit
    trail records them. Rules: :func:`recipient_merge_preview`. Returns the preview that was carried out."""
    with store.write():
        preview = recipient_merge_preview(store, keep_id, remove_ids)
        if preview.problems:
            raise NamndtoolError("Mottagarna slås inte ihop. " + " ".join(preview.problems))
        store.merge_recipients(keep_id, [r["id"] for r in preview.removed])
    return preview


def suggested_keep(store: Store, kind: str, ids: list[int]) -> int:
    """Which of ``ids`` to keep when merging, as the dialog proposes it: one a justerat protokoll names (it
    cannot be merged away), then the one with the most details, then the most used, then the oldest."""
    def score(row_id):
        if kind == "person":
            row, uses = store.person(row_id), store.person_uses(row_id)
            locked = any(n["justerad"] for n in uses["narvaro"] + uses["ordforande"])
            details = sum(bool(row.get(c)) for c in PERSON_DETAILS)
        else:
            row, uses = store.recipient(row_id), store.recipient_uses(row_id)
            locked = any(p["justerad"] for p in uses["paragrafer"]) or any(u["skickat"] for u in uses["utskick"])
            details = bool(row.get("adress")) + bool(row.get("epost"))
        used = sum(len(v) for k, v in uses.items() if k != "ovriga")
        return (not locked, -details, -used, row_id)
    return min(ids, key=score)


# --- a new mandate period ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Renewal:
    """A seat that can be renewed for a new period (``seat`` as ``store.organ_seats()`` gives it), and the reason
    it cannot (``problem``, None when it can)."""
    seat: dict
    problem: str | None = None


def renewal_preview(store: Store, organ_id: int, fran: str, till: str | None) -> list[Renewal]:
    """The seats of an organ that run on the day before ``fran`` (the period that ends), each with what stops it
    from being renewed: the person already has another seat in the organ during the new period."""
    check_period(fran, till, "Den nya mandatperioden", "den")
    day_before = (dt.date.fromisoformat(fran) - dt.timedelta(days=1)).isoformat()
    found = []
    for seat in store.organ_seats(organ_id, day_before):
        others = [s for s in store.seats_overlapping(seat["id"], organ_id, fran, till) if s["id"] != seat["uppdrag_id"]]
        problem = None
        if others:
            problem = (f"{seat['namn']} har redan ett uppdrag i organet från {others[0]['fran']} "
                       "under den nya perioden.")
        found.append(Renewal(seat, problem))
    return found


def renew_seats(store: Store, organ_id: int, seat_ids: list[int], fran: str, till: str | None) -> list[int]:
    """Renew the chosen seats of an organ for a new mandate period from ``fran`` to ``till``: each person gets a
    new seat with the same role (ordförande, vice ordförande, ledamot, ersättare), and the old seat ends the day
    before ``fran``. Rules: at least one seat; each one of the organ's seats running the day before ``fran``
    (:func:`renewal_preview`) and renewable; the period ends no earlier than it begins. Returns the new seats'
    ids, all or none."""
    if not seat_ids:
        raise NamndtoolError("Välj vilka uppdrag som ska förnyas.")
    with store.write():
        renewable = {r.seat["uppdrag_id"]: r for r in renewal_preview(store, organ_id, fran, till)}
        problems = []
        for seat_id in dict.fromkeys(seat_ids):
            renewal = renewable.get(seat_id)
            if renewal is None:
                problems.append(f"Uppdraget med id {seat_id} gäller inte i organet dagen före {fran}.")
            elif renewal.problem:
                problems.append(renewal.problem)
        if problems:
            raise NamndtoolError("Inga uppdrag har förnyats. " + " ".join(problems))
        return store.renew_seats(list(dict.fromkeys(seat_ids)), fran, till)
