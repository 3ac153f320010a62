"""Tjänsteskrivelser with their ordered parts, and the bilagor of an ärende."""

from nämndtool.errors import ConflictError, NotFoundError
from nämndtool.store.base import StoreBase

HEADER_COLUMNS = (
    "forvaltning", "enhet", "handlaggare_id", "datum", "ert_datum", "er_beteckning", "mottagare", "rubrik",
    "sammanfattning",
)


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
        """Set the ärende's bilagor, in order: each a dict with titel, sha256 and filnamn.

        Bilagor are handlingar (upprättade or inkomna documents in the ärende) with a position; a position no
        longer used is removed, so re-importing a meeting never leaves a stale bilaga behind.
        """
        with self.write():
            for nr, bilaga in enumerate(bilagor, 1):
                record = {"beskrivning": bilaga["titel"], "fil_sha256": bilaga["sha256"], "filnamn": bilaga["filnamn"]}
                found = self.row("SELECT id FROM handling WHERE arende_id = ? AND bilaga_nr = ?", (arende_id, nr))
                if found:
                    self.update("handling", {"id": found["id"]}, record)
                else:
                    self.insert("handling", {"arende_id": arende_id, "bilaga_nr": nr, "riktning": "upprattad", **record})
            self.execute("DELETE FROM handling WHERE arende_id = ? AND bilaga_nr > ?", (arende_id, len(bilagor)))

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
        return self.rows(
            """SELECT h.*, f.skadad, f.storlek FROM handling h LEFT JOIN fil f ON f.sha256 = h.fil_sha256
               WHERE h.arende_id = ? ORDER BY h.datum IS NULL, h.datum, h.id""",
            (arende_id,),
        )

    def bilagor(self, arende_id: int) -> list[dict]:
        return self.rows(
            """SELECT h.id, h.beskrivning AS titel, h.fil_sha256 AS sha256, h.filnamn, f.skadad, f.storlek,
                      h.sekretess
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
