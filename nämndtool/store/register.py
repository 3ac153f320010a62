"""The registry: handlingar in the diary over a period, closing ärenden, and the delegationsbeslut register."""

import json

from nämndtool.errors import ConflictError, NamndtoolError, NotFoundError
from nämndtool.store.base import StoreBase

DELEGATION_COLUMNS = ("datum", "beslutsfattare", "delegationspunkt", "beskrivning", "arende_id", "sekretess",
                      "sekretess_lagrum")


class RegisterMixin(StoreBase):
    def diary_entries(self, namnd_id: int, fran: str, till: str, *, riktning: str | None = None) -> list[dict]:
        """Every handling dated in [fran, till] with its ärende, oldest first: what a diary extract lists."""
        where, params = ["a.namnd_id = ?", "h.datum BETWEEN ? AND ?"], [namnd_id, fran, till]
        if riktning:
            where.append("h.riktning = ?")
            params.append(riktning)
        return self.rows(
            f"""SELECT h.id, h.datum, h.riktning, h.motpart, h.beskrivning, h.sekretess, h.sekretess_lagrum,
                       h.filnamn, a.id AS arende_id, a.rubrik, a.offentlig_rubrik, a.sekretess AS arende_sekretess,
                       CASE WHEN a.lopnr IS NOT NULL THEN n.kod || '/' || a.ar || ':' || a.lopnr END AS diarienummer
                FROM handling h JOIN arende a ON a.id = h.arende_id JOIN namnd n ON n.id = a.namnd_id
                WHERE {' AND '.join(where)} ORDER BY h.datum, a.ar, a.lopnr, h.id""", params)

    def close_arende(self, arende_id: int, by: str, on: str) -> None:
        with self.write():
            found = self.row("SELECT status FROM arende WHERE id = ?", (arende_id,))
            if found is None:
                raise NotFoundError(f"Ärendet med id {arende_id} finns inte.")
            if found["status"] == "avslutat":
                raise NamndtoolError("Ärendet är redan avslutat.")
            self.execute("UPDATE arende SET status = 'avslutat', avslutad = ?, avslutad_av = ? WHERE id = ?",
                         (on, by, arende_id))

    def reopen_arende(self, arende_id: int) -> None:
        with self.write():
            self.execute("UPDATE arende SET status = 'beslutat', avslutad = NULL, avslutad_av = NULL WHERE id = ?",
                         (arende_id,))

    def closed_arenden(self, namnd_id: int, year: int) -> list[int]:
        return [r["id"] for r in self.rows(
            "SELECT id FROM arende WHERE namnd_id = ? AND ar = ? AND status = 'avslutat' ORDER BY lopnr",
            (namnd_id, year))]

    def mark_utdrag_sent(self, paragraf_id: int, mottagare_id: int, kanal: str, datum: str, by: str) -> None:
        """Record an utdrag as sent, and register it as an outgoing handling of the §'s ärende (OSL 5 kap. 1 §)."""
        with self.write():
            self.record_dispatch(paragraf_id, mottagare_id, kanal, datum, by)
            p = self.row("SELECT nr, rubrik, arende_id, sekretess, sekretess_lagrum FROM paragraf WHERE id = ?",
                         (paragraf_id,))
            if p["arende_id"] is None:
                return
            recipient = self.value("SELECT namn FROM mottagare WHERE id = ?", (mottagare_id,))
            self.insert("handling", {
                "arende_id": p["arende_id"], "riktning": "ut", "datum": datum, "motpart": recipient,
                "beskrivning": f"Protokollsutdrag § {p['nr']} {p['rubrik']}", "sekretess": p["sekretess"],
                "sekretess_lagrum": p["sekretess_lagrum"], "registrerad_av": by,
            })

    # --- the audit trail and the read log -----------------------------------------------------------------

    def history(self, *, arende_id: int | None = None, meeting_id: int | None = None) -> list[dict]:
        """The changes to an ärende (or a meeting), newest first, each with the fields that changed."""
        column, value = ("arende_id", arende_id) if arende_id is not None else ("sammantrade_id", meeting_id)
        found = self.rows(f"SELECT * FROM andring WHERE {column} = ? ORDER BY id DESC", (value,))
        for change in found:
            before = json.loads(change["fore"]) if change["fore"] else {}
            after = json.loads(change["efter"]) if change["efter"] else {}
            change["fält"] = {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after))
                              if before.get(k) != after.get(k) and k != "version"}
        return found

    def log_read(self, arende_id: int, how: str) -> None:
        """Record that a secret ärende was opened, so the kommun can answer who read it."""
        with self.write():
            self.execute("INSERT INTO lasning (anvandare, arende_id, hur) VALUES (app_user(), ?, ?)", (arende_id, how))

    def reads(self, arende_id: int) -> list[dict]:
        return self.rows("SELECT * FROM lasning WHERE arende_id = ? ORDER BY id DESC", (arende_id,))

    def expect_version(self, table: str, row_id: int, version: int) -> None:
        """Refuse a save over a change made elsewhere since the record was opened at ``version``."""
        if table not in ("arende", "tjansteskrivelse", "sammantrade"):
            raise ValueError(f"{table} has no version")
        current = self.row(f"SELECT version FROM {table} WHERE id = ?", (row_id,))
        if current is None:
            raise NotFoundError("Uppgiften har tagits bort i ett annat fönster sedan du öppnade den.")
        if current["version"] != version:
            last = self.row("SELECT tid, anvandare FROM andring WHERE tabell = ? AND json_extract(efter, '$.id') = ? "
                            "ORDER BY id DESC LIMIT 1", (table, row_id))
            who = f" av {last['anvandare']} {last['tid'][:16].replace('T', ' kl. ')}" if last else ""
            raise ConflictError(
                f"Uppgiften har ändrats{who} sedan du öppnade den. Dina ändringar är inte sparade men finns kvar "
                "på skärmen: jämför med den nya versionen och spara igen, eller ladda om för att se den."
            )

    def decisions_of_arende(self, arende_id: int) -> list[dict]:
        """The §§ in which the ärende was decided: organ, meeting date, § number and decision text."""
        found = self.rows(
            """SELECT g.id, g.nr, s.datum, o.namn AS organ FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
               JOIN sammantrade s ON s.id = p.sammantrade_id JOIN organ o ON o.id = s.organ_id
               WHERE g.arende_id = ? ORDER BY s.datum, g.nr""", (arende_id,))
        for decision in found:
            decision["beslut"] = [r["text"] for r in self.rows(
                "SELECT text FROM beslut WHERE paragraf_id = ? ORDER BY nr", (decision["id"],))]
        return found

    # --- delegationsbeslut ------------------------------------------------------------------------------

    def register_delegationsbeslut(self, namnd_id: int, fields: dict) -> int:
        unknown = set(fields) - set(DELEGATION_COLUMNS)
        if unknown:
            raise ValueError(f"unknown delegationsbeslut fields: {sorted(unknown)}")
        if fields.get("sekretess") and not fields.get("sekretess_lagrum"):
            raise NamndtoolError('Ange sekretessgrunden för ett hemligt delegationsbeslut, till exempel "26 kap. 1 § OSL".')
        with self.write():
            return self.insert("delegationsbeslut", {"namnd_id": namnd_id, **fields})

    def delegationsbeslut(self, namnd_id: int, *, unreported: bool = False, reported_at: int | None = None,
                          until: str | None = None) -> list[dict]:
        where, params = ["d.namnd_id = ?"], [namnd_id]
        if unreported:
            where.append("d.anmald_vid IS NULL")
        if reported_at is not None:
            where.append("d.anmald_vid = ?")
            params.append(reported_at)
        if until:
            where.append("d.datum <= ?")
            params.append(until)
        return self.rows(
            f"""SELECT d.*, CASE WHEN a.lopnr IS NOT NULL THEN n.kod || '/' || a.ar || ':' || a.lopnr END AS diarienummer,
                       a.offentlig_rubrik, a.sekretess AS arende_sekretess
                FROM delegationsbeslut d LEFT JOIN arende a ON a.id = d.arende_id JOIN namnd n ON n.id = d.namnd_id
                WHERE {' AND '.join(where)} ORDER BY d.datum, d.id""", params)

    def report_delegationsbeslut(self, meeting_id: int, ids: list[int]) -> int:
        """Mark the decisions reported at this meeting; returns how many were newly marked."""
        with self.write():
            count = 0
            for decision_id in ids:
                count += self.execute(
                    "UPDATE delegationsbeslut SET anmald_vid = ? WHERE id = ? AND anmald_vid IS NULL",
                    (meeting_id, decision_id)).rowcount
            return count
