"""Sammanträden and their agendas."""

from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.secrecy.labels import secret_label
from nämndtool.secrecy.matching import title_key
from nämndtool.store.base import StoreBase, _refuse_short_reason

STANDARD_OPENING = ("Upprop", "Val av justerare", "Fastställande av dagordning")
"""Standard items that open every agenda, in this order."""
MEETING_STATUSES = ("planerat", "kallat", "genomfort", "justerat")
"""A meeting's statuses in the order it passes them (db/001)."""
STANDARD_CLOSING = ("Verksamhetsinformation", "Anmälan av delegationsbeslut", "Meddelanden")
"""Standard items that close every agenda, in this order."""
READY_STATUSES = ("klart_for_namnd", "beslutat", "avslutat")
"""Ärende statuses whose handlingar can be put out (dukas) for the meeting."""

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

    def create_meeting(self, organ_id: int, datum: str, fields: dict) -> int:
        """A new meeting; refused when the organ already meets that day (one meeting per organ and date).

        ``fields`` may name the chair as ``ordforande_namn`` instead of ``ordforande_id`` (see :meth:`ensure_chair`).
        """
        with self.write():
            self._refuse_taken_date(organ_id, datum, None)
            values = self._meeting_values(fields)
            return self.insert("sammantrade", {"organ_id": organ_id, "datum": datum, **values})

    def update_meeting(self, meeting_id: int, organ_id: int, datum: str, fields: dict) -> None:
        """Change a meeting, its organ and date included; refused when that organ already meets that day."""
        with self.write():
            current = self.meeting(meeting_id)
            if current["status"] == "justerat":
                raise NamndtoolError(
                    f"Sammanträdet {current['organ']} {current['datum']} är justerat och kan inte ändras."
                )
            self._refuse_taken_date(organ_id, datum, meeting_id)
            values = self._meeting_values(fields)
            self.update("sammantrade", {"id": meeting_id}, {"organ_id": organ_id, "datum": datum, **values})

    def _refuse_taken_date(self, organ_id: int, datum: str, meeting_id: int | None) -> None:
        found = self.row(
            "SELECT s.id, o.namn FROM sammantrade s JOIN organ o ON o.id = s.organ_id "
            "WHERE s.organ_id = ? AND s.datum = ? AND s.id IS NOT ?",
            (organ_id, datum, meeting_id),
        )
        if found:
            raise NamndtoolError(
                f"{found['namn']} har redan ett sammanträde {datum}. Ett organ kan bara ha ett sammanträde per dag: "
                "välj ett annat datum, eller öppna det befintliga sammanträdet i listan."
            )

    def _meeting_values(self, fields: dict) -> dict:
        values = {c: v for c, v in fields.items() if c in MEETING_COLUMNS}
        if "ordforande_namn" in fields:
            name = (fields["ordforande_namn"] or "").strip()
            values["ordforande_id"] = self.ensure_chair(name) if name else None
        return values

    def ensure_chair(self, namn: str) -> int:
        """The förtroendevald with this name (a ledamot before an ersättare); a new ledamot when there is none.

        A chair typed by hand (a guest ordförande, a new term not yet in the roster) is kept as a person so the
        kallelse and protokoll can name them. Names compare as ``identity_key`` does (Unicode form, case, spaces).
        """
        with self.write():
            found = self.row(
                "SELECT id FROM person WHERE identity_key(namn) = identity_key(?) AND roll IN ('ledamot', 'ersattare') "
                "ORDER BY roll = 'ersattare', id LIMIT 1",
                (namn,),
            )
            return found["id"] if found else self.insert("person", {"namn": namn, "roll": "ledamot"})

    def latest_meeting(self, organ_id: int, before: str | None = None) -> dict | None:
        """The organ's latest meeting (before ``before`` when given): where a new meeting takes its defaults."""
        found = self.row(
            "SELECT id FROM sammantrade WHERE organ_id = ? AND (? IS NULL OR datum < ?) ORDER BY datum DESC LIMIT 1",
            (organ_id, before, before),
        )
        return self.meeting(found["id"]) if found else None

    def forhinder_suggestion(self, organ_id: int) -> dict:
        """Namn, e-post and telefon for "förhinder anmäls till", from the organ's latest meeting that had them."""
        found = self.row(
            "SELECT forhinder_namn, forhinder_epost, forhinder_telefon FROM sammantrade "
            "WHERE organ_id = ? AND coalesce(forhinder_namn, forhinder_epost, forhinder_telefon) IS NOT NULL "
            "ORDER BY datum DESC LIMIT 1",
            (organ_id,),
        )
        return found or {"forhinder_namn": None, "forhinder_epost": None, "forhinder_telefon": None}

    def previous_meeting_date(self, organ_id: int, datum: str) -> str | None:
        """The date of the organ's last meeting before ``datum``, or None."""
        return self.value("SELECT max(datum) FROM sammantrade WHERE organ_id = ? AND datum < ?", (organ_id, datum))

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

    def advance_meeting_status(self, meeting_id: int, status: str) -> bool:
        """Move a meeting on to ``status`` when it stands before it in :data:`MEETING_STATUSES`; never back, and
        never to or from justerat (the justering sets that). True when the status changed."""
        earlier = MEETING_STATUSES[:MEETING_STATUSES.index(status)]
        if status == "justerat" or not earlier:
            raise ValueError(f"a meeting is not moved on to {status!r} this way")
        marks = ", ".join("?" * len(earlier))
        with self.write():
            return self.execute(f"UPDATE sammantrade SET status = ? WHERE id = ? AND status IN ({marks})",
                                (status, meeting_id, *earlier)).rowcount > 0

    def meeting_is_held(self, meeting_id: int) -> bool:
        """True when the meeting's protokoll has §§ or attendance: the meeting has been held."""
        return bool(self.value(
            """SELECT EXISTS (SELECT 1 FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
                              WHERE p.sammantrade_id = ?)
                   OR EXISTS (SELECT 1 FROM narvaro n JOIN protokoll p ON p.id = n.protokoll_id
                              WHERE p.sammantrade_id = ?)""", (meeting_id, meeting_id)))

    def paragraph_items_from(self, meeting_id: int, from_nr: int) -> list[dict]:
        """The §§ of the meeting's agenda items numbered ``from_nr`` and on (``nr``, ``dagordning_nr``, ``rubrik``,
        ``omedelbart_justerad``), in § order."""
        return self.rows(
            """SELECT g.id, g.nr, g.dagordning_nr, g.rubrik, g.omedelbart_justerad, g.organ_id, g.ar
               FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
               WHERE p.sammantrade_id = ? AND g.dagordning_nr >= ? ORDER BY g.nr""", (meeting_id, from_nr))

    def later_paragraph_meeting(self, meeting_id: int) -> str | None:
        """The date of the first later meeting of the same organ that has §§ in this meeting's year, or None."""
        return self.value(
            """SELECT min(s2.datum) FROM sammantrade s JOIN paragraf g ON g.organ_id = s.organ_id
               AND g.ar = CAST(substr(s.datum, 1, 4) AS INTEGER)
               JOIN protokoll p ON p.id = g.protokoll_id JOIN sammantrade s2 ON s2.id = p.sammantrade_id
               WHERE s.id = ? AND s2.datum > s.datum""", (meeting_id,))

    def move_paragraph_items(self, meeting_id: int, from_nr: int, count: int) -> None:
        """The §§ of agenda items ``from_nr`` and on point ``count`` items further on: room for new agenda items
        before them (the agenda itself is written after, by :meth:`replace_agenda`)."""
        with self.write():
            protokoll = "(SELECT id FROM protokoll WHERE sammantrade_id = ?)"
            # Out of the way first, so UNIQUE (protokoll_id, dagordning_nr) never sees one number twice.
            self.execute(f"UPDATE paragraf SET dagordning_nr = dagordning_nr + 1000000 WHERE protokoll_id = {protokoll} "
                         "AND dagordning_nr >= ?", (meeting_id, from_nr))
            self.execute(f"UPDATE paragraf SET dagordning_nr = dagordning_nr - 1000000 + ? WHERE protokoll_id = "
                         f"{protokoll} AND dagordning_nr >= 1000000", (count, meeting_id))

    def renumber_paragraphs(self, meeting_id: int) -> None:
        """Number the meeting's §§ in agenda order, on from its lowest § number."""
        with self.write():
            found = self.rows(
                """SELECT g.id, g.nr FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id
                   WHERE p.sammantrade_id = ? ORDER BY g.dagordning_nr IS NULL, g.dagordning_nr, g.nr""", (meeting_id,))
            if not found:
                return
            first = min(r["nr"] for r in found)
            if [r["nr"] for r in found] == list(range(first, first + len(found))):
                return
            for r in found:
                self.execute("UPDATE paragraf SET nr = nr + 1000000 WHERE id = ?", (r["id"],))
            for nr, r in enumerate(found, first):
                self.execute("UPDATE paragraf SET nr = ? WHERE id = ?", (nr, r["id"]))

    def save_agenda(self, meeting_id: int, items: list[dict], *, keep_secret: bool = False) -> list[str]:
        """Set the whole agenda: items are kept by number and updated in place; numbers no longer used go, except
        secret items when ``keep_secret`` (a public file leaves them out by design, it does not delete them).

        Returns warnings: a secret stand-alone item the new agenda calls public stays secret (see
        :meth:`_own_secrecy`)."""
        warnings: list[str] = []
        with self.write():
            numbers = [item["nr"] for item in items]
            placeholders = ", ".join("?" * len(numbers)) or "NULL"
            self.execute(
                f"""DELETE FROM dagordningspunkt WHERE sammantrade_id = ? AND nr NOT IN ({placeholders})
                    AND NOT (? = 1 AND id IN (SELECT dagordningspunkt_id FROM punkt_sekretess WHERE sekretess = 1))""",
                [meeting_id, *numbers, int(keep_secret)],
            )
            secret_titles = self.secret_titles_of_meeting(meeting_id)
            for item in items:
                found = self.row(
                    "SELECT id FROM dagordningspunkt WHERE sammantrade_id = ? AND nr = ?", (meeting_id, item["nr"])
                )
                values = self._item_values(item, found and found["id"], secret_titles, warnings)
                if found:
                    self.update("dagordningspunkt", {"id": found["id"]}, values)
                else:
                    self.insert("dagordningspunkt", {"sammantrade_id": meeting_id, "nr": item["nr"], **values})
        return warnings

    def replace_agenda(self, meeting_id: int, items: list[dict]) -> list[str]:
        """Write the whole agenda in this order, numbered 1..n, in one transaction.

        Unlike :meth:`save_agenda` (which keeps items by number) this is right after a reorder: an item that
        carries its stored ``id`` keeps its row (and with it its secrecy and history); stored items not given go.
        Returns warnings as :meth:`save_agenda` does.
        """
        warnings: list[str] = []
        with self.write():
            meeting = self.meeting(meeting_id)
            if meeting["status"] == "justerat":
                raise NamndtoolError(f"Sammanträdet {meeting['organ']} {meeting['datum']} är justerat, "
                                     "så dagordningen kan inte ändras.")
            self._refuse_changing_items_with_paragraphs(meeting_id, items)
            stored = {r["id"] for r in self.rows(
                "SELECT id FROM dagordningspunkt WHERE sammantrade_id = ?", (meeting_id,))}
            kept = {item.get("id") for item in items} & stored
            secret_titles = self.secret_titles_of_meeting(meeting_id)
            for gone in stored - kept:
                self.execute("DELETE FROM dagordningspunkt WHERE id = ?", (gone,))
            # Out of the way first, so UNIQUE (sammantrade_id, nr) never sees two items with one number.
            self.execute("UPDATE dagordningspunkt SET nr = nr + 1000000 WHERE sammantrade_id = ?", (meeting_id,))
            for nr, item in enumerate(items, 1):
                item = {**item, "nr": nr}
                item_id = item.get("id") if item.get("id") in kept else None
                values = self._item_values(item, item_id, secret_titles, warnings)
                if item_id:
                    self.update("dagordningspunkt", {"id": item_id}, {"nr": nr, **values})
                else:
                    self.insert("dagordningspunkt", {"sammantrade_id": meeting_id, "nr": nr, **values})
        return warnings

    def secret_titles_of_meeting(self, meeting_id: int) -> dict[str, str | None]:
        """The titles of the meeting's secret items and of their ärenden (as compared: words, case folded), each
        with its lagrum: an item or ärende that comes back under one of these titles is the same secret."""
        found: dict[str, str | None] = {}
        for r in self.rows(
                """SELECT d.rubrik, a.rubrik AS arende_rubrik, ps.sekretess_lagrum FROM dagordningspunkt d
                   JOIN punkt_sekretess ps ON ps.dagordningspunkt_id = d.id LEFT JOIN arende a ON a.id = d.arende_id
                   WHERE d.sammantrade_id = ? AND ps.sekretess = 1""", (meeting_id,)):
            for title in filter(None, (r["rubrik"], r["arende_rubrik"])):
                found.setdefault(title_key(title), r["sekretess_lagrum"])
        return found

    def _item_values(self, item: dict, stored_id: int | None, secret_titles: dict, warnings: list[str]) -> dict:
        values = {c: item.get(c) for c in ITEM_COLUMNS}
        values["sekretess"], values["sekretess_lagrum"] = self._own_secrecy(item, stored_id, secret_titles, warnings)
        return values

    def _own_secrecy(self, item: dict, stored_id: int | None, secret_titles: dict,
                     warnings: list[str]) -> tuple[int, str | None]:
        """The secrecy an item stores itself.

        An item with an ärende stores none: the ärende's is read (a secret item makes its ärende secret). A
        stand-alone item that is secret now (the same row, or an item with the same title) stays secret whatever
        the new agenda says: secrecy is lifted only by :meth:`unseal_item`, with a reason.
        """
        secret = bool(item.get("sekretess"))
        lagrum = (item.get("sekretess_lagrum") or None) if secret else None
        if item.get("arende_id") is not None:
            if secret:
                self.seal_arende(item["arende_id"], lagrum)
            return 0, None
        if not secret:
            stored = self.row(
                """SELECT ps.sekretess, ps.sekretess_lagrum, d.arende_id FROM punkt_sekretess ps
                   JOIN dagordningspunkt d ON d.id = ps.dagordningspunkt_id WHERE ps.dagordningspunkt_id = ?""",
                (stored_id,)) if stored_id else None
            same_title = title_key(item["rubrik"]) in secret_titles
            if (stored and stored["sekretess"]) or same_title:
                warnings.append(
                    f"Punkt {item['nr']} ({secret_label()}) omfattas av sekretess och förblir sekretess. "
                    "Sekretessen hävs bara med ett eget beslut och ett skäl (Häv sekretess i programmet, eller "
                    "'namndtool meeting unseal-item')."
                )
                return 1, (stored or {}).get("sekretess_lagrum") or secret_titles.get(title_key(item["rubrik"])) or lagrum
        return int(secret), lagrum

    def seal_item(self, item_id: int, lagrum: str | None = None) -> bool:
        """Make an agenda item secret; True when it was public. An item with an ärende makes the ärende secret
        (its secrecy is the ärende's). Allowed after justering too: secrecy may always be added."""
        with self.write():
            item = self.row("SELECT d.arende_id, ps.sekretess FROM dagordningspunkt d JOIN punkt_sekretess ps "
                            "ON ps.dagordningspunkt_id = d.id WHERE d.id = ?", (item_id,))
            if item is None:
                raise NotFoundError(f"Dagordningspunkten med id {item_id} finns inte.")
            if item["arende_id"] is not None:
                return self.seal_arende(item["arende_id"], lagrum)
            self.execute("UPDATE dagordningspunkt SET sekretess = 1, sekretess_lagrum = coalesce(sekretess_lagrum, ?) "
                         "WHERE id = ?", (lagrum or None, item_id))
            return not item["sekretess"]

    def unseal_item(self, item_id: int, reason: str) -> None:
        """Lift a stand-alone item's secrecy: one recorded decision with a reason, who and when."""
        reason = (reason or "").strip()
        with self.write():
            item = self.row(
                """SELECT d.*, ps.sekretess AS effektiv, ps.sekretess_lagrum AS effektivt_lagrum
                   FROM dagordningspunkt d JOIN punkt_sekretess ps ON ps.dagordningspunkt_id = d.id
                   WHERE d.id = ?""", (item_id,))
            if item is None:
                raise NotFoundError(f"Dagordningspunkten med id {item_id} finns inte.")
            if item["arende_id"] is not None:
                raise NamndtoolError(
                    f"Punkt {item['nr']} hör till ett ärende: sekretessen hävs i ärendet ('namndtool case unseal').")
            if not item["effektiv"]:
                raise NamndtoolError(f"Punkt {item['nr']} omfattas inte av sekretess.")
            _refuse_short_reason(reason)
            self.execute(
                "INSERT INTO sekretess_havd (dagordningspunkt_id, sammantrade_id, punkt_rubrik, skal, av, "
                "tidigare_lagrum) VALUES (?, ?, ?, ?, app_user(), ?)",
                (item_id, item["sammantrade_id"], item["rubrik"], reason, item["effektivt_lagrum"]))
            self.execute("UPDATE dagordningspunkt SET sekretess = 0, sekretess_lagrum = NULL WHERE id = ?",
                         (item_id,))

    def _refuse_changing_items_with_paragraphs(self, meeting_id: int, items: list[dict]) -> None:
        """A § points at its agenda item by number: once the protokoll has §§, those items keep their place and
        content. New items may still be added after them."""
        taken = self.rows(
            """SELECT d.nr, d.rubrik, d.arende_id FROM dagordningspunkt d
               JOIN protokoll p ON p.sammantrade_id = d.sammantrade_id
               JOIN paragraf g ON g.protokoll_id = p.id AND g.dagordning_nr = d.nr
               WHERE d.sammantrade_id = ?""", (meeting_id,))
        for row in taken:
            new = items[row["nr"] - 1] if row["nr"] <= len(items) else None
            if new is None or new.get("arende_id") != row["arende_id"] or new.get("rubrik") != row["rubrik"]:
                raise NamndtoolError(
                    f"Punkt {row['nr']} ({row['rubrik']}) har redan en paragraf i protokollet, så den kan inte "
                    "flyttas, ändras eller tas bort. Ändra i protokollet i stället, eller lägg nya punkter sist."
                )

    def public_secret_refusal(self, item: dict) -> str | None:
        """Why ``item`` cannot be a public agenda item (its ärende is secret), or None when it can."""
        if item.get("sekretess") or item.get("arende_id") is None:
            return None
        arende = self.row(
            "SELECT a.sekretess, a.sekretess_lagrum, an.diarienummer "
            "FROM arende a JOIN arende_nummer an ON an.arende_id = a.id WHERE a.id = ?",
            (item["arende_id"],),
        )
        if not arende or not arende["sekretess"]:
            return None
        number = f" {arende['diarienummer']}" if arende["diarienummer"] else ""
        lagrum = f" enligt {arende['sekretess_lagrum']}" if arende["sekretess_lagrum"] else ""
        return (
            f"Punkt {item['nr']} kan inte bli offentlig: ärendet{number} omfattas av sekretess{lagrum}, "
            "och ett sekretessärende står alltid som sekretesspunkt på dagordningen. "
            "Gäller sekretessen inte längre ska den hävas i själva ärendet."
        )

    def agenda(self, meeting_id: int) -> list[dict]:
        return self.rows(
            """SELECT d.*, ps.sekretess, ps.sekretess_lagrum,
                      an.diarienummer,
                      a.status AS arende_status, a.sekretess AS arende_sekretess,
                      t.id IS NOT NULL AS har_tjansteskrivelse,
                      (SELECT count(*) FROM handling h WHERE h.arende_id = a.id AND h.bilaga_nr IS NOT NULL) AS antal_bilagor,
                      (SELECT count(*) FROM listad_handling l WHERE l.tjansteskrivelse_id = t.id) AS antal_listade,
                      (SELECT count(*) FROM handling h JOIN fil f ON f.sha256 = h.fil_sha256
                       WHERE h.arende_id = a.id AND h.bilaga_nr IS NOT NULL AND f.tillganglig = 0
                      ) AS antal_ej_tillgangliga
               FROM dagordningspunkt d JOIN punkt_sekretess ps ON ps.dagordningspunkt_id = d.id
                    LEFT JOIN arende a ON a.id = d.arende_id LEFT JOIN arende_nummer an ON an.arende_id = a.id
                    LEFT JOIN tjansteskrivelse t ON t.arende_id = a.id
               WHERE d.sammantrade_id = ? ORDER BY d.nr""",
            (meeting_id,),
        )

    # --- issue 13: an ärende on other agendas, the terms of an organ --------------------------------------------

    def open_agenda_places(self, arende_ids: list[int], except_meeting_id: int | None = None) -> list[dict]:
        """Where these ärenden already stand on an open agenda: that of a meeting not yet held (planerat or kallat,
        other than ``except_meeting_id``); a genomfört or justerat meeting's agenda is history. Rows: ``arende_id``,
        ``diarienummer``, ``rubrik``, ``sammantrade_id``, ``organ``, ``datum``, ``nr``; by date."""
        if not arende_ids:
            return []
        marks = ", ".join("?" * len(arende_ids))
        return self.rows(
            f"""SELECT d.arende_id, an.diarienummer, a.rubrik, s.id AS sammantrade_id, o.namn AS organ, s.datum, d.nr
                FROM dagordningspunkt d JOIN sammantrade s ON s.id = d.sammantrade_id
                     JOIN organ o ON o.id = s.organ_id JOIN arende a ON a.id = d.arende_id
                     JOIN arende_nummer an ON an.arende_id = a.id
                WHERE d.arende_id IN ({marks}) AND s.status IN ('planerat', 'kallat') AND s.id IS NOT ?
                ORDER BY s.datum, d.nr""",
            [*arende_ids, except_meeting_id],
        )

    def seat_terms(self, organ_id: int) -> list[dict]:
        """The periods (``fran``, ``till``; ``till`` None when open) of the organ's seats, by start: what the
        mandate periods of the organ are."""
        return self.rows("SELECT DISTINCT fran, till FROM uppdrag WHERE organ_id = ? ORDER BY fran, till",
                         (organ_id,))

    def organ_name(self, organ_id: int) -> str:
        found = self.value("SELECT namn FROM organ WHERE id = ?", (organ_id,))
        if found is None:
            raise NotFoundError(f"Organet med id {organ_id} finns inte.")
        return found
