"""Which files of a package are in an archival format, and the package's format report (documentation/
Formatkontroll.txt) that tells the archivist which are not and why.

A file is archival when it is a PDF that declares a PDF/A level in its XMP metadata (pdfaid:part and
pdfaid:conformance) and passes that level in page-validation (the validator the program checks its own PDF/A-2a
and PDF/UA-1 output with). Everything else is reported: a PDF without a PDF/A declaration, a PDF that fails the
level it declares (with the number of failed rules and the first rule), a PDF that cannot be read, and every
other format (Word, Excel, images, text, ...), identified from its bytes, not from its name.

Each file is validated once, against the level it declares only: page-validation checks the declaration itself
(a PDF/A-2a validated as 2b fails PDFA2B-ID-CONFORMANCE-001), so no other level would pass anyway. Its
``profile=None`` reads the declaration on its own, but refuses a file that declares both PDF/A and PDF/UA (as
the program's own PDFs do), so the declaration is read here with pikepdf. A PDF without a declaration is not
validated at all.

Results are kept by SHA-256 for the process (the same bilaga is often in many ärenden), at most
``CACHE_ENTRIES`` of them, the least recently used dropped first.

Measured (page-validation 0.11.0, pikepdf, the development machine's two cores, shared; ``check`` as a whole,
median of warm runs, nothing cached):

- a one-page PDF/A-2a the program writes (bilaga_saknas.xml, 35 kB): 4.9 ms, of which page-validation 4.2 ms and
  pikepdf reading the declaration 0.5 ms. The validator's time grows with the content: the sample meeting's
  other one-page documents 4.3-7.4 ms, two-page tjänsteskrivelser 8-13 ms, the seven-page protokoll (94 kB)
  16-21 ms. So over 5 ms a file: 1000 of the sample meeting's documents take 9.0 s in ``check_all`` on one
  thread, 5.5 s on two (page-validation releases the GIL);
- a PDF without PDF/A declaration (the demo bilagor, 25-150 kB): 0.3-2 ms, pikepdf only (no validation; as PDF/A-2b
  they would take 1.5-45 ms, the 150 kB årsredovisning 45 ms);
- a Word file, an image, a text file: well under 0.1 ms; a cache hit: about 5 µs.
"""

from __future__ import annotations

import codecs
import io
import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

CACHE_ENTRIES = 4096
"""How many results are kept by SHA-256 (each a few hundred bytes)."""

_CHUNK = 1 << 20
_HEAD = 8192


@dataclass(frozen=True)
class FormatCheck:
    path: str            # the file's path inside the package ('/'-separated)
    sha256: str
    size: int
    mimetype: str        # e.g. application/pdf, image/jpeg, text/plain, application/octet-stream
    format: str          # how an archivist reads it, in Swedish: "PDF/A-2a", "PDF 1.7", "Word-dokument (docx)", ...
    archival: bool       # True when the file passes the PDF/A level it declares
    problem: str | None  # Swedish, when not archival: what is wrong, so the archivist can act


@dataclass(frozen=True)
class _Found:
    """What the content is, without the path it was found at: what the cache keeps."""
    size: int
    mimetype: str
    format: str
    archival: bool
    problem: str | None


_cache: OrderedDict[str, _Found] = OrderedDict()
_cache_lock = threading.Lock()


def check(path: str, sha256: str, content: bytes | Path) -> FormatCheck:
    """The format of one file of a package: ``path`` inside the package, ``sha256`` its content's checksum (as the
    store knows it: not computed again, and the key of the cache), ``content`` its bytes or the path of the file
    on disk (then read only as far as needed; the validator reads a PDF itself). Never raises for what the content
    is: a broken or unknown file is a problem in the result."""
    with _cache_lock:
        found = _cache.get(sha256)
        if found is not None:
            _cache.move_to_end(sha256)
    if found is None:
        found = _examine(path, content)
        with _cache_lock:
            _cache[sha256] = found
            while len(_cache) > CACHE_ENTRIES:
                _cache.popitem(last=False)
    return FormatCheck(path, sha256, found.size, found.mimetype, found.format, found.archival, found.problem)


def check_all(files: Iterable[tuple[str, str, bytes | Path]], workers: int | None = None) -> list[FormatCheck]:
    """``check`` for each (path, sha256, content), in that order, on ``workers`` threads (default: one per CPU,
    at most 8): page-validation releases the GIL, so the validations run in parallel. Each checksum not yet in the
    cache is examined once however often it occurs."""
    files = list(files)
    first: dict[str, tuple[str, bytes | Path]] = {}
    for path, sha256, content in files:
        first.setdefault(sha256, (path, content))
    with _cache_lock:
        missing = [(path, sha256, content) for sha256, (path, content) in first.items() if sha256 not in _cache]
    workers = workers or min(8, os.cpu_count() or 1)
    if len(missing) > 1 and workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda item: check(*item), missing))
    return [check(path, sha256, content) for path, sha256, content in files]


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


# --- identifying the content ------------------------------------------------------------------------------------


def _examine(path: str, content: bytes | Path) -> _Found:
    size = len(content) if isinstance(content, (bytes, bytearray)) else Path(content).stat().st_size
    head = _head(content)
    if size == 0:
        return _Found(0, "application/octet-stream", "tom fil", False, "filen är tom (0 byte)")
    if b"%PDF-" in head[:1024]:
        return _pdf(content, head, size)
    mimetype, shown, advice = _identify(content, head, path)
    if _suffix(path) == ".pdf":
        advice += " (filnamnet slutar på .pdf, men innehållet är ingen PDF)"
    return _Found(size, mimetype, shown, False, advice)


def _head(content: bytes | Path) -> bytes:
    if isinstance(content, (bytes, bytearray)):
        return bytes(content[:_HEAD])
    with open(content, "rb") as handle:
        return handle.read(_HEAD)


def _suffix(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


_CONVERT = "inget arkivformat för slutarkivet: konvertera filen till PDF/A eller be om en PDF/A-version"
_ASK_ARCHIVE = "inte PDF/A: kontrollera att e-arkivet tar emot formatet, annars konvertera filen till PDF/A"
_UNKNOWN = ("application/octet-stream", "okänt format",
            "okänt format: filens innehåll kunde inte identifieras, så den kan inte bevaras som den är")

_IMAGES = (  # (magic at the start, mimetype, format)
    (b"\xff\xd8\xff", "image/jpeg", "JPEG-bild"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG-bild"),
    (b"II*\x00", "image/tiff", "TIFF-bild"),
    (b"MM\x00*", "image/tiff", "TIFF-bild"),
    (b"GIF87a", "image/gif", "GIF-bild"),
    (b"GIF89a", "image/gif", "GIF-bild"),
)

# Legacy Office files are OLE compound files: which one it is, the name tells (the content only deep inside).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_BY_SUFFIX = {
    ".doc": ("application/msword", "Word-dokument (doc, äldre format)"),
    ".xls": ("application/vnd.ms-excel", "Excel-arbetsbok (xls, äldre format)"),
    ".ppt": ("application/vnd.ms-powerpoint", "PowerPoint-presentation (ppt, äldre format)"),
    ".msg": ("application/vnd.ms-outlook", "Outlook-meddelande (msg)"),
}


def _identify(content: bytes | Path, head: bytes, path: str) -> tuple[str, str, str]:
    """(mimetype, format, problem) of a file that is no PDF."""
    for magic, mimetype, shown in _IMAGES:
        if head.startswith(magic):
            return mimetype, shown, f"{shown}, {_ASK_ARCHIVE}"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp", "WebP-bild", f"WebP-bild, {_CONVERT}"
    if head.startswith(b"PK\x03\x04"):
        return _zip(content)
    if head.startswith(_OLE_MAGIC):
        mimetype, shown = _OLE_BY_SUFFIX.get(
            _suffix(path), ("application/x-ole-storage", "Microsoft Office-fil (äldre binärt format)"))
        return mimetype, shown, f"{shown}, {_CONVERT}"
    if head.startswith(b"{\\rtf"):
        return "application/rtf", "RTF-dokument", f"RTF-dokument, {_CONVERT}"
    text = _text_encoding(content)
    if text is None:
        return _UNKNOWN
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if start.startswith(b"<?xml"):
        return "application/xml", "XML-fil", f"XML-fil, {_ASK_ARCHIVE}"
    if start.startswith((b"<!doctype html", b"<html")):
        return "text/html", "HTML-fil", f"HTML-fil, {_CONVERT}"
    shown = "Textfil (UTF-8)" if text == "utf-8" else "Textfil (inte UTF-8)"
    return "text/plain", shown, f"{shown}, {_ASK_ARCHIVE}"


# Bytes that never occur in text: controls other than tab, line feed, form feed and carriage return.
_CONTROLS = bytes(b for b in (*range(32), 127) if b not in b"\t\n\f\r")
_NOT_CONTROLS = bytes(b for b in range(256) if b not in _CONTROLS)


def _text_encoding(content: bytes | Path) -> str | None:
    """"utf-8" when the whole content is UTF-8 text, "8-bit" when it is text in some other (8-bit) encoding, None
    when it is no text (it holds control bytes). Read in chunks: a large file is never held whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    for chunk, last in _chunks(content):
        if chunk.translate(None, _NOT_CONTROLS):
            return None
        if utf8:
            try:
                decoder.decode(chunk, final=last)
            except UnicodeDecodeError:
                utf8 = False
    return "utf-8" if utf8 else "8-bit"


def _chunks(content: bytes | Path):
    if isinstance(content, (bytes, bytearray)):
        view = memoryview(content)
        for start in range(0, len(view), _CHUNK):
            yield bytes(view[start:start + _CHUNK]), start + _CHUNK >= len(view)
        return
    with open(content, "rb") as handle:
        chunk = handle.read(_CHUNK)
        while chunk:
            following = handle.read(_CHUNK)
            yield chunk, not following
            chunk = following


_OOXML = {  # the main part → (mimetype, format; the macro-enabled variant's)
    "word/document.xml": (
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word-dokument (docx)"),
        ("application/vnd.ms-word.document.macroEnabled.12", "Word-dokument med makron (docm)")),
    "xl/workbook.xml": (
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel-arbetsbok (xlsx)"),
        ("application/vnd.ms-excel.sheet.macroEnabled.12", "Excel-arbetsbok med makron (xlsm)")),
    "ppt/presentation.xml": (
        ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "PowerPoint-presentation (pptx)"),
        ("application/vnd.ms-powerpoint.presentation.macroEnabled.12", "PowerPoint-presentation med makron (pptm)")),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": "OpenDocument-text (odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument-kalkylblad (ods)",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument-presentation (odp)",
    "application/vnd.oasis.opendocument.graphics": "OpenDocument-teckning (odg)",
}
_SMALL_PART = 1 << 20
"""The largest [Content_Types].xml or mimetype entry read (both are a few hundred bytes in a real file)."""


def _zip(content: bytes | Path) -> tuple[str, str, str]:
    """Office Open XML (docx, xlsx, pptx), OpenDocument (odt, ods, odp) or any other zip file."""
    try:
        with zipfile.ZipFile(io.BytesIO(content) if isinstance(content, (bytes, bytearray)) else content) as archive:
            entries = {info.filename: info for info in archive.infolist()}
            if "[Content_Types].xml" in entries:
                for part, (plain, macro) in _OOXML.items():
                    if part in entries:
                        types = entries["[Content_Types].xml"]
                        declared = archive.read(types) if types.file_size <= _SMALL_PART else b""
                        mimetype, shown = macro if b"macroEnabled" in declared else plain
                        return mimetype, shown, f"{shown}, {_CONVERT}"
                return ("application/zip", "Office Open XML-fil (okänd typ)",
                        f"Office Open XML-fil (okänd typ), {_CONVERT}")
            if "mimetype" in entries and entries["mimetype"].file_size <= _SMALL_PART:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF:
                    return mimetype, _ODF[mimetype], f"{_ODF[mimetype]}, {_CONVERT}"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        return "application/zip", "ZIP-fil", "ZIP-filen kan inte läsas (den är skadad eller ofullständig)"
    return ("application/zip", "ZIP-arkiv",
            "ZIP-arkiv, inget arkivformat: packa upp det och lämna filerna i arkivformat var för sig")


# --- PDF --------------------------------------------------------------------------------------------------------

_PDFA_LEVELS = {"1": "ab", "2": "abu", "3": "abu"}
"""The PDF/A parts and conformance levels page-validation checks (its profiles "1a" ... "3u")."""


def _pdf(content: bytes | Path, head: bytes, size: int) -> _Found:
    import page   # loaded on first use, as in store.files: most runs check no file

    def found(shown: str, archival: bool, problem: str | None) -> _Found:
        return _Found(size, "application/pdf", shown, archival, problem)

    version = _header_version(head)
    shown = f"PDF {version}" if version else "PDF"
    try:
        part, conformance = _pdfa_claim(content)
    except _PasswordNeeded:
        return found(shown, False, "PDF-filen är lösenordsskyddad och kan inte öppnas eller kontrolleras")
    except Exception:   # noqa: BLE001 — whatever pikepdf cannot open is a PDF nobody can read
        return found(shown, False, "PDF-filen kan inte läsas (den är skadad eller ofullständig)")
    if not part:
        return found(shown, False, "inte PDF/A (ingen PDF/A-deklaration i XMP)")
    claimed = f"PDF/A-{part}{conformance.lower()}"
    if part not in _PDFA_LEVELS or not conformance or conformance.lower() not in _PDFA_LEVELS[part]:
        declared = f"PDF/A-{part}{conformance.lower()}" if len(part + conformance) <= 8 else "en okänd nivå"
        return found(f"{shown}, anger {declared}", False,
                     f"anger {declared}, som page-validation {page.__version__} inte kan kontrollera "
                     "(den kontrollerar PDF/A-1a, 1b, 2a, 2b, 2u, 3a, 3b och 3u)")
    limit = page.SafetyLimits.DEFAULT_MAX_INPUT_SIZE
    if size > limit:
        return found(f"{shown}, anger {claimed}", False,
                     f"anger {claimed} men är för stor för att kontrolleras (över {limit // (1024 * 1024)} MB)")
    profile = f"{part}{conformance.lower()}"
    try:
        if isinstance(content, (bytes, bytearray)):
            result = page.validate_pdf_bytes(content, profile=profile)
        else:   # the validator reads the file itself: a large bilaga is never held in Python's memory
            result = page.validate_pdf(content, profile=profile)
    except page.SafetyLimitError:
        return found(f"{shown}, anger {claimed}", False,
                     f"anger {claimed} men är för stor eller för komplex för att kontrolleras")
    except Exception:   # noqa: BLE001 — a PDF the validator cannot parse (page.ParseError or worse)
        return found(f"{shown}, anger {claimed}", False,
                     f"anger {claimed}, men PDF-filen kan inte läsas (den är skadad eller ofullständig)")
    if result.is_compliant:
        return found(claimed, True, None)
    failed = result.rules.failed or len({failure.rule_id for failure in result.failures}) or 1
    first = result.failures[0].rule_id if result.failures else None
    if failed == 1:
        rules = f"1 regel ({first})" if first else "1 regel"
    else:
        rules = f"{failed} regler, bland annat {first}" if first else f"{failed} regler"
    return found(f"{shown}, anger {claimed}", False, f"anger {claimed} men klarar inte {rules}")


def _header_version(head: bytes) -> str | None:
    start = head.find(b"%PDF-")
    version = head[start + 5:start + 8]
    if len(version) == 3 and version[:1].isdigit() and version[1:2] == b"." and version[2:].isdigit():
        return version.decode("ascii")
    return None


class _PasswordNeeded(Exception):
    pass


def _pdfa_claim(content: bytes | Path) -> tuple[str, str]:
    """(pdfaid:part, pdfaid:conformance) of the PDF's XMP metadata, ("", "") when it declares none."""
    import pikepdf   # here, not at the top, as in pdfcheck: few runs need it

    source = io.BytesIO(content) if isinstance(content, (bytes, bytearray)) else content
    try:
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError as error:
        raise _PasswordNeeded from error
    with pdf:
        if "/Metadata" not in pdf.Root:
            return "", ""
        metadata = pdf.open_metadata(set_pikepdf_as_editor=False)
        return str(metadata.get("pdfaid:part", "")).strip(), str(metadata.get("pdfaid:conformance", "")).strip()


# --- the report -------------------------------------------------------------------------------------------------


def report(checks: list[FormatCheck], objid: str, created: str) -> str:
    """The text of documentation/Formatkontroll.txt (Swedish, plain text): how many files were checked and how many
    are in archival format, each that is not with what the archivist needs to act on it, and how it was checked."""
    import page

    not_archival = [c for c in checks if not c.archival]
    title = f"Formatkontroll för paketet {objid}"
    lines = [title, "=" * len(title), "", f"Skapad: {created}", "",
             f"Kontrollerade filer: {len(checks)}",
             f"I arkivformat: {len(checks) - len(not_archival)}",
             f"Inte i arkivformat: {len(not_archival)}", ""]
    if not checks:
        lines.append("Paketet innehåller inga filer att kontrollera.")
    elif not not_archival:
        lines.append("Alla filer i paketet är i arkivformat (PDF/A som klarar den nivå filen anger)."
                     if len(checks) > 1 else "Paketets fil är i arkivformat (PDF/A som klarar den nivå den anger).")
    else:
        formats: dict[str, int] = {}
        for c in checks:
            formats[c.format] = formats.get(c.format, 0) + 1
        lines += ["Format i paketet", "-" * len("Format i paketet")]
        lines += [f"{_number(count)} st.  {shown}" for shown, count in sorted(formats.items(),
                                                                           key=lambda item: (-item[1], item[0]))]
        heading = "Filer som inte är i arkivformat"
        lines += ["", heading, "-" * len(heading)]
        for c in not_archival:
            lines += ["", f"Fil:      {c.path}", f"Format:   {c.format}", f"Storlek:  {_size(c.size)}",
                      f"SHA-256:  {c.sha256}", f"Problem:  {c.problem or 'inte i arkivformat'}"]
    lines += ["", f"Kontrollerat med page-validation {page.__version__} mot den PDF/A-nivå filen anger."]
    return "\n".join(lines) + "\n"


def _number(value: int) -> str:
    """Swedish digit grouping: 151 804."""
    return f"{value:,}".replace(",", " ")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} byte"
    shown = f"{size / 1024:.0f} kB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{_number(size)} byte ({shown})"
