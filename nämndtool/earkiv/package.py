"""Writing a delivery as one E-ARK SIP: what ``namndtool archive`` does.

A delivery is one ärende (``--case``), a year (``--year``: the nämnd's ärenden closed that year, its meetings
justerade that year and its delegationsbeslut of the year) or a meeting (``--meeting``: its justerat protokoll,
every ärende decided at it, the delegationsbeslut reported to it). It becomes one package folder in ``out``,
named by its OBJID. What goes in is gathered first (nothing is written while the store is read); the package is
written into a hidden unfinished folder (archive_io) and checked there with ``verify`` exactly as an archive would
check it (METS and ERMS against the schemas and the Schematron, every file against its checksum), and only then
moved into place; a package that fails is removed and nothing is delivered. A package is never published: the
archive keeps secret ärenden with their restriction, so a package is written only where the user points, never
into the anslagstavla's folder."""

import datetime as dt
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lxml import etree

from nämndtool.archive import Prefetched, record_rendered, archived_handlingar, upprattade_handlingar
from nämndtool.archive_io import delivery
from nämndtool.documents.branding import Branding, load_branding
from nämndtool.earkiv import erms, formats, layout, mets
from nämndtool.earkiv.schemas import schema_path
from nämndtool.earkiv.verify import Digested, erms_checked, verify_package
from nämndtool.errors import NamndtoolError
from nämndtool.labels import count_text
from nämndtool.store import Store

OWN_FORMAT = "PDF/A-2a"
"""The program's own PDFs (the akt copies, the justerat protokoll) are PDF/A-2a and PDF/UA-1 by construction
(DEVELOPERS.md, "The PDF engine"; tested with page-validation), so they are not validated again per export."""

KIND = {"tjansteskrivelse": "tjänsteskrivelse", "utdrag": "protokollsutdrag", "beslutad": "beslutad bilaga"}
DIRECTION_KIND = {"in": "inkommande handling", "ut": "utgående handling", "upprattad": "upprättad handling"}


@dataclass(frozen=True)
class Package:
    folder: Path
    objid: str
    arenden: int
    meetings: int
    files: int
    not_archival: int
    """How many files the format report lists as not in an archival format."""

    @property
    def contents(self) -> str:
        """What the package holds, in Swedish: ``1 ärende, 0 sammanträden, 3 dokumentfiler``."""
        return ", ".join((count_text(self.arenden, "ärende", "ärenden"),
                          count_text(self.meetings, "sammanträde", "sammanträden"),
                          count_text(self.files, "dokumentfil", "dokumentfiler")))


@dataclass
class _Scope:
    namnd: dict
    name: str                   # the readable part of the OBJID
    arende_ids: list[int]
    meeting_ids: list[int]
    delegationsbeslut: list[dict]


@dataclass
class _Placed:
    """One file of the package: its path in it, checksum, size, where its bytes come from (bytes, or a stored
    file's path), what its ERMS record says of it (``described``: its format written in when checked) and its
    format check (None until ``_Content.check_formats``)."""
    path: str
    sha256: str
    size: int
    source: bytes | Path
    described: dict
    check: formats.FormatCheck | None


@dataclass
class _Content:
    """The delivery's identity and time, and the files of the package in the order they are written, each with
    its format check (None until :meth:`check_formats`)."""
    objid: str
    created: dt.datetime
    files: list[_Placed] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def place(self, prefix: str, filnamn: str, sha256: str, size: int, content: bytes | Path, own: bool) -> dict:
        """A file put in the representation's data folder as ``prefix``_``filnamn`` (named uniquely); returns
        what the ERMS record says of it (its format once checked, see :meth:`check_formats`). The data folder is
        flat, its files named by the ärende or meeting they belong to: a folder each would make a year's package
        9 800 folders, and making them cost 4-7 s of the 15 (BENCHMARKS.md)."""
        path = f"{layout.DATA}/{_unique(f'{prefix}_{_safe(filnamn)}', self.used)}"
        check = formats.FormatCheck(path, sha256, size, "application/pdf", OWN_FORMAT, True, None) if own else None
        described = {"filnamn": filnamn, "path": path, "sha256": sha256, "format": OWN_FORMAT if own else ""}
        self.files.append(_Placed(path, sha256, size, content, described, check))
        return described

    def check_formats(self) -> None:
        """Check the formats of the files not the program's own, together (in parallel, each distinct file once),
        and write each one's format into what its record says of it."""
        pending = [f for f in self.files if f.check is None]
        for placed, check in zip(pending, formats.check_all((f.path, f.sha256, f.source) for f in pending)):
            placed.check = check
            placed.described["format"] = check.format

    @property
    def checks(self) -> list[formats.FormatCheck]:
        return [f.check for f in self.files]


MAX_NAME = 120
"""The longest file name (in characters) a package gets; file systems stop at 255 bytes, and å ä ö take two."""


def _safe(name: str) -> str:
    """``name`` as a file name every file system takes: letters, digits, ``.``, ``-`` and ``_``, not too long
    (shortened before its suffix)."""
    name = re.sub(r"[^\w.\-]+", "_", name).strip("._") or "fil"
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix[:10] if dot else ""
        name = (stem if dot else name)[:MAX_NAME - len(suffix) - 1] + (f".{suffix}" if suffix else "")
    return name


def _unique(name: str, used: set[str]) -> str:
    """``name`` made safe as a file name, numbered when the package already holds one so named (compared as a
    file system that ignores case would)."""
    name = first = _safe(name)
    n = 2
    while name.casefold() in used:
        stem, dot, suffix = first.rpartition(".")
        name, n = (f"{stem}-{n}.{suffix}" if dot else f"{first}-{n}"), n + 1
    used.add(name.casefold())
    return name


def _meeting_label(meeting: dict) -> str:
    return f"{meeting['organ']} {meeting['datum']}"


# --- records -------------------------------------------------------------------------------------------------

def _handling_record(h: dict, arende: dict, nr: int, namnd: str, content: _Content, prefix: str) -> dict:
    kind = KIND.get(str(h["id"]).split(":")[0], DIRECTION_KIND[h["riktning"]])
    agents = []
    if h["motpart"]:
        agents.append(("sender" if h["riktning"] == "in" else "recipient", h["motpart"], "Motpart"))
    if h["riktning"] == "upprattad":
        agents.append(("creator", namnd, "Upprättad av"))
    record = {"system_id": _system_id(h, arende), "object_id": f"{arende['diarienummer']}, handling {nr}",
              "typ": kind, "titel": h["beskrivning"] or kind.capitalize(), "riktning": h["riktning"],
              "sekretess": h["sekretess"], "sekretess_lagrum": h["sekretess_lagrum"], "sekretess_om": "handlingen",
              "agenter": agents, "datum": [(erms.DATE_OF_DIRECTION[h["riktning"]], h["datum"])]}
    if h["fil_sha256"]:
        own = "data" in h or kind in ("tjänsteskrivelse", "protokollsutdrag")
        source = h["data"] if "data" in h else h["_source"]
        record["fil"] = content.place(prefix, h["filnamn"], h["fil_sha256"], h["storlek"], source, own)
    return record


def _system_id(h: dict, arende: dict) -> str:
    """A registered handling by its id; a document the program adds (``tjansteskrivelse:M``, ``utdrag:P``,
    ``beslutad:SHA``) by its kind, the ärende and what it is of (``aktuell``: as it stands, no meeting)."""
    if isinstance(h["id"], int):
        return f"handling-{h['id']}"
    kind, _, of = str(h["id"]).partition(":")
    return f"{kind}-arende-{arende['id']}-{'aktuell' if of == 'None' else of}"


def _delegation_record(d: dict, meetings: dict[int, dict]) -> dict:
    """A delegationsbeslut as a record, related to its ärende and to the meeting it was reported to (``meetings``
    holds every meeting of the delivery's delegationsbeslut, in the package or not)."""
    relations = [("reference", d["diarienummer"])] if d.get("diarienummer") else []
    if d["anmald_vid"] is not None:
        relations.append(("reference", _meeting_label(meetings[d["anmald_vid"]])))
    secret = d["sekretess"] or d.get("arende_sekretess") or 0
    return {"system_id": f"delegationsbeslut-{d['id']}", "object_id": f"Delegationsbeslut {d['datum']} nr {d['id']}",
            "typ": "delegationsbeslut", "titel": d["beskrivning"], "sekretess": secret,
            "sekretess_lagrum": d["sekretess_lagrum"], "sekretess_om": "delegationsbeslutet", "relationer": relations,
            "agenter": [("authorising_person", d["beslutsfattare"], "Beslutsfattare")],
            "datum": [("decision", d["datum"])], "anteckningar": [("delegationspunkt", d["delegationspunkt"])]}


def _signatures(pdf: bytes) -> list[dict]:
    """The signatures of a digitally justerat protokoll, checked now against the trusted roots
    (NAMNDTOOL_TRUST_DIR); a paper justering's PDF has none."""
    if b"/ByteRange" not in pdf:
        return []
    from nämndtool.signing.trust import load_trust_roots
    from nämndtool.signing.verify import verify

    found = []
    for s in verify(pdf, load_trust_roots()):
        found.append({"roll": s.roll, "namn": s.namn, "undertecknare": s.signer_name,
                      "tid": erms.timestamp(s.signed_at) if s.signed_at else None,
                      "tidsstampel": "ja" if s.timestamped else "nej", "giltig": "ja" if s.valid else "nej",
                      "problem": [] if s.valid else list(s.problems) or ["Underskriften saknas eller är ogiltig."]})
    return found


def _protokoll_record(store: Store, meeting: dict, protokoll: dict, namnd: str, content: _Content) -> dict:
    sha = protokoll["justerad_pdf_sha256"]
    path = store.file_path(sha)
    secret = [p for p in protokoll["paragrafer"] if p["sekretess"]]
    lagrum = "; ".join(dict.fromkeys(f"{p['sekretess_lagrum'] or 'lagrum ej angivet'} (§ {p['nr']})" for p in secret))
    agents = [("creator", protokoll["sekreterare"], "Sekreterare")] if protokoll["sekreterare"] else []
    agents += [("other_signatory", name, "Justerare") for name in protokoll["justerare"]]
    label = _meeting_label(meeting)
    return {"system_id": f"protokoll-{meeting['id']}", "object_id": f"Protokoll {label}", "typ": "justerat protokoll",
            "titel": f"Protokoll, {label}", "riktning": "upprattad", "sekretess": bool(secret),
            "sekretess_lagrum": lagrum or None, "sekretess_om": "paragrafer i protokollet", "agenter": agents,
            "datum": [("decision", meeting["datum"]), ("other", protokoll["justerad"], "justerat"),
                      ("other", protokoll["anslag_datum"], "anslaget")],
            "underskrifter": _signatures(path.read_bytes()),
            "fil": content.place("Protokoll", f"{meeting['organ']}-{meeting['datum']}.pdf", sha,
                                 path.stat().st_size, path, True)}


# --- aggregations --------------------------------------------------------------------------------------------

def _case_file(reader, arende: dict, namnd: str, today: dt.date, branding: Branding, content: _Content,
               delegations: list[dict], meetings: dict[int, dict], rendered: list[dict]) -> "_Later":
    """The ärende's caseFile, to be made when it is written (see :func:`_gather`)."""
    if not arende["diarienummer"]:
        raise NamndtoolError(f"Ärendet ”{arende['rubrik']}” har inget diarienummer och kan inte arkiveras som ärende.")
    prefix = arende["diarienummer"].replace("/", "-").replace(":", "-")
    handlingar = archived_handlingar(reader, arende["id"]) + upprattade_handlingar(reader, arende, branding, today)
    for h in handlingar:
        if h["fil_sha256"] and "data" not in h:
            h["_source"] = reader.stored_file(h["fil_sha256"])
    records = [_handling_record(h, arende, nr, namnd, content, prefix) for nr, h in enumerate(handlingar, 1)]
    records += [_delegation_record(d, meetings) for d in delegations]
    rendered.extend({**h["akt"], "data": h["data"]} for h in handlingar if "akt" in h)
    decisions = reader.decisions_of_arende(arende["id"])
    relations, actions = [], []
    for d in decisions:
        paragraf = reader.paragraf(d["id"])
        relations.append(("reference", f"{d['organ']} {d['datum']} § {d['nr']}"))
        actions.append((d["organ"], d["datum"], d["nr"], d["beslut"], paragraf["sekretess"],
                        paragraf["sekretess_lagrum"]))
    agents = [("responsible_person", arende["handlaggare"], "Handläggare")] if arende["handlaggare"] else []
    for name in dict.fromkeys(h["motpart"] for h in handlingar if h["motpart"]):
        agents.append(("counterpart", name, "Motpart"))
    if arende["avslutad_av"]:
        agents.append(("other", arende["avslutad_av"], "Avslutade ärendet", "avslutat_av"))
    return lambda: erms.case_file(arende, [erms.record(r, content.created) for r in records], relations,
                                  [erms.decision(*a) for a in actions], agents)


def _meeting_aggregation(store: Store, meeting: dict, namnd: str, content: _Content, delegations: list[dict],
                         meetings: dict[int, dict]) -> "_Later":
    protokoll = store.protokoll(meeting["id"])
    records = [_protokoll_record(store, meeting, protokoll, namnd, content)]
    records += [_delegation_record(d, meetings) for d in delegations]
    relations = [("reference", p["diarienummer"]) for p in protokoll["paragrafer"] if p["diarienummer"]]
    return lambda: erms.own_aggregation(
        f"sammantrade-{meeting['id']}", "sammanträde", _meeting_label(meeting),
        f"Sammanträde, {_meeting_label(meeting)}", list(dict.fromkeys(relations)),
        (("decision", meeting["datum"]), ("other", protokoll["justerad"], "justerat")),
        [erms.record(r, content.created) for r in records])


# --- the delivery --------------------------------------------------------------------------------------------

def _objid(kod: str, name: str, created: dt.datetime, out: Path) -> str:
    """The package's identity and folder name: the nämnd, what is delivered and when, numbered when ``out``
    already holds a package of that name (two deliveries within one second), so no delivery is ever replaced."""
    objid = first = f"{_safe(kod)}-{name}-{created:%Y%m%dT%H%M%S}"
    n = 2
    while (Path(out) / objid).exists():
        objid, n = f"{first}-{n}", n + 1
    return objid


_Later = Callable[[], etree._Element]
"""An aggregation of the ERMS document as a function that makes it: gathered as plain data (its files placed,
their formats not yet checked), made only when it is written, so the whole document is never one tree."""


def _gather(store: Store, scope: _Scope, today: dt.date, branding: Branding, content: _Content,
            rendered: list[dict]) -> list[_Later]:
    """The aggregations of the delivery's ERMS document, its files placed in ``content``."""
    namnd = scope.namnd["namn"]
    meetings = {m: store.meeting(m) for m in dict.fromkeys(
        [*scope.meeting_ids, *(d["anmald_vid"] for d in scope.delegationsbeslut if d["anmald_vid"] is not None)])}
    reader = Prefetched(store, scope.arende_ids)
    by_arende: dict[int, list[dict]] = {}
    by_meeting: dict[int, list[dict]] = {}
    loose = []
    for d in scope.delegationsbeslut:
        if d.get("arende_sekretess") and not d["sekretess"]:    # secret through its ärende: the ärende's lagrum
            d = {**d, "sekretess_lagrum": store.arende(d["arende_id"])["sekretess_lagrum"]}
        if d["arende_id"] in scope.arende_ids:
            by_arende.setdefault(d["arende_id"], []).append(d)
        elif d["anmald_vid"] in scope.meeting_ids:
            by_meeting.setdefault(d["anmald_vid"], []).append(d)
        else:
            loose.append(d)
    aggregations = [
        _case_file(reader, reader.arende(a), namnd, today, branding, content, by_arende.get(a, []), meetings,
                   rendered)
        for a in scope.arende_ids]
    aggregations += [_meeting_aggregation(store, meetings[m], namnd, content, by_meeting.get(m, []), meetings)
                     for m in scope.meeting_ids]
    if loose:
        records = [_delegation_record(d, meetings) for d in loose]
        aggregations.append(lambda: erms.own_aggregation(
            f"delegationsbeslut-{scope.name}", "delegationsbeslut", f"Delegationsbeslut, {namnd}, {scope.name}",
            f"Delegationsbeslut, {namnd}", [], (), [erms.record(r, content.created) for r in records]))
    return aggregations


def _deliver(store: Store, scope: _Scope, out: Path, today: dt.date | None, branding: Branding | None) -> Package:
    """Gather, check the formats, then write and check with both cores busy. The ERMS document is written to the
    package as it is made (a year's would be some 400 MB as one tree) and validated in a thread (lxml validates
    without holding Python's lock) while this one makes METS.xml and writes the files (the kernel's work), and
    then verifies them. The package's ERMS document counts as validated when it has the SHA-256 of the bytes the
    thread validated: they are the same bytes."""
    _refuse_public_folder(out)
    today = today or dt.date.today()
    created = dt.datetime.now().replace(microsecond=0)
    content = _Content(_objid(scope.namnd["kod"], scope.name, created, out), created)
    rendered: list[dict] = []
    aggregations = _gather(store, scope, today, branding or load_branding(), content, rendered)
    content.check_formats()
    report = formats.report(content.checks, content.objid, erms.timestamp(content.created)).encode("utf-8")
    listed = _listing(content, report)
    with delivery(Path(out)) as into, ThreadPoolExecutor(max_workers=1) as pool:
        root = into.folder / content.objid
        erms_listed = _write_erms(into, root, content, scope.namnd["namn"], aggregations)
        validating = pool.submit(erms_checked, root / layout.ERMS, layout.ERMS, {f.path for f in listed})
        mets_bytes = mets.document(content.objid, scope.namnd["namn"], content.created, erms_listed, listed)
        _write_data(into, root, content.files)
        _write_metadata(into, root, report, mets_bytes)
        files, not_archival = len(content.files), sum(1 for c in content.checks if not c.archival)
        del aggregations, listed, mets_bytes, content.files[:]     # room for the check's reading of METS.xml
        checked = verify_package(root, erms=validating.result)
        if checked.problems:
            raise NamndtoolError("Arkivpaketet klarade inte kontrollen efter skrivningen och har inte lämnats: "
                                 + "; ".join(checked.problems[:5]))
    try:
        record_rendered(store, rendered)
    except (NamndtoolError, OSError):
        pass    # the package is in place and whole; the copies are rendered again next time (archive.record_rendered)
    return Package(Path(out) / content.objid, content.objid, len(scope.arende_ids), len(scope.meeting_ids), files,
                   not_archival)


def _listing(content: _Content, report: bytes) -> list[mets.Listed]:
    """Every file of the package but METS.xml and the ERMS document, as METS lists them."""
    listed = [mets.Listed(placed.path, layout.REPRESENTATION_USE, placed.sha256, placed.size, placed.check.mimetype)
              for placed in content.files]
    listed.append(mets.Listed(layout.FORMAT_REPORT, "Documentation", hashlib.sha256(report).hexdigest(),
                              len(report), "text/plain"))
    for name in layout.SCHEMA_FILES:
        data = schema_path(name).read_bytes()
        listed.append(mets.Listed(f"{layout.SCHEMAS}/{name}", "Schemas", hashlib.sha256(data).hexdigest(),
                                  len(data), "application/xml"))
    return listed


def _write_erms(into, root: Path, content: _Content, agency: str, aggregations: list[_Later]) -> mets.Listed:
    """The ERMS document written to the package as its aggregations are made; returns it as METS lists it."""
    written = []

    def write(file) -> None:
        written.append(Digested(file))
        erms.write(written[0], content.objid, agency, content.created, (make() for make in aggregations))

    (root / layout.ERMS).parent.mkdir(parents=True)
    into.put_written(root / layout.ERMS, write)
    return mets.Listed(layout.ERMS, "", written[0].sha256.hexdigest(), written[0].size, "text/xml")


def _write_data(into, root: Path, files: list[_Placed]) -> None:
    """The representation's files written under ``root``, one at a time (four threads were no faster: the kernel
    makes the files)."""
    (root / layout.DATA).mkdir(parents=True)
    for placed in files:
        into.put(root / placed.path, placed.source)


def _write_metadata(into, root: Path, report: bytes, mets_bytes: bytes) -> None:
    """The format report, the schemas and METS.xml written under ``root``."""
    (root / layout.DOCUMENTATION).mkdir()
    into.put(root / layout.FORMAT_REPORT, report)
    (root / layout.SCHEMAS).mkdir()
    for name in layout.SCHEMA_FILES:
        into.put(root / layout.SCHEMAS / name, schema_path(name))
    into.put(root / layout.METS, mets_bytes)


def _refuse_public_folder(out: Path) -> None:
    """A package holds secret ärenden: never written into (or under) a folder the anslagstavla publishes, known
    by the manifest the program keeps there."""
    from nämndtool.anslagstavla.folder import MANIFEST

    target = Path(out).resolve()
    for folder in (target, *target.parents):
        if (folder / MANIFEST).exists():
            raise NamndtoolError(
                f"Arkivpaket skrivs inte till {out}: {folder} är en publicerad anslagstavla, och paketet "
                "innehåller sekretessuppgifter. Välj en mapp som bara arkivet och registratorn når.")


# --- the three scopes ----------------------------------------------------------------------------------------

def _refuse_partial_view(store: Store) -> None:
    """The archive keeps everything: a login that row-level security hides secret rows from would deliver a
    package that looks complete and is not, so it delivers nothing."""
    if not store.sees_every_secret():
        raise NamndtoolError(
            "Arkivleveransen görs inte: med din roll syns inte alla sekretessärenden, så paketet skulle sakna "
            "uppgifter utan att det märks. Arkivleveranser görs av någon med rollen arkivarie eller sekreterare; "
            "be den som sköter registret om rollen.")


def export_arende(store: Store, arende_id: int, out: Path, today: dt.date | None = None,
                  branding: Branding | None = None) -> Package:
    _refuse_partial_view(store)
    arende = store.arende(arende_id)
    namnd = store.namnd_by_kod(arende["namnd_kod"])
    delegations = [d for d in store.delegationsbeslut(namnd["id"]) if d["arende_id"] == arende_id]
    name = _safe((arende["diarienummer"] or "").split("/", 1)[-1].replace(":", "-"))
    return _deliver(store, _Scope(namnd, name, [arende_id], [], delegations), out, today, branding)


def export_year(store: Store, namnd_id: int, year: int, out: Path, today: dt.date | None = None,
                branding: Branding | None = None) -> Package:
    _refuse_partial_view(store)
    namnd = next((n for n in store.namnder() if n["id"] == namnd_id), None)
    if namnd is None:
        raise NamndtoolError(f"Nämnden med id {namnd_id} finns inte i registret.")
    arenden = store.closed_arenden(namnd_id, year)
    meetings = store.justerade_meetings(namnd_id, year)
    delegations = [d for d in store.delegationsbeslut(namnd_id) if d["datum"][:4] == f"{year:04d}"]
    if not (arenden or meetings or delegations):
        raise NamndtoolError(f"Det finns inget att arkivera från {year}: inga avslutade ärenden, justerade "
                             "protokoll eller delegationsbeslut.")
    return _deliver(store, _Scope(namnd, f"ar-{year}", arenden, meetings, delegations), out, today, branding)


def export_meeting(store: Store, meeting_id: int, out: Path, today: dt.date | None = None,
                   branding: Branding | None = None) -> Package:
    _refuse_partial_view(store)
    meeting = store.meeting(meeting_id)
    if not store.is_justerat(meeting_id):
        raise NamndtoolError(f"Sammanträdet {_meeting_label(meeting)} är inte justerat. Ett protokoll arkiveras "
                             "först när det är justerat.")
    namnd = store.namnd_by_kod(meeting["namnd_kod"])
    arenden = list(dict.fromkeys(p["arende_id"] for p in store.protokoll(meeting_id)["paragrafer"]
                                 if p["arende_id"] and p["diarienummer"]))
    delegations = store.delegationsbeslut(namnd["id"], reported_at=meeting_id)
    return _deliver(store, _Scope(namnd, f"sammantrade-{meeting['datum']}", arenden, [meeting_id], delegations),
                    out, today, branding)
