"""Checking an archive package on disk (E-ARK SIP as FGS Paketstruktur 2.0): METS.xml valid and complete, every
listed file present, unchanged and inside the package, nothing unlisted, the ERMS document valid and its appendices
listed. Every problem found is reported, in Swedish, naming the file concerned.

A package is untrusted input: an href that could leave the package is reported and never opened, a symbolic link is
reported and never followed, XML is parsed without entities or network, and the schemas are always the program's
own (``schemas``), never the package's copies in schemas/."""

import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Callable, NamedTuple
from urllib.parse import unquote, urlsplit

from lxml import etree

from nämndtool.earkiv import layout, schemas
from nämndtool.errors import NamndtoolError
from nämndtool.store.files import sha256_of

_NS = {"m": schemas.METS_NS}
_HREF = f"{{{schemas.XLINK_NS}}}href"
_CSIP_OAISPACKAGETYPE = f"{{{schemas.CSIP_NS}}}OAISPACKAGETYPE"
_CSIP_OTHERTYPE = f"{{{schemas.CSIP_NS}}}OTHERTYPE"


@dataclass(frozen=True)
class Verification:
    """What checking one package found; ``problems`` is empty when the package is sound."""
    folder: Path
    objid: str | None
    files: int
    problems: list[str]


@dataclass(frozen=True)
class ErmsChecked:
    """What validating an ERMS document's bytes found, and their SHA-256 (see :func:`erms_checked`)."""
    sha256: str
    problems: list[str]


class _Listed(NamedTuple):
    """One file METS.xml lists (a fileSec file's FLocat or an mdRef): its href and the attributes to check."""
    href: str
    size: str | None
    checksum: str | None
    checksumtype: str | None


def verify(path: Path) -> list[Verification]:
    """Check the package in ``path``, or, when ``path`` holds no METS.xml, every direct subfolder that does."""
    path = Path(path)
    if not path.exists():
        raise NamndtoolError(f"{path} finns inte. Ange paketets mapp eller mappen som innehåller paketen.")
    if (path / layout.METS).is_file():
        return [verify_package(path)]
    folders = sorted((p for p in path.iterdir() if p.is_dir() and (p / layout.METS).is_file()),
                     key=lambda p: p.name) if path.is_dir() else []
    if not folders:
        raise NamndtoolError(f"{path} innehåller inget arkivpaket (ingen {layout.METS}). Ange paketets mapp eller "
                             "mappen som innehåller paketen.")
    return [verify_package(folder) for folder in folders]


def verify_package(folder: Path, erms: Callable[[], ErmsChecked] | None = None) -> Verification:
    """Check one package folder; see the module's description for what is checked. ``erms`` is for the program's
    own export, which validates the ERMS document's bytes while it writes the package: it gives that result, used
    when the written document has the SHA-256 of the bytes validated (they are then the same bytes)."""
    folder = Path(folder)
    if (folder / layout.METS).is_symlink():
        return Verification(folder, None, 0, [f"{layout.METS} är en symbolisk länk; länken har inte följts."])
    root, problems = _read_xml(folder / layout.METS, layout.METS)
    if root is None:
        return Verification(folder, None, 0, problems)
    problems += schemas.mets_problems(root, layout.METS)
    problems += _csip_problems(root, folder)
    listed, listing_problems = _listed(root)
    problems += listing_problems
    checked: dict[str, bool] = {}
    for entry in listed:    # one thread: four were slower on two cores (8.3 s against 5.9 s for a year)
        problems += _entry_problems(str(folder), entry, checked)
    problems += _unlisted(folder, {_key(unquote(entry.href)) for entry in listed})
    problems += _erms_problems(root, folder, erms)
    return Verification(folder, root.get("OBJID"), len(listed), problems)


def erms_checked(path: Path, name: str, in_filesec: set[str]) -> ErmsChecked:
    """The ERMS document at ``path`` (called ``name``) checked as :func:`verify_package` checks a package's: valid
    against the schema and the Schematron, each appendix one of the files ``in_filesec`` (hrefs as in METS's
    fileSec); with the SHA-256 of exactly the bytes checked."""
    with open(path, "rb") as file:
        reading = Digested(file)
        problems = _erms_document_problems(reading, name, {_key(unquote(href)) for href in in_filesec})
        while reading.read(1 << 20):    # what the parser left unread (after an error) counts too
            pass
    return ErmsChecked(reading.sha256.hexdigest(), problems)


class Digested:
    """A binary file being read or written, with the SHA-256 and size of what has gone through."""

    def __init__(self, file: BinaryIO):
        self.file, self.sha256, self.size = file, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self._count(data)
        return data

    def write(self, data: bytes) -> None:
        self._count(data)
        self.file.write(data)

    def _count(self, data: bytes) -> None:
        self.sha256.update(data)
        self.size += len(data)


def _read_xml(path: Path, where: str) -> tuple[etree._Element | None, list[str]]:
    """The document at ``path`` (METS.xml), without the whitespace between its elements (a year's METS.xml is
    13 MB smaller in memory so, and the schema does not look at it), or why it cannot be read."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_blank_text=True)
    try:
        with path.open("rb") as file:
            return etree.parse(file, parser).getroot(), []
    except etree.XMLSyntaxError as error:
        return None, [f"{where} är inte välformad XML: {error}"]
    except FileNotFoundError:
        return None, [f"{where} saknas i paketet."]
    except OSError as error:
        return None, [f"{where} kan inte läsas ({error.strerror or error})."]


def _csip_problems(root: etree._Element, folder: Path) -> list[str]:
    """The E-ARK CSIP requirements the METS schema leaves open."""
    problems = _objid_problems(root.get("OBJID"), folder)
    for attribute, meaning in (("TYPE", "innehållstyp"), ("PROFILE", "profil")):
        if not root.get(attribute):
            problems.append(f"{layout.METS} saknar {meaning} (mets/@{attribute}).")
    header = root.find("m:metsHdr", _NS)
    if header is None or not header.get(_CSIP_OAISPACKAGETYPE):
        problems.append(f"{layout.METS} saknar pakettyp (metsHdr/@csip:OAISPACKAGETYPE).")
    if header is None or not any(_is_creator_software(agent) for agent in header.iterfind("m:agent", _NS)):
        problems.append(f"{layout.METS} saknar programmet som skapade paketet (metsHdr/agent med ROLE=”CREATOR”, "
                        "TYPE=”OTHER”, OTHERTYPE=”SOFTWARE” och ett namn).")
    if not any(s.get("TYPE") == "PHYSICAL" and s.get("LABEL") == "CSIP" for s in root.iterfind("m:structMap", _NS)):
        problems.append(f"{layout.METS} saknar den fysiska strukturkartan (structMap med TYPE=”PHYSICAL” och "
                        "LABEL=”CSIP”).")
    return problems


def _objid_problems(objid: str | None, folder: Path) -> list[str]:
    if not objid:
        return [f"{layout.METS} saknar paketets identitet (mets/@OBJID)."]
    if _nfc(objid) != _nfc(folder.name):
        return [f"Paketets identitet i {layout.METS} (OBJID ”{objid}”) är inte densamma som mappens namn "
                f"”{folder.name}”."]
    return []


def _is_creator_software(agent: etree._Element) -> bool:
    """CSIP10–14; OTHERTYPE is METS's own attribute, csip:OTHERTYPE is accepted too."""
    name = agent.findtext("m:name", namespaces=_NS)
    other = agent.get("OTHERTYPE") or agent.get(_CSIP_OTHERTYPE)
    return (agent.get("ROLE") == "CREATOR" and agent.get("TYPE") == "OTHER" and other == "SOFTWARE"
            and bool(name and name.strip()))


def _listed(root: etree._Element) -> tuple[list[_Listed], list[str]]:
    """Every file METS.xml lists: each fileSec file's FLocat and every mdRef (dmdSec, amdSec)."""
    listed, problems = [], []
    for file in root.iterfind(".//m:fileSec//m:file", _NS):
        locations = file.findall("m:FLocat", _NS)
        if len(locations) != 1 or not locations[0].get(_HREF):
            problems.append(f"Filen med ID ”{file.get('ID')}” i {layout.METS} ska ha precis en FLocat med "
                            "sökväg (xlink:href).")
        listed += [_entry(file, location.get(_HREF)) for location in locations if location.get(_HREF)]
    for reference in root.iterfind(".//m:mdRef", _NS):
        if reference.get(_HREF):
            listed.append(_entry(reference, reference.get(_HREF)))
        else:
            problems.append(f"En mdRef i {layout.METS} saknar sökväg (xlink:href).")
    return listed, problems


def _entry(element: etree._Element, href: str) -> _Listed:
    return _Listed(href, element.get("SIZE"), element.get("CHECKSUM"), element.get("CHECKSUMTYPE"))


def _entry_problems(folder: str, entry: _Listed, checked: dict[str, bool]) -> list[str]:
    """The listing's own attributes, then the file: safe to open, present, the listed size and SHA-256."""
    problems = _attribute_problems(entry)
    path, refusal = _safe_path(folder, entry.href, checked)
    if path is None:
        return problems + [refusal]
    name = unquote(entry.href)
    try:
        return problems + _content_problems(path, name, entry)
    except OSError as error:
        return problems + [f"{name} kan inte läsas ({error.strerror or error})."]


def _content_problems(path: str, name: str, entry: _Listed) -> list[str]:
    """Present, a regular file (not a link: never followed), the listed size, the listed SHA-256 (not hashed when
    the size already differs). One lstat and one read per file: a year's package lists 26 000 of them, so paths
    are plain strings here (pathlib's objects cost a second of a year's check)."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return [f"{name} saknas i paketet."]
    if stat.S_ISLNK(found.st_mode):
        return [f"{name} är en symbolisk länk; länken har inte följts."]
    if not stat.S_ISREG(found.st_mode):
        return [f"{name} är inte en vanlig fil."]
    if entry.size is not None and entry.size.isdigit() and found.st_size != int(entry.size):
        return [f"{name} har storleken {found.st_size} byte men {layout.METS} anger {entry.size}."]
    if entry.checksumtype == "SHA-256" and entry.checksum:
        if sha256_of(path) != entry.checksum.lower():
            return [f"{name} har ändrats: kontrollsumman (SHA-256) stämmer inte med {layout.METS}."]
    return []


def _attribute_problems(entry: _Listed) -> list[str]:
    name = unquote(entry.href)
    problems = []
    if entry.checksumtype != "SHA-256":
        problems.append(f"{name}: {layout.METS} anger kontrollsummetypen ”{entry.checksumtype or ''}”, "
                        "men paketet ska använda SHA-256 (CHECKSUMTYPE).")
    if not entry.checksum:
        problems.append(f"{name}: {layout.METS} anger ingen kontrollsumma (CHECKSUM).")
    if entry.size is None or not entry.size.isdigit():
        problems.append(f"{name}: {layout.METS} anger ingen giltig storlek (SIZE).")
    return problems


def _safe_path(folder: str, href: str, checked: dict[str, bool]) -> tuple[str | None, str | None]:
    """The file ``href`` names (a path string), or None and why it must not be opened."""
    name = unquote(href)
    reason = _unsafe_reason(name)
    if reason is None:
        link = _first_link(folder, name, checked)   # relative, no "..", no link on the way: it stays inside
        if link is not None:
            return None, f"{link} är en symbolisk länk; länken har inte följts."
    if reason is not None:
        return None, f"Sökvägen ”{href}” i {layout.METS} {reason}; filen har inte öppnats."
    return os.path.join(folder, name), None


def _first_link(folder: str, name: str, checked: dict[str, bool]) -> str | None:
    """The first symbolic link among the folders on the way from ``folder`` to ``name`` (relative to ``folder``),
    each looked at once per package (``checked``: relative path → is a link); the file itself is looked at when
    it is read."""
    parts = [part for part in name.split("/")[:-1] if part not in ("", ".")]
    for n in range(1, len(parts) + 1):
        relative = "/".join(parts[:n])
        if relative not in checked:
            checked[relative] = os.path.islink(os.path.join(folder, relative))
        if checked[relative]:
            return relative
    return None


def _unsafe_reason(name: str) -> str | None:
    if "\\" in name:
        return "innehåller bakstreck (\\), men sökvägar i paketet skrivs med snedstreck (/)"
    if "\x00" in name:
        return "innehåller ett nolltecken"
    if name.startswith("/") or urlsplit(name).scheme or ".." in name.split("/"):
        return "pekar utanför paketet"
    if not PurePosixPath(name).parts:
        return "är tom"
    return None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _key(name: str) -> str:
    """A package-relative path as compared between METS.xml and the folder: '/'-separated, NFC (a Mac may hand
    back decomposed names)."""
    if "//" in name or name.startswith("./") or "/./" in name:
        name = PurePosixPath(name).as_posix()
    return _nfc(name)


def _unlisted(folder: Path, listed: set[str]) -> list[str]:
    """Every file (or symbolic link) in the package that METS.xml does not list; empty folders are fine."""
    problems = []
    top = str(folder)
    for directory, subfolders, files in os.walk(top):
        links = [name for name in subfolders if os.path.islink(os.path.join(directory, name))]
        inside = os.path.relpath(directory, top).replace(os.sep, "/")
        for name in sorted(files + links):
            relative = name if inside == "." else f"{inside}/{name}"
            if relative != layout.METS and _key(relative) not in listed:
                problems.append(f"{relative} finns i paketet men är inte förtecknad i {layout.METS}.")
    return problems


def _erms_problems(root: etree._Element, folder: Path, known: Callable[[], ErmsChecked] | None) -> list[str]:
    """The ERMS document valid against the shipped schema and Schematron, and every appendix a listed file."""
    reference = root.find("m:dmdSec/m:mdRef[@OTHERMDTYPE='ERMS']", _NS)
    if reference is None or not reference.get(_HREF):
        return [f"{layout.METS} hänvisar inte till något ERMS-dokument (dmdSec/mdRef med OTHERMDTYPE=”ERMS”)."]
    path, _refusal = _safe_path(str(folder), reference.get(_HREF), {})
    if path is None or not os.path.isfile(path) or os.path.islink(path):
        return []     # already reported with the listed files
    name = unquote(reference.get(_HREF))
    if known is not None:
        found = known()
        if sha256_of(path) == found.sha256:
            return found.problems
    in_filesec = {_key(unquote(href)) for href in
                  root.xpath(".//m:fileSec//m:file/m:FLocat/@xlink:href",
                             namespaces={**_NS, "xlink": schemas.XLINK_NS})}
    return _erms_document_problems(Path(path), name, in_filesec)


def _erms_document_problems(source: Path | BinaryIO, name: str, in_filesec: set[str]) -> list[str]:
    appendices: list[str] = []
    problems = schemas.erms_problems(source, name, appendices)
    for target in appendices:
        if _key(unquote(target)) not in in_filesec:
            problems.append(f"{name}: bilagan ”{target}” (appendix/@path) är inte en fil som {layout.METS} "
                            "förtecknar.")
    return problems
