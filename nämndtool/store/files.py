"""Stored files, content-addressed by SHA-256 in the store's file folder, verified on every read."""

import hashlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from nämndtool.atomic import durable_temporary
from nämndtool.errors import StoreError
from nämndtool.pdfcheck import content_problem
from nämndtool.store.base import StoreBase

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    problem: str | None
    accessible: int | None = None   # a PDF: 1 passes PDF/UA-1, 0 does not (or is no readable PDF); None not checked
    examination: object = None      # a PDF: what the secrecy gate reads from it (secrecy.examined), or None


def examine_pdf(source: Path, problem: str | None):
    """What the secrecy gate reads from a PDF being registered (``secrecy.examined``), so that a public pack only
    looks it up, with the made-safe bytes it read them from; (None, None) for a file that is no readable PDF, a
    damaged one (the pack does not use it) or one larger than ``examined.MAX_BYTES`` (examined by the pack when it
    is used)."""
    if problem is not None or source.stat().st_size > _max_examined():
        return None, None
    data = source.read_bytes()
    if not data.startswith(b"%PDF-"):
        return None, None
    return examined_copy(data)


def examined_copy(data: bytes):
    """``examined.examine`` of a stored PDF's bytes with its page count, and the made-safe bytes it read (None when
    the file cannot be made safe); (None, None) when pikepdf cannot count its pages (the pack then treats it as it
    always did)."""
    from nämndtool.documents.pdfmerge import page_count
    from nämndtool.secrecy import examined

    try:
        return examined.examine(data, page_count(data))
    except Exception:  # noqa: BLE001 — a PDF pikepdf cannot count, or a reader's surprise: the pack reads it itself
        return None, None


def keep_safe_copy(store, safe: bytes | None) -> None:
    """Keep a made-safe copy where the pack finds it (``part_cache.SafeCopies``, beside the store); nothing for a
    store opened read-only."""
    if safe is None or getattr(store, "read_only", False):
        return
    from nämndtool.documents.part_cache import safe_copies

    safe_copies(store.path).put(safe)


def _max_examined() -> int:
    from nämndtool.secrecy.examined import MAX_BYTES
    return MAX_BYTES


def pdf_accessibility(source: Path) -> int | None:
    """Whether the file is an accessible PDF, checked as the file is registered: 1 when it passes PDF/UA-1
    (page-validation, profile ``ua1``), 0 when it fails or cannot be read as a PDF at all (a broken PDF is not
    accessible, and never an error here), None when it is no PDF (neither named nor made as one) or larger than the
    validator reads: not checked."""
    with open(source, "rb") as handle:
        head = handle.read(1024)
    if source.suffix.lower() != ".pdf" and b"%PDF-" not in head:
        return None
    import page   # the validator loads on first use: most runs register no file

    if source.stat().st_size > page.SafetyLimits.DEFAULT_MAX_INPUT_SIZE:
        return None   # larger than the validator reads (256 MB): not checked, rather than judged unread
    try:   # the validator reads the file itself: a large bilaga is never held in Python's memory
        return int(bool(page.validate_pdf(source, profile="ua1").is_compliant))
    except Exception:   # noqa: BLE001 — a PDF the validator cannot read (page.PageError or worse) is not accessible
        return 0


def not_a_regular_file(path: Path) -> str | None:
    """A Swedish reason when ``path`` is a folder, a device, a pipe or the like, else None. Reading a pipe or a
    device never ends (``/dev/zero``), so every file is checked before it is read."""
    mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"{path} är en mapp, inte en fil"
    return f"{path} är ingen vanlig fil (det är en enhet, en rörledning eller liknande)"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


class FilesMixin(StoreBase):
    def _file_path(self, sha256: str) -> Path:
        return self.files_dir / sha256[:2] / sha256

    def put_file(self, source: Path) -> str:
        """Copy a file into the store (once per content), register it, and return its SHA-256."""
        stored = self.store_file_bytes(source)
        self.register_file(stored)
        return stored.sha256

    def register_file(self, stored: "StoredFile") -> None:
        """Record stored bytes in the ``fil`` table; part of the caller's transaction when there is one."""
        with self.write():
            # A file stored before db/017 was not checked: its first registration since records the result.
            self.execute(
                """INSERT INTO fil (sha256, storlek, skadad, tillganglig) VALUES (?, ?, ?, ?)
                   ON CONFLICT (sha256) DO UPDATE SET tillganglig = coalesce(fil.tillganglig, excluded.tillganglig)""",
                (stored.sha256, stored.size, stored.problem, stored.accessible),
            )
            if stored.examination is not None:
                self.save_examination(stored.sha256, stored.examination)

    def save_examination(self, sha256: str, examination) -> None:
        """Keep what the secrecy gate read from a stored file (``secrecy.examined``), for this examiner version."""
        from nämndtool.secrecy.examined import examiner

        with self.write():
            self.execute(
                """INSERT INTO fil_granskning (sha256, granskare, sidor, offentlig_sha256, hinder, innehall)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (sha256) DO UPDATE SET granskare = excluded.granskare, sidor = excluded.sidor,
                       offentlig_sha256 = excluded.offentlig_sha256, hinder = excluded.hinder,
                       innehall = excluded.innehall""",
                (sha256, examiner(), examination.pages, examination.safe_sha256, examination.refusal,
                 examination.encoded()),
            )

    def examination(self, sha256: str):
        """What the secrecy gate read from a stored file, by this examiner version; None when not read yet (or read
        by another version, which is never used)."""
        from nämndtool.secrecy.examined import Examination, examiner

        row = self.row("SELECT sidor, offentlig_sha256, hinder, innehall FROM fil_granskning "
                       "WHERE sha256 = ? AND granskare = ?", (sha256, examiner()))
        if row is None:
            return None
        return Examination.decoded(row["sidor"], row["offentlig_sha256"], row["hinder"], row["innehall"])

    def store_file_bytes(self, source: Path) -> "StoredFile":
        """Copy a file's bytes into the file folder under their SHA-256 without touching the database.

        The bytes are written to a temporary file, flushed to disk and renamed into place, so a crash never
        leaves a half-written file under a valid name. Call before the transaction that registers it: a file
        nobody refers to is harmless, a reference to a missing file is not.

        The content is checked against the file's type first (``pdfcheck``): a PDF that needs a password is refused
        before anything is copied, any other mismatch is kept with the file as its problem. A PDF is also checked
        for accessibility (:func:`pdf_accessibility`), kept with the file as ``tillganglig``.
        """
        source = Path(source)
        try:
            refused = not_a_regular_file(source)
            if refused:
                raise StoreError(f"{refused}. Ange en vanlig fil. Ingenting har ändrats.")
            problem = content_problem(source)
            accessible = pdf_accessibility(source)
            examination, safe = examine_pdf(source, problem)
        except FileNotFoundError as error:
            raise StoreError(f"Filen {source.name} kunde inte sparas: den finns inte längre i {source.parent}. "
                             "Kontrollera att filen finns och försök igen. Ingenting har ändrats.") from error
        except OSError as error:
            raise StoreError(f"Filen {source.name} kunde inte sparas: den gick inte att läsa ({error.strerror or error}). "
                             "Kontrollera att du har läsrätt till filen och försök igen. Ingenting har ändrats.") from error
        sha, size = self._keep_bytes(source)
        keep_safe_copy(self, safe)   # before the registering transaction, like the file: harmless if unused
        return StoredFile(sha, size, problem, accessible, examination)

    def _keep_bytes(self, source: Path) -> tuple[str, int]:
        """Copy the file into the file folder under its SHA-256; its (SHA-256, size)."""
        try:
            self.files_dir.mkdir(exist_ok=True)
            digest = hashlib.sha256()
            with durable_temporary(self.files_dir) as (out, tmp), open(source, "rb") as src:
                for block in iter(lambda: src.read(CHUNK), b""):
                    digest.update(block)
                    out.write(block)
            sha = digest.hexdigest()
            target = self._file_path(sha)
            target.parent.mkdir(exist_ok=True)
            if target.exists() and sha256_of(target) == sha:
                tmp.unlink()
            else:
                os.replace(tmp, target)
            return sha, target.stat().st_size
        except OSError as error:
            raise StoreError(
                f"Filen {source.name} kunde inte sparas i registret ({error.strerror or error}). "
                "Ingenting har ändrats. Kontrollera att disken inte är full och att du har skrivrätt."
            ) from error

    def stored_file_sizes(self) -> dict[str, int]:
        """Every stored file's size by its SHA-256, in SHA-256 order."""
        return {r["sha256"]: r["storlek"] for r in self.rows("SELECT sha256, storlek FROM fil ORDER BY sha256")}

    def file_problems(self, full: bool) -> tuple[int, int]:
        """How many stored files are missing, and how many changed (size; with ``full`` also the SHA-256)."""
        missing = damaged = 0
        for row in self.stored_files():
            path = self._file_path(row["sha256"])
            if not path.is_file():
                missing += 1
            elif path.stat().st_size != row["storlek"] or (full and sha256_of(path) != row["sha256"]):
                damaged += 1
        return missing, damaged

    def files_place(self) -> str:
        """Where the stored files are, as a message names it."""
        return f"mappen {self.files_dir}"

    def file_problem(self, sha256: str) -> str | None:
        """Why a stored file cannot be used as what it claims to be (a damaged PDF), or None."""
        return self.value("SELECT skadad FROM fil WHERE sha256 = ?", (sha256,))

    def stored_file_name(self, sha256: str) -> str | None:
        """The file name a handling or a decided bilaga with this content was given, or None."""
        return self.value("SELECT filnamn FROM handling WHERE fil_sha256 = ?1 UNION ALL "
                          "SELECT filnamn FROM beslutad_bilaga WHERE sha256 = ?1 LIMIT 1", (sha256,))

    def file_path(self, sha256: str) -> Path:
        """The stored file's path, after checking that its bytes still match their SHA-256."""
        path = self._file_path(sha256)
        if not path.exists():
            raise StoreError(
                f"En fil saknas i registrets filmapp ({path}). Återställ mappen {self.files_dir} från en säkerhetskopia."
            )
        if sha256_of(path) != sha256:
            raise StoreError(
                f"Filen {path} har ändrats eller skadats på disken (kontrollsumman stämmer inte). "
                f"Återställ mappen {self.files_dir} från en säkerhetskopia."
            )
        return path

    def copy_file_out(self, sha256: str, target: Path) -> None:
        shutil.copyfile(self.file_path(sha256), target)
