"""Stored files on the server store: their bytes in the database, in chunks, verified by SHA-256 on every read.

Why in the database (table ``fil_del``, 1 MiB chunks of ``bytea``) rather than a server-side folder: every client
reaches them through the same connection, with the same roles and row-level security as the rows that name them
(a server folder would need a share and its own permissions, which the issue rules out), they are in the same
transactions and the same ``pg_dump``, and a bilaga of 20 MB is read in chunks, never held twice in memory
(figures in BENCHMARKS.md, "Det delade registret"). Large objects were not chosen: row-level security does not
apply to ``pg_largeobject``.

A file read is written to this user's local folder (``server.local_folder``, 0700) under its SHA-256 and checked
against it, because the documents code reads files by path; a copy that no longer matches is fetched again.
"""

import hashlib
import os
from pathlib import Path
from typing import Callable

from nämndtool.atomic import durable_temporary
from nämndtool.errors import StoreError
from nämndtool.store.files import CHUNK, sha256_of
from nämndtool.store.base import StoreBase


EMPTY = hashlib.sha256(b"").hexdigest()
"""An empty file has no chunks."""


class ServerFilesMixin(StoreBase):
    def _keep_bytes(self, source: Path) -> tuple[str, int]:
        """Store the file's bytes in chunks, in a transaction of its own (a file nobody refers to is harmless)."""
        digest, size = hashlib.sha256(), 0
        with open(source, "rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
                size += len(block)
        sha = digest.hexdigest()
        with self.write():
            if self._chunks_complete(sha, size):
                return sha, size
            self.execute("DELETE FROM fil_del WHERE sha256 = ?", (sha,))
            with open(source, "rb") as handle:
                for nr, block in enumerate(iter(lambda: handle.read(CHUNK), b"")):
                    self.execute("INSERT INTO fil_del (sha256, nr, data) VALUES (?, ?, ?)", (sha, nr, block))
        return sha, size

    def _chunks_complete(self, sha: str, size: int) -> bool:
        return self.value("SELECT coalesce(sum(length(data)), -1) FROM fil_del WHERE sha256 = ?", (sha,)) == size

    def _keep_blobs(self, by_sha: dict[str, bytes], durable: Callable) -> list[str]:
        """Nothing before the transaction: the bytes go into it with their rows (:meth:`_register_blobs`)."""
        return []

    def _register_blobs(self, by_sha: dict[str, bytes]) -> None:
        for sha, data in by_sha.items():
            if self._chunks_complete(sha, len(data)):
                continue
            self.execute("DELETE FROM fil_del WHERE sha256 = ?", (sha,))
            self.conn.executemany("INSERT INTO fil_del (sha256, nr, data) VALUES (?, ?, ?)",
                                  [(sha, i // CHUNK, data[i:i + CHUNK]) for i in range(0, max(len(data), 1), CHUNK)])
            self.execute("INSERT INTO fil (sha256, storlek) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING",
                         (sha, len(data)))

    def file_path(self, sha256: str) -> Path:
        """A local copy of the stored file, fetched from the server when this computer has none that matches."""
        path = self._file_path(sha256)
        if path.exists() and sha256_of(path) == sha256:
            return path
        return self._fetch(sha256, path)

    def _fetch(self, sha256: str, path: Path) -> Path:
        count = self.value("SELECT count(*) FROM fil_del WHERE sha256 = ?", (sha256,))
        if not count and sha256 != EMPTY:
            raise StoreError(f"Filen {sha256[:12]}… finns inte i det delade registret, eller så har du inte "
                             "behörighet att läsa den. Be registrets administratör kontrollera det.")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        with durable_temporary(path.parent) as (out, tmp):
            for nr in range(count):
                block = self.value("SELECT data FROM fil_del WHERE sha256 = ? AND nr = ?", (sha256, nr))
                if block is None:
                    raise StoreError(f"Filen {sha256[:12]}… är ofullständig i det delade registret (del {nr} "
                                     "saknas). Återställ registret från en säkerhetskopia.")
                digest.update(block)
                out.write(block)
            if digest.hexdigest() != sha256:
                raise StoreError(f"Filen {sha256[:12]}… i det delade registret stämmer inte med sin kontrollsumma: "
                                 "den har ändrats eller skadats på servern. Återställ den från en säkerhetskopia.")
        os.replace(tmp, path)   # mkstemp made it 0600: readable by this user only
        return path

    def file_problems(self, full: bool) -> tuple[int, int]:
        """How many stored files have no bytes on the server, and how many have other bytes than recorded (size;
        with ``full`` the SHA-256, computed by the server)."""
        rows = self.rows(
            f"""SELECT f.sha256, f.storlek, count(d.nr) AS delar, coalesce(sum(length(d.data)), 0) AS storlek_nu
                       {", encode(sha256(string_agg(d.data, ''::bytea ORDER BY d.nr)), 'hex') AS summa" if full else ""}
                FROM fil f LEFT JOIN fil_del d ON d.sha256 = f.sha256 GROUP BY f.sha256, f.storlek""")
        missing = sum(1 for r in rows if not r["delar"] and r["storlek"])
        damaged = sum(1 for r in rows if r["delar"] and (r["storlek_nu"] != r["storlek"]
                                                          or (full and r["summa"] != r["sha256"])))
        return missing, damaged

    def files_place(self) -> str:
        return f"det delade registret {self}"

    def forget_unregistered_files(self, shas: list[str]) -> None:
        """Remove the chunks of these files that no row of ``fil`` names (left by a transaction that failed)."""
        if self.conn.in_transaction or not shas:
            return
        with self.write():
            for sha in shas:
                self.execute("DELETE FROM fil_del WHERE sha256 = ? AND NOT EXISTS "
                             "(SELECT 1 FROM fil WHERE fil.sha256 = fil_del.sha256)", (sha,))
