"""Archive export: one folder per ärende with an XML description (resources/schema/fgs-arende.xsd, modelled on
FGS Ärendehantering) and the ärende's files, each with its SHA-256. Every XML is validated before it is kept.

Beside the handlingar the register holds, the package carries the ärende's own upprättade handlingar as the
program writes them (PDF/A-2a, see DEVELOPERS.md "The PDF engine"): the tjänsteskrivelse as each justerat meeting
decided on it, and the protokollsutdrag of every justerat § about the ärende."""

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from nämndtool.assets import resource
from nämndtool.atomic import write_atomic
from nämndtool.documents.branding import Branding, load_branding
from nämndtool.documents.model import Document
from nämndtool.documents.protokoll import utdrag_document
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store

NAMESPACE = "urn:namndtool:fgs-arende:1"
RIKTNING = {"in": "Inkommande", "ut": "Utgående", "upprattad": "Upprättad"}

_schema = None


def schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.fromstring(resource("schema", "fgs-arende.xsd").read_bytes()))
    return _schema


@dataclass(frozen=True)
class Exported:
    folder: Path
    files: int


def _e(tag: str, text: object | None) -> str:
    return "" if text in (None, "") else f"<{tag}>{escape(str(text))}</{tag}>"


def _restriction(lagrum: str | None, secret: int) -> str:
    return f'<Restriktion Typ="Sekretess"><Lagrum>{escape(lagrum or "Sekretess (lagrum ej angivet)")}</Lagrum></Restriktion>' if secret else ""


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name)


def archived_handlingar(store: Store, arende_id: int) -> list[dict]:
    """Every handling of the ärende, and after them every bilaga a justerat meeting decided on that the ärende no
    longer holds (a later meeting replaced it): what was decided on stays in the archive, as an upprättad handling
    dated with the meeting, secret when its file is secret anywhere."""
    handlingar = store.handlingar(arende_id)
    present = {h["fil_sha256"] for h in handlingar}
    for bilaga in store.decided_bilagor_of_arende(arende_id):
        if bilaga["sha256"] in present:
            continue
        present.add(bilaga["sha256"])
        handlingar.append({
            "id": f"beslutad:{bilaga['sha256']}", "riktning": "upprattad", "datum": bilaga["datum"], "motpart": None,
            "beskrivning": bilaga["titel"], "sekretess": int(store.is_secret_file(bilaga["sha256"])),
            "sekretess_lagrum": None, "fil_sha256": bilaga["sha256"], "filnamn": bilaga["filnamn"],
            "storlek": bilaga["storlek"]})
    return handlingar


def _as_archived(document: Document, namnd: str, date: str | None) -> Document:
    """The document as the archive keeps it: dated (its XMP and Info) and made by the nämnd, whose archive it is."""
    return replace(document, metadata=replace(document.metadata, author=namnd, date=date))


def _generated(handling_id: str, beskrivning: str, datum: str | None, secret: int, lagrum: str | None,
               filnamn: str, data: bytes) -> dict:
    """An upprättad handling the program writes for the package, with the keys of ``store.handlingar()``."""
    return {"id": handling_id, "riktning": "upprattad", "datum": datum, "motpart": None, "beskrivning": beskrivning,
            "sekretess": secret, "sekretess_lagrum": lagrum if secret else None,
            "fil_sha256": hashlib.sha256(data).hexdigest(), "filnamn": filnamn, "storlek": len(data), "data": data}


def _justerad(store: Store, meeting_id: int, paragraf: dict) -> str | None:
    """The day the § was justerad: the protokoll's justering, or the meeting's day for a § justerad at it."""
    protokoll = store.protokoll(meeting_id)
    if protokoll and protokoll["justerad"]:
        return protokoll["justerad"]
    return store.meeting(meeting_id)["datum"] if paragraf["omedelbart_justerad"] else None


def upprattade_handlingar(store: Store, arende: dict, branding: Branding, today: dt.date) -> list[dict]:
    """The ärende's own documents as PDF, each an upprättad handling with its file's bytes under ``data``.

    The tjänsteskrivelse as each justerat meeting decided on it (one file for each version; as it stands when no
    justerat meeting decided on the ärende), dated with its own date, else the meeting's, else ``today`` (the day
    it is written as it stands); then, for every justerat § about the ärende, its protokollsutdrag (the internal
    version, without a recipient), bestyrkt and dated the day it was justerad. Secret as the ärende and the §
    are; made by the nämnd."""
    namnd = store.namnd_by_kod(arende["namnd_kod"])["namn"]
    paragrafer = []
    for decision in store.decisions_of_arende(arende["id"]):
        meeting_id = store.paragraf_meeting(decision["id"])
        paragraf = store.paragraf(decision["id"])
        justerad = _justerad(store, meeting_id, paragraf)
        if justerad:
            paragrafer.append((meeting_id, decision, paragraf, justerad))
    meetings = list(dict.fromkeys(m for m, *_ in paragrafer if store.is_justerat(m))) or [None]
    found, seen = [], []
    for meeting_id in meetings:
        ts = store.tjansteskrivelse_as_decided(meeting_id, arende["id"])
        if ts is None or ts in seen:
            continue
        seen.append(ts)
        datum = ts["datum"] or (store.meeting(meeting_id)["datum"] if meeting_id else today.isoformat())
        document = tjansteskrivelse_document(store, arende["id"], branding, meeting_id).document
        data = render_pdf(_as_archived(document, namnd, datum), branding)
        found.append(_generated(f"tjansteskrivelse:{meeting_id}", "Tjänsteskrivelse", datum, arende["sekretess"],
                                arende["sekretess_lagrum"], f"Tjansteskrivelse-{datum}.pdf", data))
    for meeting_id, decision, paragraf, justerad in paragrafer:
        document = utdrag_document(store, meeting_id, paragraf["nr"], None, for_the_akt=True,
                                   bestyrkt_datum=dt.date.fromisoformat(justerad))
        data = render_pdf(_as_archived(document, namnd, justerad), branding)
        found.append(_generated(
            f"utdrag:{decision['id']}", f"Protokollsutdrag § {paragraf['nr']}, {decision['organ']} {decision['datum']}",
            justerad, paragraf["sekretess"], paragraf["sekretess_lagrum"],
            f"Protokollsutdrag-{decision['organ']}-{decision['datum']}-paragraf-{paragraf['nr']}.pdf", data))
    return found


def arende_xml(store: Store, arende: dict, handlingar: list[dict], files: dict[int | str, str],
               today: dt.date) -> str:
    """The XML of one ärende with ``handlingar`` (``archived_handlingar`` and ``upprattade_handlingar``);
    ``files`` maps handling id to its path inside the package."""
    agents = f'<Agent Roll="Handläggare"><Namn>{escape(arende["handlaggare"])}</Namn></Agent>' if arende["handlaggare"] else ""
    if arende["avslutad_av"]:
        agents += f'<Agent Roll="Avslutat av"><Namn>{escape(arende["avslutad_av"])}</Namn></Agent>'
    decisions = "".join(
        f"<Beslut>{_e('Organ', d['organ'])}{_e('Sammantradesdatum', d['datum'])}{_e('Paragraf', d['nr'])}"
        + "".join(_e("Beslutstext", t) for t in d["beslut"]) + "</Beslut>"
        for d in store.decisions_of_arende(arende["id"]))
    entries = []
    for h in handlingar:
        fil = ""
        if h["fil_sha256"]:
            fil = (f'<Fil Namn="{escape(h["filnamn"], {chr(34): "&quot;"})}" Sokvag="{escape(files[h["id"]])}" '
                   f'Checksumma="{h["fil_sha256"]}" ChecksummaTyp="SHA-256" Storlek="{h["storlek"]}"/>')
        entries.append(
            f"<Handling>{_e('Riktning', RIKTNING[h['riktning']])}{_e('Datum', h['datum'])}{_e('Motpart', h['motpart'])}"
            f"{_e('Beskrivning', h['beskrivning'])}{_restriction(h['sekretess_lagrum'], h['sekretess'])}{fil}</Handling>")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Arende xmlns="{NAMESPACE}" Leveransdatum="{today}">'
        f"{_e('ArkivobjektID', arende['diarienummer'])}{_e('Arendemening', arende['rubrik'])}"
        f"{_e('OffentligTitel', arende['offentlig_rubrik'])}{_e('Status', arende['status'])}"
        f"{_e('Klassificering', arende['klassificering'])}{_e('ExternReferens', arende['extern_referens'])}"
        f"{_restriction(arende['sekretess_lagrum'], arende['sekretess'])}<Agenter>{agents}</Agenter>"
        f"{_e('Registrerat', arende['registrerad'])}{_e('Avslutat', arende['avslutad'])}{decisions}"
        f"<Handlingar>{''.join(entries)}</Handlingar></Arende>\n"
    )


def validate(xml: str, where: str) -> None:
    document = etree.fromstring(xml.encode("utf-8"))
    if not schema().validate(document):
        errors = "; ".join(f"rad {e.line}: {e.message}" for e in schema().error_log)
        raise NamndtoolError(f"Arkivpaketet för {where} följer inte schemat ({errors}). Inget har skrivits.")


def _unique(name: str, used: set[str]) -> str:
    """``name`` made safe as a file name, numbered when the package already holds one so named."""
    name = first = _safe(name)
    n = 2
    while name in used:
        stem, dot, suffix = first.rpartition(".")
        name, n = (f"{stem}-{n}.{suffix}" if dot else f"{first}-{n}"), n + 1
    used.add(name)
    return name


def export_arende(store: Store, arende_id: int, out: Path, today: dt.date | None = None,
                  branding: Branding | None = None) -> Exported:
    today = today or dt.date.today()
    branding = branding or load_branding()
    arende = store.arende(arende_id)
    if not arende["diarienummer"]:
        raise NamndtoolError(f"Ärendet ”{arende['rubrik']}” har inget diarienummer och kan inte arkiveras som ärende.")
    folder = out / _safe(arende["diarienummer"].replace("/", "-").replace(":", "-"))
    files: dict[int | str, str] = {}
    used: set[str] = set()
    handlingar = archived_handlingar(store, arende_id) + upprattade_handlingar(store, arende, branding, today)
    for h in handlingar:
        if h["fil_sha256"]:
            files[h["id"]] = f"filer/{_unique(h['filnamn'], used)}"
    xml = arende_xml(store, arende, handlingar, files, today)
    validate(xml, arende["diarienummer"])
    try:
        (folder / "filer").mkdir(parents=True, exist_ok=True)
        for h in handlingar:
            if "data" in h:
                write_atomic(folder / files[h["id"]], h["data"])
            elif h["id"] in files:
                shutil.copyfile(store.file_path(h["fil_sha256"]), folder / files[h["id"]])
        write_atomic(folder / "arende.xml", xml.encode("utf-8"))
    except OSError as error:
        raise NamndtoolError(f"Arkivpaketet kunde inte skrivas till {folder} ({error.strerror}).") from error
    return Exported(folder, len(files))


def export_year(store: Store, namnd_id: int, year: int, out: Path) -> list[Exported]:
    ids = store.closed_arenden(namnd_id, year)
    if not ids:
        raise NamndtoolError(f"Det finns inga avslutade ärenden från {year} att arkivera.")
    branding = load_branding()
    return [export_arende(store, arende_id, out, branding=branding) for arende_id in ids]
