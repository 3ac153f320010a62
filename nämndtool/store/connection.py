"""Opening the SQLite store: pragmas, and Swedish messages for what SQLite reports."""

import getpass
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from nämndtool.errors import StoreError
from nämndtool.store.sidecars import damage_marker
from nämndtool.text import identity_key, nfc

BUSY_TIMEOUT_MS = int(os.environ.get("NAMNDTOOL_BUSY_TIMEOUT_MS", "15000"))
"""How long a write waits for another process (the secretary and a handläggare on one machine) before giving up."""


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    with translated_errors(path):
        conn = sqlite3.connect(_read_only_uri(path) if read_only else str(path), uri=read_only,
                               timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.create_function("app_user", 0, current_user)
            # Migrations that normalise stored names use these (Python's Unicode tables, not SQLite's).
            conn.create_function("nfc", 1, nfc, deterministic=True)
            conn.create_function("identity_key", 1, identity_key, deterministic=True)
            conn.execute("PRAGMA foreign_keys = ON")
            # Reading the schema makes a file that is not SQLite fail here, before anything is written to it.
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except BaseException:
            conn.close()
            raise
    return conn


def writable(path: Path) -> bool:
    """Whether this process may change the store: the file (when it exists) and its folder, where SQLite keeps
    its write-ahead log, must both be writable (a read-only mount, missing rights, an immutable file)."""
    folder = path.parent if path.parent != Path("") else Path(".")
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _read_only_uri(path: Path) -> str:
    """Read-only; in a folder nobody may write to (a read-only mount), SQLite cannot make the shared-memory file
    a write-ahead-log store needs, so the file is opened as immutable: nobody can change it there either."""
    folder = path.resolve().parent
    immutable = "&immutable=1" if not os.access(folder, os.W_OK) else ""
    return f"file:{quote(str(path.resolve()))}?mode=ro{immutable}"


def current_user() -> str:
    """The OS user, recorded with every change in the audit trail."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "okänd"


def use_wal(conn: sqlite3.Connection) -> None:
    """Write-ahead logging (readers never block the writer), with every commit on disk before it is reported."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")


def _message(path: Path, error: sqlite3.Error) -> str:
    text = str(error).lower()
    where = f"Registret {path}"
    if "locked" in text or "busy" in text:
        return (
            f"{where} är upptaget: ett annat program eller fönster med Nämndtool skriver i det just nu. "
            "Vänta en stund och försök igen. Om det inte släpper, stäng de andra fönstren med Nämndtool."
        )
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return (
            f"{where} går inte att läsa: filen är skadad eller är inget Nämndtool-register. "
            "Ingenting har ändrats i filen. Återställ registret från en säkerhetskopia, "
            "eller ange rätt fil med --db."
        )
    if "readonly" in text or "read-only" in text:
        return (
            f"{where} är skrivskyddat, så ändringen kunde inte sparas. Ingenting har ändrats. "
            "Kontrollera att du har skrivrätt till filen och mappen, eller kopiera registret till en mapp där du får skriva."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return (
            "Disken är full, så ändringen kunde inte sparas. Ingenting har ändrats. "
            "Frigör utrymme på disken och försök igen."
        )
    if "unable to open" in text:
        return (
            f"{where} kunde inte öppnas. Kontrollera att mappen finns och att du har behörighet till den."
        )
    if isinstance(error, sqlite3.IntegrityError):
        return (
            f"Ändringen bryter mot en regel i registret ({error}). Ingenting har sparats. "
            "Kontrollera uppgifterna och försök igen."
        )
    return f"{where} gav ett oväntat fel ({error}). Ingenting har sparats. Försök igen; kvarstår felet, kontakta support."


@contextmanager
def translated_errors(path: Path):
    """Turn sqlite3 errors into StoreError with a Swedish message that says what to do."""
    try:
        yield
    except sqlite3.Error as error:
        if _is_corruption(path, error):
            mark_damaged(path, str(error))
        raise StoreError(_message(path, error)) from error


def _is_corruption(path: Path, error: sqlite3.Error) -> bool:
    """SQLite reports a damaged database; "not a database" counts only for a file that starts as SQLite, so a
    wrong --db (a text file) is not marked."""
    text = str(error).lower()
    if "malformed" in text:
        return True
    if "not a database" not in text:
        return False
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def mark_damaged(path: Path, reason: str) -> None:
    """Remember the damage beside the store, so every later process refuses to write until it has been checked."""
    try:
        damage_marker(path).write_text(f"{reason}\n", encoding="utf-8")
    except OSError:  # a read-only folder: nothing can be written there anyway
        pass


def damage(path: Path) -> str | None:
    """What SQLite reported when the store was found damaged, or None when it has not been."""
    try:
        return damage_marker(path).read_text(encoding="utf-8").strip() or "skadat"
    except OSError:
        return None
