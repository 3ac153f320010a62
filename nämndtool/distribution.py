"""Sending out the kallelse: who gets it (the organ's ledamöter and ersättare on the meeting date), a list file,
and one e-mail draft (.eml) per recipient with an e-mail address.

The drafts carry only the public pack. Nothing here accepts a PDF from the caller: the pack is built here with
``public=True``, and every finished draft is read back by the secrecy gate before any is written, so a secret paper
can never end up in an e-mail.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Callable

from nämndtool.atomic import write_atomic
from nämndtool.documents.branding import Branding, load_branding
from nämndtool.documents.kallelse import forhinder_line, when
from nämndtool.documents.pack import PackResult, build_pack
from nämndtool.errors import NamndtoolError
from nämndtool.secrecy import gate
from nämndtool.secrecy.facts import Scope, with_listed_pages
from nämndtool.store import Store

ROLES = {"ordforande": "Ordförande", "vice_ordforande": "Vice ordförande", "ledamot": "Ledamot",
         "ersattare": "Ersättare"}
NO_EMAIL = "Saknar e-post – skicka kallelsen på annat sätt"
BAD_EMAIL = "Ogiltig e-postadress – rätta den under Personer"
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class Recipient:
    namn: str
    uppdrag: str                 # "Ordförande", "Ledamot", … as printed
    parti: str | None
    epost: str | None
    note: str = ""               # why no draft is written for this person; empty when one is

    @property
    def gets_draft(self) -> bool:
        return not self.note


@dataclass
class Distribution:
    """Everything a send-out needs, prepared (in a worker thread) before anything is written."""

    meeting: dict
    recipients: list[Recipient]
    pack: PackResult
    secret_items: list[int] = field(default_factory=list)   # agenda numbers left out of the pack


@dataclass
class Written:
    list_file: Path
    drafts: list[Path]
    folder: Path
    warnings: list[str] = field(default_factory=list)   # the pack's (bilagor left out, and why)


# --- who -------------------------------------------------------------------------------------------------------


def distribution_list(store: Store, meeting_id: int) -> list[Recipient]:
    """The organ's ledamöter and ersättare on the meeting date, ordförande first."""
    meeting = store.meeting(meeting_id)
    found = []
    for person in store.roster(meeting["organ_id"], meeting["datum"]):
        epost = (person["epost"] or "").strip() or None
        note = "" if epost and _address(person["namn"], epost) else (BAD_EMAIL if epost else NO_EMAIL)
        found.append(Recipient(person["namn"], ROLES.get(person["uppdrag_roll"], person["uppdrag_roll"]),
                               person["parti"], epost, note))
    return found


def _address(namn: str, epost: str) -> Address | None:
    try:
        address = Address(display_name=namn, addr_spec=epost)
    except (HeaderParseError, ValueError, IndexError):
        return None
    return address if address.domain and address.username else None


# --- names -----------------------------------------------------------------------------------------------------


def safe_filename(name: str, limit: int = 150) -> str:
    """``name`` as a file name Windows, macOS and Linux all accept: no \\ / : * ? " < > | or control characters,
    no trailing dot or space, no reserved device name, not longer than ``limit``."""
    cleaned = re.sub(r"\s+", " ", name).strip()
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "-", cleaned)
    stem, dot, suffix = cleaned.rpartition(".") if "." in cleaned else (cleaned, "", "")
    if len(suffix) > 5 or " " in suffix or not suffix:
        stem, dot, suffix = cleaned, "", ""
    stem = stem[: max(1, limit - len(dot + suffix))].rstrip(" .") or "fil"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return f"{stem}{dot}{suffix}"


def kallelse_name(meeting: dict, public: bool, suffix: str) -> str:
    version = "offentlig" if public else "intern"
    return safe_filename(f"Kallelse {meeting['organ']} {meeting['datum']} ({version}).{suffix}")


def pack_name(meeting: dict, public: bool) -> str:
    version = "offentlig" if public else "intern"
    return safe_filename(f"Handlingar {meeting['organ']} {meeting['datum']} ({version}).pdf")


def list_name(meeting: dict) -> str:
    return safe_filename(f"Sändlista kallelse {meeting['organ']} {meeting['datum']}.csv")


def drafts_folder_name(meeting: dict) -> str:
    return safe_filename(f"E-postutkast kallelse {meeting['organ']} {meeting['datum']}")


def item_ranges(numbers: list[int]) -> str:
    """``4–6 och 9`` for [4, 5, 6, 9]: runs of agenda numbers, as a reader writes them."""
    runs: list[list[int]] = []
    for nr in sorted(numbers):
        if runs and runs[-1][-1] + 1 == nr:
            runs[-1].append(nr)
        else:
            runs.append([nr])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} och {parts[-1]}"


def left_out_text(numbers: list[int]) -> str:
    """ "3 sekretessärenden (punkt 4–6)" — what a public version leaves out."""
    if not numbers:
        return "inga sekretessärenden"
    count = "1 sekretessärende" if len(numbers) == 1 else f"{len(numbers)} sekretessärenden"
    return f"{count} (punkt {item_ranges(numbers)})"


# --- preparing and writing -------------------------------------------------------------------------------------


def prepare_distribution(
    store: Store, meeting_id: int, branding: Branding | None = None, *,
    progress: Callable[[int, int, str], None] | None = None, cancelled: Callable[[], bool] = lambda: False,
) -> Distribution:
    """Build the public pack and the recipient list; the slow part, run off the UI thread."""
    meeting = store.meeting(meeting_id)
    secret = [item["nr"] for item in store.agenda(meeting_id) if item["sekretess"]]
    pack = build_pack(store, meeting_id, True, branding or load_branding(), progress=progress, cancelled=cancelled)
    return Distribution(meeting, distribution_list(store, meeting_id), pack, secret)


def write_distribution(store: Store, distribution: Distribution, list_file: Path) -> Written:
    """The list file at ``list_file`` and, in a folder beside it, one .eml draft per recipient with e-mail.

    Every draft passes the secrecy gate (headers, text, attachment name and the attached pack) before anything
    is written: a draft that would carry a secret is never written, and neither is any other.
    """
    facts = with_listed_pages(Scope(store, meeting_id=distribution.meeting["id"], osl_lists=True).facts,
                              distribution.pack.listed_pages)
    attachment = pack_name(distribution.meeting, public=True)
    drafts, used = [], set()
    for recipient in distribution.recipients:
        if not recipient.gets_draft:
            continue
        message = draft_message(distribution, recipient, attachment).as_bytes()
        gate.check(message, "eml", f"e-postutkastet till {recipient.namn}", facts)
        drafts.append((_unique(safe_filename(f"Kallelse till {recipient.namn}.eml"), used), message))
    list_file = Path(list_file)
    folder = list_file.parent / drafts_folder_name(distribution.meeting)
    write_atomic(list_file, recipient_list_csv(distribution.recipients))
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise NamndtoolError(
            f"Mappen {folder} för e-postutkasten kunde inte skapas ({error.strerror or error}). "
            "Välj en mapp där du har skrivrätt."
        ) from error
    written = []
    for name, message in drafts:
        path = folder / name
        write_atomic(path, message)
        written.append(path)
    if written:
        store.record_publication("E-postutkast med kallelse och offentliga handlingar", str(folder),
                                 sha256=hashlib.sha256(distribution.pack.pdf).hexdigest(),
                                 meeting_id=distribution.meeting["id"])
    return Written(list_file, written, folder, list(distribution.pack.warnings))


def write_eml_drafts(store: Store, meeting_id: int, out_dir: Path, branding: Branding | None = None) -> Written:
    """Prepare and write in one go (no UI): the public pack, the list and one draft per recipient."""
    distribution = prepare_distribution(store, meeting_id, branding)
    return write_distribution(store, distribution, Path(out_dir) / list_name(distribution.meeting))


def _unique(name: str, used: set[str]) -> str:
    stem, suffix = name.rsplit(".", 1)
    candidate, n = name, 2
    while candidate.casefold() in used:
        candidate, n = f"{stem} ({n}).{suffix}", n + 1
    used.add(candidate.casefold())
    return candidate


def recipient_list_csv(recipients: list[Recipient]) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark, so Excel with Swedish settings opens it as columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Namn", "Uppdrag", "Parti", "E-post", "Anmärkning"])
    for r in recipients:
        writer.writerow([r.namn, r.uppdrag, r.parti or "", r.epost or "", r.note or "E-postutkast skrivet"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def draft_message(distribution: Distribution, recipient: Recipient, attachment: str) -> EmailMessage:
    """One unsent e-mail (``X-Unsent: 1`` makes Outlook open it as a draft) with the public pack attached."""
    meeting = distribution.meeting
    message = EmailMessage()
    message["X-Unsent"] = "1"
    sender = _address(meeting["forhinder_namn"] or "", meeting["forhinder_epost"]) if meeting["forhinder_epost"] else None
    if sender:
        message["From"] = sender
    message["To"] = _address(recipient.namn, recipient.epost)
    message["Subject"] = f"Kallelse till {meeting['organ']} {meeting['datum']}"
    message.set_content(draft_body(distribution))
    message.add_attachment(distribution.pack.pdf, maintype="application", subtype="pdf", filename=attachment)
    return message


def draft_body(distribution: Distribution) -> str:
    meeting = distribution.meeting
    lines = ["Hej!", "", f"Här kommer kallelsen till sammanträdet med {meeting['organ']}.", "",
             f"Tid: {when(meeting['datum'], meeting['tid'])}"]
    if meeting["plats"]:
        lines.append(f"Plats: {meeting['plats']}")
    lines += ["", "Kallelsen och de offentliga handlingarna finns i den bifogade filen."]
    if distribution.secret_items:
        lines.append(f"Den lämnar bort {left_out_text(distribution.secret_items)}: handlingar i sekretessärenden "
                     "skickas aldrig med e-post.")
    forhinder = forhinder_line(meeting["forhinder_namn"], meeting["forhinder_epost"], meeting["forhinder_telefon"])
    if forhinder:
        lines += ["", forhinder]
    lines += ["", "Med vänlig hälsning"]
    lines += [line for line in (meeting["forhinder_namn"], meeting["namnd"]) if line]
    return "\n".join(lines) + "\n"
