"""Nämnder, their organs (the nämnd itself and its utskott), people and their seats, and the address book."""

import datetime as dt
import re
import unicodedata

from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.store.base import StoreBase
from nämndtool.text import nfc


class NamnderMixin(StoreBase):
    def known_codes(self) -> list[str]:
        return [r["kod"] for r in self.rows("SELECT kod FROM namnd ORDER BY kod")]

    def namnder(self) -> list[dict]:
        return self.rows("SELECT * FROM namnd ORDER BY namn")

    def namnd(self, namnd_id: int) -> dict | None:
        return self.row("SELECT * FROM namnd WHERE id = ?", (namnd_id,))

    def namnd_by_kod(self, kod: str) -> dict | None:
        return self.row("SELECT * FROM namnd WHERE kod = ?", (nfc(kod).upper(),))

    def the_namnd(self, kod: str | None = None) -> dict:
        """The nämnd named by ``kod``, or the only one when the store holds exactly one."""
        if kod:
            found = self.namnd_by_kod(kod)
            if not found:
                known = ", ".join(self.known_codes()) or "inga"
                raise NotFoundError(f"Nämnden med koden {kod} finns inte i registret (kända koder: {known}).")
            return found
        all_ = self.namnder()
        if not all_:
            raise NotFoundError(
                "Registret har ingen nämnd ännu. Skapa en med 'namndtool init --name Socialnämnden --code SOCN'."
            )
        if len(all_) > 1:
            raise NamndtoolError(
                "Registret har flera nämnder: ange vilken med --namnd KOD "
                f"({', '.join(n['kod'] for n in all_)})."
            )
        return all_[0]

    def save_namnd(self, kod: str, namn: str | None = None, **fields) -> int:
        """Create the nämnd with this code, or update the fields given (None leaves a field as it is).

        A new nämnd gets its organ for the nämnd itself, named like the nämnd.
        """
        given = {k: v for k, v in {"namn": namn, **fields}.items() if v is not None}
        with self.write():
            existing = self.namnd_by_kod(kod)
            if existing:
                self.update("namnd", {"id": existing["id"]}, given)
                return existing["id"]
            if not namn:
                raise NamndtoolError(f"Nämnden {kod} finns inte ännu och behöver ett namn (--name).")
            namnd_id = self.insert("namnd", {"kod": nfc(kod).upper(), **given})
            self.insert("organ", {"namnd_id": namnd_id, "namn": namn, "typ": "namnd"})
            return namnd_id

    def organ(self, namnd_id: int, namn: str) -> dict | None:
        """The nämnd's organ with this name, compared as names are (``identity_key``: Unicode form, case, spaces)."""
        return self.row(
            "SELECT * FROM organ WHERE namnd_id = ? AND identity_key(namn) = identity_key(?) ORDER BY id LIMIT 1",
            (namnd_id, namn),
        )

    def organs(self, namnd_id: int) -> list[dict]:
        return self.rows("SELECT * FROM organ WHERE namnd_id = ? ORDER BY typ = 'utskott', namn", (namnd_id,))

    def ensure_organ(self, namnd_id: int, namn: str) -> int:
        """The organ of this nämnd with this name; an unknown name becomes an utskott of the nämnd."""
        with self.write():
            found = self.organ(namnd_id, namn)
            if found:
                return found["id"]
            return self.insert("organ", {"namnd_id": namnd_id, "namn": namn, "typ": "utskott"})

    def ensure_person(self, namn: str, **fields) -> int:
        """The person with this name and these details, created when there is none.

        Matching on every given detail keeps namesakes apart (two Matilda Johansson with different e-mail); each is
        compared as names are (``identity_key``), so "Åsa" typed decomposed or in capitals is the same person.
        """
        key = {"namn": namn, **fields}
        with self.write():
            found = self.row(
                f"SELECT id FROM person WHERE {_same('person', key)} ORDER BY id LIMIT 1",
                list(key.values()),
            )
            if found:
                return found["id"]
            return self.insert("person", key)

    def handlaggare_by_name(self, namn: str) -> int:
        """The tjänsteperson with this name (any case); a new one is registered when there is none."""
        found = self.rows(
            "SELECT id, epost FROM person WHERE roll = 'tjansteperson' AND identity_key(namn) = identity_key(?)",
            (namn,),
        )
        if len(found) > 1:
            emails = ", ".join(p["epost"] or "utan e-post" for p in found)
            raise NamndtoolError(
                f"Det finns {len(found)} handläggare som heter {namn} ({emails}). "
                "Välj handläggaren i programmet, där de skiljs åt."
            )
        if found:
            return found[0]["id"]
        with self.write():
            return self.insert("person", {"namn": namn, "roll": "tjansteperson"})

    def person(self, person_id: int | None) -> dict | None:
        if person_id is None:
            return None
        return self.row("SELECT * FROM person WHERE id = ?", (person_id,))

    def add_seat(self, person_id: int, organ_id: int, roll: str, fran: str, till: str | None = None) -> int:
        with self.write():
            return self.insert(
                "uppdrag", {"person_id": person_id, "organ_id": organ_id, "roll": roll, "fran": fran, "till": till}
            )

    def roster(self, organ_id: int, on_date: str) -> list[dict]:
        """Ledamöter and ersättare of an organ on a date, ordförande first."""
        return self.rows(
            """SELECT p.*, u.roll AS uppdrag_roll, u.fran, u.till FROM uppdrag u JOIN person p ON p.id = u.person_id
               WHERE u.organ_id = ? AND u.fran <= ? AND (u.till IS NULL OR u.till >= ?)
               ORDER BY CASE u.roll WHEN 'ordforande' THEN 0 WHEN 'vice_ordforande' THEN 1
                                    WHEN 'ledamot' THEN 2 ELSE 3 END, p.namn""",
            (organ_id, on_date, on_date),
        )

    def ensure_recipient(self, namn: str, adress: str | None = None, epost: str | None = None) -> int:
        """The address-book entry with this name, address and e-mail, created when there is none.

        Compared in one Unicode form but with case kept: the name is printed under "Beslutet skickas till" as
        written, and a kansli that writes "akten" beside "Akten" means it.
        """
        with self.write():
            found = self.row(
                f"SELECT id FROM mottagare WHERE {_same('mottagare', ('namn', 'adress', 'epost'), 'nfc')} "
                "ORDER BY id LIMIT 1",
                (namn, adress, epost),
            )
            if found:
                return found["id"]
            return self.insert("mottagare", {"namn": namn, "adress": adress, "epost": epost})

    def same_recipient(self, namn: str, adress: str | None = None, epost: str | None = None) -> int:
        """The address-book entry an imported recipient is, created when there is none: name, address and e-mail
        each compared as the duplicate detection compares names (``identity_key``), so a recipient merged into
        "Akten" is found again for "akten"; a namesake at another address or e-mail (a missing one matches only a
        missing one) stays a recipient of its own. Among several, the exact spelling first, then the oldest."""
        with self.write():
            found = self.row(
                f"SELECT id FROM mottagare WHERE {_same('mottagare', ('namn', 'adress', 'epost'))} "
                "ORDER BY nfc(namn) IS NOT nfc(?), id LIMIT 1",
                (namn, adress, epost, namn),
            )
            if found:
                return found["id"]
            return self.insert("mottagare", {"namn": namn, "adress": adress, "epost": epost})

    def recipients(self) -> list[dict]:
        return self.rows("SELECT * FROM mottagare ORDER BY namn, adress")

    # --- roster editing -------------------------------------------------------

    def all_organs(self) -> list[dict]:
        """Every organ of every nämnd, the nämnd itself before its utskott."""
        return self.rows(
            """SELECT o.*, n.namn AS namnd, n.kod AS namnd_kod FROM organ o JOIN namnd n ON n.id = o.namnd_id
               ORDER BY n.namn, o.typ = 'utskott', o.namn"""
        )

    def organ_seats(self, organ_id: int, on_date: str | None = None) -> list[dict]:
        """The seats of an organ with their people (``uppdrag_id``, ``uppdrag_roll``, ``fran``, ``till``), ordförande
        first; only those valid on ``on_date`` when given."""
        where = "u.organ_id = ?"
        params: list = [organ_id]
        if on_date:
            where += " AND u.fran <= ? AND (u.till IS NULL OR u.till >= ?)"
            params += [on_date, on_date]
        found = self.rows(
            f"""SELECT p.*, u.id AS uppdrag_id, u.organ_id, u.roll AS uppdrag_roll, u.fran, u.till
                FROM uppdrag u JOIN person p ON p.id = u.person_id WHERE {where}""",
            params,
        )
        return sorted(found, key=lambda s: (SEAT_ROLES.index(s["uppdrag_roll"]), swedish_key(s["namn"]), s["fran"]))

    def seat(self, seat_id: int) -> dict:
        found = self.row(
            """SELECT p.*, u.id AS uppdrag_id, u.organ_id, u.roll AS uppdrag_roll, u.fran, u.till
               FROM uppdrag u JOIN person p ON p.id = u.person_id WHERE u.id = ?""", (seat_id,))
        if not found:
            raise NotFoundError(f"Uppdraget med id {seat_id} finns inte längre. Uppdatera vyn och försök igen.")
        return found

    def elected_people(self) -> list[dict]:
        """Förtroendevalda (ledamöter and ersättare), for choosing who gets a new seat."""
        found = self.rows("SELECT * FROM person WHERE roll IN ('ledamot', 'ersattare') ORDER BY id")
        return sorted(found, key=lambda p: swedish_key(p["namn"]))

    def update_person(self, person_id: int, changes: dict) -> None:
        """Change a person's name, title, party, e-mail or telephone; empty text is stored as nothing."""
        values = {c: _blank_to_none(v) for c, v in changes.items() if c in PERSON_COLUMNS}
        if "namn" in values and not values["namn"]:
            raise NamndtoolError("Personen måste ha ett namn.")
        problem = email_problem(values.get("epost"))
        if problem:
            raise NamndtoolError(problem)
        with self.write():
            if self.person(person_id) is None:
                raise NotFoundError(f"Personen med id {person_id} finns inte längre. Uppdatera vyn och försök igen.")
            self.update("person", {"id": person_id}, values)

    def save_tjansteperson(self, person_id: int | None, details: dict) -> int:
        """Add a tjänsteperson (``person_id`` None) or change a person's namn, titel, e-post and telefon (what the
        tjänsteskrivelse prints of its handläggare), with a row in the audit trail; returns the person's id. Empty
        text is stored as nothing; a name and a usable e-mail address are required."""
        values = {c: _blank_to_none(details.get(c)) for c in HANDLAGGARE_COLUMNS}
        if not values["namn"]:
            raise NamndtoolError("Skriv handläggarens namn.")
        problem = email_problem(values["epost"])
        if problem:
            raise NamndtoolError(problem)
        with self.write():
            if person_id is None:
                person_id = self.insert("person", {**values, "roll": "tjansteperson"})
                self._log("person", "ny", None, self.person(person_id))
                return person_id
            before = self.person(person_id)
            if before is None:
                raise NotFoundError(f"Personen med id {person_id} finns inte längre. Uppdatera vyn och försök igen.")
            self.update("person", {"id": person_id}, values)
            self._log("person", "ändrad", before, self.person(person_id))
            return person_id

    def update_seat(self, seat_id: int, roll: str, fran: str, till: str | None) -> None:
        _check_seat(roll, fran, till)
        with self.write():
            self.seat(seat_id)
            self.update("uppdrag", {"id": seat_id}, {"roll": roll, "fran": fran, "till": till})

    def end_seat(self, seat_id: int, till: str) -> None:
        """End a seat on ``till`` (its last day)."""
        with self.write():
            seat = self.seat(seat_id)
            _check_seat(seat["uppdrag_roll"], seat["fran"], till)
            self.update("uppdrag", {"id": seat_id}, {"till": till})

    def new_seat(self, organ_id: int, person_id: int | None, person: dict, roll: str, fran: str,
                 till: str | None = None) -> int:
        """A seat for an existing person (whose details are updated from ``person``) or a new one."""
        _check_seat(roll, fran, till)
        with self.write():
            if person_id is None:
                if not (person.get("namn") or "").strip():
                    raise NamndtoolError("Personen måste ha ett namn.")
                problem = email_problem(person.get("epost"))
                if problem:
                    raise NamndtoolError(problem)
                values = {c: _blank_to_none(v) for c, v in person.items() if c in PERSON_COLUMNS}
                person_id = self.insert("person", {**values, "roll": "ersattare" if roll == "ersattare" else "ledamot"})
            else:
                self.update_person(person_id, person)
            overlapping = self.row(
                """SELECT fran FROM uppdrag WHERE person_id = ? AND organ_id = ?
                   AND fran <= coalesce(?, '9999-12-31') AND coalesce(till, '9999-12-31') >= ?""",
                (person_id, organ_id, till, fran),
            )
            if overlapping:
                raise NamndtoolError(
                    f"{self.person(person_id)['namn']} har redan ett uppdrag i organet som gäller under samma tid "
                    f"(från {overlapping['fran']}). Ändra eller avsluta det uppdraget i stället."
                )
            return self.add_seat(person_id, organ_id, roll, fran, till)

    def renew_seats(self, seat_ids: list[int], fran: str, till: str | None) -> list[int]:
        """A new seat from ``fran`` to ``till`` for each seat's person in its organ, with the same role; a seat
        still running on ``fran`` ends the day before. Returns the new seats' ids (the operation holds the rules;
        the table refuses overlapping starts and a seat that ends before it begins)."""
        last_day = (dt.date.fromisoformat(fran) - dt.timedelta(days=1)).isoformat()
        created = []
        with self.write():
            for seat_id in seat_ids:
                seat = self.seat(seat_id)
                if seat["till"] is None or seat["till"] >= fran:
                    self.update("uppdrag", {"id": seat_id}, {"till": last_day})
                created.append(self.add_seat(seat["id"], seat["organ_id"], seat["uppdrag_roll"], fran, till))
        return created

    def seats_overlapping(self, person_id: int, organ_id: int, fran: str, till: str | None) -> list[dict]:
        """The person's seats in the organ that are valid on some day from ``fran`` to ``till`` (None: open)."""
        return self.rows(
            """SELECT * FROM uppdrag WHERE person_id = ? AND organ_id = ?
               AND fran <= coalesce(?, '9999-12-31') AND coalesce(till, '9999-12-31') >= ? ORDER BY fran""",
            (person_id, organ_id, till, fran))

    # --- address book ---------------------------------------------------------

    def address_book(self) -> list[dict]:
        """The recipients in Swedish order, with how many tjänsteskrivelser name them (``anvands``) and whether
        every one of those belongs to a secret ärende (``sekretess``): a private person's address used only in
        secret cases is itself sensitive, while Akten, used everywhere, is not."""
        found = self.rows(
            """SELECT m.*, count(DISTINCT b.tjansteskrivelse_id) AS anvands,
                      coalesce(min(a.sekretess), 0) AS sekretess
               FROM mottagare m
               LEFT JOIN beslutsmottagare b ON b.mottagare_id = m.id
               LEFT JOIN tjansteskrivelse t ON t.id = b.tjansteskrivelse_id
               LEFT JOIN arende a ON a.id = t.arende_id
               GROUP BY m.id"""
        )
        return sorted(found, key=lambda r: (swedish_key(r["namn"]), swedish_key(r["adress"] or "")))

    def recipient(self, recipient_id: int) -> dict:
        found = self.row("SELECT * FROM mottagare WHERE id = ?", (recipient_id,))
        if not found:
            raise NotFoundError(f"Mottagaren med id {recipient_id} finns inte längre. Uppdatera vyn och försök igen.")
        return found

    def add_recipient(self, namn: str, adress: str | None = None, epost: str | None = None) -> int:
        """A new address-book entry; the same name, address and e-mail twice is refused."""
        namn, adress, epost = _recipient_values(namn, adress, epost)
        with self.write():
            self._refuse_duplicate_recipient(None, namn, adress, epost)
            return self.insert("mottagare", {"namn": namn, "adress": adress, "epost": epost})

    def update_recipient(self, recipient_id: int, namn: str, adress: str | None, epost: str | None) -> None:
        namn, adress, epost = _recipient_values(namn, adress, epost)
        with self.write():
            self.recipient(recipient_id)
            self._refuse_duplicate_recipient(recipient_id, namn, adress, epost)
            self.update("mottagare", {"id": recipient_id}, {"namn": namn, "adress": adress, "epost": epost})

    def delete_recipient(self, recipient_id: int) -> None:
        """Remove an address-book entry; one that a tjänsteskrivelse sends its decision to is refused."""
        with self.write():
            recipient = self.recipient(recipient_id)
            users = self.rows(
                """SELECT a.sekretess, an.diarienummer, a.rubrik
                   FROM beslutsmottagare b JOIN tjansteskrivelse t ON t.id = b.tjansteskrivelse_id
                   JOIN arende a ON a.id = t.arende_id JOIN arende_nummer an ON an.arende_id = a.id
                   WHERE b.mottagare_id = ? GROUP BY t.id, a.id, an.diarienummer ORDER BY a.ar, a.lopnr""",
                (recipient_id,),
            )
            if users:
                named = ", ".join(u["diarienummer"] or ("ett sekretessärende" if u["sekretess"] else f"”{u['rubrik']}”")
                                  for u in users[:5])
                more = " med flera" if len(users) > 5 else ""
                which = "en tjänsteskrivelse" if len(users) == 1 else f"{len(users)} tjänsteskrivelser"
                raise NamndtoolError(
                    f"”{recipient['namn']}” kan inte tas bort: mottagaren står under ”Beslutet skickas till” i "
                    f"{which} ({named}{more}). Ta bort mottagaren ur tjänsteskrivelserna först."
                )
            self.execute("DELETE FROM mottagare WHERE id = ?", (recipient_id,))

    def _refuse_duplicate_recipient(self, recipient_id, namn, adress, epost) -> None:
        found = self.row(
            """SELECT id FROM mottagare WHERE nfc(namn) = nfc(?) AND nfc(coalesce(adress, '')) = nfc(coalesce(?, ''))
               AND nfc(coalesce(epost, '')) = nfc(coalesce(?, '')) AND id IS NOT ?""",
            (namn, adress, epost, recipient_id),
        )
        if found:
            raise NamndtoolError(f"”{namn}” med samma adress och e-post finns redan i adressboken.")


PERSON_COLUMNS = ("namn", "titel", "parti", "epost", "telefon")
HANDLAGGARE_COLUMNS = ("namn", "titel", "epost", "telefon")
"""What a handläggare's own details are: the tjänsteskrivelse prints them in its header."""


def _same(table: str, columns, key: str = "identity_key") -> str:
    """A WHERE clause matching every column of ``table`` to a parameter through the SQL function ``key``
    (``identity_key``: Unicode form, case and spaces do not matter; ``nfc``: only the Unicode form does not). A
    missing value matches only a missing value."""
    return " AND ".join(f"{key}({table}.{c}) IS {key}(?)" for c in columns)
SEAT_ROLES = ("ordforande", "vice_ordforande", "ledamot", "ersattare")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def email_problem(epost: str | None) -> str | None:
    """A Swedish sentence when ``epost`` is not an e-mail address; None when it is, or when it is empty."""
    text = (epost or "").strip()
    if not text or _EMAIL.fullmatch(text):
        return None
    return f"”{text}” är ingen e-postadress. Skriv den som namn@exempel.se, eller lämna fältet tomt."


_AFTER_Z = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ł": "l", "đ": "d"})


def swedish_key(text: str) -> str:
    """Sort key for names as a Swedish reader expects: case does not matter, å ä ö come after z, and other
    accented letters sort with their base letter (Édith with E, Şahin with S)."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(_AFTER_Z)
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


def _blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _recipient_values(namn, adress, epost) -> tuple[str, str | None, str | None]:
    namn = (namn or "").strip()
    if not namn:
        raise NamndtoolError("Mottagaren måste ha ett namn.")
    problem = email_problem(epost)
    if problem:
        raise NamndtoolError(problem)
    return namn, _blank_to_none(adress), _blank_to_none(epost)


def check_period(fran: str, till: str | None, what: str = "Uppdraget", it: str = "det") -> None:
    """Refuse dates that are not ÅÅÅÅ-MM-DD, or a period (``what``, referred back to as ``it``) that ends before
    it begins; ``till`` None is open-ended."""
    try:
        start = dt.date.fromisoformat(fran)
        end = dt.date.fromisoformat(till) if till else None
    except (TypeError, ValueError):
        raise NamndtoolError("Ange datumen som ÅÅÅÅ-MM-DD.") from None
    if end and end < start:
        raise NamndtoolError(f"{what} kan inte sluta ({till}) innan {it} börjar ({fran}).")


def _check_seat(roll: str, fran: str, till: str | None) -> None:
    if roll not in SEAT_ROLES:
        raise NamndtoolError(f"Okänt uppdrag {roll!r}: välj ordförande, vice ordförande, ledamot eller ersättare.")
    check_period(fran, till)
