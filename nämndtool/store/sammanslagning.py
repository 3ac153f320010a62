"""Merging duplicate people and address-book entries, and what refers to each (for the merge's preview).

A merge moves every reference to the removed rows onto the kept row and deletes the removed rows, in one
transaction. Which columns refer to ``person`` or ``mottagare`` is read from the schema (every foreign key), so a
table a later migration adds is moved too. Where two rows would then say the same thing (an identical seat, a
recipient listed twice for one decision) the removed row's copy goes. The removed rows are written to the audit
trail (``andring``: table, ``borttagen``, the row before, and in ``efter`` whom it was merged into and what moved),
with the OS user and the time; the changes to ärenden, tjänsteskrivelser, recipients and attendance are logged by
their own triggers (db/005). The rules (what is refused) belong to ``operations.people``; the triggers of db/003
refuse a change to a justerat protokoll whatever the caller.
"""

import json

from nämndtool.store.base import StoreBase
from nämndtool.text import nfc

_KNOWN = {
    "person": {("arende", "handlaggare_id"), ("tjansteskrivelse", "handlaggare_id"), ("sammantrade", "ordforande_id"),
               ("narvaro", "person_id"), ("uppdrag", "person_id")},
    "mottagare": {("beslutsmottagare", "mottagare_id"), ("paragraf_mottagare", "mottagare_id"),
                  ("utskick", "mottagare_id")},
}
"""The references the merge knows how to present and de-duplicate; any other foreign key is moved as it is."""


class SammanslagningMixin(StoreBase):
    def foreign_keys_to(self, table: str) -> list[tuple[str, str]]:
        """Every (table, column) of the schema that refers to ``table``."""
        return [(r["tabell"], r["kolumn"]) for r in self.rows(
            """SELECT m.name AS tabell, f."from" AS kolumn FROM sqlite_master m, pragma_foreign_key_list(m.name) f
               WHERE m.type = 'table' AND f."table" = ? ORDER BY m.name, f."from" """, (table,))]

    def other_references(self, table: str, row_id: int) -> list[dict]:
        """References to a row from tables the merge does not present one by one: ``tabell``, ``kolumn``,
        ``antal``."""
        found = []
        for other, column in self.foreign_keys_to(table):
            if (other, column) in _KNOWN[table]:
                continue
            count = self.value(f'SELECT count(*) FROM "{other}" WHERE "{column}" = ?', (row_id,))
            if count:
                found.append({"tabell": other, "kolumn": column, "antal": count})
        return found

    # --- what refers to a person or a recipient --------------------------------------------------------------------

    def person_uses(self, person_id: int) -> dict:
        """What refers to a person: ``arenden`` (handläggare), ``tjansteskrivelser`` (handläggare), ``uppdrag``
        (seats, with ``organ``), ``narvaro`` and ``ordforande`` (meetings, with ``organ``, ``datum`` and
        ``justerad``), ``ovriga`` (:meth:`other_references`)."""
        key = (person_id,)
        return {
            "arenden": self.rows(
                """SELECT a.id, an.diarienummer, a.rubrik, a.sekretess FROM arende a
                   JOIN arende_nummer an ON an.arende_id = a.id WHERE a.handlaggare_id = ?
                   ORDER BY a.ar, a.lopnr, a.id""", key),
            "tjansteskrivelser": self.rows(
                """SELECT t.id, t.arende_id, an.diarienummer, a.rubrik, a.sekretess FROM tjansteskrivelse t
                   JOIN arende a ON a.id = t.arende_id JOIN arende_nummer an ON an.arende_id = a.id
                   WHERE t.handlaggare_id = ? ORDER BY a.ar, a.lopnr, a.id""", key),
            "uppdrag": self.rows(
                """SELECT u.*, o.namn AS organ FROM uppdrag u JOIN organ o ON o.id = u.organ_id
                   WHERE u.person_id = ? ORDER BY o.namn, u.fran""", key),
            "narvaro": self.rows(
                """SELECT n.id, n.protokoll_id, s.id AS sammantrade_id, s.datum, o.namn AS organ, k.justerad
                   FROM narvaro n JOIN protokoll k ON k.id = n.protokoll_id JOIN sammantrade s ON s.id = k.sammantrade_id
                   JOIN organ o ON o.id = s.organ_id WHERE n.person_id = ? ORDER BY s.datum, n.nr""", key),
            "ordforande": self.rows(
                """SELECT s.id AS sammantrade_id, s.datum, o.namn AS organ, k.justerad
                   FROM sammantrade s JOIN organ o ON o.id = s.organ_id LEFT JOIN protokoll k ON k.sammantrade_id = s.id
                   WHERE s.ordforande_id = ? ORDER BY s.datum""", key),
            "ovriga": self.other_references("person", person_id),
        }

    def recipient_uses(self, recipient_id: int) -> dict:
        """What refers to an address-book entry: ``tjansteskrivelser`` ("Beslutet skickas till"), ``paragrafer``
        (a §'s recipients, with ``organ``, ``datum``, ``justerad``, ``sekretess``, ``adress_bekraftad``),
        ``utskick`` (protokollsutdrag, with ``skickat``), ``ovriga`` (:meth:`other_references`)."""
        key = (recipient_id,)
        return {
            "tjansteskrivelser": self.rows(
                """SELECT b.tjansteskrivelse_id, b.nr, t.arende_id, an.diarienummer, a.rubrik, a.sekretess
                   FROM beslutsmottagare b JOIN tjansteskrivelse t ON t.id = b.tjansteskrivelse_id
                   JOIN arende a ON a.id = t.arende_id JOIN arende_nummer an ON an.arende_id = a.id
                   WHERE b.mottagare_id = ? ORDER BY a.ar, a.lopnr, a.id""", key),
            "paragrafer": self._paragraphs_of("paragraf_mottagare pm", "pm", "pm.nr AS rad, pm.adress_bekraftad",
                                              recipient_id),
            "utskick": self._paragraphs_of("utskick u", "u", "u.kanal, u.skickat", recipient_id),
            "ovriga": self.other_references("mottagare", recipient_id),
        }

    def _paragraphs_of(self, source: str, alias: str, columns: str, recipient_id: int) -> list[dict]:
        return self.rows(
            f"""SELECT {alias}.paragraf_id, {columns}, g.nr, g.ar, s.datum, o.namn AS organ, k.justerad,
                       gs.sekretess
                FROM {source} JOIN paragraf g ON g.id = {alias}.paragraf_id
                JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id JOIN protokoll k ON k.id = g.protokoll_id
                JOIN sammantrade s ON s.id = k.sammantrade_id JOIN organ o ON o.id = g.organ_id
                WHERE {alias}.mottagare_id = ? ORDER BY s.datum, g.nr""", (recipient_id,))

    def all_persons(self) -> list[dict]:
        """Every person (tjänstepersoner and förtroendevalda) with how much refers to them: ``arenden`` (as
        handläggare), ``uppdrag`` (seats) and ``protokoll`` (meetings they are named in)."""
        return self.rows(
            """SELECT p.*,
                      (SELECT count(*) FROM arende a WHERE a.handlaggare_id = p.id) AS arenden,
                      (SELECT count(*) FROM uppdrag u WHERE u.person_id = p.id) AS uppdrag,
                      (SELECT count(DISTINCT n.protokoll_id) FROM narvaro n WHERE n.person_id = p.id) AS protokoll
               FROM person p ORDER BY p.id""")

    def merged_record(self, table: str, row_id: int) -> dict | None:
        """A person or recipient merged into another: the row as it was (``fore``) and the merge
        (``efter``: ``sammanslagen_med``, ``flyttat``), with ``tid`` and ``anvandare``; None when ``row_id`` was
        not merged away, or when a row has that id now (SQLite may give the highest id again after a delete, so
        an id that exists is never taken for the merged one)."""
        if self.value(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?)", (row_id,)):
            return None
        found = self.row(
            """SELECT tid, anvandare, fore, efter FROM andring WHERE tabell = ? AND handelse = 'borttagen'
               AND json_extract(fore, '$.id') = ? AND json_extract(efter, '$.sammanslagen_med') IS NOT NULL
               ORDER BY id DESC LIMIT 1""", (table, row_id))
        if found:
            found["fore"], found["efter"] = json.loads(found["fore"]), json.loads(found["efter"])
        return found

    # --- merging ----------------------------------------------------------------------------------------------------

    def merge_persons(self, keep_id: int, remove_ids: list[int], details: dict) -> dict:
        """Move every reference to the persons ``remove_ids`` onto ``keep_id``, set the kept person's ``details``
        (filled in from the others by the operation), and delete the others. A seat identical to one the kept
        person has (organ, role, dates) is dropped rather than doubled. Returns what moved per removed id."""
        moved = {}
        with self.write():
            if details:
                before = self.person(keep_id)
                self.update("person", {"id": keep_id}, details)
                self._log("person", "ändrad", before, self.person(keep_id))
            for remove_id in remove_ids:
                removed = self.person(remove_id)
                dropped = self.rows(
                    """SELECT r.* FROM uppdrag r JOIN uppdrag k ON k.person_id = ? AND k.organ_id = r.organ_id
                       AND k.roll = r.roll AND k.fran = r.fran AND k.till IS r.till WHERE r.person_id = ?""",
                    (keep_id, remove_id))
                for seat in dropped:
                    self.execute("DELETE FROM uppdrag WHERE id = ?", (seat["id"],))
                moved[remove_id] = {**self._move_references("person", keep_id, remove_id),
                                    **({"uppdrag borttagna som dubbletter": dropped} if dropped else {})}
                self.execute("DELETE FROM person WHERE id = ?", (remove_id,))
                self._log("person", "borttagen", removed, {"sammanslagen_med": keep_id, "flyttat": moved[remove_id]})
        return moved

    def merge_recipients(self, keep_id: int, remove_ids: list[int]) -> dict:
        """Move every reference to the address-book entries ``remove_ids`` onto ``keep_id`` and delete them.

        A decision (tjänsteskrivelse or §) that already lists the kept entry loses the removed entry's line and
        the lines after it move up; a §'s confirmation of the postal address stays only where the kept entry has
        the same address (it was a confirmation of that address); an utdrag recorded for both keeps the kept
        entry's record. Returns what moved per removed id."""
        moved = {}
        with self.write():
            kept = self.recipient(keep_id)
            for remove_id in remove_ids:
                removed = self.recipient(remove_id)
                doubled = {}
                for table, owner in (("beslutsmottagare", "tjansteskrivelse_id"), ("paragraf_mottagare", "paragraf_id")):
                    doubled[table] = self._drop_doubled_lines(table, owner, keep_id, remove_id)
                if nfc(removed["adress"] or "") != nfc(kept["adress"] or ""):
                    self.execute(
                        """UPDATE paragraf_mottagare SET adress_bekraftad = 0, bekraftad_av = NULL,
                                  bekraftad_datum = NULL, bekraftad_enligt_import = 0
                           WHERE mottagare_id = ? AND (adress_bekraftad = 1 OR bekraftad_enligt_import = 1)""",
                        (remove_id,))
                sent_both = self.rows(
                    """SELECT r.* FROM utskick r JOIN utskick k ON k.paragraf_id = r.paragraf_id AND k.mottagare_id = ?
                       WHERE r.mottagare_id = ?""", (keep_id, remove_id))
                self.execute(
                    """DELETE FROM utskick WHERE mottagare_id = ?
                       AND paragraf_id IN (SELECT paragraf_id FROM utskick WHERE mottagare_id = ?)""",
                    (remove_id, keep_id))
                moved[remove_id] = self._move_references("mottagare", keep_id, remove_id)
                for table, lines in doubled.items():
                    if lines:
                        moved[remove_id][f"{table} borttagna som dubbletter"] = lines
                if sent_both:
                    moved[remove_id]["utskick borttagna som dubbletter"] = sent_both
                self.execute("DELETE FROM mottagare WHERE id = ?", (remove_id,))
                self._log("mottagare", "borttagen", removed, {"sammanslagen_med": keep_id, "flyttat": moved[remove_id]})
        return moved

    def _drop_doubled_lines(self, table: str, owner: str, keep_id: int, remove_id: int) -> list[dict]:
        """Delete the removed entry's line from every list (``owner``) that also names the kept entry, and move
        the lines after it up so the list stays numbered 1, 2, 3 …"""
        doubled = self.rows(
            f"""SELECT r.* FROM {table} r JOIN {table} k ON k.{owner} = r.{owner} AND k.mottagare_id = ?
                WHERE r.mottagare_id = ? ORDER BY r.{owner}, r.nr""", (keep_id, remove_id))
        for line in doubled:
            self.execute(f"DELETE FROM {table} WHERE {owner} = ? AND nr = ?", (line[owner], line["nr"]))
            later = self.rows(f"SELECT nr FROM {table} WHERE {owner} = ? AND nr > ? ORDER BY nr",
                              (line[owner], line["nr"]))
            for row in later:
                self.execute(f"UPDATE {table} SET nr = ? WHERE {owner} = ? AND nr = ?",
                             (row["nr"] - 1, line[owner], row["nr"]))
        return doubled

    def _move_references(self, table: str, keep_id: int, remove_id: int) -> dict:
        """Point every foreign key to ``table`` that names ``remove_id`` at ``keep_id``; returns the count per
        ``table.column`` that had any."""
        moved = {}
        for other, column in self.foreign_keys_to(table):
            count = self.execute(f'UPDATE "{other}" SET "{column}" = ? WHERE "{column}" = ?',
                                 (keep_id, remove_id)).rowcount
            if count:
                moved[f"{other}.{column}"] = count
        return moved

    def _log(self, table: str, event: str, before: dict | None, after: dict | None) -> None:
        """A row in the audit trail (db/005) for a change no trigger records: the person and address-book tables
        have none. ``before`` is None for a new row, ``after`` for a removed one."""
        self.execute(
            """INSERT INTO andring (anvandare, tabell, handelse, arende_id, sammantrade_id, fore, efter)
               VALUES (app_user(), ?, ?, NULL, NULL, ?, ?)""",
            (table, event, json.dumps(before, ensure_ascii=False) if before is not None else None,
             json.dumps(after, ensure_ascii=False) if after is not None else None))
