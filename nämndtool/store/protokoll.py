"""The protokoll of a meeting: attendance, paragraphs, justering, anslag and the dispatch of utdrag.

Paragraph numbers run per organ through the calendar year. A justerat protokoll is locked by triggers in the
database (db/003_protokoll.sql); the methods here also refuse early with a Swedish message.
"""

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from nämndtool.errors import NamndtoolError, NotFoundError, StoreError
from nämndtool.justering import anslag_problem, correction_problem, justering_problem
from nämndtool.store.base import StoreBase

PARAGRAF_COLUMNS = (
    "rubrik", "propositionsordning", "votering_ja", "votering_nej", "votering_avstar", "votering_resultat",
    "proposition_ja", "proposition_nej", "omedelbart_justerad", "berord", "skickas_av",
)
NARVARO_COLUMNS = ("person_id", "namn", "roll", "parti", "titel", "tjanstgor", "ersatter", "forhinder",
                   "fran_paragraf", "till_paragraf")
OMEDELBAR = "paragrafen justeras omedelbart"


class ProtokollMixin(StoreBase):
    # --- reading ------------------------------------------------------------------------------------------

    def protokoll(self, meeting_id: int) -> dict | None:
        """The protokoll with justerare, närvaro and paragrafer (each with its parts), or None."""
        found = self.row("SELECT * FROM protokoll WHERE sammantrade_id = ?", (meeting_id,))
        if found is None:
            return None
        key = (found["id"],)
        found["justerare"] = [r["namn"] for r in self.rows(
            "SELECT namn FROM justerare WHERE protokoll_id = ? ORDER BY nr", key)]
        found["narvaro"] = self.rows("SELECT * FROM narvaro WHERE protokoll_id = ? ORDER BY nr", key)
        found["paragrafer"] = [self.paragraf(p["id"]) for p in self.rows(
            "SELECT id FROM paragraf WHERE protokoll_id = ? ORDER BY nr", key)]
        return found

    def paragraf(self, paragraf_id: int) -> dict:
        found = self.row(
            """SELECT g.*, gs.sekretess, gs.sekretess_lagrum,
                      an.diarienummer
               FROM paragraf g JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id
               LEFT JOIN arende a ON a.id = g.arende_id LEFT JOIN arende_nummer an ON an.arende_id = a.id
               WHERE g.id = ?""", (paragraf_id,))
        if found is None:
            raise NotFoundError(f"Paragrafen med id {paragraf_id} finns inte.")
        key = (paragraf_id,)
        found["beslut"] = [r["text"] for r in self.rows("SELECT text FROM beslut WHERE paragraf_id = ? ORDER BY nr", key)]
        found["yrkanden"] = self.rows("SELECT av, text FROM yrkande WHERE paragraf_id = ? ORDER BY nr", key)
        found["roster"] = self.rows("SELECT namn, rost FROM rost WHERE paragraf_id = ? ORDER BY nr", key)
        notes = self.rows("SELECT slag, av, text FROM anteckning WHERE paragraf_id = ? ORDER BY nr", key)
        found["reservationer"] = [{"av": n["av"].split("\n"), "text": n["text"]} for n in notes if n["slag"] == "reservation"]
        found["protokollsanteckningar"] = [{"av": n["av"].split("\n"), "text": n["text"]}
                                           for n in notes if n["slag"] == "protokollsanteckning"]
        found["jav"] = [r["namn"] for r in self.rows("SELECT namn FROM jav WHERE paragraf_id = ? ORDER BY namn", key)]
        found["mottagare"] = self.rows(
            """SELECT pm.nr, pm.adress_bekraftad, pm.bekraftad_av, pm.bekraftad_datum, pm.bekraftad_enligt_import,
                      m.id AS mottagare_id,
                      m.namn, m.adress, m.epost
               FROM paragraf_mottagare pm JOIN mottagare m ON m.id = pm.mottagare_id
               WHERE pm.paragraf_id = ? ORDER BY pm.nr""", key)
        return found

    def protokoll_of_meetings(self, meeting_ids: list[int]) -> dict[int, dict]:
        """:meth:`protokoll` of each of ``meeting_ids`` that has one, by meeting id, in nine queries however
        many meetings and §§ (the archive reads a year's protokoll this way)."""
        ids = json.dumps(meeting_ids)
        found = {r["sammantrade_id"]: r for r in self.rows(
            "SELECT * FROM protokoll WHERE sammantrade_id IN (SELECT value FROM json_each(?))", (ids,))}
        protokoll_ids = "SELECT id FROM protokoll WHERE sammantrade_id IN (SELECT value FROM json_each(?1))"
        paragraf_ids = f"SELECT id FROM paragraf WHERE protokoll_id IN ({protokoll_ids})"

        def grouped(sql: str) -> dict[int, list[dict]]:
            by: dict[int, list[dict]] = {}
            for row in self.rows(sql, (ids,)):
                by.setdefault(row.pop("_key"), []).append(row)
            return by

        justerare = grouped(f"SELECT protokoll_id AS _key, namn FROM justerare WHERE protokoll_id IN ({protokoll_ids}) "
                            "ORDER BY protokoll_id, nr")
        narvaro = {}
        for row in self.rows(f"SELECT * FROM narvaro WHERE protokoll_id IN ({protokoll_ids}) ORDER BY protokoll_id, nr",
                             (ids,)):
            narvaro.setdefault(row["protokoll_id"], []).append(row)
        paragrafer = grouped(
            f"""SELECT g.protokoll_id AS _key, g.*, gs.sekretess, gs.sekretess_lagrum,
                      an.diarienummer
               FROM paragraf g JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id
               LEFT JOIN arende a ON a.id = g.arende_id LEFT JOIN arende_nummer an ON an.arende_id = a.id
               WHERE g.protokoll_id IN ({protokoll_ids}) ORDER BY g.protokoll_id, g.nr""")
        parts = {name: grouped(f"SELECT paragraf_id AS _key, {columns} FROM {table} "
                               f"WHERE paragraf_id IN ({paragraf_ids}) ORDER BY paragraf_id, {order}")
                 for name, table, columns, order in (
                     ("beslut", "beslut", "text", "nr"), ("yrkanden", "yrkande", "av, text", "nr"),
                     ("roster", "rost", "namn, rost", "nr"), ("notes", "anteckning", "slag, av, text", "nr"),
                     ("jav", "jav", "namn", "namn"))}
        mottagare = grouped(
            f"""SELECT pm.paragraf_id AS _key, pm.nr, pm.adress_bekraftad, pm.bekraftad_av, pm.bekraftad_datum,
                      pm.bekraftad_enligt_import, m.id AS mottagare_id, m.namn, m.adress, m.epost
               FROM paragraf_mottagare pm JOIN mottagare m ON m.id = pm.mottagare_id
               WHERE pm.paragraf_id IN ({paragraf_ids}) ORDER BY pm.paragraf_id, pm.nr""")
        for protokoll in found.values():
            key = protokoll["id"]
            protokoll["justerare"] = [r["namn"] for r in justerare.get(key, [])]
            protokoll["narvaro"] = narvaro.get(key, [])
            protokoll["paragrafer"] = paragrafer.get(key, [])
            for p in protokoll["paragrafer"]:
                pid = p["id"]
                p["beslut"] = [r["text"] for r in parts["beslut"].get(pid, [])]
                p["yrkanden"] = parts["yrkanden"].get(pid, [])
                p["roster"] = parts["roster"].get(pid, [])
                notes = parts["notes"].get(pid, [])
                p["reservationer"] = [{"av": n["av"].split("\n"), "text": n["text"]}
                                      for n in notes if n["slag"] == "reservation"]
                p["protokollsanteckningar"] = [{"av": n["av"].split("\n"), "text": n["text"]}
                                               for n in notes if n["slag"] == "protokollsanteckning"]
                p["jav"] = [r["namn"] for r in parts["jav"].get(pid, [])]
                p["mottagare"] = mottagare.get(pid, [])
        return found

    def paragraf_by_number(self, meeting_id: int, nr: int) -> dict:
        found = self.row(
            "SELECT g.id FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id WHERE p.sammantrade_id = ? AND g.nr = ?",
            (meeting_id, nr))
        if found is None:
            raise NotFoundError(f"Protokollet för sammanträde {meeting_id} har ingen § {nr}.")
        return self.paragraf(found["id"])

    def paragraf_meeting(self, paragraf_id: int) -> int:
        """The id of the meeting whose protokoll holds the §."""
        found = self.value(
            "SELECT p.sammantrade_id FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id WHERE g.id = ?",
            (paragraf_id,))
        if found is None:
            raise NotFoundError(f"Paragrafen med id {paragraf_id} finns inte.")
        return found

    def is_justerat(self, meeting_id: int) -> bool:
        return bool(self.value("SELECT justerad IS NOT NULL FROM protokoll WHERE sammantrade_id = ?", (meeting_id,)))

    # --- writing ------------------------------------------------------------------------------------------

    def _refuse_if_justerat(self, meeting_id: int, *, signed: str | None = None) -> None:
        """Refuses a change to a justerat protokoll, and to one being signed: the signed PDF is what is justerat.
        ``signed``: the latest version of the digital justering being recorded, which must be the one under way."""
        if self.is_justerat(meeting_id):
            raise NamndtoolError(
                "Protokollet är justerat och kan inte ändras. Ett fel i ett justerat protokoll rättas genom "
                "ett nytt beslut på ett kommande sammanträde."
            )
        under_way = self.signing_pdf(meeting_id)
        if signed is not None and under_way != signed:
            raise NamndtoolError("Den digitala justeringen har ändrats eller avbrutits under tiden. Ingenting har "
                                 "sparats; öppna justeringen igen.")
        if under_way and under_way != signed:
            raise NamndtoolError(
                "Protokollet håller på att justeras digitalt och är låst medan underskrifterna samlas in. Måste "
                "något ändras avbryter du den digitala justeringen först; de underskrifter som finns gäller då inte "
                "och alla skriver under på nytt.")

    # --- digital justering: the versions of the PDF being signed (db/021) -------------------------------------

    def is_signing_version(self, meeting_id: int, sha256: str) -> bool:
        """Whether the file is a version of the meeting's digital justering (its justerat PDF was signed)."""
        return self.value("SELECT 1 FROM signering WHERE sammantrade_id = ? AND sha256 = ?",
                          (meeting_id, sha256)) is not None

    def signing_pdf(self, meeting_id: int) -> str | None:
        """The SHA-256 of the latest version of the PDF being signed, None when no digital justering is under way."""
        return self.value("SELECT s.sha256 FROM signering s JOIN protokoll p ON p.sammantrade_id = s.sammantrade_id "
                          "WHERE s.sammantrade_id = ? AND s.avbruten IS NULL AND p.justerad IS NULL "
                          "ORDER BY s.nr DESC LIMIT 1", (meeting_id,))

    def start_signing(self, meeting_id: int, sha256: str) -> None:
        """The first version (empty signature fields) of a digital justering. Rules: klar för justering, not
        justerat, no digital justering already under way. ``sha256`` is a registered file."""
        with self.write():
            self.refuse_signing(meeting_id)
            self._add_signing_version(meeting_id, sha256)

    def refuse_signing(self, meeting_id: int) -> None:
        """Refuse, before anything is rendered, a digital justering that cannot start (see start_signing)."""
        if self.signing_pdf(meeting_id):
            raise NamndtoolError("En digital justering pågår redan för protokollet. Fortsätt den, eller avbryt den "
                                 "om den ska börja om.")
        self._refuse_if_justerat(meeting_id)
        protokoll = self.row("SELECT klar_for_justering FROM protokoll WHERE sammantrade_id = ?", (meeting_id,))
        if not (protokoll and protokoll["klar_for_justering"]):
            raise NamndtoolError("Protokollet är inte markerat klart för justering. Markera det klart först; "
                                 "då kontrolleras att allt kommunallagen kräver finns med.")

    def add_signing_version(self, meeting_id: int, was: str, sha256: str) -> None:
        """The next version, only if the latest still is ``was``: two people signing at once cannot both build
        on the same version, and a signature made while the justering was cancelled is not kept."""
        with self.write():
            if self.signing_pdf(meeting_id) != was:
                raise NamndtoolError("Protokollet har fått en ny underskrift, eller justeringen har avbrutits, medan "
                                     "du skrev under. Din underskrift har inte sparats; försök igen.")
            self._add_signing_version(meeting_id, sha256)

    def _add_signing_version(self, meeting_id: int, sha256: str) -> None:
        nr = self.value("SELECT coalesce(max(nr), 0) + 1 FROM signering WHERE sammantrade_id = ?", (meeting_id,))
        self.execute("INSERT INTO signering (sammantrade_id, nr, sha256) VALUES (?, ?, ?)", (meeting_id, nr, sha256))

    def cancel_signing(self, meeting_id: int) -> None:
        """Ends the digital justering under way; its versions are kept, stamped as cancelled."""
        with self.write():
            if self.signing_pdf(meeting_id) is None:
                raise NamndtoolError("Ingen digital justering pågår för protokollet, så det finns inget att avbryta.")
            self.execute("UPDATE signering SET avbruten = ? WHERE sammantrade_id = ? AND avbruten IS NULL",
                         (dt.datetime.now().strftime("%Y-%m-%dT%H:%M:%S"), meeting_id))

    def ensure_protokoll(self, meeting_id: int) -> int:
        with self.write():
            found = self.value("SELECT id FROM protokoll WHERE sammantrade_id = ?", (meeting_id,))
            if found:
                return found
            meeting = self.row("SELECT forhinder_namn FROM sammantrade WHERE id = ?", (meeting_id,))
            if meeting is None:
                raise NotFoundError(f"Sammanträdet med id {meeting_id} finns inte.")
            return self.insert("protokoll", {"sammantrade_id": meeting_id, "sekreterare": meeting["forhinder_namn"]})

    def save_protokoll_header(self, meeting_id: int, *, sekreterare: str | None, justering_plats: str | None,
                              justering_datum: str | None, forvaringsplats: str | None, justerare: list[str]) -> None:
        with self.write():
            self._refuse_if_justerat(meeting_id)
            protokoll_id = self.ensure_protokoll(meeting_id)
            self.update("protokoll", {"id": protokoll_id}, {
                "sekreterare": sekreterare, "justering_plats": justering_plats, "justering_datum": justering_datum,
                "forvaringsplats": forvaringsplats, "klar_for_justering": 0,
            })
            self._replace_justerare(protokoll_id, justerare)

    def save_justerare(self, meeting_id: int, justerare: list[str]) -> None:
        """The justerare chosen at the meeting (Val av justerare), into the protokoll's header; clears "klar för
        justering"."""
        with self.write():
            self._refuse_if_justerat(meeting_id)
            protokoll_id = self.ensure_protokoll(meeting_id)
            self.update("protokoll", {"id": protokoll_id}, {"klar_for_justering": 0})
            self._replace_justerare(protokoll_id, justerare)

    def _replace_justerare(self, protokoll_id: int, justerare: list[str]) -> None:
        self.execute("DELETE FROM justerare WHERE protokoll_id = ?", (protokoll_id,))
        for nr, namn in enumerate(justerare, 1):
            self.insert("justerare", {"protokoll_id": protokoll_id, "nr": nr, "namn": namn})

    def save_narvaro(self, meeting_id: int, rows: list[dict]) -> None:
        with self.write():
            self._refuse_if_justerat(meeting_id)
            protokoll_id = self.ensure_protokoll(meeting_id)
            self.execute("DELETE FROM narvaro WHERE protokoll_id = ?", (protokoll_id,))
            for nr, row in enumerate(rows, 1):
                self.insert("narvaro", {"protokoll_id": protokoll_id, "nr": nr,
                                        **{c: row.get(c) for c in NARVARO_COLUMNS if row.get(c) is not None}})
            self.update("protokoll", {"id": protokoll_id}, {"klar_for_justering": 0})

    def next_paragraph_number(self, organ_id: int, datum: str) -> int:
        """One above the highest § of the organ in meetings of the same year up to this date."""
        last = self.value(
            """SELECT max(g.nr) FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
               JOIN sammantrade s ON s.id = p.sammantrade_id
               WHERE g.organ_id = ? AND g.ar = ? AND s.datum < ?""",
            (organ_id, int(datum[:4]), datum))
        return (last or 0) + 1

    def create_paragraphs(self, meeting_id: int, standard: Callable[[str], str | None] | None = None) -> list[int]:
        """A § for every agenda item that has none, numbered on from the organ's earlier meetings this year,
        the decision pre-filled from the förslag till beslut and the recipients from the tjänsteskrivelse; an item
        without förslag gets ``standard(rubrik)`` (the nämnd's standard text for it) when that gives one."""
        with self.write():
            self._refuse_if_justerat(meeting_id)
            meeting = self.row("SELECT organ_id, datum FROM sammantrade WHERE id = ?", (meeting_id,))
            protokoll_id = self.ensure_protokoll(meeting_id)
            year = int(meeting["datum"][:4])
            later = self.value(
                """SELECT min(s.datum) FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
                   JOIN sammantrade s ON s.id = p.sammantrade_id
                   WHERE g.organ_id = ? AND g.ar = ? AND s.datum > ?""", (meeting["organ_id"], year, meeting["datum"]))
            if later:
                raise NamndtoolError(
                    f"Sammanträdet {later} har redan paragrafer i årets serie, så paragrafer för {meeting['datum']} "
                    "skulle bryta numreringen. Skriv protokollen i datumordning."
                )
            have = {r["dagordning_nr"] for r in self.rows(
                "SELECT dagordning_nr FROM paragraf WHERE protokoll_id = ?", (protokoll_id,))}
            number = max(self.value("SELECT max(nr) FROM paragraf WHERE protokoll_id = ?", (protokoll_id,)) or 0,
                         self.next_paragraph_number(meeting["organ_id"], meeting["datum"]) - 1)
            created = []
            for item in self.rows("SELECT * FROM dagordningspunkt WHERE sammantrade_id = ? ORDER BY nr", (meeting_id,)):
                if item["nr"] in have:
                    continue
                number += 1
                created.append(self._paragraph_from_item(protokoll_id, meeting["organ_id"], year, number, item,
                                                         standard))
            return created

    def _paragraph_from_item(self, protokoll_id: int, organ_id: int, year: int, number: int, item: dict,
                             standard: Callable[[str], str | None] | None = None) -> int:
        forslag, recipients, omedelbar = [], [], 0
        if item["arende_id"]:
            ts = self.row("SELECT id FROM tjansteskrivelse WHERE arende_id = ?", (item["arende_id"],))
            omedelbar = self.value("SELECT coalesce(omedelbar_justering, 0) FROM arende WHERE id = ?", (item["arende_id"],))
            if ts:
                forslag = [r["text"] for r in self.rows(
                    "SELECT text FROM forslag WHERE tjansteskrivelse_id = ? ORDER BY nr", (ts["id"],))]
                recipients = [r["mottagare_id"] for r in self.rows(
                    "SELECT mottagare_id FROM beslutsmottagare WHERE tjansteskrivelse_id = ? ORDER BY nr", (ts["id"],))]
        if forslag and forslag[-1].strip().rstrip(".").casefold() == OMEDELBAR:
            forslag, omedelbar = forslag[:-1], 1
        if not forslag and standard is not None:
            forslag = [text for text in [standard(item["rubrik"])] if text]
        paragraf_id = self.insert("paragraf", {
            "protokoll_id": protokoll_id, "organ_id": organ_id, "ar": year, "nr": number,
            "dagordning_nr": item["nr"], "rubrik": item["rubrik"], "arende_id": item["arende_id"],
            "omedelbart_justerad": omedelbar,
        })
        for nr, text in enumerate(forslag, 1):
            self.insert("beslut", {"paragraf_id": paragraf_id, "nr": nr, "text": text})
        for nr, mottagare_id in enumerate(recipients, 1):
            self.insert("paragraf_mottagare", {"paragraf_id": paragraf_id, "nr": nr, "mottagare_id": mottagare_id})
        return paragraf_id

    def ensure_paragraph(self, meeting_id: int, organ_id: int, year: int, nr: int, item: dict) -> int:
        """The § for this agenda item, created with number ``nr`` when missing (an imported protokoll keeps
        its numbers)."""
        with self.write():
            protokoll_id = self.ensure_protokoll(meeting_id)
            found = self.value("SELECT id FROM paragraf WHERE protokoll_id = ? AND dagordning_nr = ?",
                               (protokoll_id, item["nr"]))
            if found:
                self.update("paragraf", {"id": found}, {"nr": nr})
                return found
            return self.insert("paragraf", {
                "protokoll_id": protokoll_id, "organ_id": organ_id, "ar": year, "nr": nr, "dagordning_nr": item["nr"],
                "rubrik": item["rubrik"], "arende_id": item["arende_id"]})

    def save_paragraf(self, paragraf_id: int, fields: dict, *, beslut: list[str] | None = None,
                      yrkanden: list[dict] | None = None, roster: list[dict] | None = None,
                      reservationer: list[dict] | None = None, protokollsanteckningar: list[dict] | None = None,
                      jav: list[str] | None = None, mottagare: list[dict] | None = None) -> None:
        """Update a §; each list given replaces the stored one (None leaves it)."""
        with self.write():
            meeting_id = self.paragraf_meeting(paragraf_id)
            self._refuse_if_justerat(meeting_id)
            fields = dict(fields)
            self._seal_source(paragraf_id, fields.pop("sekretess", None), fields.pop("sekretess_lagrum", None))
            unknown = set(fields) - set(PARAGRAF_COLUMNS)
            if unknown:
                raise ValueError(f"unknown paragraf fields: {sorted(unknown)}")
            self.update("paragraf", {"id": paragraf_id}, fields)
            key = {"paragraf_id": paragraf_id}
            if beslut is not None:
                self._replace("beslut", key, [{"nr": n, "text": t} for n, t in enumerate(beslut, 1)])
            if yrkanden is not None:
                self._replace("yrkande", key, [{"nr": n, **y} for n, y in enumerate(yrkanden, 1)])
            if roster is not None:
                self._replace("rost", key, [{"nr": n, "namn": r["namn"], "rost": r["rost"]}
                                            for n, r in enumerate(roster, 1)])
            if reservationer is not None or protokollsanteckningar is not None:
                old = self.paragraf(paragraf_id)
                notes = [("reservation", r) for r in (old["reservationer"] if reservationer is None else reservationer)]
                notes += [("protokollsanteckning", r) for r in
                          (old["protokollsanteckningar"] if protokollsanteckningar is None else protokollsanteckningar)]
                self._replace("anteckning", key, [
                    {"nr": n, "slag": slag, "av": "\n".join(note["av"]), "text": note.get("text")}
                    for n, (slag, note) in enumerate(notes, 1)])
            if jav is not None:
                self._replace("jav", key, [{"namn": namn} for namn in jav])
            if mottagare is not None:
                self._replace("paragraf_mottagare", key, [
                    {"nr": n, "mottagare_id": m["mottagare_id"], **self._kept_confirmation(paragraf_id, m)}
                    for n, m in enumerate(mottagare, 1)])
            self.execute("UPDATE protokoll SET klar_for_justering = 0 WHERE sammantrade_id = ?", (meeting_id,))

    def _seal_source(self, paragraf_id: int, secret, lagrum: str | None) -> None:
        """A § has no secrecy of its own: marking it secret marks its ärende (or its stand-alone item)."""
        if secret is None and lagrum is None:
            return
        source = self.row(
            """SELECT g.arende_id, d.id AS punkt_id, d.arende_id AS punkt_arende, gs.sekretess
               FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
               JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id
               LEFT JOIN dagordningspunkt d ON d.sammantrade_id = p.sammantrade_id AND d.nr = g.dagordning_nr
               WHERE g.id = ?""", (paragraf_id,))
        if secret is not None and not secret:
            if source["sekretess"]:
                raise NamndtoolError(
                    "Paragrafen omfattas av sekretess genom sitt ärende eller sin punkt. Sekretessen hävs bara med "
                    "ett eget beslut i ärendet ('namndtool case unseal') eller för punkten ('namndtool meeting "
                    "unseal-item')."
                )
            return
        if source["arende_id"] or source["punkt_arende"]:
            self.seal_arende(source["arende_id"] or source["punkt_arende"], lagrum)
        elif source["punkt_id"]:
            self.execute("UPDATE dagordningspunkt SET sekretess = 1, sekretess_lagrum = coalesce(sekretess_lagrum, ?) "
                         "WHERE id = ?", (lagrum, source["punkt_id"]))

    def _kept_confirmation(self, paragraf_id: int, m: dict) -> dict:
        """A recipient row as saved from an editor: a confirmation stays only as a person recorded it (with
        :meth:`confirm_address`); a caller cannot write one in by passing a flag."""
        stored = self.row(
            "SELECT adress_bekraftad, bekraftad_av, bekraftad_datum, bekraftad_enligt_import FROM paragraf_mottagare "
            "WHERE paragraf_id = ? AND mottagare_id = ?", (paragraf_id, m["mottagare_id"]))
        if stored and stored["adress_bekraftad"] and m.get("adress_bekraftad", True):
            return {k: stored[k] for k in ("adress_bekraftad", "bekraftad_av", "bekraftad_datum",
                                           "bekraftad_enligt_import")}
        claimed = bool(m.get("bekraftad_enligt_import") or (stored and stored["bekraftad_enligt_import"]))
        return {"adress_bekraftad": 0, "bekraftad_av": None, "bekraftad_datum": None,
                "bekraftad_enligt_import": int(claimed)}

    def claim_confirmation(self, paragraf_id: int, mottagare_id: int) -> None:
        """An import file says the address was confirmed: kept as a claim, never as a confirmation."""
        with self.write():
            self.execute("UPDATE paragraf_mottagare SET bekraftad_enligt_import = 1 "
                         "WHERE paragraf_id = ? AND mottagare_id = ?", (paragraf_id, mottagare_id))

    def _replace(self, table: str, key: dict, rows: list[dict]) -> None:
        column, value = next(iter(key.items()))
        self.execute(f"DELETE FROM {table} WHERE {column} = ?", (value,))
        for row in rows:
            self.insert(table, {**key, **row})

    def confirm_address(self, paragraf_id: int, mottagare_id: int, by: str, on: dt.date | None = None) -> None:
        """A person (``by``, the signed-in user) has checked this recipient's postal address for the §."""
        if not (by or "").strip() or by.strip().casefold() == "import":
            raise NamndtoolError("En adress bekräftas av en person: ange vem som har kontrollerat den.")
        with self.write():
            cursor = self.execute(
                "UPDATE paragraf_mottagare SET adress_bekraftad = 1, bekraftad_av = ?, bekraftad_datum = ? "
                "WHERE paragraf_id = ? AND mottagare_id = ?",
                (by.strip(), (on or dt.date.today()).isoformat(), paragraf_id, mottagare_id))
            if cursor.rowcount == 0:
                raise NotFoundError("Mottagaren finns inte bland paragrafens mottagare.")

    def set_klar_for_justering(self, meeting_id: int, klar: bool) -> None:
        """Callers check the KL 5 kap. 67 § list first (nämndtool.protokoll.missing_for_justering)."""
        with self.write():
            self._refuse_if_justerat(meeting_id)
            self.execute("UPDATE protokoll SET klar_for_justering = ? WHERE sammantrade_id = ?", (int(klar), meeting_id))

    def set_justering_datum_if_unset(self, meeting_id: int, datum: str) -> None:
        """Give the protokoll its justering date, unless it has one: the date the protokoll is rendered with."""
        with self.write():
            self.execute("UPDATE protokoll SET justering_datum = coalesce(justering_datum, ?) WHERE sammantrade_id = ?",
                         (datum, meeting_id))

    def refuse_justering(self, meeting_id: int, datum: dt.date, today: dt.date | None = None, *,
                         signed: str | None = None) -> None:
        """Refuse, before anything is rendered or written, a justering of a justerat protokoll, on a date the rule
        (nämndtool.justering.justering_problem) does not allow, or on paper while a digital one is under way
        (``signed``: the digital justering's latest version, being recorded)."""
        meeting = self.row("SELECT datum FROM sammantrade WHERE id = ?", (meeting_id,))
        if meeting is None:
            raise NotFoundError(f"Sammanträdet med id {meeting_id} finns inte.")
        self._refuse_if_justerat(meeting_id, signed=signed)
        problem = justering_problem(dt.date.fromisoformat(meeting["datum"]), datum, today)
        if problem:
            raise NamndtoolError(problem)

    def record_justering(self, meeting_id: int, datum: str, pdf_sha256: str, today: dt.date | None = None, *,
                         signed: bool = False) -> None:
        """``signed``: the PDF is the last version of the digital justering under way."""
        with self.write():
            self.refuse_justering(meeting_id, dt.date.fromisoformat(datum), today,
                                  signed=pdf_sha256 if signed else None)
            self.execute("UPDATE protokoll SET justerad = ?, justerad_pdf_sha256 = ? WHERE sammantrade_id = ?",
                         (datum, pdf_sha256, meeting_id))
            self.execute("UPDATE sammantrade SET status = 'justerat' WHERE id = ?", (meeting_id,))
            self.freeze_decided(meeting_id)   # what the meeting decided on, before the decision
            self.mark_decided(meeting_id)

    def record_anslag(self, meeting_id: int, datum: str, *, omedelbara: bool = False,
                      today: dt.date | None = None) -> None:
        """The date the anslag went up: for the justerat protokoll, or for the omedelbart justerade extract (those
        §§ were justerade at the meeting). Refused when the rule (nämndtool.justering.anslag_problem) does not
        allow the date, and when an anslag is already recorded: a wrong date is mended with
        :meth:`correct_protokoll_date`."""
        column = "omedelbar_anslag" if omedelbara else "anslag_datum"
        with self.write():
            found = self._protokoll_dates(meeting_id)
            if omedelbara and not self.value(
                    "SELECT count(*) FROM paragraf WHERE protokoll_id = ? AND omedelbart_justerad = 1", (found["id"],)):
                raise NamndtoolError("Ingen paragraf är omedelbart justerad vid det här sammanträdet, så det finns "
                                     "inget anslag för omedelbart justerade paragrafer att registrera.")
            follows = found["sammantradesdatum"] if omedelbara else found["justerad"]
            if follows is None:
                raise NamndtoolError("Protokollet är inte justerat ännu; anslaget sätts upp efter justeringen.")
            if found[column] is not None:
                option = " --omedelbara" if omedelbara else ""
                raise NamndtoolError(
                    f"Anslaget är redan registrerat ({found[column]}). Är datumet fel rättar du det med "
                    f"'namndtool protokoll correct-date --meeting {meeting_id} --anslag ÅÅÅÅ-MM-DD{option} "
                    "--reason TEXT'.")
            problem = anslag_problem(dt.date.fromisoformat(follows), dt.date.fromisoformat(datum), today)
            if problem:
                raise NamndtoolError(problem)
            self.execute(f"UPDATE protokoll SET {column} = ?, {column}_registrerat = ? WHERE sammantrade_id = ?",
                         (datum, (today or dt.date.today()).isoformat(), meeting_id))

    def correct_protokoll_date(self, meeting_id: int, column: str, datum: dt.date, *, reason: str, by: str,
                               today: dt.date | None = None) -> str:
        """Correct a wrongly entered date of a justerat protokoll: ``column`` is ``justerad``, ``anslag_datum`` or
        ``omedelbar_anslag``. Returns the date it replaced.

        Allowed until the anslag period has started, by the rule in nämndtool.justering.correction_problem: both
        dates on the day the anslag is entered; the justering date as long as no valid anslag (dated today or
        earlier, not before the justering) is recorded; an anslag date entered earlier only while it is not valid. The correction, its reason (at least five characters),
        who and when are kept in `datumrattelse` and the audit trail, in the same transaction as the change
        (db/010). The justering date in the header follows a corrected justering when it said the same date (justera
        fills it in from the justering when it was empty). The justerat PDF stays as it was stored.
        """
        if len((reason or "").strip()) < 5:
            raise NamndtoolError('Ange skälet till rättelsen, till exempel "Fel datum skrevs in; justerat '
                                 '2024-03-14 enligt protokollet". Skälet sparas med ditt namn och tidpunkten.')
        if column not in ("justerad", "anslag_datum", "omedelbar_anslag"):
            raise ValueError(f"not a correctable date: {column}")
        with self.write():
            found = self._protokoll_dates(meeting_id)
            omedelbara = column == "omedelbar_anslag"
            if not omedelbara and found["justerad"] is None:
                raise NamndtoolError("Protokollet är inte justerat, så det finns inget datum att rätta. "
                                     "Justeringens datum registreras med 'namndtool protokoll justera'.")
            held = dt.date.fromisoformat(found["sammantradesdatum"])
            follows = held if omedelbara else dt.date.fromisoformat(found["justerad"])
            anslag_column = "anslag_datum" if column == "justerad" else column
            anslag, registered = found[anslag_column], found[f"{anslag_column}_registrerat"]
            problem = correction_problem(
                held, follows, dt.date.fromisoformat(anslag) if anslag else None,
                new_justerad=datum if column == "justerad" else None,
                new_anslag=None if column == "justerad" else datum, today=today,
                registered=dt.date.fromisoformat(registered) if registered else None)
            if problem:
                raise NamndtoolError(problem)
            old = found[column]
            if old == datum.isoformat():
                raise NamndtoolError(f"Datumet är redan {old}; det finns inget att rätta.")
            self.insert("datumrattelse", {"sammantrade_id": meeting_id, "falt": column, "fore": old,
                                          "efter": datum.isoformat(), "skal": reason.strip(), "av": by})
            changes = {column: datum.isoformat()}
            if column == "justerad" and found["justering_datum"] == old:
                changes["justering_datum"] = datum.isoformat()
            self.update("protokoll", {"sammantrade_id": meeting_id}, changes)
            return old

    def _protokoll_dates(self, meeting_id: int) -> dict:
        found = self.row(
            """SELECT p.id, p.justering_datum, p.justerad, p.anslag_datum, p.omedelbar_anslag,
                      p.anslag_datum_registrerat, p.omedelbar_anslag_registrerat, s.datum AS sammantradesdatum
               FROM sammantrade s LEFT JOIN protokoll p ON p.sammantrade_id = s.id WHERE s.id = ?""", (meeting_id,))
        if found is None:
            raise NotFoundError(f"Sammanträdet med id {meeting_id} finns inte.")
        if found["id"] is None:
            raise NamndtoolError(f"Sammanträdet {meeting_id} har inget protokoll ännu. Skapa paragraferna först.")
        return found

    # --- standard decision texts -----------------------------------------------------------------------------

    def standard_texts(self, namnd_id: int) -> list[dict] | None:
        """The nämnd's own standard decision texts (``punkt``, ``text``) in their order, or None when the nämnd has
        never saved any (the program's defaults apply then)."""
        found = self.rows("SELECT punkt, text FROM standardtext WHERE namnd_id = ? ORDER BY nr", (namnd_id,))
        return found or None

    def save_standard_texts(self, namnd_id: int, texts: list[dict]) -> None:
        """Replace the nämnd's standard texts with ``texts`` (``punkt``, ``text``; an empty text: none for that
        item)."""
        with self.write():
            self.execute("DELETE FROM standardtext WHERE namnd_id = ?", (namnd_id,))
            for nr, t in enumerate(texts, 1):
                self.insert("standardtext", {"namnd_id": namnd_id, "punkt": t["punkt"], "nr": nr, "text": t["text"]})

    # --- the roster for the attendance ---------------------------------------------------------------------

    def last_term_roster(self, organ_id: int, on_date: str) -> list[dict]:
        """The organ's seats of the latest term that ended before ``on_date`` (ordförande first, with
        ``uppdrag_roll``, ``fran`` and ``till``): the roster to start from when none is registered on the date,
        e.g. a meeting held after the end of the mandate period before the new term is entered."""
        return self.rows(
            """SELECT p.*, u.roll AS uppdrag_roll, u.fran, u.till FROM uppdrag u JOIN person p ON p.id = u.person_id
               WHERE u.organ_id = ? AND u.till = (SELECT max(till) FROM uppdrag WHERE organ_id = ? AND till < ?)
               ORDER BY CASE u.roll WHEN 'ordforande' THEN 0 WHEN 'vice_ordforande' THEN 1
                                    WHEN 'ledamot' THEN 2 ELSE 3 END, p.namn""",
            (organ_id, organ_id, on_date))

    # --- dispatch of utdrag ----------------------------------------------------------------------------------

    def record_dispatch(self, paragraf_id: int, mottagare_id: int, kanal: str, skickat: str | None,
                        skickat_av: str | None) -> None:
        with self.write():
            self.execute(
                """INSERT INTO utskick (paragraf_id, mottagare_id, kanal, skickat, skickat_av) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (paragraf_id, mottagare_id) DO UPDATE
                   SET kanal = excluded.kanal, skickat = excluded.skickat, skickat_av = excluded.skickat_av""",
                (paragraf_id, mottagare_id, kanal, skickat, skickat_av))

    def dispatch_list(self, meeting_id: int) -> list[dict]:
        """Every utdrag of the meeting: §, recipient, address, channel and whether it has been sent."""
        return self.rows(
            """SELECT g.id AS paragraf_id, g.nr AS paragraf, g.rubrik, gs.sekretess, m.id AS mottagare_id, m.namn,
                      m.adress, m.epost, pm.adress_bekraftad, pm.bekraftad_enligt_import,
                      coalesce(u.kanal, CASE WHEN m.epost IS NOT NULL AND gs.sekretess = 0 THEN 'e-post'
                                             WHEN m.adress IS NOT NULL THEN 'post' ELSE 'internpost' END) AS kanal,
                      u.skickat, u.skickat_av
               FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
               JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id
               JOIN paragraf_mottagare pm ON pm.paragraf_id = g.id JOIN mottagare m ON m.id = pm.mottagare_id
               LEFT JOIN utskick u ON u.paragraf_id = g.id AND u.mottagare_id = m.id
               WHERE p.sammantrade_id = ? ORDER BY g.nr, pm.nr""", (meeting_id,))

    # --- the akt copies (db/020) ----------------------------------------------------------------------------

    def akt_copies_of_arenden(self, arende_ids: list[int]) -> dict[tuple, dict]:
        """The newest recorded akt copy of each document of ``arende_ids``, keyed by (sammantrade_id, arende_id,
        slag, paragraf_id): sha256, storlek, datum, sekretess, sekretess_lagrum, ursprung."""
        return {(r["sammantrade_id"], r["arende_id"], r["slag"], r["paragraf_id"]): r for r in self.rows(
            """SELECT k.sammantrade_id, k.arende_id, k.slag, k.paragraf_id, k.sha256, f.storlek, k.datum,
                      k.sekretess, k.sekretess_lagrum, k.ursprung
               FROM akt_dokument k JOIN fil f ON f.sha256 = k.sha256
               WHERE k.id IN (SELECT max(id) FROM akt_dokument WHERE arende_id IN (SELECT value FROM json_each(?))
                              GROUP BY sammantrade_id, arende_id, slag, paragraf_id)""",
            (json.dumps(arende_ids),))}

    def record_akt_copies(self, copies: list[dict], ursprung: str,
                          durable: Callable[[Path, list[Path]], None]) -> list[str]:
        """Keep the bytes of each copy (``data``) in the file folder under their SHA-256 and record it
        (``sammantrade_id``, ``arende_id``, ``paragraf_id``, ``slag``, ``datum``, ``sekretess``,
        ``sekretess_lagrum``) in one transaction, the caller's when there is one. The new files are written
        beside their places, made durable together by ``durable(folder, files)`` (one flush of the disk, not one
        per file) and renamed into place before the rows are written. When this transaction is the outermost and
        fails, the new files are removed again; a caller whose own transaction fails calls
        :meth:`forget_unregistered_files`. Returns the SHA-256 of the files that were not in the folder before."""
        by_sha = {hashlib.sha256(c["data"]).hexdigest(): c["data"] for c in copies}
        written = self._keep_blobs(by_sha, durable)
        try:
            with self.write():
                self._register_blobs(by_sha)
                self.conn.executemany(
                    """INSERT INTO akt_dokument (sammantrade_id, arende_id, paragraf_id, slag, sha256, datum, sekretess,
                                                 sekretess_lagrum, ursprung) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [(c["sammantrade_id"], c["arende_id"], c["paragraf_id"], c["slag"],
                      hashlib.sha256(c["data"]).hexdigest(), c["datum"], int(c["sekretess"]),
                      c["sekretess_lagrum"] if c["sekretess"] else None, ursprung) for c in copies])
        except BaseException:
            self.forget_unregistered_files(list(written))
            raise
        return written

    def _keep_blobs(self, by_sha: dict[str, bytes], durable: Callable[[Path, list[Path]], None]) -> list[str]:
        """Write the bytes not yet in the file folder beside their places, make them durable together, rename them
        into place; the SHA-256 of those written."""
        written: dict[str, Path] = {}
        try:
            self.files_dir.mkdir(exist_ok=True)
            for sha, data in by_sha.items():
                target = self._file_path(sha)
                if target.exists() and target.stat().st_size == len(data):
                    continue
                target.parent.mkdir(exist_ok=True)
                tmp = target.with_name(f".ny-{sha}.tmp")
                tmp.write_bytes(data)
                written[sha] = tmp
            durable(self.files_dir, list(written.values()))
            for sha, tmp in written.items():
                os.replace(tmp, self._file_path(sha))
            durable(self.files_dir, [self._file_path(sha) for sha in written])
        except OSError as error:
            for sha, tmp in written.items():
                tmp.unlink(missing_ok=True)
            raise StoreError(f"Akthandlingarna kunde inte sparas i registrets filmapp ({error.strerror or error}). "
                             "Ingenting har ändrats. Kontrollera att disken inte är full och att du har skrivrätt.") \
                from error
        return list(written)

    def _register_blobs(self, by_sha: dict[str, bytes]) -> None:
        """Record kept bytes in ``fil``, in the caller's transaction."""
        self.conn.executemany("INSERT INTO fil (sha256, storlek) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING",
                              [(sha, len(data)) for sha, data in by_sha.items()])

    def forget_unregistered_files(self, shas: list[str]) -> None:
        """Remove those of these stored files that no row of ``fil`` names (left by a transaction that failed);
        nothing while a transaction is still open (the caller's, which may yet register them)."""
        if self.conn.in_transaction:
            return
        for sha in shas:
            if sha and self.value("SELECT 1 FROM fil WHERE sha256 = ?", (sha,)) is None:
                path = self._file_path(sha)
                path.unlink(missing_ok=True)
                try:
                    path.parent.rmdir()   # its folder too, when nothing else is in it
                except OSError:
                    pass
