"""Nämnder, their organs (the nämnd itself and its utskott), people and their seats."""

from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.store.base import StoreBase


class NamnderMixin(StoreBase):
    def known_codes(self) -> list[str]:
        return [r["kod"] for r in self.rows("SELECT kod FROM namnd ORDER BY kod")]

    def namnder(self) -> list[dict]:
        return self.rows("SELECT * FROM namnd ORDER BY namn")

    def namnd_by_kod(self, kod: str) -> dict | None:
        return self.row("SELECT * FROM namnd WHERE kod = ?", (kod.upper(),))

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
                "Registret har ingen nämnd ännu. Skapa en med 'namndtool init --namn Socialnämnden --kod SOCN'."
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
                raise NamndtoolError(f"Nämnden {kod} finns inte ännu och behöver ett namn (--namn).")
            namnd_id = self.insert("namnd", {"kod": kod.upper(), **given})
            self.insert("organ", {"namnd_id": namnd_id, "namn": namn, "typ": "namnd"})
            return namnd_id

    def organ(self, namnd_id: int, namn: str) -> dict | None:
        return self.row("SELECT * FROM organ WHERE namnd_id = ? AND namn = ?", (namnd_id, namn))

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
        """The person with exactly this name and these details, created when there is none.

        Matching on every given detail keeps namesakes apart (two Matilda Johansson with different e-mail).
        """
        key = {"namn": namn, **fields}
        with self.write():
            found = self.row(
                f"SELECT id FROM person WHERE {' AND '.join(f'{c} IS ?' for c in key)} ORDER BY id LIMIT 1",
                list(key.values()),
            )
            if found:
                return found["id"]
            return self.insert("person", key)

    def handlaggare_by_name(self, namn: str) -> int:
        """The tjänsteperson with this name (any case); a new one is registered when there is none."""
        found = self.rows(
            "SELECT id, epost FROM person WHERE roll = 'tjansteperson' AND lower(namn) = lower(?)", (namn,)
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
        """The address-book entry with exactly this name, address and e-mail, created when there is none."""
        with self.write():
            found = self.row(
                "SELECT id FROM mottagare WHERE namn = ? AND adress IS ? AND epost IS ?", (namn, adress, epost)
            )
            if found:
                return found["id"]
            return self.insert("mottagare", {"namn": namn, "adress": adress, "epost": epost})

    def recipients(self) -> list[dict]:
        return self.rows("SELECT * FROM mottagare ORDER BY namn, adress")
