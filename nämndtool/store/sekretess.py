"""What the store knows about secrecy, for the secrecy gate: secret titles, names, files and numbers, and where
public versions have gone. Every fact is derived from the ärende (or a stand-alone item) when asked for."""

from nämndtool.store.base import StoreBase

class SekretessMixin(StoreBase):
    def secret_arenden(self, ids: list[int] | None = None) -> list[dict]:
        """Secret ärenden (all, or those among ``ids``): id, rubrik, offentlig_rubrik, diarienummer. An ärende whose
        rubrik has changed since a justerat meeting decided on it comes once more with that rubrik: the old title
        tells as much as the new one."""
        sql = ("SELECT a.id, r.rubrik, a.offentlig_rubrik, an.diarienummer FROM arende a "
               "JOIN arende_nummer an ON an.arende_id = a.id JOIN (SELECT id AS arende_id, rubrik FROM arende "
               "UNION SELECT arende_id, rubrik FROM beslutat_arende) r ON r.arende_id = a.id WHERE a.sekretess = 1")
        if ids is None:
            return self.rows(sql)
        found = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found += self.rows(sql + f" AND a.id IN ({', '.join('?' * len(chunk))})", chunk)
        return found

    def secret_item_titles(self, meeting_id: int | None = None) -> list[str]:
        """The titles secret agenda items and §§ carry themselves (of one meeting, or all): an item or a § may be
        titled otherwise than its ärende."""
        return [r[0] for r in self.execute(
            """SELECT d.rubrik FROM dagordningspunkt d JOIN punkt_sekretess ps ON ps.dagordningspunkt_id = d.id
               WHERE ps.sekretess = 1 AND (? IS NULL OR d.sammantrade_id = ?)
               UNION SELECT g.rubrik FROM paragraf g JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id
                     JOIN protokoll p ON p.id = g.protokoll_id
               WHERE gs.sekretess = 1 AND (? IS NULL OR p.sammantrade_id = ?)""",
            (meeting_id, meeting_id, meeting_id, meeting_id))]

    def public_titles(self) -> set[str]:
        """Titles anyone may see: public ärenden and items, and the public titles (offentlig rubrik) of secret
        ärenden, except one that still holds the real title (it masks nothing)."""
        from nämndtool.secrecy.matching import masks_nothing

        titles = {r[0] for r in self.execute(
            """SELECT rubrik FROM arende WHERE sekretess = 0
               UNION SELECT d.rubrik FROM dagordningspunkt d JOIN punkt_sekretess ps
                     ON ps.dagordningspunkt_id = d.id WHERE ps.sekretess = 0""")}
        titles |= {shown for shown, real, secret in self.execute(
            "SELECT offentlig_rubrik, rubrik, sekretess FROM arende WHERE offentlig_rubrik IS NOT NULL")
            if not (secret and masks_nothing(shown, real))}
        return titles

    def secret_delegation_texts(self, ids: list[int] | None = None) -> list[str]:
        """The descriptions of secret delegationsbeslut (all, or those of these ärenden)."""
        rows = self.rows("""SELECT d.beskrivning, d.arende_id FROM delegationsbeslut d LEFT JOIN arende a
                            ON a.id = d.arende_id WHERE d.sekretess = 1 OR a.sekretess = 1""")
        return [r["beskrivning"] for r in rows if ids is None or r["arende_id"] in ids]

    def secret_names(self) -> set[str]:
        """Names tied to a secret ärende, handling or §: counterparts, recipients, whom a § concerns."""
        return {r[0] for r in self.execute(
            """SELECT h.motpart FROM handling h JOIN arende a ON a.id = h.arende_id
               WHERE (a.sekretess = 1 OR h.sekretess = 1) AND h.motpart IS NOT NULL
               UNION SELECT m.namn FROM paragraf_mottagare pm JOIN mottagare m ON m.id = pm.mottagare_id
                     JOIN paragraf_sekretess gs ON gs.paragraf_id = pm.paragraf_id WHERE gs.sekretess = 1
               UNION SELECT m.namn FROM beslutsmottagare b JOIN mottagare m ON m.id = b.mottagare_id
                     JOIN tjansteskrivelse t ON t.id = b.tjansteskrivelse_id JOIN arende a ON a.id = t.arende_id
                     WHERE a.sekretess = 1
               UNION SELECT json_extract(m.value, '$.namn') FROM beslutat_arende b JOIN arende a ON a.id = b.arende_id,
                     json_each(b.tjansteskrivelse, '$.beslutet_skickas_till') m WHERE a.sekretess = 1
               UNION SELECT g.berord FROM paragraf g JOIN paragraf_sekretess gs ON gs.paragraf_id = g.id
                     WHERE gs.sekretess = 1 AND g.berord IS NOT NULL""") if r[0]}

    def public_names(self) -> set[str]:
        """Names that appear in public matters or belong to the organisation: a name in both is no secret."""
        return {r[0] for r in self.execute(
            """SELECT namn FROM person UNION SELECT namn FROM organ UNION SELECT namn FROM namnd
               UNION SELECT forvaltning FROM namnd UNION SELECT kommun FROM namnd
               UNION SELECT h.motpart FROM handling h JOIN arende a ON a.id = h.arende_id
                     WHERE a.sekretess = 0 AND h.sekretess = 0 AND h.motpart IS NOT NULL
               UNION SELECT m.namn FROM paragraf_mottagare pm JOIN mottagare m ON m.id = pm.mottagare_id
                     JOIN paragraf_sekretess gs ON gs.paragraf_id = pm.paragraf_id WHERE gs.sekretess = 0
               UNION SELECT m.namn FROM beslutsmottagare b JOIN mottagare m ON m.id = b.mottagare_id
                     JOIN tjansteskrivelse t ON t.id = b.tjansteskrivelse_id JOIN arende a ON a.id = t.arende_id
                     WHERE a.sekretess = 0
               UNION SELECT namn FROM narvaro UNION SELECT namn FROM justerare
               UNION SELECT beslutsfattare FROM delegationsbeslut
               UNION SELECT namn FROM undertecknare""") if r[0]}

    def is_secret_file(self, sha256: str) -> bool:
        """Whether this file (by SHA-256) belongs, or belonged when a meeting decided on it, to a secret ärende,
        or is a secret handling anywhere."""
        return bool(self.value(
            """SELECT EXISTS (SELECT 1 FROM arende_fil f JOIN arende a ON a.id = f.arende_id
                              WHERE f.sha256 = ? AND (a.sekretess = 1 OR f.sekretess = 1))""", (sha256,)))

    def secret_files_without_fingerprint(self) -> list[dict]:
        return self.rows(
            """SELECT DISTINCT f.sha256, f.filnamn FROM arende_fil f JOIN arende a ON a.id = f.arende_id
               WHERE (a.sekretess = 1 OR f.sekretess = 1) AND f.sha256 NOT IN (SELECT sha256 FROM fil_avtryck_klar)""")

    def save_fingerprint(self, sha256: str, pages: list[set[int]]) -> None:
        with self.write():
            for nr, page in enumerate(pages, 1):
                self.execute("INSERT OR IGNORE INTO fil_avtryck_sida VALUES (?, ?, ?)", (sha256, nr, len(page)))
                self.conn.executemany("INSERT OR IGNORE INTO fil_avtryck VALUES (?, ?, ?)",
                                      [(value, sha256, nr) for value in page])
            self.execute("INSERT OR IGNORE INTO fil_avtryck_klar VALUES (?)", (sha256,))

    def fingerprint_overlap(self, values: set[int]) -> list[dict]:
        """Pages of fingerprinted files sharing sampled windows with ``values``: sha256, sida, delade, antal."""
        counts: dict[tuple[str, int], int] = {}
        ordered = sorted(values)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            for sha, page, n in self.execute(
                    f"SELECT sha256, sida, count(*) FROM fil_avtryck WHERE avtryck IN ({', '.join('?' * len(chunk))}) "
                    "GROUP BY sha256, sida", chunk):
                counts[(sha, page)] = counts.get((sha, page), 0) + n
        found = []
        for (sha, page), shared in counts.items():
            total = self.value("SELECT antal FROM fil_avtryck_sida WHERE sha256 = ? AND sida = ?", (sha, page))
            found.append({"sha256": sha, "sida": page, "delade": shared, "antal": total or 0})
        return found

    def meeting_arende_ids(self, meeting_id: int) -> list[int]:
        return [r[0] for r in self.execute(
            "SELECT DISTINCT arende_id FROM dagordningspunkt WHERE sammantrade_id = ? AND arende_id IS NOT NULL",
            (meeting_id,))]

    def meetings_of_arende(self, arende_id: int) -> list[int]:
        return [r[0] for r in self.execute(
            "SELECT DISTINCT sammantrade_id FROM dagordningspunkt WHERE arende_id = ?", (arende_id,))]

    def secret_files_of(self, arende_ids: list[int]) -> list[dict]:
        """The secret files (sha256, filnamn) these ärenden hold or held when a meeting decided on them: theirs
        when the ärende is secret, or a secret handling's."""
        if not arende_ids:
            return []
        marks = ", ".join("?" * len(arende_ids))
        return self.rows(
            f"""SELECT DISTINCT f.sha256, f.filnamn, an.diarienummer
                FROM arende_fil f JOIN arende a ON a.id = f.arende_id JOIN arende_nummer an ON an.arende_id = a.id
                WHERE f.arende_id IN ({marks}) AND (a.sekretess = 1 OR f.sekretess = 1)""",
            arende_ids)

    # --- where public versions went -----------------------------------------------------------------------------

    def record_publication(self, slag: str, mal: str, *, sha256: str | None = None, meeting_id: int | None = None,
                           arende_id: int | None = None) -> None:
        with self.write():
            self.execute(
                "INSERT INTO offentliggorande (av, slag, sammantrade_id, arende_id, mal, sha256) "
                "VALUES (app_user(), ?, ?, ?, ?, ?)", (slag, meeting_id, arende_id, mal, sha256))

    def publications(self, arende_id: int | None = None, *, meeting_id: int | None = None) -> list[dict]:
        """Public outputs that may have shown an ärende (made for it, or for a meeting it is on), or a meeting."""
        return self.rows(
            """SELECT o.*, s.datum AS sammantrade_datum, org.namn AS organ FROM offentliggorande o
               LEFT JOIN sammantrade s ON s.id = o.sammantrade_id LEFT JOIN organ org ON org.id = s.organ_id
               WHERE o.arende_id = :arende OR o.sammantrade_id = :meeting OR o.sammantrade_id IN
                     (SELECT sammantrade_id FROM dagordningspunkt WHERE arende_id = :arende)
               ORDER BY o.id""", {"arende": arende_id, "meeting": meeting_id})

    def anslag_and_dispatch(self, *, arende_id: int | None = None, item: tuple[int, int] | None = None) -> list[dict]:
        """The §§ of an ärende, or of agenda item (meeting id, nr), with their protokoll's anslag dates and every
        utdrag sent."""
        meeting_id, nr = item or (None, None)
        return self.rows(
            """SELECT g.nr, s.datum, org.namn AS organ, p.anslag_datum, p.omedelbar_anslag, g.omedelbart_justerad,
                      (SELECT group_concat(m.namn || ' ' || u.skickat, ', ') FROM utskick u
                       JOIN mottagare m ON m.id = u.mottagare_id WHERE u.paragraf_id = g.id AND u.skickat IS NOT NULL)
                       AS skickat
               FROM paragraf g JOIN protokoll p ON p.id = g.protokoll_id JOIN sammantrade s ON s.id = p.sammantrade_id
               JOIN organ org ON org.id = s.organ_id
               LEFT JOIN dagordningspunkt d ON d.sammantrade_id = s.id AND d.nr = g.dagordning_nr
               WHERE g.arende_id = :arende OR d.arende_id = :arende OR (s.id = :meeting AND g.dagordning_nr = :nr)
               ORDER BY s.datum""", {"arende": arende_id, "meeting": meeting_id, "nr": nr})
