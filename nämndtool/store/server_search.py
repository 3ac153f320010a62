"""Diary search on the server store, with the SQLite store's rules (``arenden.fts_query``, ``arende_ids``).

Every word typed must begin a word of the ärende's title, public title, classification or external reference
(and, when a digit was typed, of its diary number), with å ä ö folded; the ärenden whose words match as spelled
come first, each group newest number first, and a diary number typed in full puts its ärende first. The text
searched is kept per ärende in ``arende_sok`` by the server's own triggers (db/postgresql), folded by the server
function ``nt_fold``, and matched with word-start regular expressions (``\\m``), which a trigram index serves.
"""

import re

from nämndtool.store.arenden import NEWEST_FIRST
from nämndtool.store.base import StoreBase


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _conditions(text: str, column: str, fold: str) -> tuple[list[str], list[str]]:
    """One condition per word typed: it begins a word of ``column`` (with the diary number when a digit was typed)."""
    words = _words(text)
    searched = f"(s.{column} || ' ' || coalesce(s.nummer, ''))" if any(c.isdigit() for c in text) else f"s.{column}"
    return [f"{searched} ~ ('\\m' || {fold}(?))" for _ in words], words


class ServerSearchMixin(StoreBase):
    def _match(self, text: str, query: str) -> tuple[str, str, list]:
        conditions, words = _conditions(text, "folded", "nt_fold")
        return "JOIN arende_sok s ON s.arende_id = a.id", " AND ".join(conditions), words

    def _search_ids(self, text: str, query: str, where: list[str], params: list) -> list[int]:
        join, matched, words = self._match(text, query)
        spelled, spelled_words = _conditions(text, "exakt", "nt_lower")
        sql = (f"SELECT a.id FROM arende a {join} WHERE {matched}" + "".join(f" AND {c}" for c in where)
               + f" ORDER BY ({' AND '.join(spelled)}) DESC, {NEWEST_FIRST}")
        ranked = self._id_list(sql, [*words, *params, *spelled_words])
        return self._typed_first(text, ranked, where, params)

    def _id_list(self, sql: str, params: list) -> list[int]:
        return [found[0] for found in self.execute(sql, params)]
