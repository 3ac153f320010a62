"""The reading half of the secrecy gate: every piece of text a public output holds, read back after it is written.

Each public file (PDF, DOCX, .eml e-mail draft, JSON exchange file) is read with other extractors than the ones
that wrote it (reportlab and pikepdf write PDFs, python-docx writes DOCX), and the gate searches every ``Piece``
for secrets. Whatever is not extracted here is a leak the gate cannot see, so the readers are deliberately
redundant. A PDF gives its page text from PDFium and, from pikepdf, every string and name of every object in the
file (annotations, form fields, actions, document information, bookmarks, page labels, layers ...), the text drawn
by every page and form content stream (appearance streams included, decoded through ToUnicode maps), XMP, scripts,
embedded files read recursively by type, earlier revisions left by incremental updates and readable bytes outside
the objects. A DOCX gives every XML part (text joined per paragraph, as shown and as before tracked changes, and
every other text node and attribute value) and its embedded files; an e-mail its headers, texts and attachments; a
JSON file every key and every string or number with its path.

A file that cannot be read completely raises ``Unreadable`` (fail closed); no other exception escapes ``pieces``
for bad input. ``Piece.where`` is a Swedish place for an error message. It never holds the text found there, with
one exception the format asks for: an attached or embedded file is named by its file name.

Speed, measured on the development machine (a 2-core container, Python 3.11, pikepdf 10.0, pypdfium2 5.1): a
700-page reportlab PDF with 45 lines of text a page (600 kB) is read in 0.9-1.1 s, of which PDFium's text pages take
about 0.6 s and pikepdf's object walk and content-stream parse about 0.35 s; the demo meeting's public pack (75
pages, 1.1 MB) in 0.3-0.4 s. tests/test_extract.py prints the 700-page figure (run pytest with -s).
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.policy
import html
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass

import pikepdf
import pypdfium2

from lxml import etree
from lxml import html as lxml_html
from pikepdf import ObjectType

from nämndtool.pdfium import LOCK as PDFIUM

MAX_UNPACKED = 200 * 1024 * 1024
"""Most bytes a zip may unpack to, and a single PDF stream decompress to, before the file is refused as a bomb."""

MAX_DEPTH = 5
"""Most levels of files inside files (a PDF in an e-mail in a DOCX ...) that are read."""

MAX_ZIP_PARTS = 20_000
MAX_REVISIONS = 10

_KINDS = {".pdf": "pdf", ".docx": "docx", ".eml": "eml", ".json": "json"}


@dataclass(frozen=True)
class Piece:
    where: str   # Swedish place for an error message, never the text itself
    text: str


class Unreadable(Exception):
    """The file cannot be read completely; the gate refuses it (fail closed)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # Swedish


def kind_of(filename: str) -> str | None:
    """The kind ``pieces`` reads a file as, by its suffix, or None for a file the gate does not know."""
    dot = filename.rfind(".")
    return _KINDS.get(filename[dot:].lower()) if dot >= 0 else None


def pieces(data: bytes, kind: str) -> list[Piece]:
    """Every piece of text in the file. Raises Unreadable when any part of it cannot be read."""
    reader = _READERS.get(kind)
    if reader is None:
        raise ValueError(f"unknown kind {kind!r}")
    return _guarded(lambda: reader(bytes(data), 0))


def _guarded(read) -> list[Piece]:
    """``read()``'s pieces, each once; any failure but Unreadable becomes Unreadable (fail closed)."""
    try:
        found = read()
    except Unreadable:
        raise
    except RecursionError:
        raise Unreadable("filen är för djupt nästlad för att läsas") from None
    except MemoryError:
        raise Unreadable("filen är för stor för att läsas") from None
    except Exception as error:  # a hostile file may break a library anywhere: fail closed
        raise Unreadable(f"filen kunde inte läsas helt ({type(error).__name__})") from None
    return _unique(found)


def _unique(found: list[Piece]) -> list[Piece]:
    seen = set()
    result = []
    for piece in found:
        if piece.text and not piece.text.isspace() and piece not in seen:
            seen.add(piece)
            result.append(piece)
    return result


# --- text helpers -------------------------------------------------------------------------------------------------

_TEXT_RUN = re.compile(r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]{4,}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_LATIN_RUN = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u024f\u0370-\u04ff\u2010-\u203a]{4,}")


def _binary_text(data: bytes) -> str:
    """Runs of readable text in bytes of unknown type: UTF-8, Latin-1/Windows-1252 and UTF-16 in both orders."""
    runs = _TEXT_RUN.findall(data.decode("utf-8", "replace"))
    runs += _LATIN_RUN.findall(data.decode("cp1252", "replace")) if _HIGH_BYTE.search(data) else []
    if b"\x00" in data:
        even = data[:len(data) // 2 * 2]
        runs += _LATIN_RUN.findall(even.decode("utf-16-le", "replace"))
        runs += _LATIN_RUN.findall(even.decode("utf-16-be", "replace"))
    return "\n".join(runs)


def _decode_text(data: bytes, charset: str | None = None) -> str:
    """Text bytes as a string: by byte order mark, the declared charset, UTF-8, else Windows-1252."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, "replace")
    if charset:
        try:
            return data.decode(charset, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _short(name: str) -> str:
    """A file name fit for a where label: one line, at most 60 characters."""
    clean = re.sub(r"[\x00-\x1f\x7f”]", " ", name).strip()
    return clean if len(clean) <= 60 else clean[:57] + "..."


def _rtf_text(raw: str) -> str:
    text = re.sub(r"\\'([0-9a-fA-F]{2})", lambda m: bytes([int(m[1], 16)]).decode("cp1252", "replace"), raw)
    return re.sub(r"\\u(-?\d{1,6}) ?\??", lambda m: chr(int(m[1]) % 65536), text)


# --- XML, HTML --------------------------------------------------------------------------------------------------------

def _namespaced(namespaces: tuple[str, ...], *names: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{name}" for ns in namespaces for name in names)


_W = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "http://purl.oclc.org/ooxml/wordprocessingml/main")
_A = ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main")
_S = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_PARAGRAPHS = _namespaced(_W + _A, "p") | _namespaced(_S, "si", "is")
_SHOWN = _namespaced(_W + _A + _S, "t")
_DELETED = _namespaced(_W, "delText")
_FIELD_CODES = _namespaced(_W, "instrText", "delInstrText")
_INSERTED = _namespaced(_W, "ins", "moveTo")
_MOVED_AWAY = _namespaced(_W, "moveFrom")
_SEPARATORS = {**dict.fromkeys(_namespaced(_W, "tab", "ptab"), "\t"),
               **dict.fromkeys(_namespaced(_W + _A, "br", "cr"), "\n"),
               **dict.fromkeys(_namespaced(_W, "noBreakHyphen"), "-")}


def _parse_xml(data: bytes, what: str) -> etree._Element:
    """Parsed without entities, DTDs or the network; a DOCTYPE is refused (no Office file has one)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise Unreadable(f"{what} är inte giltig XML ({_xml_error(error)})") from None
    if root.getroottree().docinfo.doctype:
        raise Unreadable(f"{what} innehåller en DOCTYPE-deklaration, som kan gömma text")
    return root


def _xml_error(error: Exception) -> str:
    line = getattr(error, "lineno", None)
    return f"rad {line}" if line else type(error).__name__


def _xml_pieces(data: bytes, where: str, what: str) -> list[Piece]:
    """Text per paragraph (runs joined; as shown and as before tracked changes), field codes, every other text
    node, comment and attribute value, and all text glued together."""
    root = _parse_xml(data, what)
    shown, original, codes = {}, {}, {}
    others, attributes = [], []
    for element in root.iter():
        if element.tail and not element.tail.isspace():
            others.append(element.tail)
        tag = element.tag
        if not isinstance(tag, str):  # comment or processing instruction
            others.append(element.text or "")
            continue
        attributes.extend(element.attrib.values())
        if tag in _SHOWN or tag in _DELETED or tag in _SEPARATORS:
            _add_run(element, tag, shown, original)
        elif tag in _FIELD_CODES:
            codes.setdefault(_paragraph_of(element)[0], []).append(element.text or "")
        elif element.text and not element.text.isspace():
            others.append(element.text)
    texts = [_paragraphs(shown), _paragraphs(original), _paragraphs(codes), "\n".join(others), "\n".join(attributes),
             "".join(root.itertext())]
    return [Piece(where, text) for text in texts]


def _add_run(element, tag: str, shown: dict, original: dict) -> None:
    paragraph, inserted, moved_away = _paragraph_of(element)
    text = _SEPARATORS.get(tag) or element.text or ""
    if tag in _DELETED:
        original.setdefault(paragraph, []).append(text)
        return
    if not moved_away:
        shown.setdefault(paragraph, []).append(text)
    if not inserted:
        original.setdefault(paragraph, []).append(text)


def _paragraph_of(element) -> tuple[object, bool, bool]:
    """The nearest paragraph around a run's text, and whether the text is a tracked insertion or move away."""
    inserted = moved_away = False
    for ancestor in element.iterancestors():
        tag = ancestor.tag
        if tag in _PARAGRAPHS:
            return ancestor, inserted, moved_away
        inserted = inserted or tag in _INSERTED
        moved_away = moved_away or tag in _MOVED_AWAY
    return None, inserted, moved_away


def _paragraphs(runs: dict) -> str:
    return "\n".join("".join(parts) for parts in runs.values())


def _html_pieces(text: str, where: str) -> list[Piece]:
    """The shown text, every attribute value (link addresses) and comment, and the raw HTML with entities decoded."""
    found = [Piece(where, html.unescape(text))]
    try:
        document = lxml_html.document_fromstring(text, parser=lxml_html.HTMLParser(no_network=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return found
    found.append(Piece(where, document.text_content()))
    values = [value for element in document.iter() for value in element.attrib.values()]
    values += [element.text or "" for element in document.iter(etree.Comment)]
    found.append(Piece(where, "\n".join(values)))
    return found


def _xmp_pieces(data: bytes, where: str) -> list[Piece]:
    """XMP is XML; when it does not parse, its raw text with entities decoded still holds every value."""
    try:
        return _xml_pieces(data.strip(b"\x00 \t\r\n"), where, "XMP-metadata")
    except Unreadable:
        return [Piece(where, html.unescape(_decode_text(data)))]


# --- files inside files -----------------------------------------------------------------------------------------------

_ZIP_SUFFIXES = (".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp", ".zip")
_TEXT_SUFFIXES = (".txt", ".csv", ".md", ".ics", ".vcf", ".js", ".log", ".tsv")


def _sniff(data: bytes, name: str, content_type: str) -> str:
    """The reader for an embedded file, by its first bytes, then its name and content type."""
    lower, ctype, head = name.lower(), (content_type or "").lower(), data[:1024]
    if b"%PDF-" in head or lower.endswith(".pdf") or ctype == "application/pdf":
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")) or lower.endswith(_ZIP_SUFFIXES):
        return "zip"
    if ctype == "message/rfc822" or lower.endswith((".eml", ".mht", ".mhtml")):
        return "eml"
    if lower.endswith(".json") or ctype.endswith("json"):
        return "json"
    if head.lstrip().startswith(b"{\\rtf") or lower.endswith(".rtf"):
        return "rtf"
    if lower.endswith((".htm", ".html", ".xhtml")) or ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if lower.endswith(".xml") or ctype.endswith("/xml") or ctype.endswith("+xml"):
        return "xml"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if ctype.startswith("text/") or lower.endswith(_TEXT_SUFFIXES) or _is_text(data):
        return "text"
    return "binary"


def _is_text(data: bytes) -> bool:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def _nested(data: bytes, name: str, content_type: str, depth: int, where: str) -> list[Piece]:
    """The pieces of a file inside a file, each placed under ``where``. An empty file holds nothing (the gate
    empties an e-mail's attachments to check them one by one)."""
    if not data:
        return []
    if depth + 1 > MAX_DEPTH:
        raise Unreadable(f"{where} ligger inbäddad i för många nivåer för att läsas")
    kind = _sniff(data, name, content_type)
    try:
        inner = _NESTED_READERS[kind](data, depth + 1)
    except Unreadable as error:
        raise Unreadable(f"{where}: {error.reason}") from None
    return [Piece(f"{where}, {piece.where}", piece.text) for piece in inner]


def _text_file(data: bytes, depth: int) -> list[Piece]:
    return [Piece("texten", _decode_text(data))]


def _rtf_file(data: bytes, depth: int) -> list[Piece]:
    raw = _decode_text(data)
    return [Piece("texten", raw), Piece("texten", _rtf_text(raw))]


def _xml_file(data: bytes, depth: int) -> list[Piece]:
    return _xml_pieces(data, "texten", "XML-filen")


def _html_file(data: bytes, depth: int) -> list[Piece]:
    return _html_pieces(_decode_text(data), "texten")


def _binary_file(data: bytes, depth: int) -> list[Piece]:
    return [Piece("innehållet", _binary_text(data))]


def _jpeg_file(data: bytes, depth: int) -> list[Piece]:
    return [Piece("bildens metadata", _jpeg_metadata(data))]


def _jpeg_metadata(data: bytes) -> str:
    """Readable text in a JPEG's comment and APPn segments (EXIF, XMP, IPTC), which come before the image data."""
    texts, index = [], 2
    while index + 4 <= len(data) and data[index] == 0xFF:
        marker = data[index + 1]
        if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
            index += 2 if marker != 0xFF else 1
            continue
        if marker in (0xD9, 0xDA):
            break
        length = int.from_bytes(data[index + 2:index + 4], "big")
        if marker == 0xFE or 0xE0 <= marker <= 0xEF:
            texts.append(_binary_text(data[index + 4:index + 2 + length]))
        index += 2 + max(length, 2)
    return "\n".join(texts)


# --- PDF --------------------------------------------------------------------------------------------------------------

_BACK_LINKS = frozenset({"/Parent", "/P", "/Pg"})
_PAGE_SKIP = _BACK_LINKS | {"/Annots"}
_FIRST_LABELS = (("/Metadata", "XMP-metadata"), ("/OCProperties", "innehållslagren"),
                 ("/PageLabels", "sidetiketterna"), ("/Outlines", "bokmärkena"))
_LATER_LABELS = (("/AcroForm", "formulärfälten"), ("/OpenAction", "dokumentets åtgärder"),
                 ("/AA", "dokumentets åtgärder"), ("/StructTreeRoot", "dokumentets taggstruktur"),
                 ("/Dests", "de namngivna målen"), ("/URI", "dokumentets webbadress"))
_NAME_TREE_LABELS = (("/EmbeddedFiles", "de bifogade filerna"), ("/JavaScript", "dokumentets JavaScript"),
                     ("/Dests", "de namngivna målen"))
_TEXT_OPERATORS = "Tj TJ ' \" Tf BDC DP ET T*"   # ET and T* end a line; Td and Tm are left out (speed)
_LINE_BREAKS = frozenset({"ET", "T*", "'", '"'})
_SPECIAL_KEYS = frozenset({"/EF", "/JS", "/CharProcs", "/ToUnicode", "/FontFile", "/FontFile2", "/FontFile3"})
_SKIPPED_STREAM_KEYS = ("/Length1", "/Length2", "/Length3", "/FunctionType", "/ShadingType", "/N")
_CONTAINERS = (ObjectType.dictionary, ObjectType.array, ObjectType.stream)
_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_OBJECT_START = re.compile(rb"\d+\s+\d+\s+obj\b")
_TRAILER_START = re.compile(rb"trailer\s*<<")
_XREF = re.compile(rb"xref\s*(?:\d+\s+\d+\s*(?:\d{10}\s+\d{5}\s+[fn]\s*)*)+|startxref\s+\d+")


def _pdf(data: bytes, depth: int) -> list[Piece]:
    found = _pdf_objects(data, depth)
    found.append(Piece("PDF-filens bytes utanför objekten", _outside_objects(data)))
    found += _earlier_revisions(data, depth, {piece.text for piece in found})
    return found


def _pdf_objects(data: bytes, depth: int) -> list[Piece]:
    """Every object's pieces and every page's text as PDFium shows it: the PDF but its bytes outside the objects
    and its earlier revisions."""
    with _open_pdf(data) as pdf:
        found = _PdfObjects(pdf, depth).read()
        page_count = len(pdf.pages)
        if pdf.get_warnings():
            raise Unreadable("PDF-filen är skadad och kan bara läsas delvis")
    texts = _pdfium_pages(data)
    if len(texts) != page_count:
        raise Unreadable("PDF-filens sidor räknas olika av två läsare; filen är skadad")
    return found + [Piece(f"sida {index + 1}", text) for index, text in enumerate(texts)]


def pdf_objects(data: bytes) -> list[Piece]:
    """``pieces(data, "pdf")`` without the bytes outside the objects and the earlier revisions: for the residual
    copy the final gate of a public pack writes itself (``secrecy.proof``), whose envelope is qpdf's own; the
    pack's envelope is read from the pack (``pdf_envelope``)."""
    return _guarded(lambda: _pdf_objects(bytes(data), 0))


def pdf_envelope(data: bytes) -> list[Piece]:
    """What a PDF file holds besides its current objects: readable bytes between and after the objects, and the
    text only an earlier revision has. For the final gate of a public pack (``secrecy.proof``), which reads the
    pack's objects in a residual copy written afresh, without either. Raises Unreadable as ``pieces`` does."""
    return _guarded(lambda: [Piece("PDF-filens bytes utanför objekten", _outside_objects(bytes(data)))]
                    + _earlier_revisions(bytes(data), 0, set()))


def _outside_objects(data: bytes) -> str:
    """Readable text between and after the objects (comments, appended data), which no PDF reader shows but any
    text editor does. The file's own structure is left out: its byte offsets look like personnummer."""
    outside = _cut(_cut(data, _STREAM_START, b"endstream"), _OBJECT_START, b"endobj")
    outside = _cut(outside, _TRAILER_START, b"%%EOF")
    return _binary_text(re.sub(rb"\s{2,}", b"\n", _XREF.sub(b" ", outside)))


def _cut(data: bytes, start: re.Pattern, end: bytes) -> bytes:
    """``data`` without each span from a match of ``start`` to the next ``end``; linear, unlike a lazy regex, which
    scans to the end of the file for every start that has no end."""
    kept, position = [], 0
    for match in start.finditer(data):
        if match.start() < position:
            continue
        closing = data.find(end, match.end())
        if closing < 0:
            break
        kept.append(data[position:match.start()])
        position = closing + len(end)
    kept.append(data[position:])
    return b" ".join(kept)


def _between(data: bytes, start: bytes, end: bytes) -> list[bytes]:
    """Each span between ``start`` and the next ``end``, found in linear time."""
    spans, position = [], 0
    while (opening := data.find(start, position)) >= 0:
        closing = data.find(end, opening + len(start))
        if closing < 0:
            break
        spans.append(data[opening + len(start):closing])
        position = closing + len(end)
    return spans


def _open_pdf(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError:
        raise Unreadable("PDF-filen är lösenordsskyddad och kan inte läsas") from None
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise Unreadable(f"filen är inte en läsbar PDF-fil ({type(error).__name__})") from None


def _pdfium_pages(data: bytes) -> list[str]:
    """The text of every page as PDFium reads it."""
    with PDFIUM:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            raise Unreadable("PDF-filen kan inte läsas av PDFium (skadad eller lösenordsskyddad)") from None
        try:
            return [_pdfium_page_text(document, index) for index in range(len(document))]
        finally:
            document.close()


def _pdfium_page_text(document: pypdfium2.PdfDocument, index: int) -> str:
    try:
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                return textpage.get_text_range()
            finally:
                textpage.close()
        finally:
            page.close()
    except pypdfium2.PdfiumError:
        raise Unreadable(f"texten på sida {index + 1} kan inte läsas") from None


def _earlier_revisions(data: bytes, depth: int, known: set[str]) -> list[Piece]:
    """Text that only an earlier revision holds: an incremental update leaves the replaced objects in the file."""
    ends = [match.end() for match in re.finditer(rb"%%EOF", data)][:-1]
    if len(ends) > MAX_REVISIONS:
        raise Unreadable("PDF-filen har för många tidigare versioner för att läsas")
    found = []
    for end in ends:
        try:
            with pikepdf.open(io.BytesIO(data[:end]), attempt_recovery=False) as earlier:
                pieces_then = _PdfObjects(earlier, depth).read()
        except Exception:  # the marker inside a stream, or the first part of a linearized file: no revision
            continue
        found += [Piece(f"en tidigare version av PDF-filen, {piece.where}", piece.text)
                  for piece in pieces_then if piece.text not in known]
    return found


def _pdf_string_texts(string: pikepdf.Object) -> list[str]:
    """A PDF string as text: as the PDF says (PDFDocEncoding, UTF-16BE or UTF-8 with a byte order mark), and as
    UTF-16 without one or plain UTF-8, which some producers write."""
    raw = bytes(string)
    texts = []
    try:
        texts.append(str(string))
    except (UnicodeDecodeError, ValueError):
        texts.append(raw.decode("latin-1"))
    if raw[:2] not in (b"\xfe\xff", b"\xff\xfe"):
        if b"\x00" in raw:
            even = raw[:len(raw) // 2 * 2]
            texts += [even.decode("utf-16-be", "replace"), even.decode("utf-16-le", "replace")]
        if max(raw, default=0) >= 0x80:
            try:
                texts.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                pass
    return texts


def _name_bytes(name) -> bytes:
    """A name (a key string or a Name object) as its bytes; pikepdf cannot make a str of every name."""
    if isinstance(name, str):
        return name.encode("utf-8", "surrogateescape")
    try:
        return str(name).encode("utf-8", "surrogateescape")
    except UnicodeDecodeError:
        return name.unparse()


def _name_text(raw: bytes) -> str:
    unescaped = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), raw.removeprefix(b"/"))
    try:
        return unescaped.decode("utf-8")
    except UnicodeDecodeError:
        return unescaped.decode("cp1252", "replace")


def _stream_bytes(stream: pikepdf.Object) -> bytes:
    """A stream's decoded data. A single Flate filter is unpacked here with a limit, so a bomb is refused."""
    filters = stream.stream_dict.get("/Filter")
    if _is(filters, ObjectType.array) and len(filters) == 1:
        filters = filters[0]
    if filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in stream.stream_dict:
        return _inflate(stream.read_raw_bytes())
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:
        return stream.read_raw_bytes()


def _inflate(raw: bytes) -> bytes:
    unpacker = zlib.decompressobj()
    try:
        data = unpacker.decompress(raw, MAX_UNPACKED + 1)
    except zlib.error:
        raise Unreadable("en komprimerad del av PDF-filen är skadad") from None
    if len(data) > MAX_UNPACKED:
        raise Unreadable(f"en del av PDF-filen packas upp till mer än {MAX_UNPACKED // 2**20} MB")
    return data


def _is(obj, code: ObjectType) -> bool:
    return isinstance(obj, pikepdf.Object) and obj._type_code == code


def _children(obj: pikepdf.Object) -> list:
    """(key, value) of a dictionary or stream dictionary, (None, item) of an array."""
    code = obj._type_code
    if code == ObjectType.array:
        return [(None, item) for item in obj]
    dictionary = obj.stream_dict if code == ObjectType.stream else obj
    try:
        return list(dictionary.items())
    except UnicodeDecodeError:  # a name that is not UTF-8: keys() still works, each value is fetched by its key
        return [(key, dictionary.get(key)) for key in dictionary.keys()]


def _inherited(page: pikepdf.Object, key: str):
    node, hops = page, 0
    while _is(node, ObjectType.dictionary) and hops < 64:
        if key in node:
            return node[key]
        node, hops = node.get("/Parent"), hops + 1
    return None


class _CMap:
    """A ToUnicode CMap as a table per code length (bfchar codes and bfrange ranges, at most 65,536 entries)."""

    _HEX = rb"<([0-9A-Fa-f\s]*)>"
    _MAX_CODES = 65_536

    def __init__(self, data: bytes):
        self.tables: dict[int, dict[int, str]] = {}
        self.size = 0
        for block in _between(data, b"beginbfchar", b"endbfchar"):
            found = re.findall(self._HEX, block)
            for source, target in zip(found[::2], found[1::2]):
                self._add(_hex(source), _utf16(_hex(target)))
        for block in _between(data, b"beginbfrange", b"endbfrange"):
            for low, high, target in re.findall(self._HEX + rb"\s*" + self._HEX + rb"\s*(<[^>]*>|\[[^\]]*\])", block):
                self._add_range(_hex(low), _hex(high), target)
        self.lengths = sorted(self.tables) or [1]
        single = self.tables.get(self.lengths[0], {})
        self.decode = self._translate if len(self.lengths) == 1 and self.lengths[0] in (1, 2) else self._greedy
        self.translation = {code: text for code, text in single.items()}

    def _add(self, code: bytes, text: str) -> None:
        if code and self.size < self._MAX_CODES:
            self.tables.setdefault(len(code), {})[int.from_bytes(code, "big")] = text
            self.size += 1

    def _add_range(self, low: bytes, high: bytes, target: bytes) -> None:
        if len(low) != len(high) or not low:
            return
        first, last = int.from_bytes(low, "big"), int.from_bytes(high, "big")
        last = min(last, first + self._MAX_CODES - self.size - 1)
        if target.startswith(b"["):
            texts = [_utf16(_hex(item)) for item in re.findall(self._HEX, target)]
            for offset, text in enumerate(texts[:max(last - first + 1, 0)]):
                self._add((first + offset).to_bytes(len(low), "big"), text)
            return
        base = _hex(target[1:-1])
        start = int.from_bytes(base, "big")
        for offset in range(max(last - first + 1, 0)):
            if start + offset >= 256 ** len(base):
                break
            self._add((first + offset).to_bytes(len(low), "big"), _utf16((start + offset).to_bytes(len(base), "big")))

    def _translate(self, raw: bytes) -> str:
        """One code length: each code becomes one character, and str.translate maps them all at C speed."""
        if self.lengths[0] == 1:
            return raw.decode("latin-1").translate(self.translation)
        return raw[:len(raw) // 2 * 2].decode("utf-16-be", "surrogatepass").translate(self.translation)

    def _greedy(self, raw: bytes) -> str:
        out, index = [], 0
        while index < len(raw):
            for length in self.lengths:
                text = self.tables[length].get(int.from_bytes(raw[index:index + length], "big"))
                if text is not None and index + length <= len(raw):
                    out.append(text)
                    index += length
                    break
            else:
                out.append(raw[index:index + 1].decode("cp1252", "replace"))
                index += 1
        return "".join(out)


def _hex(token: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", token)
    return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode("ascii"))


def _utf16(raw: bytes) -> str:
    return raw.decode("utf-16-be", "replace")


def _simple_decode(raw: bytes) -> str:
    return raw.decode("cp1252", "replace")


def _wide_decode(raw: bytes) -> str:
    return raw[:len(raw) // 2 * 2].decode("utf-16-be", "replace")


class _PdfObjects:
    """Everything pikepdf sees in one PDF: each object's strings and names under a label for the place it belongs
    to, the text of content streams, XMP, JavaScript, embedded files and other streams."""

    def __init__(self, pdf: pikepdf.Pdf, depth: int):
        self.pdf = pdf
        self.depth = depth
        self.labels: dict[tuple[int, int], str] = {}
        self.found: list[Piece] = []
        self.names: set[bytes] = set()
        self.streams: list[tuple[pikepdf.Object, str]] = []
        self.filespecs: list[tuple[pikepdf.Object, str]] = []
        self.done_streams: set[tuple[int, int]] = set()
        self.scripts: set[tuple[int, int]] = set()
        self.direct_roots: list[tuple[pikepdf.Object, str]] = []
        self.decoders: dict[tuple[int, int], object] = {}
        self.pages = list(pdf.pages)
        self.page_ids = {page.obj.objgen for page in self.pages}

    def read(self) -> list[Piece]:
        self._assign_labels()
        for obj in self.pdf.objects:
            if isinstance(obj, pikepdf.Object) and obj._type_code != ObjectType.null:
                self._walk(obj, self.labels.get(obj.objgen) or f"PDF-filens objekt {obj.objgen[0]}")
        self._walk(self.pdf.trailer, "PDF-filens trailer")
        for obj, label in self.direct_roots:
            self._walk(obj, label)
        for stream, _label in self.streams:
            if stream.stream_dict.get("/Subtype") != pikepdf.Name.Image:
                _stream_bytes(stream)  # refuses a compression bomb before anything else unpacks the stream
        self.found.append(Piece("namnen i PDF-filens objekt", "\n".join(sorted(map(_name_text, self.names)))))
        for spec, label in self.filespecs:
            self._embedded(spec, label)
        for number, page in enumerate(self.pages, 1):
            self._page_contents(page.obj, number)
        for stream, label in self.streams:
            if stream.objgen not in self.done_streams:
                self._stream(stream, label)
        return self.found

    # labels

    def _assign_labels(self) -> None:
        """Label each object by the first place that reaches it; pages are never entered from elsewhere."""
        root = self.pdf.Root
        self._label(self.pdf.trailer.get("/Info"), "dokumentinformationen")
        for key, label in _FIRST_LABELS:
            self._label(root.get(key), label)
        for number, page in enumerate(self.pages, 1):
            for annotation in _array_items(page.obj.get("/Annots")):
                self._label(annotation, _annotation_label(annotation, number))
        names = root.get("/Names")
        if _is(names, ObjectType.dictionary):
            for key, label in _NAME_TREE_LABELS:
                self._label(names.get(key), label)
            self._label(names, "dokumentets namnträd")
        for key, label in _LATER_LABELS:
            self._label(root.get(key), label)
        for number, page in enumerate(self.pages, 1):
            self._label(page.obj, f"sida {number}", skip=_PAGE_SKIP, enter_pages=True)
        self.labels.setdefault(root.objgen, "dokumentkatalogen")

    def _label(self, start, label: str, skip=_BACK_LINKS, enter_pages: bool = False) -> None:
        if not isinstance(start, pikepdf.Object) or start._type_code not in _CONTAINERS + (ObjectType.string,):
            return
        if start.is_indirect:
            if start.objgen in self.labels or (start.objgen in self.page_ids and not enter_pages):
                return
            self.labels[start.objgen] = label
        else:
            self.direct_roots.append((start, label))  # its own strings belong to its container: walked again
        stack = [start] if start._type_code in _CONTAINERS else []
        while stack:
            for key, child in _children(stack.pop()):
                if key in skip or not isinstance(child, pikepdf.Object):
                    continue
                if child.is_indirect:
                    if child.objgen in self.labels or child.objgen in self.page_ids:
                        continue
                    self.labels[child.objgen] = label
                if child._type_code in _CONTAINERS:
                    stack.append(child)

    # the walk over every object

    def _walk(self, obj: pikepdf.Object, label: str) -> None:
        """Strings and names of one object and the direct objects inside it; indirect ones get their own turn."""
        stack = [obj]
        while stack:
            current = stack.pop()
            code = current._type_code
            if code == ObjectType.string:
                self.found += [Piece(label, text) for text in _pdf_string_texts(current)]
            elif code == ObjectType.name_:
                self.names.add(_name_bytes(current))
            elif code in _CONTAINERS:
                if code == ObjectType.stream and current.is_indirect:
                    self.streams.append((current, label))
                for key, child in _children(current):
                    if key is not None:
                        self.names.add(_name_bytes(key))
                        if key in _SPECIAL_KEYS:
                            self._note_special(current, key, child, label)
                    if isinstance(child, pikepdf.Object) and not child.is_indirect:
                        stack.append(child)

    def _note_special(self, dictionary: pikepdf.Object, key: str, value, label: str) -> None:
        """Remember file specifications, JavaScript streams and streams that hold no text (fonts, glyphs)."""
        if key == "/EF":
            if _is(value, ObjectType.dictionary):
                self.filespecs.append((dictionary, label))
        elif key == "/CharProcs":
            if _is(value, ObjectType.dictionary):
                self.done_streams.update(glyph.objgen for glyph in value.values()
                                         if isinstance(glyph, pikepdf.Object) and glyph.is_indirect)
        elif _is(value, ObjectType.stream) and value.is_indirect:
            (self.scripts if key == "/JS" else self.done_streams).add(value.objgen)

    # embedded files

    def _embedded(self, spec: pikepdf.Object, label: str) -> None:
        name = _spec_name(spec)
        if name:
            self.found.append(Piece("namnet på en bifogad fil", name))
        where = f"den bifogade filen ”{_short(name)}”" if name else "en bifogad fil utan namn"
        for _key, stream in _children(spec["/EF"]):
            if not _is(stream, ObjectType.stream) or (stream.is_indirect and stream.objgen in self.done_streams):
                continue
            if stream.is_indirect:
                self.done_streams.add(stream.objgen)
            mime = _name_text(_name_bytes(stream.stream_dict.get("/Subtype", pikepdf.Name("/x"))))
            self.found += _nested(_stream_bytes(stream), name, mime, self.depth, where)

    # content streams

    def _page_contents(self, page: pikepdf.Object, number: int) -> None:
        contents = page.get("/Contents")
        streams = [contents] if _is(contents, ObjectType.stream) else _array_items(contents)
        self.done_streams.update(item.objgen for item in streams if _is(item, ObjectType.stream) and item.is_indirect)
        if streams:
            resources = _inherited(page, "/Resources")
            self._add_texts(f"sida {number}", self._content_texts(page, resources, f"innehållet på sida {number}"))

    def _form_contents(self, form: pikepdf.Object, label: str) -> None:
        resources = form.stream_dict.get("/Resources")
        if not _is(resources, ObjectType.dictionary):
            acroform = self.pdf.Root.get("/AcroForm")
            resources = acroform.get("/DR") if _is(acroform, ObjectType.dictionary) else None
        self._add_texts(label, self._content_texts(form, resources, f"en ritad yta i {label}"))

    def _content_texts(self, target, resources, what: str) -> list[str]:
        """The text a content stream shows, decoded by each font's ToUnicode map where it has one, joined without
        and with spaces, and the strings in its marked-content property lists (/ActualText, /Alt)."""
        fonts = resources.get("/Font") if _is(resources, ObjectType.dictionary) else None
        try:
            instructions = pikepdf.parse_content_stream(target, _TEXT_OPERATORS)
        except (pikepdf.PdfError, ValueError, TypeError) as error:
            raise Unreadable(f"{what} kan inte tolkas ({type(error).__name__})") from None
        runs = [[_simple_decode, [], True]]  # the font's decoder, the raw strings shown with it, on a new line?
        extra = []
        for instruction in instructions:
            op, operands = str(instruction.operator), instruction.operands
            if op in _LINE_BREAKS:
                _start_run(runs, runs[-1][0], True)
            if op == "Tf":
                font = fonts.get(_name_bytes(operands[0]).decode("utf-8", "surrogateescape")) \
                    if operands and _is(operands[0], ObjectType.name_) and _is(fonts, ObjectType.dictionary) else None
                _start_run(runs, self._font_decoder(font), False)
            elif op == "TJ":
                runs[-1][1].append(_tj_bytes(operands))
            elif op in ("BDC", "DP"):
                extra += [text for operand in operands for text in _direct_strings(operand)]
            elif op in ("Tj", "'", '"') and operands:
                raw = _raw_string(operands[-1])
                runs[-1][1].append(raw or b"")
                if raw and raw.startswith(b"\xfe\xff"):
                    extra.append(_utf16(raw[2:]))
        return _joined_runs(runs) + extra

    def _font_decoder(self, font):
        if not _is(font, ObjectType.dictionary):
            return _simple_decode
        key = font.objgen if font.is_indirect else None
        if key in self.decoders:
            return self.decoders[key]
        decoder = _simple_decode
        to_unicode = font.get("/ToUnicode")
        if _is(to_unicode, ObjectType.stream):
            cmap = _CMap(_stream_bytes(to_unicode))
            if cmap.tables:
                decoder = cmap.decode
        elif font.get("/Subtype") == pikepdf.Name.Type0:
            decoder = _wide_decode
        if key is not None:
            self.decoders[key] = decoder
        return decoder

    def _add_texts(self, where: str, texts: list[str]) -> None:
        self.found += [Piece(where, text) for text in texts]

    # other streams

    def _stream(self, stream: pikepdf.Object, label: str) -> None:
        """What a stream holds by its kind: drawn text, XMP, script text, or readable runs of unknown data."""
        info = stream.stream_dict
        kind, subtype = info.get("/Type"), info.get("/Subtype")
        if kind in (pikepdf.Name.XRef, pikepdf.Name.ObjStm):
            return
        if subtype == pikepdf.Name.Image:
            if info.get("/Filter") == pikepdf.Name.DCTDecode:
                self.found.append(Piece(f"{label}, bildens metadata", _jpeg_metadata(stream.read_raw_bytes())))
        elif subtype == pikepdf.Name.Form or info.get("/PatternType") == 1:
            self._form_contents(stream, label)
        elif kind == pikepdf.Name.Metadata or subtype == pikepdf.Name.XML:
            self.found += _xmp_pieces(_stream_bytes(stream), label)
        elif stream.objgen in self.scripts:
            self.found.append(Piece(label, _decode_text(_stream_bytes(stream))))
        elif kind == pikepdf.Name.EmbeddedFile:
            self.found += _nested(_stream_bytes(stream), "", "", self.depth, "en bifogad fil utan namn")
        elif not any(key in info for key in _SKIPPED_STREAM_KEYS):
            self.found.append(Piece(label, _binary_text(_stream_bytes(stream))))


def _array_items(value) -> list:
    return list(value) if _is(value, ObjectType.array) else []


def _annotation_label(annotation, number: int) -> str:
    subtype = annotation.get("/Subtype") if _is(annotation, ObjectType.dictionary) else None
    if subtype == pikepdf.Name.Link:
        return f"en länk på sida {number}"
    if subtype == pikepdf.Name.FileAttachment:
        return f"en bifogad fil på sida {number}"
    return f"en kommentar eller ett formulärfält på sida {number}"


def _spec_name(spec: pikepdf.Object) -> str:
    for key in ("/UF", "/F", "/Unix", "/DOS", "/Mac"):
        value = spec.get(key)
        if _is(value, ObjectType.string):
            return _pdf_string_texts(value)[0]
    return ""


def _tj_bytes(operands) -> bytes:
    """The strings of a TJ array joined (the numbers between them only move the glyphs)."""
    items = operands[0] if operands and _is(operands[0], ObjectType.array) else ()
    try:
        return b"".join([bytes(item) for item in items if isinstance(item, pikepdf.Object)])
    except (TypeError, ValueError):  # something else than strings and numbers in the array
        return b"".join(raw for raw in map(_raw_string, items) if raw)


def _raw_string(operand) -> bytes | None:
    return bytes(operand) if getattr(operand, "_type_code", None) == ObjectType.string else None


def _start_run(runs: list[list], decode, new_line: bool) -> None:
    last = runs[-1]
    if last[1]:
        runs.append([decode, [], new_line])
    else:  # nothing shown since the last change: change it
        last[0], last[2] = decode, last[2] or new_line


def _joined_runs(runs: list[list]) -> list[str]:
    """The shown strings line by line, within a line joined without and with spaces (never across lines, so
    numbers in table cells are not glued into something that looks like a personnummer). A one-byte font
    decodes a whole run at once (fast)."""
    glued, spaced = [], []
    for decode, raws, new_line in runs:
        if not raws:
            continue
        if decode is _simple_decode:
            texts = [decode(b"".join(raws)), decode(b" ".join(raws))]
        else:
            decoded = [decode(raw) for raw in raws]
            texts = ["".join(decoded), " ".join(decoded)]
        glued.append(("\n" if new_line else "") + texts[0])
        spaced.append(("\n" if new_line else " ") + texts[1])
    return ["".join(glued).strip(), "".join(spaced).strip()] if glued else []


def _direct_strings(operand) -> list[str]:
    """Strings inside an inline property list of a content stream."""
    texts, stack = [], [operand]
    while stack:
        current = stack.pop()
        if not isinstance(current, pikepdf.Object):
            continue
        code = current._type_code
        if code == ObjectType.string:
            texts += _pdf_string_texts(current)
        elif code in (ObjectType.dictionary, ObjectType.array):
            stack += [child for _key, child in _children(current)]
    return texts


# --- DOCX and other zips ----------------------------------------------------------------------------------------------

_PART_LABELS = (
    (r".*\.rels", "dokumentets länkar och relationer"),
    (r"word/document\d*\.xml", "dokumentets text"),
    (r"word/header\d*\.xml", "sidhuvudet"),
    (r"word/footer\d*\.xml", "sidfoten"),
    (r"word/footnotes\.xml", "fotnoterna"),
    (r"word/endnotes\.xml", "slutnoterna"),
    (r"word/comments\w*\.xml", "kommentarerna"),
    (r"docProps/(core|app)\.xml", "dokumentegenskaperna"),
    (r"docProps/custom\.xml", "de anpassade dokumentegenskaperna"),
    (r"word/settings\.xml", "dokumentinställningarna"),
    (r"word/glossary/.*", "dokumentets byggblock"),
    (r"word/people\.xml", "listan över dem som redigerat dokumentet"),
    (r"word/(styles|stylesWithEffects)\.xml", "formatmallarna"),
    (r"word/numbering\.xml", "numreringen"),
    (r"customXml/.*", "dokumentets anpassade XML-data"),
    (r"word/(charts|diagrams)/.*", "ett diagram i dokumentet"),
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_FONT_SUFFIXES = (".odttf", ".ttf", ".otf", ".fntdata")


def _docx(data: bytes, depth: int) -> list[Piece]:
    return _zip(data, depth, "Word-filen")


def _nested_zip(data: bytes, depth: int) -> list[Piece]:
    return _zip(data, depth, "zip-filen")


def _zip(data: bytes, depth: int, what: str) -> list[Piece]:
    """Every part of an Office file (or any zip): XML parts as text, other parts by their type."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError):
        raise Unreadable(f"{what} är inte en läsbar zip-fil (skadad eller avkortad)") from None
    with archive:
        parts = [info for info in archive.infolist() if not info.is_dir()]
        if len(parts) > MAX_ZIP_PARTS or sum(info.file_size for info in parts) > MAX_UNPACKED:
            raise Unreadable(f"{what} packas upp till mer än {MAX_UNPACKED // 2**20} MB och läses inte")
        found = [Piece("namnen på delarna i dokumentet", "\n".join(info.filename for info in parts)),
                 Piece("zip-filens kommentar", _decode_text(archive.comment))]
        budget = [MAX_UNPACKED]
        for info in parts:
            found += _zip_part(info.filename, _read_part(archive, info, budget, what), depth, what)
    return found


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int], what: str) -> bytes:
    """A part's bytes, counted against the budget while unpacking, whatever its header claims."""
    chunks = []
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(1 << 20):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise Unreadable(f"{what} packas upp till mer än {MAX_UNPACKED // 2**20} MB och läses inte")
                chunks.append(chunk)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError, ValueError):
        raise Unreadable(f"delen ”{_short(info.filename)}” i {what} kan inte packas upp") from None
    return b"".join(chunks)


def _zip_part(name: str, content: bytes, depth: int, what: str) -> list[Piece]:
    lower = name.lower()
    if lower.endswith(_FONT_SUFFIXES):
        return []
    if lower.endswith(_XML_SUFFIXES):
        return _xml_pieces(content, _part_label(name), f"delen ”{_short(name)}” i {what}")
    basename = name.rpartition("/")[2]
    embedded = "embeddings/" in lower
    where = f"den inbäddade filen ”{_short(basename)}”" if embedded else f"delen ”{_short(name)}”"
    return _nested(content, basename, "", depth, where)


def _part_label(name: str) -> str:
    for pattern, label in _PART_LABELS:
        if re.fullmatch(pattern, name):
            return label
    return f"delen ”{_short(name)}” i dokumentet"


# --- e-mail -----------------------------------------------------------------------------------------------------------

_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/=]{40,}\r?$\n?", re.M)   # left out of the raw text: its digit runs
                                                                  # look like personnummer, and it is decoded anyway
_LOSSY_DEFECTS = (email.errors.StartBoundaryNotFoundDefect, email.errors.InvalidBase64CharactersDefect,
                  email.errors.InvalidBase64LengthDefect, email.errors.InvalidBase64PaddingDefect,
                  email.errors.MultipartInvariantViolationDefect)


def _eml(data: bytes, depth: int) -> list[Piece]:
    """Every header, every text part, every attachment's name and content (read by its type) and the raw file."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    found = [Piece("e-postfilens råa text", _BASE64_LINE.sub("", _decode_text(data)))]
    for index, part in enumerate(message.walk()):
        if any(isinstance(defect, _LOSSY_DEFECTS) for defect in part.defects):
            raise Unreadable("e-postfilen är skadad: en del av den kan inte avkodas")
        found += _eml_headers(part, top=index == 0)
        found += _eml_body(part, depth)
    return found


def _eml_headers(part, top: bool) -> list[Piece]:
    found, names = [], []
    for name, raw in part.raw_items():
        safe = re.sub(r"[^A-Za-z0-9-]", "?", name)[:40]
        names.append(name)
        where = f"e-postens rubrik {safe}" if top else f"rubriken {safe} i en del av e-posten"
        found += [Piece(where, text) for text in _header_texts(name, raw)]
    found.append(Piece("e-postens rubriknamn" if top else "rubriknamnen i en del av e-posten", "\n".join(names)))
    return found


def _header_texts(name: str, raw) -> list[str]:
    """A header value decoded by the e-mail policy and by plain RFC 2047 decoding, and as it is written."""
    raw_text = raw if isinstance(raw, str) else str(raw)
    texts = [raw_text]
    try:
        texts.append(str(email.policy.default.header_fetch_parse(name, raw_text)))
    except Exception:  # a malformed header breaks the parser in many ways; the other decodings remain
        pass
    unfolded = re.sub(r"\r?\n(?=[ \t])", "", raw_text)
    try:
        texts.append(str(email.header.make_header(email.header.decode_header(unfolded))))
    except Exception:  # see above
        pass
    return texts


def _eml_body(part, depth: int) -> list[Piece]:
    if part.is_multipart():
        return [Piece("texten utanför e-postens delar", text) for text in (part.preamble, part.epilogue) if text]
    filename = _eml_filename(part)
    payload = part.get_payload(decode=True)
    payload = payload if isinstance(payload, bytes) else str(payload or "").encode("utf-8", "surrogateescape")
    content_type = part.get_content_type()
    if filename or part.is_attachment():
        where = f"bilagan ”{_short(filename)}”" if filename else "en bifogad del av e-posten"
        named = [Piece("namnet på en bifogad fil", filename)] if filename else []
        return named + _nested(payload, filename, content_type, depth, where)
    if part.get_content_maintype() == "text":
        text = _decode_text(payload, part.get_content_charset())
        if part.get_content_subtype() == "html":
            return _html_pieces(text, "e-postens text")
        return [Piece("e-postens text", text)]
    return _nested(payload, "", content_type, depth, "en inbäddad del av e-posten")


def _eml_filename(part) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except Exception:  # a malformed parameter; the raw header is read as a header anyway
        return ""
    return name if isinstance(name, str) else str(name)


# --- JSON -------------------------------------------------------------------------------------------------------------

class _Pairs(list):
    """A JSON object as all its (key, value) pairs, so a duplicated key hides nothing."""


def _reject_constant(name: str):
    raise ValueError(f"{name} är inte giltig JSON")


def _json(data: bytes, depth: int) -> list[Piece]:
    try:
        value = json.loads(data, object_pairs_hook=_Pairs, parse_constant=_reject_constant)
    except RecursionError:
        raise Unreadable("JSON-filen är för djupt nästlad för att läsas") from None
    except json.JSONDecodeError as error:
        raise Unreadable(f"filen är inte giltig JSON (rad {error.lineno}, kolumn {error.colno})") from None
    except (ValueError, TypeError):
        raise Unreadable("filen är inte giltig JSON") from None
    return _json_pieces(value)


def _json_pieces(value) -> list[Piece]:
    """Every key and every string or number, with its JSON path; an explicit stack, so depth cannot crash it."""
    found, stack = [], [(value, "$")]
    while stack:
        current, path = stack.pop()
        if isinstance(current, _Pairs):
            found += [Piece(f"ett fältnamn i {path}", key) for key, _child in current]
            stack += reversed([(child, path + _json_key(key, index)) for index, (key, child) in enumerate(current)])
        elif isinstance(current, list):
            stack += reversed([(child, f"{path}[{index}]") for index, child in enumerate(current)])
        elif isinstance(current, str):
            found.append(Piece(f"fältet {path}", current))
        elif isinstance(current, (int, float)) and not isinstance(current, bool):
            found.append(Piece(f"fältet {path}", str(current)))
    return found


def _json_key(key: str, index: int) -> str:
    """A key as a path step; keys that are not plain names are shown by position, so no text lands in the path."""
    return f".{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", key) else f".<fält {index + 1}>"


_READERS = {"pdf": _pdf, "docx": _docx, "eml": _eml, "json": _json}
_NESTED_READERS = {"pdf": _pdf, "zip": _nested_zip, "eml": _eml, "json": _json, "rtf": _rtf_file, "html": _html_file,
                   "xml": _xml_file, "jpeg": _jpeg_file, "text": _text_file, "binary": _binary_file}
