"""Tjänsteskrivelser with their ordered parts, and the bilagor of an ärende."""

from nämndtool.errors import ConflictError, NotFoundError
from nämndtool.store.base import StoreBase

HEADER_COLUMNS = (
    "forvaltning", "enhet", "handlaggare_id", "datum", "ert_datum", "er_beteckning", "mottagare", "rubrik",
    "sammanfattning",
)


def listable_bilagor(bilagor: list[dict], arende_secret: bool) -> list[str]:
    """The titles of the bilagor (``bilagor``) that Ärendets handlingar may name: in a public ärende not those of
    secret handlingar, whose description is as secret as their content (the public diary leaves it out too)."""
    return [b["titel"] for b in bilagor if arende_secret or not b["sekretess"]]


class TjansteskrivelserMixin(StoreBase):
    def save_tjansteskrivelse(
        self, arende_id: int, header: dict, *, forslag: list[str], avsnitt: list[dict], handlingar: list[str],
        undertecknare: list[dict], mottagare_ids: list[int],
    ) -> int:
        """Write the whole tjänsteskrivelse of an ärende, replacing what it held before."""
        with self.write():
            found = self.row("SELECT id FROM tjansteskrivelse WHERE arende_id = ?", (arende_id,))
            if found:
                ts_id = found["id"]
                self.update("tjansteskrivelse", {"id": ts_id}, {c: header.get(c) for c in HEADER_COLUMNS})
                for table in ("forslag", "avsnitt", "listad_handling", "undertecknare", "beslutsmottagare"):
                    self.execute(f"DELETE FROM {table} WHERE tjansteskrivelse_id = ?", (ts_id,))
            else:
                ts_id = self.insert(
                    "tjansteskrivelse", {"arende_id": arende_id, **{c: header.get(c) for c in HEADER_COLUMNS}}
                )
            for nr, text in enumerate(forslag, 1):
                self.insert("forslag", {"tjansteskrivelse_id": ts_id, "nr": nr, "text": text})
            for nr, part in enumerate(avsnitt, 1):
                self.insert("avsnitt", {"tjansteskrivelse_id": ts_id, "nr": nr, **part})
            for nr, titel in enumerate(handlingar, 1):
                self.insert("listad_handling", {"tjansteskrivelse_id": ts_id, "nr": nr, "titel": titel})
            for nr, signer in enumerate(undertecknare, 1):
                self.insert("undertecknare", {"tjansteskrivelse_id": ts_id, "nr": nr, **signer})
            for nr, mottagare_id in enumerate(mottagare_ids, 1):
                self.insert("beslutsmottagare", {"tjansteskrivelse_id": ts_id, "nr": nr, "mottagare_id": mottagare_id})
            return ts_id

    def remove_tjansteskrivelse(self, arende_id: int) -> None:
        with self.write():
            self.execute("DELETE FROM tjansteskrivelse WHERE arende_id = ?", (arende_id,))

    def tjansteskrivelse(self, arende_id: int) -> dict | None:
        """The tjänsteskrivelse with its parts as lists, or None when the ärende has none."""
        ts = self.row("SELECT * FROM tjansteskrivelse WHERE arende_id = ?", (arende_id,))
        if ts is None:
            return None
        key = (ts["id"],)
        ts["handlaggare"] = self.row("SELECT * FROM person WHERE id = ?", (ts["handlaggare_id"],))
        ts["forslag"] = [r["text"] for r in self.rows(
            "SELECT text FROM forslag WHERE tjansteskrivelse_id = ? ORDER BY nr", key)]
        ts["avsnitt"] = self.rows(
            "SELECT rubrik, text FROM avsnitt WHERE tjansteskrivelse_id = ? ORDER BY nr", key)
        ts["handlingar"] = [r["titel"] for r in self.rows(
            "SELECT titel FROM listad_handling WHERE tjansteskrivelse_id = ? ORDER BY nr", key)]
        ts["undertecknare"] = self.rows(
            "SELECT namn, titel FROM undertecknare WHERE tjansteskrivelse_id = ? ORDER BY nr", key)
        ts["beslutet_skickas_till"] = self.rows(
            """SELECT m.id, m.namn, m.adress, m.epost FROM beslutsmottagare b JOIN mottagare m ON m.id = b.mottagare_id
               WHERE b.tjansteskrivelse_id = ? ORDER BY b.nr""", key)
        return ts

    def save_bilagor(self, arende_id: int, bilagor: list[dict]) -> None:
        """Set the ärende's bilagor, in order: each a dict with titel, sha256 and filnamn, and optionally sekretess
        and sekretess_lagrum (what an import file gives).

        A bilaga is a handling of the ärende marked with its place (``bilaga_nr``). A bilaga whose file a handling
        of the ärende already holds is that handling, marked and given the title (a registered letter stays the
        same handling, so an import after an export changes nothing); any other becomes a new upprättad handling.
        Secrecy given for a bilaga is added to its handling, never lifted. A handling no longer a bilaga is
        unmarked; one that only an earlier import made for its bilaga (nobody registered it) is removed, so a
        re-imported meeting never leaves a stale bilaga behind.
        """
        with self.write():
            current = self.rows(
                "SELECT id, fil_sha256, bilaga_nr, sekretess FROM handling WHERE arende_id = ? "
                "ORDER BY bilaga_nr IS NULL, bilaga_nr, id", (arende_id,))
            free = [h for h in current if h["fil_sha256"] is not None]
            order = []
            for bilaga in bilagor:
                secret = int(bool(bilaga.get("sekretess")))
                found = next((h for h in free if h["fil_sha256"] == bilaga["sha256"]), None)
                if found is None:
                    order.append(self.insert("handling", {
                        "arende_id": arende_id, "riktning": "upprattad", "beskrivning": bilaga["titel"],
                        "fil_sha256": bilaga["sha256"], "filnamn": bilaga["filnamn"], "sekretess": secret,
                        "sekretess_lagrum": bilaga.get("sekretess_lagrum") if secret else None}))
                    continue
                free.remove(found)
                changes = {"beskrivning": bilaga["titel"]}
                if secret and not found["sekretess"]:
                    changes.update(sekretess=1, sekretess_lagrum=bilaga.get("sekretess_lagrum"))
                self.update("handling", {"id": found["id"]}, changes)
                order.append(found["id"])
            self._number_bilagor(arende_id, order)
            for h in current:
                if h["bilaga_nr"] is not None and h["id"] not in order:
                    self.execute("DELETE FROM handling WHERE id = ? AND registrerad_av IS NULL AND riktning = 'upprattad'",
                                 (h["id"],))

    def _number_bilagor(self, arende_id: int, ordered_ids: list[int]) -> None:
        """Make exactly ``ordered_ids`` the ärende's bilagor, numbered 1, 2, … in that order; every other handling
        of the ärende is unmarked. Only the handlingar whose number changes are written (the audit trail shows
        what moved)."""
        wanted = {handling_id: nr for nr, handling_id in enumerate(ordered_ids, 1)}
        now = {r["id"]: r["bilaga_nr"] for r in self.rows(
            "SELECT id, bilaga_nr FROM handling WHERE arende_id = ?", (arende_id,))}
        moving = [handling_id for handling_id in now if now[handling_id] != wanted.get(handling_id)]
        for handling_id in moving:   # first out of the way: (arende_id, bilaga_nr) is unique
            if now[handling_id] is not None:
                self.execute("UPDATE handling SET bilaga_nr = NULL WHERE id = ?", (handling_id,))
        for handling_id in moving:
            if handling_id in wanted:
                self.execute("UPDATE handling SET bilaga_nr = ? WHERE id = ?", (wanted[handling_id], handling_id))

    def handling(self, handling_id: int) -> dict:
        """One handling with its ärende's secrecy (``arende_sekretess``), or NotFoundError."""
        found = self.row(
            """SELECT h.*, a.sekretess AS arende_sekretess FROM handling h JOIN arende a ON a.id = h.arende_id
               WHERE h.id = ?""", (handling_id,))
        if found is None:
            raise NotFoundError("Handlingen finns inte längre. Den kan ha tagits bort i ett annat fönster.")
        return found

    def mark_bilaga(self, handling_id: int, bilaga: bool) -> None:
        """Make the handling the ärende's last bilaga, or no bilaga (the others close up); the caller checks the
        rules (``operations.diary.mark_bilaga``)."""
        with self.write():
            arende_id = self.handling(handling_id)["arende_id"]
            ids = [b["id"] for b in self.bilagor(arende_id) if b["id"] != handling_id]
            self._number_bilagor(arende_id, ids + [handling_id] if bilaga else ids)

    def order_bilagor(self, arende_id: int, handling_ids: list[int]) -> None:
        """Number the ärende's bilagor in this order; ``handling_ids`` must be exactly its bilagor (checked)."""
        with self.write():
            current = [b["id"] for b in self.bilagor(arende_id)]
            if sorted(current) != sorted(handling_ids) or len(set(handling_ids)) != len(handling_ids):
                raise ConflictError("Ärendets bilagor har ändrats i ett annat fönster sedan listan visades. "
                                    "Ingenting har flyttats: titta på listan igen och flytta sedan.")
            self._number_bilagor(arende_id, handling_ids)

    def register_handling(self, arende_id: int, *, riktning: str, beskrivning: str, datum: str | None = None,
                          motpart: str | None = None, sekretess: int = 0, sekretess_lagrum: str | None = None,
                          fil_sha256: str | None = None, filnamn: str | None = None) -> int:
        """Register a document that came in, went out or was drawn up in the ärende."""
        with self.write():
            return self.insert("handling", {
                "arende_id": arende_id, "riktning": riktning, "beskrivning": beskrivning, "datum": datum,
                "motpart": motpart, "sekretess": sekretess, "sekretess_lagrum": sekretess_lagrum,
                "fil_sha256": fil_sha256, "filnamn": filnamn,
            })

    def handlingar(self, arende_id: int) -> list[dict]:
        """Every handling of the ärende, bilagor included, in registration order."""
        return self.handlingar_of_arenden([arende_id]).get(arende_id, [])

    def bilagor(self, arende_id: int) -> list[dict]:
        """The ärende's bilagor in their order: the handlingar marked with a place (``nr``), each with its file
        (``tillganglig``: 1 an accessible PDF, 0 not, None not checked)."""
        return self.rows(
            """SELECT h.id, h.bilaga_nr AS nr, h.beskrivning AS titel, h.fil_sha256 AS sha256, h.filnamn, f.skadad,
                      f.storlek, f.tillganglig, h.sekretess, h.sekretess_lagrum
               FROM handling h LEFT JOIN fil f ON f.sha256 = h.fil_sha256
               WHERE h.arende_id = ? AND h.bilaga_nr IS NOT NULL ORDER BY h.bilaga_nr""",
            (arende_id,),
        )

    # --- the ärende editor ----------------------------------------------------------------------------

    def editor_versions(self, arende_id: int) -> dict:
        """The record versions an editor remembers on opening, to notice a change made elsewhere meanwhile:
        ``arende``, and ``tjansteskrivelse_id`` with ``tjansteskrivelse`` (None when there is none)."""
        found = self.row(
            """SELECT a.version AS arende, t.id AS tjansteskrivelse_id, t.version AS tjansteskrivelse
               FROM arende a LEFT JOIN tjansteskrivelse t ON t.arende_id = a.id WHERE a.id = ?""", (arende_id,))
        if found is None:
            raise NotFoundError(f"Ärendet med id {arende_id} finns inte längre.")
        return found

    def save_from_editor(self, arende_id: int, versions: dict, *, arende_changes: dict,
                         tjansteskrivelse: dict | None) -> dict:
        """Save an editor's changes in one transaction and return the new versions.

        ``tjansteskrivelse`` holds ``header`` and the keyword arguments of :meth:`save_tjansteskrivelse`, or is
        None when it is unchanged. A part changed elsewhere since ``versions`` raises ConflictError and nothing
        is saved; a part the editor did not change is not checked, so two people may edit different parts.
        """
        with self.write():
            if arende_changes:
                self.expect_version("arende", arende_id, versions["arende"])
                self.update_arende(arende_id, arende_changes)
            if tjansteskrivelse is not None:
                if versions.get("tjansteskrivelse_id") is not None:
                    self.expect_version("tjansteskrivelse", versions["tjansteskrivelse_id"],
                                        versions["tjansteskrivelse"])
                elif self.value("SELECT 1 FROM tjansteskrivelse WHERE arende_id = ?", (arende_id,)):
                    raise ConflictError(
                        "Någon har börjat skriva en tjänsteskrivelse i ärendet i ett annat fönster sedan du öppnade "
                        "det. Din text är inte sparad men finns kvar på skärmen: ladda om för att se den andra, "
                        "eller spara din ändå."
                    )
                parts = {k: v for k, v in tjansteskrivelse.items() if k != "header"}
                self.save_tjansteskrivelse(arende_id, tjansteskrivelse["header"], **parts)
            return self.editor_versions(arende_id)
