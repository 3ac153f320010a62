"""What a justerat meeting decided on: the ärende content frozen at justering (db/011).

An ärende may evolve after a meeting (a new tjänsteskrivelse, new bilagor, a changed rubrik), but every output of
a justerat meeting shows what that meeting decided on. The readers here take a meeting and an ärende and return
the frozen content when the meeting has it, the live content otherwise; secrecy is always live (db/007), since it
changes after justering through its own decisions. Every reader of a meeting's ärende content goes through them.
"""

import json

from nämndtool.store.base import StoreBase

# The ärende fields a meeting decides on; the rest (diary number, secrecy, handläggare, dates) stay live.
DECIDED_FIELDS = ("klassificering", "rubrik", "offentlig_rubrik", "status", "svar_senast", "omedelbar_justering")


class BeslutatMixin(StoreBase):
    def freeze_decided(self, meeting_id: int) -> None:
        """Copy the decision basis of every ärende on the agenda; called inside the justering's transaction,
        after the protokoll is marked justerat (the database accepts a copy of a justerat meeting only)."""
        with self.write():
            self.execute(
                """INSERT INTO beslutat_arende (sammantrade_id, arende_id, klassificering, rubrik, offentlig_rubrik,
                                                status, svar_senast, omedelbar_justering, tjansteskrivelse,
                                                antal_bilagor, ursprung)
                   SELECT DISTINCT d.sammantrade_id, u.arende_id, u.klassificering, u.rubrik, u.offentlig_rubrik,
                          u.status, u.svar_senast, u.omedelbar_justering, u.tjansteskrivelse, u.antal_bilagor,
                          'justering'
                   FROM dagordningspunkt d JOIN arende_underlag u ON u.arende_id = d.arende_id
                   WHERE d.sammantrade_id = ?""", (meeting_id,))
            self.execute(
                """INSERT INTO beslutad_bilaga (sammantrade_id, arende_id, nr, titel, sha256, filnamn)
                   SELECT b.sammantrade_id, b.arende_id,
                          row_number() OVER (PARTITION BY b.arende_id ORDER BY h.bilaga_nr),
                          h.beskrivning, h.fil_sha256, h.filnamn
                   FROM beslutat_arende b JOIN handling h ON h.arende_id = b.arende_id AND h.bilaga_nr IS NOT NULL
                   WHERE b.sammantrade_id = ?""", (meeting_id,))

    def mark_decided(self, meeting_id: int) -> list[int]:
        """Every ärende on the meeting's agenda is decided: its status becomes "beslutat", unless it is closed
        ("avslutat") already. Called inside the justering's transaction; returns the ids that changed."""
        with self.write():
            changed = [r["id"] for r in self.rows(
                """SELECT DISTINCT a.id FROM dagordningspunkt d JOIN arende a ON a.id = d.arende_id
                   WHERE d.sammantrade_id = ? AND a.status NOT IN ('beslutat', 'avslutat') ORDER BY a.id""",
                (meeting_id,))]
            for arende_id in changed:
                self.update("arende", {"id": arende_id}, {"status": "beslutat"})
            return changed

    def _decided(self, meeting_id: int | None, arende_id: int) -> dict | None:
        if meeting_id is None:
            return None
        return self.row("SELECT * FROM beslutat_arende WHERE sammantrade_id = ? AND arende_id = ?",
                        (meeting_id, arende_id))

    def arende_as_decided(self, meeting_id: int | None, arende_id: int) -> dict:
        """The ärende as the meeting decided on it (rubrik, offentlig rubrik, klassificering, status …); the
        live ärende when the meeting is not justerat. Secrecy and the diary number are always live."""
        arende = self.arende(arende_id)
        decided = self._decided(meeting_id, arende_id)
        return {**arende, **{k: decided[k] for k in DECIDED_FIELDS}} if decided else arende

    def tjansteskrivelse_as_decided(self, meeting_id: int | None, arende_id: int) -> dict | None:
        """The tjänsteskrivelse the meeting decided on (None when the ärende had none then), with the keys of
        :meth:`tjansteskrivelse` that the outputs read; the live one when the meeting is not justerat."""
        decided = self._decided(meeting_id, arende_id)
        if decided is None:
            return self.tjansteskrivelse(arende_id)
        return json.loads(decided["tjansteskrivelse"]) if decided["tjansteskrivelse"] else None

    def bilagor_as_decided(self, meeting_id: int | None, arende_id: int) -> list[dict]:
        """The bilagor the meeting decided on, with the keys of :meth:`bilagor`. A bilaga is secret when a
        handling of the ärende holding the same file is secret now (its secrecy is live, never frozen)."""
        if self._decided(meeting_id, arende_id) is None:
            return self.bilagor(arende_id)
        return self.rows(
            """SELECT b.nr, b.titel, b.sha256, b.filnamn, f.skadad, f.storlek,
                      coalesce((SELECT max(h.sekretess) FROM handling h
                                WHERE h.arende_id = b.arende_id AND h.fil_sha256 = b.sha256), 0) AS sekretess
               FROM beslutad_bilaga b LEFT JOIN fil f ON f.sha256 = b.sha256
               WHERE b.sammantrade_id = ? AND b.arende_id = ? ORDER BY b.nr""", (meeting_id, arende_id))

    def decided_bilagor_of_arende(self, arende_id: int) -> list[dict]:
        """Every bilaga a justerat meeting decided on for the ärende, with the date of that meeting, oldest first:
        the archive keeps them although a later meeting may have replaced them."""
        return self.decided_bilagor_of_arenden([arende_id]).get(arende_id, [])
