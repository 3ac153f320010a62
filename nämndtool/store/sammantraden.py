"""Sammanträden and their agendas."""

from nämndtool.errors import NotFoundError
from nämndtool.store.base import StoreBase

MEETING_COLUMNS = (
    "tid", "plats", "ordforande_id", "forhinder_namn", "forhinder_epost", "forhinder_telefon",
)
ITEM_COLUMNS = ("rubrik", "typ", "arende_id", "sekretess", "sekretess_lagrum", "anteckning")

_SELECT = """
    SELECT s.*, o.namn AS organ, o.typ AS organ_typ, o.namnd_id, n.kod AS namnd_kod, n.namn AS namnd,
           p.namn AS ordforande, p.parti AS ordforande_parti,
           (SELECT count(*) FROM dagordningspunkt d WHERE d.sammantrade_id = s.id) AS antal_punkter
    FROM sammantrade s JOIN organ o ON o.id = s.organ_id JOIN namnd n ON n.id = o.namnd_id
    LEFT JOIN person p ON p.id = s.ordforande_id
"""


class SammantradenMixin(StoreBase):
    def find_meeting(self, organ_id: int, datum: str) -> dict | None:
        found = self.row("SELECT id FROM sammantrade WHERE organ_id = ? AND datum = ?", (organ_id, datum))
        return self.meeting(found["id"]) if found else None

    def save_meeting(self, organ_id: int, datum: str, fields: dict) -> int:
        """Create the organ's meeting on this date, or update it: organ and date identify a meeting."""
        values = {c: v for c, v in fields.items() if c in MEETING_COLUMNS}
        with self.write():
            found = self.find_meeting(organ_id, datum)
            if found:
                self.update("sammantrade", {"id": found["id"]}, values)
                return found["id"]
            return self.insert("sammantrade", {"organ_id": organ_id, "datum": datum, **values})

    def meeting(self, meeting_id: int) -> dict:
        found = self.row(_SELECT + " WHERE s.id = ?", (meeting_id,))
        if not found:
            raise NotFoundError(
                f"Sammanträdet med id {meeting_id} finns inte. 'namndtool meeting list' visar alla sammanträden."
            )
        return found

    def meetings(self) -> list[dict]:
        """Coming meetings first (soonest first), then held ones (latest first)."""
        return self.rows(
            _SELECT + " ORDER BY s.datum < date('now', 'localtime'), "
            "CASE WHEN s.datum >= date('now', 'localtime') THEN s.datum END ASC, s.datum DESC, s.tid"
        )

    def delete_meeting(self, meeting_id: int) -> None:
        with self.write():
            self.execute("DELETE FROM sammantrade WHERE id = ?", (meeting_id,))

    def set_meeting_status(self, meeting_id: int, status: str) -> None:
        with self.write():
            self.update("sammantrade", {"id": meeting_id}, {"status": status})

    def save_agenda(self, meeting_id: int, items: list[dict]) -> None:
        """Set the whole agenda: items are kept by number and updated in place; numbers no longer used go."""
        with self.write():
            numbers = [item["nr"] for item in items]
            placeholders = ", ".join("?" * len(numbers)) or "NULL"
            self.execute(
                f"DELETE FROM dagordningspunkt WHERE sammantrade_id = ? AND nr NOT IN ({placeholders})",
                [meeting_id, *numbers],
            )
            for item in items:
                values = {c: item.get(c) for c in ITEM_COLUMNS}
                found = self.row(
                    "SELECT id FROM dagordningspunkt WHERE sammantrade_id = ? AND nr = ?", (meeting_id, item["nr"])
                )
                if found:
                    self.update("dagordningspunkt", {"id": found["id"]}, values)
                else:
                    self.insert("dagordningspunkt", {"sammantrade_id": meeting_id, "nr": item["nr"], **values})

    def agenda(self, meeting_id: int) -> list[dict]:
        return self.rows(
            """SELECT d.*, CASE WHEN a.lopnr IS NOT NULL THEN n.kod || '/' || a.ar || ':' || a.lopnr END AS diarienummer,
                      a.status AS arende_status,
                      t.id IS NOT NULL AS har_tjansteskrivelse,
                      (SELECT count(*) FROM handling h WHERE h.arende_id = a.id AND h.bilaga_nr IS NOT NULL) AS antal_bilagor,
                      (SELECT count(*) FROM listad_handling l WHERE l.tjansteskrivelse_id = t.id) AS antal_listade
               FROM dagordningspunkt d LEFT JOIN arende a ON a.id = d.arende_id LEFT JOIN namnd n ON n.id = a.namnd_id
                    LEFT JOIN tjansteskrivelse t ON t.arende_id = a.id
               WHERE d.sammantrade_id = ? ORDER BY d.nr""",
            (meeting_id,),
        )
