"""The registry: handlingar in the diary over a period, closing ärenden, and the delegationsbeslut register."""

import datetime as dt
import json
from pathlib import Path
from typing import Callable

from nämndtool.dates import closing_problem
from nämndtool.errors import ConflictError, NamndtoolError, NotFoundError
from nämndtool.store import audit
from nämndtool.store.base import StoreBase
from nämndtool.store.files import StoredFile

RIKTNINGAR = ("in", "ut", "upprattad")

HISTORY_GROUP_SECONDS = 1.0
"""Changes by one user this close together belong to one save (one transaction writes its rows within
milliseconds; autosave waits seconds between saves)."""

_LIST_KEYS = ("tjansteskrivelse_id", "paragraf_id", "nr", "namn")
"""What names a row of a table without an id in the audit trail (a förslag is tjänsteskrivelse + number)."""

DELEGATION_COLUMNS = ("datum", "beslutsfattare", "delegationspunkt", "beskrivning", "arende_id", "sekretess",
                      "sekretess_lagrum")


def bilaga_refusal(secret: bool, has_file: bool, arende_secret: bool) -> str | None:
    """Why a handling cannot be a bilaga to the tjänsteskrivelse, in Swedish, or None. A bilaga goes out with the
    tjänsteskrivelse in the handlingar, so it needs a file; and the handlingar of a public ärende are published,
    so a secret handling of a public ärende stays out of them (the secretary makes a version without the secret
    details instead)."""
    if not has_file:
        return ("en bilaga behöver en fil, för den följer med tjänsteskrivelsen i handlingarna. Välj filen, eller "
                "registrera handlingen utan att göra den till bilaga.")
    if secret and not arende_secret:
        return ("handlingen omfattas av sekretess men ärendet är offentligt, och bilagorna följer med "
                "tjänsteskrivelsen i de offentliga handlingarna. Gör en version utan de sekretessbelagda "
                "uppgifterna, registrera den och gör den till bilaga i stället.")
    return None


def _handling_record(arende_id: int, fields: dict, by: str) -> dict:
    """The handling row a user's ``fields`` make (see :meth:`RegisterMixin.add_handling`), with ``bilaga`` kept
    for the caller to number."""
    beskrivning = (fields.get("beskrivning") or "").strip()
    if not beskrivning:
        raise NamndtoolError("Skriv en kort beskrivning av handlingen, till exempel ”Yttrande från Polisen”.")
    riktning = fields.get("riktning") or "in"
    if riktning not in RIKTNINGAR:
        raise ValueError(f"unknown riktning {riktning!r}")
    secret = int(bool(fields.get("sekretess")))
    return {
        "arende_id": arende_id, "riktning": riktning, "beskrivning": beskrivning, "datum": fields.get("datum"),
        "motpart": (fields.get("motpart") or "").strip() or None, "sekretess": secret,
        "sekretess_lagrum": ((fields.get("sekretess_lagrum") or "").strip() or None) if secret else None,
        "registrerad_av": by, "registrerad": dt.datetime.now().isoformat(timespec="seconds"),
        "fil_sha256": None, "filnamn": None, "bilaga": bool(fields.get("bilaga")),
    }


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
                       an.diarienummer
                FROM handling h JOIN arende a ON a.id = h.arende_id JOIN arende_nummer an ON an.arende_id = a.id
                WHERE {' AND '.join(where)} ORDER BY h.datum, a.ar, a.lopnr, h.id""", params)

    def close_arende(self, arende_id: int, by: str, on: str, today: dt.date | None = None) -> None:
        """Close the ärende on ``on``: refused by the rule in nämndtool.dates.closing_problem (not in the future, not
        before its registration)."""
        with self.write():
            found = self.row("SELECT status, registrerad FROM arende WHERE id = ?", (arende_id,))
            if found is None:
                raise NotFoundError(f"Ärendet med id {arende_id} finns inte.")
            if found["status"] == "avslutat":
                raise NamndtoolError("Ärendet är redan avslutat.")
            registered = dt.date.fromisoformat(found["registrerad"]) if found["registrerad"] else None
            problem = closing_problem(registered, dt.date.fromisoformat(on), today)
            if problem:
                raise NamndtoolError(problem)
            self.execute("UPDATE arende SET status = 'avslutat', avslutad = ?, avslutad_av = ? WHERE id = ?",
                         (on, by, arende_id))

    def reopen_arende(self, arende_id: int) -> None:
        """Open a closed ärende again, with the status it had before it was closed (from the audit trail)."""
        with self.write():
            before = self.value(
                """SELECT json_extract(fore, '$.status') FROM andring
                   WHERE tabell = 'arende' AND arende_id = ? AND json_extract(efter, '$.status') = 'avslutat'
                     AND json_extract(fore, '$.status') IS NOT 'avslutat' ORDER BY id DESC LIMIT 1""", (arende_id,))
            self.execute("UPDATE arende SET status = ?, avslutad = NULL, avslutad_av = NULL WHERE id = ?",
                         (before or "beslutat", arende_id))

    def add_handling(self, arende_id: int, fields: dict, *, by: str, path: Path | None = None) -> int:
        """Register a handling a user entered, recording who registered it and when; returns its id.

        ``fields`` holds riktning, beskrivning and optionally datum, motpart, sekretess, sekretess_lagrum and
        bilaga (true: it becomes the ärende's last bilaga, so it needs a file). A file is copied into the store
        before the transaction (a large file takes time; an unreferenced stored file is harmless) and registered
        together with the handling, so either both are in the store or neither.
        """
        records, stored = self._copy_handling_files(arende_id, [(fields, path)], by)
        with self.write():
            return self._insert_handlingar(arende_id, records, stored)[0]

    def add_handlingar(self, arende_id: int, entries: list[tuple[dict, Path | None]], *, by: str,
                       progress: Callable[[int, int, str], None] | None = None,
                       cancelled: Callable[[], bool] = lambda: False) -> list[int]:
        """Register several handlingar of one ärende as :meth:`add_handling` does one (``entries`` are its
        ``fields`` and ``path``), all or none; returns their ids. Their files are copied first, outside the
        transaction, reporting ``progress(done, total, text)``; ``cancelled()`` stops it before anything is
        registered."""
        records, stored = self._copy_handling_files(arende_id, entries, by, progress, cancelled)
        with self.write():
            return self._insert_handlingar(arende_id, records, stored)

    def _copy_handling_files(self, arende_id: int, entries: list[tuple[dict, Path | None]], by: str,
                             progress: Callable[[int, int, str], None] | None = None,
                             cancelled: Callable[[], bool] = lambda: False,
                             ) -> tuple[list[dict], list[StoredFile | None]]:
        """The handling rows of ``entries`` and their files copied into the file folder (not yet registered)."""
        records = [_handling_record(arende_id, fields, by) for fields, _path in entries]
        stored: list[StoredFile | None] = []
        for done, (record, (_fields, path)) in enumerate(zip(records, entries)):
            if cancelled():
                raise NamndtoolError("Registreringen avbröts. Inga handlingar har registrerats.")
            if path is None:
                stored.append(None)
                continue
            path = Path(path)
            if progress:
                progress(done, len(entries), f"Kopierar {path.name}")
            stored.append(self.store_file_bytes(path))
            record.update(fil_sha256=stored[-1].sha256, filnamn=path.name)
        if progress:
            progress(len(entries), len(entries), "Registrerar handlingarna")
        return records, stored

    def _insert_handlingar(self, arende_id: int, records: list[dict], stored: list[StoredFile | None]) -> list[int]:
        """Inside the caller's transaction: the ärende still exists, each file registered with its handling, and
        a bilaga numbered after the ärende's others. A bilaga needs a file, and a secret handling cannot be a
        bilaga of a public ärende (:func:`bilaga_refusal`), checked against the ärende as it is now."""
        arende = self.row("SELECT sekretess FROM arende WHERE id = ?", (arende_id,))
        if arende is None:
            raise NotFoundError(f"Ärendet med id {arende_id} finns inte längre.")
        ids = []
        for record, file in zip(records, stored):
            record = dict(record)
            bilaga = record.pop("bilaga")
            refused = bilaga and bilaga_refusal(record["sekretess"], bool(record["fil_sha256"]), arende["sekretess"])
            if refused:
                raise NamndtoolError(f"”{record['beskrivning']}” kan inte bli bilaga: {refused}")
            if file is not None:
                self.register_file(file)
            if bilaga:
                record["bilaga_nr"] = 1 + (self.value(
                    "SELECT max(bilaga_nr) FROM handling WHERE arende_id = ?", (arende_id,)) or 0)
            ids.append(self.insert("handling", record))
        return ids

    def closed_arenden(self, namnd_id: int, year: int) -> list[int]:
        return [r["id"] for r in self.rows(
            "SELECT id FROM arende WHERE namnd_id = ? AND ar = ? AND status = 'avslutat' ORDER BY lopnr",
            (namnd_id, year))]

    def mark_utdrag_sent(self, paragraf_id: int, mottagare_id: int, kanal: str, datum: str, by: str) -> None:
        """Record an utdrag as sent, and register it as an outgoing handling of the §'s ärende (OSL 5 kap. 1 §)."""
        with self.write():
            already = self.value("SELECT skickat FROM utskick WHERE paragraf_id = ? AND mottagare_id = ?",
                                 (paragraf_id, mottagare_id))
            self.record_dispatch(paragraf_id, mottagare_id, kanal, datum, by)
            if already:
                return   # registered when it was first sent
            p = self.row("SELECT g.nr, g.rubrik, g.arende_id, gs.sekretess, gs.sekretess_lagrum FROM paragraf g "
                         "JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id WHERE g.id = ?", (paragraf_id,))
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
        """The changes to an ärende (or a meeting), newest first, each with the fields that changed (``fält``: old
        and new value) and the record before and after it as whole rows (``fore``, ``efter``: dicts without the
        NULL values, None for the side that has no row). The trail stores only what changed (db/019);
        :class:`nämndtool.store.audit.Reader` rebuilds the rows."""
        column, value = ("arende_id", arende_id) if arende_id is not None else ("sammantrade_id", meeting_id)
        found = self.rows(f"SELECT * FROM andring WHERE {column} = ? ORDER BY id DESC", (value,))
        return audit.Reader(self.conn, self.rows).fill(found)

    def net_history(self, *, arende_id: int | None = None, meeting_id: int | None = None) -> list[dict]:
        """:meth:`history` as a reader wants it: each save's net effect per record, newest first.

        A tjänsteskrivelse is saved by deleting and re-inserting its lists, so one save writes a "borttagen" and a
        "ny" row for every förslag, avsnitt and recipient. Here the rows one user wrote in one save are taken
        together: a record deleted and inserted unchanged disappears, one inserted with other text shows as
        changed. The stored trail is untouched; ``history`` still gives every row.
        """
        changes = list(reversed(self.history(arende_id=arende_id, meeting_id=meeting_id)))
        groups: list[list[dict]] = []
        for change in changes:
            last = groups[-1][-1] if groups else None
            if last is not None and last["anvandare"] == change["anvandare"] and \
                    _seconds_between(last["tid"], change["tid"]) <= HISTORY_GROUP_SECONDS:
                groups[-1].append(change)
            else:
                groups.append([change])
        found = [entry for group in groups for entry in _net_group(group)]
        return sorted(found, key=lambda entry: entry["id"], reverse=True)

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
            last = self.row("SELECT tid, anvandare FROM andring WHERE tabell = ? AND rad = ? AND handelse <> 'ny' "
                            "ORDER BY id DESC LIMIT 1", (table, self.audit_key(row_id)))
            who = f" av {last['anvandare']} {last['tid'][:16].replace('T', ' kl. ')}" if last else ""
            raise ConflictError(
                f"Uppgiften har ändrats{who} sedan du öppnade den. Dina ändringar är inte sparade men finns kvar "
                "på skärmen: jämför med den nya versionen och spara igen, eller ladda om för att se den."
            )

    def decisions_of_arende(self, arende_id: int) -> list[dict]:
        """The §§ in which the ärende was decided: organ, meeting date, § number and decision text."""
        return self.decisions_of_arenden([arende_id]).get(arende_id, [])

    # --- the archive's reads for many ärenden at once (archive.export_year: a few queries per year) ---------

    def arenden_by_id(self, arende_ids: list[int]) -> dict[int, dict]:
        """:meth:`arende` of each of ``arende_ids`` (those that exist), by id, in one query."""
        return {r["id"]: r for r in self.arenden_by_ids(arende_ids)}

    def handlingar_of_arenden(self, arende_ids: list[int]) -> dict[int, list[dict]]:
        """Every handling of each of ``arende_ids``, bilagor included, in registration order, by ärende id (an
        ärende without any is left out)."""
        return _grouped(self.rows(
            """SELECT h.*, f.skadad, f.storlek FROM handling h LEFT JOIN fil f ON f.sha256 = h.fil_sha256
               WHERE h.arende_id IN (SELECT value FROM json_each(?))
               ORDER BY h.arende_id, h.datum IS NULL, h.datum, h.id""", (json.dumps(arende_ids),)), "arende_id")

    def decided_bilagor_of_arenden(self, arende_ids: list[int]) -> dict[int, list[dict]]:
        """Every bilaga a justerat meeting decided on for each of ``arende_ids``, with the date of that meeting,
        oldest first, by ärende id."""
        return _grouped(self.rows(
            """SELECT b.arende_id AS _key, b.titel, b.sha256, b.filnamn, f.storlek, s.datum
               FROM beslutad_bilaga b JOIN fil f ON f.sha256 = b.sha256
               JOIN sammantrade s ON s.id = b.sammantrade_id
               WHERE b.arende_id IN (SELECT value FROM json_each(?))
               ORDER BY b.arende_id, s.datum, b.nr""", (json.dumps(arende_ids),)), "_key", drop=True)

    def decisions_of_arenden(self, arende_ids: list[int]) -> dict[int, list[dict]]:
        """The §§ in which each of ``arende_ids`` was decided (organ, meeting date, § number, decision text), by
        ärende id, in two queries."""
        ids = json.dumps(arende_ids)
        found = _grouped(self.rows(
            """SELECT g.arende_id AS _key, g.id, g.nr, s.datum, o.namn AS organ
               FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
               JOIN sammantrade s ON s.id = p.sammantrade_id JOIN organ o ON o.id = s.organ_id
               WHERE g.arende_id IN (SELECT value FROM json_each(?)) ORDER BY g.arende_id, s.datum, g.nr""",
            (ids,)), "_key", drop=True)
        beslut = _grouped(self.rows(
            """SELECT b.paragraf_id AS _key, b.text FROM beslut b JOIN paragraf g ON g.id = b.paragraf_id
               WHERE g.arende_id IN (SELECT value FROM json_each(?)) ORDER BY b.paragraf_id, b.nr""",
            (ids,)), "_key", drop=True)
        for decisions in found.values():
            for decision in decisions:
                decision["beslut"] = [r["text"] for r in beslut.get(decision["id"], [])]
        return found

    def arenden_with_tjansteskrivelse(self, arende_ids: list[int]) -> set[int]:
        """Those of ``arende_ids`` that have a tjänsteskrivelse (:meth:`tjansteskrivelse` is not None)."""
        return {r["arende_id"] for r in self.rows(
            "SELECT arende_id FROM tjansteskrivelse WHERE arende_id IN (SELECT value FROM json_each(?))",
            (json.dumps(arende_ids),))}

    def meetings_of_paragrafer(self, paragraf_ids: list[int]) -> dict[int, int]:
        """:meth:`paragraf_meeting` of each of ``paragraf_ids``: § id → the id of the meeting holding it."""
        return {r["id"]: r["sammantrade_id"] for r in self.rows(
            """SELECT g.id, p.sammantrade_id FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
               WHERE g.id IN (SELECT value FROM json_each(?))""", (json.dumps(paragraf_ids),))}

    def justerade_meetings(self, namnd_id: int, year: int) -> list[int]:
        """The meetings of the nämnd (its organ) held in ``year`` whose protokoll is justerat, oldest first."""
        return [r["id"] for r in self.rows(
            """SELECT s.id FROM sammantrade s JOIN organ o ON o.id = s.organ_id
               JOIN protokoll p ON p.sammantrade_id = s.id
               WHERE o.namnd_id = ? AND substr(s.datum, 1, 4) = ? AND p.justerad IS NOT NULL
               ORDER BY s.datum, s.id""", (namnd_id, f"{year:04d}"))]

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
            f"""SELECT d.*, an.diarienummer,
                       a.offentlig_rubrik, a.rubrik AS arende_rubrik, a.sekretess AS arende_sekretess
                FROM delegationsbeslut d LEFT JOIN arende a ON a.id = d.arende_id
                     LEFT JOIN arende_nummer an ON an.arende_id = a.id
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


# --- condensing the audit trail -------------------------------------------------------------------------


def _seconds_between(earlier: str, later: str) -> float:
    try:
        return (dt.datetime.fromisoformat(later) - dt.datetime.fromisoformat(earlier)).total_seconds()
    except ValueError:
        return float("inf")


def _record_key(table: str, record: dict) -> tuple:
    if "id" in record:
        return table, record["id"]
    return (table, *((k, record.get(k)) for k in _LIST_KEYS if k in record))


def _net_group(group: list[dict]) -> list[dict]:
    """One save's changes (oldest first), with each record deleted and inserted again taken as one change."""
    entries: list[dict] = []
    open_: dict[tuple, dict] = {}
    for change in group:
        before, after = change["fore"], change["efter"]
        key = _record_key(change["tabell"], after or before or {})
        earlier = open_.get(key)
        if earlier is not None and earlier["efter"] is None and before is None:
            earlier.update(efter=after, id=change["id"])   # deleted and inserted again in the same save
            continue
        entry = {"id": change["id"], "tid": change["tid"], "anvandare": change["anvandare"],
                 "tabell": change["tabell"], "fore": before, "efter": after}
        entries.append(entry)
        open_[key] = entry
    found = []
    for entry in entries:
        before, after = entry["fore"], entry["efter"]
        fields = audit.changed_fields(before, after)
        if before is not None and after is not None and not fields:
            continue
        entry["handelse"] = "ny" if before is None else "borttagen" if after is None else "ändrad"
        entry["fält"] = fields
        found.append(entry)
    return found


def _grouped(rows: list[dict], key: str, *, drop: bool = False) -> dict:
    """``rows`` (ordered by ``key`` first) as lists by the value of ``key``; ``drop`` removes that column."""
    found: dict = {}
    for row in rows:
        found.setdefault(row.pop(key) if drop else row[key], []).append(row)
    return found
