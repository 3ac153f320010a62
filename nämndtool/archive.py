"""Archive export: one folder per ärende with an XML description (resources/schema/fgs-arende.xsd, modelled on
FGS Ärendehantering) and the ärende's files, each with its SHA-256. Every XML is validated before it is kept."""

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from nämndtool.assets import resource
from nämndtool.atomic import write_atomic
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


def arende_xml(store: Store, arende: dict, files: dict[int | str, str], today: dt.date) -> str:
    """The XML of one ärende; ``files`` maps handling id to its path inside the package."""
    agents = f'<Agent Roll="Handläggare"><Namn>{escape(arende["handlaggare"])}</Namn></Agent>' if arende["handlaggare"] else ""
    if arende["avslutad_av"]:
        agents += f'<Agent Roll="Avslutat av"><Namn>{escape(arende["avslutad_av"])}</Namn></Agent>'
    decisions = "".join(
        f"<Beslut>{_e('Organ', d['organ'])}{_e('Sammantradesdatum', d['datum'])}{_e('Paragraf', d['nr'])}"
        + "".join(_e("Beslutstext", t) for t in d["beslut"]) + "</Beslut>"
        for d in store.decisions_of_arende(arende["id"]))
    handlingar = []
    for h in archived_handlingar(store, arende["id"]):
        fil = ""
        if h["fil_sha256"]:
            fil = (f'<Fil Namn="{escape(h["filnamn"], {chr(34): "&quot;"})}" Sokvag="{escape(files[h["id"]])}" '
                   f'Checksumma="{h["fil_sha256"]}" ChecksummaTyp="SHA-256" Storlek="{h["storlek"]}"/>')
        handlingar.append(
            f"<Handling>{_e('Riktning', RIKTNING[h['riktning']])}{_e('Datum', h['datum'])}{_e('Motpart', h['motpart'])}"
            f"{_e('Beskrivning', h['beskrivning'])}{_restriction(h['sekretess_lagrum'], h['sekretess'])}{fil}</Handling>")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Arende xmlns="{NAMESPACE}" Leveransdatum="{today}">'
        f"{_e('ArkivobjektID', arende['diarienummer'])}{_e('Arendemening', arende['rubrik'])}"
        f"{_e('OffentligTitel', arende['offentlig_rubrik'])}{_e('Status', arende['status'])}"
        f"{_e('Klassificering', arende['klassificering'])}{_e('ExternReferens', arende['extern_referens'])}"
        f"{_restriction(arende['sekretess_lagrum'], arende['sekretess'])}<Agenter>{agents}</Agenter>"
        f"{_e('Registrerat', arende['registrerad'])}{_e('Avslutat', arende['avslutad'])}{decisions}"
        f"<Handlingar>{''.join(handlingar)}</Handlingar></Arende>\n"
    )


def validate(xml: str, where: str) -> None:
    document = etree.fromstring(xml.encode("utf-8"))
    if not schema().validate(document):
        errors = "; ".join(f"rad {e.line}: {e.message}" for e in schema().error_log)
        raise NamndtoolError(f"Arkivpaketet för {where} följer inte schemat ({errors}). Inget har skrivits.")


def export_arende(store: Store, arende_id: int, out: Path, today: dt.date | None = None) -> Exported:
    today = today or dt.date.today()
    arende = store.arende(arende_id)
    if not arende["diarienummer"]:
        raise NamndtoolError(f"Ärendet ”{arende['rubrik']}” har inget diarienummer och kan inte arkiveras som ärende.")
    folder = out / _safe(arende["diarienummer"].replace("/", "-").replace(":", "-"))
    files: dict[int | str, str] = {}
    used: set[str] = set()
    handlingar = archived_handlingar(store, arende_id)
    for h in handlingar:
        if h["fil_sha256"]:
            name, n = _safe(h["filnamn"]), 2
            while name in used:
                stem, dot, suffix = _safe(h["filnamn"]).rpartition(".")
                name, n = (f"{stem}-{n}.{suffix}" if dot else f"{stem}-{n}"), n + 1
            used.add(name)
            files[h["id"]] = f"filer/{name}"
    xml = arende_xml(store, arende, files, today)
    validate(xml, arende["diarienummer"])
    try:
        (folder / "filer").mkdir(parents=True, exist_ok=True)
        for h in handlingar:
            if h["id"] in files:
                shutil.copyfile(store.file_path(h["fil_sha256"]), folder / files[h["id"]])
        write_atomic(folder / "arende.xml", xml.encode("utf-8"))
    except OSError as error:
        raise NamndtoolError(f"Arkivpaketet kunde inte skrivas till {folder} ({error.strerror}).") from error
    return Exported(folder, len(files))


def export_year(store: Store, namnd_id: int, year: int, out: Path) -> list[Exported]:
    ids = store.closed_arenden(namnd_id, year)
    if not ids:
        raise NamndtoolError(f"Det finns inga avslutade ärenden från {year} att arkivera.")
    return [export_arende(store, arende_id, out) for arende_id in ids]
