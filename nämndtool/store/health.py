"""What `namndtool check` asks the store: SQLite's own checks, the stored files, the diary series, dates outside
the sensible range and what migration 012 merged; and the one repair, raising a diary series."""

from nämndtool.store.base import StoreBase


class HealthMixin(StoreBase):
    def integrity_result(self, full: bool) -> str:
        """"ok", or what SQLite found: ``integrity_check`` when ``full``, else the faster ``quick_check``."""
        return self.value("PRAGMA integrity_check" if full else "PRAGMA quick_check")

    def broken_references(self) -> list[dict]:
        """Rows pointing at rows that are gone (``PRAGMA foreign_key_check``)."""
        return self.rows("PRAGMA foreign_key_check")

    def stored_files(self) -> list[dict]:
        """Every stored file: sha256, storlek."""
        return self.rows("SELECT sha256, storlek FROM fil")

    def series_gaps(self) -> list[dict]:
        """Each nämnd and year whose series row is missing or stands below the highest number its ärenden use:
        namnd_id, kod, ar, hogsta, senaste (None when the row is missing)."""
        return self.rows(
            """SELECT a.namnd_id, n.kod, a.ar, max(a.lopnr) AS hogsta, s.senaste
               FROM arende a JOIN namnd n ON n.id = a.namnd_id
               LEFT JOIN diarieserie s ON s.namnd_id = a.namnd_id AND s.ar = a.ar
               WHERE a.lopnr IS NOT NULL
               GROUP BY a.namnd_id, n.kod, a.ar, s.senaste HAVING s.senaste IS NULL OR s.senaste < max(a.lopnr)
               ORDER BY n.kod, a.ar"""
        )

    def raise_series(self, namnd_id: int, ar: int, senaste: int) -> None:
        """Let the diary series of a nämnd and year stand at least at ``senaste``, recreating a missing row."""
        with self.write():
            self.execute(
                """INSERT INTO diarieserie (namnd_id, ar, senaste) VALUES (?, ?, ?)
                   ON CONFLICT (namnd_id, ar) DO UPDATE SET senaste =
                       CASE WHEN excluded.senaste > diarieserie.senaste THEN excluded.senaste ELSE diarieserie.senaste END""",
                (namnd_id, ar, senaste),
            )

    def dates_outside(self, table: str, column: str, low: str, high: str) -> list[str]:
        """The dates of ``table.column`` before ``low`` or after ``high`` (ISO text compares as dates do), in order.
        ``table`` and ``column`` come from the program's own list, never from a user."""
        return [r["datum"] for r in self.rows(
            f"SELECT {column} AS datum FROM {table} WHERE {column} < ?1 OR {column} > ?2 ORDER BY {column}",
            (low, high))]

    def normalisation_records(self, merged: bool) -> list[dict]:
        """What migration 012 merged (``merged``) or left as two rows, in the order it was recorded."""
        return self.rows("SELECT * FROM normalisering WHERE sammanslagen = ? ORDER BY id", (int(merged),))

    def both_rows_exist(self, table: str, first_id: int, second_id: int) -> bool:
        """Whether ``table`` (one of normalisering's tables) still holds both rows."""
        return self.value(f"SELECT count(*) FROM {table} WHERE id IN (?, ?)", (first_id, second_id)) == 2
