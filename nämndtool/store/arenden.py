"""Ärenden: registering with the next diary number, updating, reading and searching the diary."""

import datetime as dt
import re

from nämndtool.diarienummer import Diarienummer
from nämndtool.errors import NotFoundError
from nämndtool.store.base import StoreBase

ARENDE_COLUMNS = (
    "klassificering", "rubrik", "offentlig_rubrik", "handlaggare_id", "status", "sekretess", "sekretess_lagrum",
    "extern_referens", "svar_senast", "omedelbar_justering", "registrerad", "avslutad",
)

_SELECT = """
    SELECT a.*, n.kod AS namnd_kod,
           CASE WHEN a.lopnr IS NOT NULL THEN n.kod || '/' || a.ar || ':' || a.lopnr END AS diarienummer,
           p.namn AS handlaggare
    FROM arende a JOIN namnd n ON n.id = a.namnd_id LEFT JOIN person p ON p.id = a.handlaggare_id
"""


def fts_query(text: str) -> str | None:
    """A safe FTS5 query from what a user typed: every word must match, as a prefix, in any column."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{w}"*' for w in words) or None


class ArendenMixin(StoreBase):
    def register_arende(self, namnd_id: int, rubrik: str, *, today: dt.date | None = None, **fields) -> dict:
        """Register a new ärende under the next diary number of its nämnd and year, and return it.

        BEGIN IMMEDIATE makes reading the series and inserting one step for every process: numbers come out
        1, 2, 3 … with no gap and no duplicate however many processes register at the same instant.
        """
        today = today or dt.date.today()
        with self.write():
            last = self.value(
                "SELECT senaste FROM diarieserie WHERE namnd_id = ? AND ar = ?", (namnd_id, today.year)
            )
            arende_id = self.insert("arende", {
                "namnd_id": namnd_id, "ar": today.year, "lopnr": (last or 0) + 1,
                "rubrik": rubrik, "registrerad": today.isoformat(), **fields,
            })
            return self.arende(arende_id)

    def save_arende_by_number(self, namnd_id: int, nummer: Diarienummer, fields: dict) -> int:
        """Create the ärende with this diary number, or update it: the same number is the same ärende."""
        with self.write():
            found = self.row(
                "SELECT id FROM arende WHERE namnd_id = ? AND ar = ? AND lopnr = ?",
                (namnd_id, nummer.ar, nummer.lopnr),
            )
            if found:
                self.update("arende", {"id": found["id"]}, fields)
                return found["id"]
            return self.insert("arende", {"namnd_id": namnd_id, "ar": nummer.ar, "lopnr": nummer.lopnr, **fields})

    def find_arende(self, namnd_id: int, nummer: Diarienummer) -> dict | None:
        return self.row(_SELECT + " WHERE a.namnd_id = ? AND a.ar = ? AND a.lopnr = ?",
                        (namnd_id, nummer.ar, nummer.lopnr))

    def ensure_arende_by_number(self, namnd_id: int, nummer: Diarienummer, rubrik: str) -> int:
        """The ärende with this number; one is registered with ``rubrik`` when the diary lacks it."""
        with self.write():
            found = self.find_arende(namnd_id, nummer)
            return found["id"] if found else self.save_arende_by_number(namnd_id, nummer, {"rubrik": rubrik})

    def save_unnumbered_arende(self, namnd_id: int, arende_id: int | None, fields: dict) -> int:
        with self.write():
            if arende_id is not None:
                self.update("arende", {"id": arende_id}, fields)
                return arende_id
            return self.insert("arende", {"namnd_id": namnd_id, **fields})

    def arende(self, arende_id: int) -> dict:
        found = self.row(_SELECT + " WHERE a.id = ?", (arende_id,))
        if not found:
            raise NotFoundError(f"Ärendet med id {arende_id} finns inte.")
        return found

    def arende_by_number(self, nummer: Diarienummer) -> dict:
        found = self.row(
            _SELECT + " WHERE n.kod = ? AND a.ar = ? AND a.lopnr = ?", (nummer.kod, nummer.ar, nummer.lopnr)
        )
        if not found:
            raise NotFoundError(f"Ärendet {nummer} finns inte i diariet. Sök med 'namndtool case list --search'.")
        return found

    def next_number(self, namnd_id: int, year: int) -> int:
        return (self.value("SELECT senaste FROM diarieserie WHERE namnd_id = ? AND ar = ?", (namnd_id, year)) or 0) + 1

    def list_arenden(
        self, *, search: str | None = None, year: int | None = None, namnd_id: int | None = None,
        status: str | None = None, sekretess: bool | None = None, handlaggare_id: int | None = None,
        limit: int | None = None, offset: int = 0,
    ) -> list[dict]:
        """The diary, newest number first; with ``search``, matches ranked exact spelling first, then by relevance."""
        where, params, order = [], [], "a.ar DESC, a.lopnr DESC, a.id DESC"
        query = fts_query(search) if search else None
        join = ""
        if query:
            join = "JOIN arende_sok s ON s.rowid = a.id"
            where.append("arende_sok MATCH ?")
            params.append(query)
            order = (
                "a.id IN (SELECT rowid FROM arende_sok_exakt WHERE arende_sok_exakt MATCH ?) DESC, "
                "bm25(arende_sok), " + order
            )
        for column, value in (("a.ar", year), ("a.namnd_id", namnd_id), ("a.status", status),
                              ("a.handlaggare_id", handlaggare_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if sekretess is not None:
            where.append("a.sekretess = ?")
            params.append(int(sekretess))
        sql = _SELECT.replace("FROM arende a", f"FROM arende a {join}")
        if where:
            sql += " WHERE " + " AND ".join(where)
        if query:
            params.append(query)
        sql += f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return self.rows(sql, params)
