"""Ärenden: registering with the next diary number, updating, reading and searching the diary."""

import datetime as dt
import json
import re

from nämndtool import diarienummer
from nämndtool.diarienummer import MAX_LOPNR, Diarienummer
from nämndtool.errors import DiarienummerError, NamndtoolError, NotFoundError
from nämndtool.store.base import StoreBase, _refuse_short_reason

ARENDE_COLUMNS = (
    "klassificering", "rubrik", "offentlig_rubrik", "handlaggare_id", "status", "sekretess", "sekretess_lagrum",
    "extern_referens", "svar_senast", "omedelbar_justering", "registrerad", "avslutad",
)

_SELECT = """
    SELECT a.*, n.kod AS namnd_kod,
           an.diarienummer,
           p.namn AS handlaggare
    FROM arende a JOIN namnd n ON n.id = a.namnd_id JOIN arende_nummer an ON an.arende_id = a.id
         LEFT JOIN person p ON p.id = a.handlaggare_id
"""


def _swedish(column: str) -> str:
    """A sort expression that puts å ä ö after z, in that order, as Swedish readers expect."""
    expr = f"lower({column})"
    for letter, after_z in (("å", "{"), ("Å", "{"), ("ä", "|"), ("Ä", "|"), ("ö", "}"), ("Ö", "}")):
        expr = f"replace({expr}, '{letter}', '{after_z}')"
    return expr


SORT_KEYS = {
    "diarienummer": ("a.ar", "a.lopnr"),
    "rubrik": (_swedish("a.rubrik"),),
    "status": ("CASE a.status WHEN 'inkommet' THEN 0 WHEN 'under_beredning' THEN 1 WHEN 'klart_for_namnd' THEN 2 "
               "WHEN 'beslutat' THEN 3 ELSE 4 END",),
    "handlaggare": (_swedish("p.namn"),),
    "sekretess": ("a.sekretess",),
    "registrerad": ("a.registrerad",),
}


NEWEST_FIRST = "a.ar DESC, a.lopnr DESC, a.id DESC"
"""The diary's own order. SQLite puts NULL (an ärende without a number) last in DESC; db/006 indexes it."""


class _DiaryOrder:
    """The diary's ids newest number first, and which of them are out of id order.

    Walking the diary newest first, the ids that keep falling form the chain that id order already sorts right;
    every other id (an older number registered or imported after a newer one, an ärende without a number) is
    out of place, and ``position`` gives each id its place in the diary."""

    def __init__(self, changed: tuple, ids: list[int]):
        self.changed = changed
        self.ids = ids
        out_of_place, last = [], None
        for arende_id in ids:
            if last is None or arende_id < last:
                last = arende_id
            else:
                out_of_place.append(arende_id)
        self.out_of_place = frozenset(out_of_place)
        self.position = {arende_id: place for place, arende_id in enumerate(ids)} if out_of_place else {}


def fts_query(text: str) -> str | None:
    """A safe FTS5 query from what a user typed: every word must match, as a prefix, in some column.

    Without a digit in what was typed, the diary-number column is left out: every prefix of the nämnd's code
    ("s", "so", "soc") would otherwise match every diary number and return the whole diary.
    """
    words = re.findall(r"\w+", text)
    if not words:
        return None
    terms = " ".join(f'"{w}"*' for w in words)
    if any(ch.isdigit() for ch in text):
        return terms
    return "{rubrik offentlig_rubrik klassificering extern_referens} : (" + terms + ")"


class ArendenMixin(StoreBase):
    def register_arende(self, namnd_id: int, rubrik: str, *, today: dt.date | None = None, **fields) -> dict:
        """Register a new ärende under the next diary number of its nämnd and year, and return it.

        BEGIN IMMEDIATE makes reading the series and inserting one step for every process: numbers come out
        1, 2, 3 … with no gap and no duplicate however many processes register at the same instant.
        """
        today = today or dt.date.today()
        with self.write():
            arende_id = self.insert("arende", {
                "namnd_id": namnd_id, "ar": today.year, "lopnr": self.next_number(namnd_id, today.year),
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
                self._refuse_lifting(found["id"], fields)
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
                self._refuse_lifting(arende_id, fields)
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
        """The next running number of the nämnd's series for ``year``.

        The series row remembers the numbers of deleted ärenden; the ärenden themselves cover a series row that was
        lost (deleted by hand, an old copy), so a lost row never hands out an existing number again. A series that
        has reached MAX_LOPNR, the highest number ``diarienummer.parse`` accepts, is refused.
        """
        locked = " FOR UPDATE" if self.dialect == "postgresql" else ""   # SQLite: BEGIN IMMEDIATE locks it all
        series = self.value(f"SELECT senaste FROM diarieserie WHERE namnd_id = ? AND ar = ?{locked}", (namnd_id, year))
        highest = self.value("SELECT max(lopnr) FROM arende WHERE namnd_id = ? AND ar = ?", (namnd_id, year))
        last = max(series or 0, highest or 0)
        if last >= MAX_LOPNR:
            kod = self.value("SELECT kod FROM namnd WHERE id = ?", (namnd_id,))
            raise NamndtoolError(
                f"Diarieserien {kod}/{year} är slut: det högsta löpnumret, {MAX_LOPNR}, är redan använt, så inget "
                f"nytt ärende kan registreras i den. Inget har sparats. Se efter med 'namndtool case list --year "
                f"{year}' vilket ärende som har fått ett felaktigt högt löpnummer, till exempel vid en import."
            )
        return last + 1

    def list_arenden(self, *, limit: int | None = None, offset: int = 0, **filters) -> list[dict]:
        """The diary, newest number first; with ``search``, matches as spelled first, then the rest, newest first.

        Filters: search, year, namnd_id, status, sekretess, handlaggare_id; ``sort`` and ``descending`` as for
        :meth:`arende_ids`.
        """
        ids = self.arende_ids(**filters)
        return self.arenden_by_ids(ids[offset:offset + limit] if limit is not None else ids[offset:])

    def arende_ids(
        self, *, search: str | None = None, year: int | None = None, namnd_id: int | None = None,
        status: str | None = None, sekretess: bool | None = None, handlaggare_id: int | None = None,
        sort: str | None = None, descending: bool = False,
    ) -> list[int]:
        """The ids of the matching ärenden in display order: what a lazy table keeps, fetching rows as shown.

        ``sort`` is one of SORT_KEYS. Without it the plain diary comes newest number first, and search results
        come in two groups, each newest number first: the ärenden that match as spelled (å ä ö as typed), then
        those that match only with å ä ö folded; a diary number typed in full puts its ärende first.
        """
        where, params = [], []
        for column, value in (("a.ar", year), ("a.namnd_id", namnd_id), ("a.status", status),
                              ("a.handlaggare_id", handlaggare_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if sekretess is not None:
            where.append("a.sekretess = ?")
            params.append(int(sekretess))
        query = fts_query(search) if search else None
        if query and not sort:
            return self._search_ids(search, query, where, params)
        if not query and not sort and not where:
            return list(self._diary_order().ids)
        join = ""
        if query:
            join, condition, values = self._match(search, query)
            where.insert(0, condition)
            params[:0] = values
        if sort:
            direction = "DESC" if descending else "ASC"
            order = ", ".join(f"{key} {direction}" for key in SORT_KEYS[sort]) + ", a.id"
        else:
            order = NEWEST_FIRST
        sql = (f"SELECT a.id FROM arende a {join} LEFT JOIN person p ON p.id = a.handlaggare_id"
               + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}")
        return [found[0] for found in self.execute(sql, params)]

    def _match(self, text: str, query: str) -> tuple[str, str, list]:
        """The join, condition and parameters that keep the ärenden matching a search (SQLite: the FTS5 index)."""
        return "JOIN arende_sok s ON s.rowid = a.id", "arende_sok MATCH ?", [query]

    def _search_ids(self, text: str, query: str, where: list[str], params: list) -> list[int]:
        """Search results ranked as :meth:`arende_ids` says, straight from the two FTS5 indexes.

        FTS5 hands out its matches in rowid (= ärende id) order for free, and ids are given in registration
        order, so id order is the diary's newest-first order, except for the ärenden :class:`_DiaryOrder` lists
        as out of place (imported later than newer numbers, or without a number). Only a result that holds one of
        those is sorted by its diary position. No bm25, no join with ``arende`` unless a filter asks for it.
        """
        found = self._fts_ids("arende_sok", query, where, params)
        groups = [found]
        exact_count = self._fts_ids("arende_sok_exakt", query, where, params, count=True)
        # Every match as spelled is also a match with å ä ö folded (the folded index folds query and text alike),
        # so equal counts mean the same ärenden and no second list is read.
        if exact_count and exact_count != len(found):
            matching = set(found)
            exact = [i for i in self._fts_ids("arende_sok_exakt", query, where, params) if i in matching]
            spelled = set(exact)
            groups = [exact, [i for i in found if i not in spelled]]
        order = self._diary_order()
        if not order.out_of_place.isdisjoint(found):
            groups = [sorted(group, key=order.position.__getitem__) for group in groups]
        return self._typed_first(text, groups[0] if len(groups) == 1 else groups[0] + groups[1], where, params)

    def _typed_first(self, text: str, ranked: list[int], where: list[str], params: list) -> list[int]:
        """A diary number typed in full puts its ärende first (when it passes the filters)."""
        typed = self._typed_number_id(text)
        if typed is not None and (typed in ranked or self._passes(typed, where, params)):
            if typed in ranked:
                ranked.remove(typed)
            ranked.insert(0, typed)
        return ranked

    def _passes(self, arende_id: int, where: list[str], params: list) -> bool:
        """Whether this ärende passes the filters (a diary number typed as SOCN2023:5 is not a word of the index)."""
        return self.value("SELECT count(*) FROM arende a WHERE a.id = ?"
                          + "".join(f" AND {condition}" for condition in where), [arende_id, *params]) == 1

    def _fts_ids(self, table: str, query: str, where: list[str], params: list, count: bool = False):
        """The ids matching ``query`` in one FTS5 table, newest id first (or their number), under ``where``.

        With a filter, the FTS table is the outer loop (CROSS JOIN): SQLite would otherwise read ``arende`` by
        the filter and run the full-text query once per row."""
        join = " CROSS JOIN arende a ON a.id = s.rowid" if where else ""
        sql = (f"SELECT {'count(*)' if count else 's.rowid AS id'} FROM {table} s{join} WHERE {table} MATCH ?"
               + "".join(f" AND {condition}" for condition in where))
        if count:
            return self.value(sql, [query, *params])
        return self._id_list(sql + " ORDER BY s.rowid DESC", [query, *params])

    def _id_list(self, sql: str, params: list) -> list[int]:
        """The column ``id`` of ``sql``, in its order, read as one JSON array: a third faster than row by row
        for the 20 000 ids of a broad search. The ordered subquery runs as a co-routine that feeds the aggregate
        in its ORDER BY order (the order tests in test_issue15_search.py would see a change)."""
        return json.loads(self.value(f"SELECT json_group_array(id) FROM ({sql})", params))

    def _typed_number_id(self, text: str) -> int | None:
        """The ärende whose diary number is ``text`` (as the user typed it), or None."""
        if ":" not in text:
            return None
        try:
            return self.arende_id_by_number(diarienummer.parse(text))
        except DiarienummerError:
            return None

    def _diary_order(self) -> "_DiaryOrder":
        """The whole diary newest number first, read again only when the store has changed.

        The store has changed when another connection committed (PRAGMA data_version) or this one wrote
        (total_changes, which counts the rows of every statement and trigger). Both are read before the diary,
        so a commit in between makes the next call read it again."""
        changed = self.change_mark()
        cached = self.__dict__.get("_diary_order_cache")
        if cached is None or cached.changed != changed:
            ids = self._id_list(f"SELECT a.id FROM arende a ORDER BY {NEWEST_FIRST}", [])
            cached = _DiaryOrder(changed, ids)
            self.__dict__["_diary_order_cache"] = cached
        return cached

    def arenden_by_ids(self, ids: list[int]) -> list[dict]:
        """The ärenden with these ids, in the order given."""
        found: dict[int, dict] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in self.rows(_SELECT + f" WHERE a.id IN ({', '.join('?' * len(chunk))})", chunk):
                found[row["id"]] = row
        return [found[i] for i in ids if i in found]

    def diary_years(self) -> list[int]:
        return [r["ar"] for r in self.rows("SELECT DISTINCT ar FROM arende WHERE ar IS NOT NULL ORDER BY ar DESC")]

    def handlaggare_list(self) -> list[dict]:
        """The tjänstepersoner who handle at least one ärende, by name."""
        return self.rows(
            "SELECT DISTINCT p.* FROM person p JOIN arende a ON a.handlaggare_id = p.id ORDER BY p.namn, p.id"
        )

    def update_arende(self, arende_id: int, changes: dict) -> None:
        """Change an ärende. Secrecy is never lifted here (see :meth:`unseal_arende`)."""
        unknown = set(changes) - set(ARENDE_COLUMNS)
        if unknown:
            raise ValueError(f"unknown ärende fields: {sorted(unknown)}")
        with self.write():
            self._refuse_lifting(arende_id, changes)
            self.update("arende", {"id": arende_id}, changes)

    def _refuse_lifting(self, arende_id: int | None, changes: dict) -> None:
        if arende_id is None or "sekretess" not in changes or changes["sekretess"]:
            return
        if self.value("SELECT sekretess FROM arende WHERE id = ?", (arende_id,)):
            raise NamndtoolError(
                "Ärendet omfattas av sekretess. Sekretessen hävs bara med ett eget beslut och ett skäl: "
                "välj Häv sekretess i ärendet, eller 'namndtool case unseal DIARIENR --reason TEXT'."
            )

    def seal_arende(self, arende_id: int, lagrum: str | None = None) -> bool:
        """Make an ärende secret (under ``lagrum`` when given and none is recorded); True when it was public.

        From this moment every output made derives the secrecy: its agenda items, §§, utdrag and files."""
        with self.write():
            current = self.row("SELECT sekretess, sekretess_lagrum FROM arende WHERE id = ?", (arende_id,))
            if current is None:
                raise NotFoundError(f"Ärendet med id {arende_id} finns inte.")
            if current["sekretess"] and (current["sekretess_lagrum"] or not lagrum):
                return False
            self.execute("UPDATE arende SET sekretess = 1, sekretess_lagrum = coalesce(sekretess_lagrum, ?) "
                         "WHERE id = ?", (lagrum or None, arende_id))
            return not current["sekretess"]

    def unseal_arende(self, arende_id: int, reason: str) -> None:
        """Lift an ärende's secrecy: one recorded decision with a reason, the OS user and the time, in the same
        transaction as the change (the database refuses the change without it)."""
        with self.write():
            arende = self.arende(arende_id)
            if not arende["sekretess"]:
                raise NamndtoolError(f"Ärendet {arende['diarienummer'] or arende['rubrik']} omfattas inte av sekretess.")
            _refuse_short_reason(reason)
            self.execute("INSERT INTO sekretess_havd (arende_id, skal, av, tidigare_lagrum) VALUES (?, ?, app_user(), ?)",
                         (arende_id, reason.strip(), arende["sekretess_lagrum"]))
            # Handlingar marked secret themselves stay secret: each is assessed on its own (OSL).
            self.execute("UPDATE arende SET sekretess = 0, sekretess_lagrum = NULL WHERE id = ?", (arende_id,))

    def unseal_decisions(self, *, arende_id: int | None = None, meeting_id: int | None = None) -> list[dict]:
        """The recorded decisions that lifted secrecy, newest first."""
        if arende_id is not None:
            return self.rows("SELECT * FROM sekretess_havd WHERE arende_id = ? ORDER BY id DESC", (arende_id,))
        return self.rows("SELECT * FROM sekretess_havd WHERE sammantrade_id = ? ORDER BY id DESC", (meeting_id,))

    def arende_id_by_number(self, nummer: Diarienummer) -> int | None:
        """The id of the ärende with this diary number, or None: what a "go to number" box looks up."""
        return self.value(
            "SELECT a.id FROM arende a JOIN namnd n ON n.id = a.namnd_id WHERE n.kod = ? AND a.ar = ? AND a.lopnr = ?",
            (nummer.kod, nummer.ar, nummer.lopnr),
        )

    def arende_count(self) -> int:
        return self.value("SELECT count(*) FROM arende")

    def tjanstepersoner(self) -> list[dict]:
        """Every tjänsteperson, by name: the handläggare a new ärende can be given."""
        return self.rows("SELECT * FROM person WHERE roll = 'tjansteperson' ORDER BY namn, id")
