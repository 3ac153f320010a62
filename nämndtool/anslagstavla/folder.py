"""The anslagstavla's folder, which the kommun's web server serves, and its manifest.

The folder holds, per notice, its page (``<nyckel>.html``) and the public protokoll (``<nyckel>-protokoll.pdf``), and
for all: ``index.html``, the JSON Feed ``anslag.json`` and the manifest ``.namndtool-anslag.json``. The manifest
is the folder's own record (what is up, with every date, and what was taken down, when and why), so ``expire``,
``withdraw`` and ``list`` work from the folder alone, without the register: a cron job on the web server runs them.

Every file is written to a temporary file in the folder and renamed into place (``atomic.write_atomic``), so the
web server never serves half a file. The order makes a killed process harmless: a notice's page and PDF are
written before the manifest names them, the manifest is the point where a change happens, and the index and the
feed are written from the manifest after it (and again by any later run). Taking down removes the entry from the
manifest first, then rewrites the index and feed, and deletes the files last; files no entry names are removed by
the next run. One run at a time per folder (a lock file, on systems with ``fcntl``).
"""

import datetime as dt
import json
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from nämndtool.anslagstavla import render
from nämndtool.atomic import write_atomic
from nämndtool.errors import NamndtoolError
from nämndtool.secrecy import gate
from nämndtool.secrecy.facts import SecretFacts

try:
    import fcntl
except ImportError:  # Windows: one run at a time is then the kansli's routine
    fcntl = None

MANIFEST = ".namndtool-anslag.json"
LOCK = ".namndtool-anslag.lock"
INDEX = "index.html"
FEED = "anslag.json"
FORMAT = "namndtool.anslagstavla/1"
MIN_REASON = 5
LOCK_SECONDS = 30

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOTICE_FILE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}-\d{2}-\d{2}(?:\.html|-protokoll\.pdf)")
"""A notice's page or PDF (a key always ends with the meeting's date): the only files a run deletes."""


def page_name(key: str) -> str:
    return f"{key}.html"


def pdf_name(key: str) -> str:
    return f"{key}-protokoll.pdf"


def notice_key(namnd_kod: str, organ: str, datum: str) -> str:
    """The notice's file name stem from the meeting: nämnd code, organ and date in lower-case ASCII letters, digits
    and hyphens ("socn-socialnamnden-2023-02-22"), never anything typed elsewhere."""
    import unicodedata

    def ascii_words(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
        return "-".join(re.findall(r"[a-z0-9]+", plain))[:48].strip("-")

    key = "-".join(part for part in (ascii_words(namnd_kod), ascii_words(organ), dt.date.fromisoformat(datum)
                                     .isoformat()) if part)
    assert _KEY.fullmatch(key), key
    return key


@dataclass
class Manifest:
    kommun: str
    base_url: str | None
    up: list[dict]          # current notices
    down: list[dict]        # taken down: the entry without its files, with nedtagen, skal, fore_slut

    def find(self, key: str) -> dict | None:
        return next((a for a in self.up if a["nyckel"] == key), None)

    def for_meeting(self, meeting_id: int) -> list[dict]:
        return [a for a in self.up if a["sammantrade_id"] == meeting_id]

    def encoded(self) -> bytes:
        data = {"format": FORMAT, "kommun": self.kommun, "base_url": self.base_url, "anslag": self.up,
                "nedtagna": self.down}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest, None when it has none (nothing was published there)."""
    path = Path(folder) / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise NamndtoolError(f"Anslagstavlans förteckning {path} kunde inte läsas ({error.strerror or error}). "
                             "Kontrollera att mappen är rätt och att du har läsrätt.") from error
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ValueError(data.get("format"))
        manifest = Manifest(str(data["kommun"]), data.get("base_url"), list(data["anslag"]),
                            list(data.get("nedtagna", [])))
        for entry in manifest.up:
            if not _KEY.fullmatch(entry["nyckel"]):
                raise ValueError(entry["nyckel"])
            for key in ("anslag_upp", "anslag_ned", "overklagande_till"):
                dt.date.fromisoformat(entry[key])
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise NamndtoolError(f"Anslagstavlans förteckning {path} är skadad eller av ett okänt format och lämnas "
                             "orörd. Kontrollera att mappen är anslagstavlans; återställ filen från en "
                             "säkerhetskopia av webbplatsen om den har ändrats för hand.") from error
    return manifest


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One run at a time in ``folder``: waits up to LOCK_SECONDS for another run to finish."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NamndtoolError(f"Mappen {folder} finns inte. Ange mappen som webbservern visar anslagstavlan från.")
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise NamndtoolError(f"Mappen {folder} kan inte skrivas ({error.strerror or error}). Kontrollera att du har "
                             "skrivrätt till anslagstavlans mapp.") from error
    try:
        deadline = time.monotonic() + LOCK_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise NamndtoolError(f"Anslagstavlan i {folder} uppdateras just nu av ett annat program. Vänta "
                                         "en stund och försök igen.") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


def checked_write(folder: Path, name: str, data: bytes, kind: str, facts: SecretFacts, output: str) -> None:
    """Pass ``data`` through the secrecy gate, then write it atomically. HTML is read by the gate's own HTML
    reader (shown text, every attribute value and comment, entities decoded) as the body of a message, since the
    gate takes HTML only inside another file."""
    gate.check(as_gate_input(data, kind), "eml" if kind == "html" else kind, output, facts)
    write_atomic(Path(folder) / name, data)


def as_gate_input(data: bytes, kind: str) -> bytes:
    if kind != "html":
        return data
    from email.message import EmailMessage

    message = EmailMessage()
    message.set_content(data.decode("utf-8"), subtype="html", charset="utf-8", cte="base64")
    return message.as_bytes()


def write_lists(folder: Path, manifest: Manifest, today: dt.date, facts: SecretFacts | None = None) -> None:
    """Write the manifest, then the index and the feed made from it; each through the gate (without a register,
    ``facts`` None: personnummer and the internal marking, the notices' own text having passed it when they were
    published)."""
    facts = facts or SecretFacts()
    folder = Path(folder)
    checked_write(folder, MANIFEST, manifest.encoded(), "json", facts, "anslagstavlans förteckning")
    refresh_lists(folder, manifest, today, facts)


def refresh_lists(folder: Path, manifest: Manifest, today: dt.date, facts: SecretFacts | None = None) -> None:
    facts = facts or SecretFacts()
    checked_write(folder, INDEX, render.index_page(manifest.up, manifest.kommun, today), "html", facts,
                  "anslagstavlans förstasida")
    checked_write(folder, FEED, render.feed(manifest.up, manifest.kommun, manifest.base_url), "json", facts,
                  "anslagstavlans flöde")


def remove_orphans(folder: Path, manifest: Manifest) -> list[str]:
    """Delete notice pages and PDFs that no current notice names (taken down, or left by a run that was
    stopped before its manifest was written); returns their names."""
    named = {name for a in manifest.up for name in (a["sida"], a["pdf"])}
    removed = []
    for path in sorted(Path(folder).iterdir()):
        if _NOTICE_FILE.fullmatch(path.name) and path.name not in named:
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


# --- what the web server's cron job and the kansli run without the register --------------------------------------


@dataclass(frozen=True)
class TakenDown:
    entry: dict
    files: list[str]


def expire(folder: Path, today: dt.date | None = None) -> list[TakenDown]:
    """Take down every notice whose appeal period has ended (from ``anslag_ned``, the day after its last day):
    out of the index and the feed, its page and PDF deleted. Also tidies files a stopped run left behind."""
    today = today or dt.date.today()
    with locked(folder):
        manifest = read_manifest(folder)
        if manifest is None:
            return []
        ended = [a for a in manifest.up if dt.date.fromisoformat(a["anslag_ned"]) <= today]
        for entry in ended:
            manifest.up.remove(entry)
            manifest.down.append(_down(entry, today, "Överklagandetiden har gått ut.", before_end=False))
        write_lists(folder, manifest, today)
        removed = remove_orphans(folder, manifest)
    return [TakenDown(a, [n for n in (a["sida"], a["pdf"]) if n in removed]) for a in ended]


def withdraw(folder: Path, meeting_id: int, reason: str | None, today: dt.date | None = None) -> TakenDown:
    """Take one notice down now. Before its appeal period has ended that cuts the period short for anyone who has
    not yet seen it, so a reason is required and recorded in the manifest."""
    today = today or dt.date.today()
    reason = " ".join((reason or "").split())
    with locked(folder):
        manifest = read_manifest(folder)
        entries = manifest.for_meeting(meeting_id) if manifest else []
        if not entries:
            raise NamndtoolError(f"Sammanträde {meeting_id} har inget anslag uppe i {folder}. "
                                 "'namndtool anslagstavla list --folder …' visar vad som är uppe.")
        entry = entries[0]
        before_end = today < dt.date.fromisoformat(entry["anslag_ned"])
        if before_end and len(reason) < MIN_REASON:
            raise NamndtoolError(
                f"Överklagandetiden för anslaget om {render.genitive(entry['organ'])} protokoll "
                f"{entry['sammantradesdatum']} löper fortfarande, till och med {entry['overklagande_till']}, och "
                f"anslaget ska sitta uppe till dess (det får tas ned tidigast {entry['anslag_ned']}). Tas det ned i "
                "förtid har tillkännagivandet inte varit uppe hela överklagandetiden. Ange skälet till att det ändå "
                "tas ned (minst fem tecken; på kommandoraden --reason TEXT). Skälet sparas i anslagstavlans "
                "förteckning, som webbservern också visar.")
        manifest.up.remove(entry)
        manifest.down.append(_down(entry, today, reason or "Överklagandetiden har gått ut.", before_end))
        write_lists(folder, manifest, today)
        removed = remove_orphans(folder, manifest)
    return TakenDown(entry, [n for n in (entry["sida"], entry["pdf"]) if n in removed])


def current(folder: Path) -> list[dict]:
    """The notices that are up, newest first."""
    manifest = read_manifest(folder)
    if manifest is None:
        if not Path(folder).is_dir():
            raise NamndtoolError(f"Mappen {folder} finns inte. Ange mappen som webbservern visar anslagstavlan "
                                 "från.")
        return []
    return sorted(manifest.up, key=lambda a: (a["anslag_upp"], a["nyckel"]), reverse=True)


def _down(entry: dict, today: dt.date, reason: str, before_end: bool) -> dict:
    kept = {k: entry[k] for k in ("nyckel", "sammantrade_id", "organ", "sammantradesdatum", "justeringsdatum",
                                  "anslag_upp", "anslag_ned", "overklagande_till")}
    return kept | {"nedtagen": today.isoformat(), "skal": reason, "fore_overklagandetidens_slut": before_end}
