"""Diary search on the server store, with the SQLite store's rules (``arenden.fts_query``, ``arende_ids``).

Every word typed must begin a word of the ärende's title, public title, classification or external reference
(and, when a digit was typed, of its diary number), with å ä ö folded; the ärenden whose words match as spelled
come first, each group newest number first, and a diary number typed in full puts its ärende first. The text
searched is kept per ärende in ``arende_sok`` by the server's own triggers (db/postgresql), folded by the server
function ``nt_fold``, and matched with word-start regular expressions (``\\m``), which a trigram index serves.

The match is the server function ``nt_sok`` (db/postgresql/roller.sql): it reads the index as the register's owner,
so the trigram index is used whoever searches, and hands back only the ärenden the caller may see. Each is then
read from ``arende`` one by one (the LATERAL subquery, kept apart by OFFSET 0 so the planner cannot turn it into a
scan of the whole table), so arende's row-level security decides again and logs exactly the secret ärenden the
search returns, not every secret ärende of the register.
"""

import re

from nämndtool.store.arenden import NEWEST_FIRST
from nämndtool.store.base import StoreBase


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _with_number(text: str) -> bool:
    """A digit typed: the diary number is searched too (see ``arenden.fts_query``)."""
    return any(c.isdigit() for c in text)


class ServerSearchMixin(StoreBase):
    def _match(self, text: str, query: str) -> tuple[str, str, list]:
        """The join and condition that keep the ärenden matching a search (``arende_ids`` with a sort or filter)."""
        return ("JOIN nt_sok(?, ?, current_user) s ON s.arende_id = a.id", "true",
                [_words(text), _with_number(text)])

    def _search_ids(self, text: str, query: str, where: list[str], params: list) -> list[int]:
        filters = "".join(f" AND {condition}" for condition in where)
        sql = ("SELECT a.id FROM nt_sok(?, ?, current_user) s CROSS JOIN LATERAL "
               f"(SELECT a.* FROM arende a WHERE a.id = s.arende_id{filters} OFFSET 0) a"
               f" ORDER BY s.som_skrivet DESC, {NEWEST_FIRST}")
        ranked = self._id_list(sql, [_words(text), _with_number(text), *params])
        return self._typed_first(text, ranked, where, params)

    def _id_list(self, sql: str, params: list) -> list[int]:
        return [found[0] for found in self.execute(sql, params)]
