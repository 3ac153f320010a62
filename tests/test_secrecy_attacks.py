"""The attacker's proof for "Secrecy that cannot drift" (point 11).

Every test here plays someone who tries to get a secret out of the program through a public output: a secret
title, the names tied to a secret ärende or § (counterparts, recipients), a secret ärende's diary number where the
output may not show it, the text of a secret file, or a personnummer in any written form. The secret is brought in
through one path per test (secrecy set after the § exists, a re-import, a shared file, a personnummer typed in a
text field or hidden in a bilaga, a name typed into a public text), then EVERY public output is produced, as the
program or the command line writes it, each into an empty folder of its own.

The checking side does not trust the program. It reads every written file with its own readers, independent of
``nämndtool.secrecy`` and ``nämndtool.personnummer``:

- PDF: PDFium page text (pypdfium2), and pikepdf walking every object reachable in the file: every string and
  name (annotations, form fields, actions, outlines, docinfo, page labels ...), every stream decoded (XMP, page
  metadata, embedded files, which are read again when they are PDFs), and the strings drawn by every content
  stream and form XObject (appearance streams).
- DOCX: every part of the zip, XML parsed with lxml (text per paragraph, every text node, every attribute).
- E-mail drafts: ``email`` for every header, body, attachment name and attachment (read by type).
- JSON: every key, string and number.
- The names of the written files themselves.

Text is compared as a reader would see it: Unicode NFKC, digits of any script read as digits, invisible characters
(soft hyphen, zero-width space ...) dropped. A phrase (title, name, a line of a secret file) counts as found when its
letters and digits appear in sequence whatever stands between the words; a personnummer when its digits appear in
pairs with any spaces, dashes, dots or line breaks between the pairs, with or without the century.

Outcomes: an output that the program refuses (``NamndtoolError``, e.g. the secrecy gate's ``GateError``) and that
left no file behind is acceptable; a written file that carries a secret is a failure (a LEAK, listed with the output,
the place in the file and the text found); a refusal that left a file behind is a failure too. Tests that must never
be refused (the reverse attack: ordinary meetings) fail on any refusal.

Tests that fail here because of a real leak are kept failing on purpose (not xfail): the core is to be fixed.
Each says so in its docstring under "LEAK FOUND", naming the failing cases. When this module was written they were:
a re-import without the diary number re-publishes a sealed ärende (attack 2); a re-saved copy of a secret file of
an ärende that is not on the meeting goes out (attack 3); a secret ärende's number written without "/" or ":"
passes the gate, and the pack lets a number its Meddelanden list shows stand on every page (attack 6, numbers); a
public title that is the secret title plus punctuation or an invisible character is taken as a mask (attack 2/6);
a Word bilaga's comments, tracked changes and author go out unchanged in the public exchange file (attack 5).
"""

import datetime as dt
import hashlib
import io
import json
import re
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from pikepdf import Array, AttachedFileSpec, Dictionary, Name, String
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from support import SAMPLE_JSON, run_cli
from nämndtool.assets import resource
from nämndtool.demo import create_demo
from nämndtool.distribution import write_eml_drafts
from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.pack import build_pack
from nämndtool.documents.pack import write_pack as write_built_pack
from nämndtool.documents.protokoll import protokoll_document, utdrag_document
from nämndtool.documents.registry import delegationsbeslut_document, diary_extract_document
from nämndtool.documents.service import write_document
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.exporter import export_meeting
from nämndtool.exchange.importer import import_meeting
from nämndtool.secrecy import operations
from nämndtool.store import Store
from test_protokoll import _complete as complete_sample_protokoll

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

OSL = "26 kap. 1 § OSL"
KOD = "SOCN"
ORGAN = "Socialnämnden"
BUDGET = "SOCN/2023:16"                       # sample item 6, public, two bilagor
BUDGET_TITLE = "Socialnämndens plan med budget 2023"
BUDGET_TEXT = "Socialnämnden har av kommunfullmäktige tilldelats en budgetram om 203 226 tkr"


def slow(examples: int) -> settings:
    """Few examples (every one builds a store and renders real documents), no deadline, and no shrinking: a failing
    example is reported as found (shrinking one re-renders whole meetings for many minutes)."""
    return settings(max_examples=examples, deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


# Fictional people: none of these names is in the sample, the demo or the organisation.
FIRST = ["Tindra", "Vilgot", "Majken", "Ebbe", "Idun", "Melker", "Juni", "Tage", "Saga-Li", "Åke"]
LAST = ["Rosenqvist", "Halvarsson", "Lindgärde", "Kvarnström", "Sundelin", "Ahlqvist", "Ödmark", "Nordvik"]
PLACES = ["Hjo", "Vimmerby", "Åmål", "Kramfors", "Sala", "Öckerö"]
TOPICS = ["kollektivtrafik", "bostadsförsörjning", "folkhälsa", "kulturstrategi", "näringsliv", "friluftsliv"]
CODEWORDS = ["zorblax", "kvintura", "melfiord", "trappalon", "vindeliq", "oskarbo"]
STAFF = [("Gunnel Ask", "S", "gunnel.ask@example.se"), ("Bertil Mo", "M", "bertil.mo@example.se")]
SIGNER = "Ulrika Förvaltare"

_font_registered = []


def drawable(text: str) -> bool:
    """Whether DejaVu Sans (the font of every document) has a glyph for every visible character of ``text``."""
    face = pdfmetrics.getFont(_dejavu()).face
    return all(ord(ch) in face.charToGlyph for ch in text
               if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc"))


def _dejavu() -> str:
    if not _font_registered:
        pdfmetrics.registerFont(TTFont("AttackSans", str(resource("fonts", "DejaVuSans.ttf"))))
        _font_registered.append(True)
    return "AttackSans"


# =================================================================================================================
# The independent readers
# =================================================================================================================


@dataclass
class Text:
    where: str
    text: str
    osl: bool = False      # may show a secret ärende's diary number (a list made under OSL 5 kap. 2 §)


def read_output(path: Path, osl_mode: str) -> list[Text]:
    """Every piece of text in a written file, read by type. ``osl_mode``: "never", "list" (the whole file is an
    OSL 5:2 list) or "pack" (only the pages of the Meddelanden and delegationsbeslut items are)."""
    data = path.read_bytes()
    return read_bytes(data, path.name, f"{path.name}", osl_mode)


def read_bytes(data: bytes, name: str, where: str, osl_mode: str = "never", depth: int = 0) -> list[Text]:
    if depth > 4:
        return [Text(where, data.decode("latin-1"))]
    lowered = name.lower()
    if data.startswith(b"%PDF") or lowered.endswith(".pdf"):
        return read_pdf(data, where, osl_mode, depth)
    if data.startswith(b"PK\x03\x04") or lowered.endswith(".docx"):
        return read_zip(data, where, osl_mode, depth)
    if lowered.endswith(".eml"):
        return read_eml(data, where, osl_mode, depth)
    if lowered.endswith(".json"):
        return read_json(data, where, osl_mode == "list")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return [Text(where, data.decode(encoding), osl_mode == "list")]
        except UnicodeDecodeError:
            continue
    return [Text(where, data.decode("latin-1"), osl_mode == "list")]


def _pdf_osl_pages(pdf: pikepdf.Pdf) -> set[int]:
    """Pages of the pack's Meddelanden and Anmälan av delegationsbeslut items, from its top-level bookmarks."""
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    starts = []
    try:
        with pdf.open_outline() as outline:
            for item in outline.root:
                destination = item.destination
                if destination is None and item.action is not None and "/D" in item.action:
                    destination = item.action.D
                if isinstance(destination, pikepdf.Array) and len(destination):
                    page = index.get(destination[0].objgen)
                    if page is not None:
                        starts.append((page, item.title))
    except Exception:  # noqa: BLE001 — no usable outline: no page may show a number
        return set()
    starts.sort()
    allowed = set()
    for n, (page, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(pdf.pages)
        if re.match(r"^\d+\.\s*(Meddelanden|Anmälan av delegationsbeslut)", title):
            allowed.update(range(page, end))
    return allowed


_PDF_CACHE: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}


def read_pdf(data: bytes, where: str, osl_mode: str = "never", depth: int = 0) -> list[Text]:
    """The PDF's texts; the same bytes (the pack attached to every e-mail draft) are read once."""
    key = (hashlib.sha256(data).hexdigest(), osl_mode)
    if key not in _PDF_CACHE:
        _PDF_CACHE.clear() if len(_PDF_CACHE) > 64 else None
        _PDF_CACHE[key] = [(t.where[len(where):], t.text, t.osl) for t in _read_pdf(data, where, osl_mode, depth)]
    return [Text(where + suffix, text, osl) for suffix, text, osl in _PDF_CACHE[key]]


def _read_pdf(data: bytes, where: str, osl_mode: str, depth: int) -> list[Text]:
    found: list[Text] = []
    whole_list = osl_mode == "list"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        osl_pages = _pdf_osl_pages(pdf) if osl_mode == "pack" else set()
    document = pypdfium2.PdfDocument(data)
    try:
        for i in range(len(document)):
            page = document[i]
            textpage = page.get_textpage()
            found.append(Text(f"{where}, sidan {i + 1} (PDFium)", textpage.get_text_bounded(),
                              whole_list or i in osl_pages))
            textpage.close()
            page.close()
    finally:
        document.close()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found += _PdfWalker(pdf, where, whole_list, depth, osl_pages).read()
    return found


class _PdfWalker:
    """Every string, name and stream of every object in the file, and the strings drawn by content streams."""

    def __init__(self, pdf: pikepdf.Pdf, where: str, osl: bool, depth: int, osl_pages: set[int] = frozenset()):
        self.pdf, self.where, self.osl, self.depth, self.osl_pages = pdf, where, osl, depth, osl_pages
        self.seen: set = set()
        self.found: list[Text] = []
        self.content_streams: set = set()

    def read(self) -> list[Text]:
        for n, page in enumerate(self.pdf.pages):
            contents = page.obj.get("/Contents")
            for stream in (contents if isinstance(contents, pikepdf.Array) else [contents]):
                if stream is not None and stream.is_indirect:
                    self.content_streams.add(stream.objgen)
            try:
                self._drawn_strings(page, f"sidan {n + 1}, innehållsström", self.osl or n in self.osl_pages)
            except Exception as error:  # noqa: BLE001 — an unparsable content stream is reported, not skipped
                self.found.append(Text(f"{self.where}, sidan {n + 1}", f"OLÄSBAR INNEHÅLLSSTRÖM {error}"))
        self._walk(self.pdf.trailer, "trailern")
        for obj in self.pdf.objects:
            self._walk(obj, f"objekt {obj.objgen}" if obj.is_indirect else "objekt")
        return self.found

    def _add(self, label: str, text: str, osl: bool | None = None) -> None:
        if text and text.strip():
            self.found.append(Text(f"{self.where}, {label}", text, self.osl if osl is None else osl))

    def _walk(self, obj, label: str, level: int = 0) -> None:
        if level > 60:
            return
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in self.seen:
                return
            self.seen.add(obj.objgen)
        if isinstance(obj, pikepdf.String):
            raw = bytes(obj)
            self._add(label, str(obj))
            self._add(label, raw.decode("latin-1"))
            if len(raw) % 2 == 0 and raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
                self._add(label, raw.decode("utf-16", errors="replace"))
        elif isinstance(obj, pikepdf.Name):
            self._add(label, str(obj))
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                self._walk(item, label, level + 1)
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for key in obj.keys():
                self._add(label, key)
                self._walk(obj.get(key), f"{label} {key}", level + 1)
            if isinstance(obj, pikepdf.Stream):
                self._stream(obj, label)

    def _stream(self, stream, label: str) -> None:
        try:
            data = stream.read_bytes()
        except Exception:  # noqa: BLE001 — a filter pikepdf does not decode: the raw bytes are read instead
            data = stream.read_raw_bytes()
        subtype = stream.get("/Subtype")
        if subtype == Name.Form:
            try:
                self._drawn_strings(stream, f"{label} (formulärobjekt)")
            except Exception as error:  # noqa: BLE001
                self._add(label, f"OLÄSBAR FORMULÄRSTRÖM {error}")
            return
        if stream.is_indirect and stream.objgen in self.content_streams:
            return          # read through its drawn strings; its numbers are coordinates, not text
        if data.startswith(b"%PDF") or data.startswith(b"PK\x03\x04"):
            self.found += [Text(t.where, t.text, self.osl) for t in
                           read_bytes(data, "inbäddad", f"{self.where}, {label} (inbäddad fil)", "never",
                                      self.depth + 1)]
            return
        if subtype == Name.Image:
            data = data[:65536]      # Exif and comments sit at the start of an image
        self._add(f"{label} (ström)", data.decode("utf-8", errors="replace"))
        if b"\x00" in data[:200]:
            self._add(f"{label} (ström, UTF-16)", data.decode("utf-16-be", errors="replace"))

    def _drawn_strings(self, container, label: str, osl: bool | None = None) -> None:
        texts = []
        for operands, operator in pikepdf.parse_content_stream(container):
            if str(operator) not in ("Tj", "TJ", "'", '"'):
                continue
            for operand in operands:
                items = operand if isinstance(operand, pikepdf.Array) else [operand]
                for item in items:
                    if isinstance(item, pikepdf.String):
                        texts.append(bytes(item).decode("latin-1"))
        if texts:
            self._add(label, "".join(texts), osl)
            self._add(label, " ".join(texts), osl)


def read_zip(data: bytes, where: str, osl_mode: str = "never", depth: int = 0) -> list[Text]:
    found: list[Text] = []
    osl = osl_mode == "list"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            label = f"{where}, delen {info.filename}"
            found.append(Text(f"{label} (namn)", info.filename, osl))
            if info.filename.lower().endswith((".xml", ".rels")) or content.lstrip().startswith(b"<?xml"):
                found += _xml_texts(content, label, osl)
            elif content.startswith(b"%PDF") or content.startswith(b"PK\x03\x04"):
                found += [Text(t.where, t.text, osl) for t in
                          read_bytes(content, info.filename, label, osl_mode, depth + 1)]
            else:
                found.append(Text(label, content.decode("utf-8", errors="replace"), osl))
    return found


def _xml_texts(content: bytes, label: str, osl: bool) -> list[Text]:
    try:
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError:
        return [Text(label, content.decode("utf-8", errors="replace"), osl)]
    found = [Text(f"{label} (all text)", " ".join(root.itertext()), osl),
             Text(f"{label} (all text, tätt)", "".join(root.itertext()), osl)]
    attributes = [value for element in root.iter() if isinstance(element.tag, str)
                  for value in element.attrib.values()]
    found.append(Text(f"{label} (attribut)", "\n".join(attributes), osl))
    for n, paragraph in enumerate(root.iter("{*}p")):
        pieces = []
        for element in paragraph.iter():
            tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if tag in ("t", "delText", "instrText") and element.text:
                pieces.append(element.text)
            elif tag in ("tab", "br", "cr"):
                pieces.append(" ")
        if pieces:
            found.append(Text(f"{label}, stycke {n + 1}", "".join(pieces), osl))
    return found


def read_eml(data: bytes, where: str, osl_mode: str = "never", depth: int = 0) -> list[Text]:
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = [Text(f"{where} (rubrikerna som råtext)", head.decode("latin-1"))]
    message = message_from_bytes(data, policy=email_policy.default)
    for part in message.walk():
        for key, value in part.items():
            found.append(Text(f"{where}, rubriken {key}", f"{key}: {value}"))
        if part.is_multipart():
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is not None or part.get_content_disposition() == "attachment":
            found.append(Text(f"{where}, bilagans namn", filename or ""))
            found += read_bytes(payload, filename or "bilaga", f"{where}, bilagan {filename}", osl_mode, depth + 1)
        elif part.get_content_maintype() == "text":
            found.append(Text(f"{where}, texten", part.get_content()))
        else:
            found += read_bytes(payload, "del", f"{where}, en del", "never", depth + 1)
    return found


def read_json(data: bytes, where: str, osl: bool = False) -> list[Text]:
    found = [Text(f"{where} (hela filen)", data.decode("utf-8"), osl)]

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                found.append(Text(f"{where}, nyckeln {path}/{key}", str(key), osl))
                walk(item, f"{path}/{key}")
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(item, f"{path}[{n}]")
        elif value is not None:
            found.append(Text(f"{where}, {path}", str(value), osl))

    walk(json.loads(data.decode("utf-8")), "")
    return found


# =================================================================================================================
# What must not be found, and how it is looked for
# =================================================================================================================

_KEEP_CONTROL = set("\n\r\t\x0b\x0c\x1c\x1d\x1e\x1f\x85")
_SEPARATORS = set("\u2212.·•+_\ufffd\u25a1\u25af\u2027")
_TABLES: dict[str, dict[int, object]] = {}


def _tables() -> dict[str, dict[int, object]]:
    """Translation tables over all of Unicode, made once: invisible characters dropped, digits of every script as
    ASCII digits, separators (spaces, dashes, dots, the missing-glyph box) as one space."""
    if not _TABLES:
        invisible, digits, separators = {}, {}, {}
        for code in range(0x110000):
            ch = chr(code)
            category = unicodedata.category(ch)
            if category in ("Cf", "Cc") and ch not in _KEEP_CONTROL:
                invisible[code] = None
            elif category == "Nd":
                digits[code] = str(unicodedata.decimal(ch))
            elif ch.isspace() or category == "Pd" or ch in _SEPARATORS:
                separators[code] = " "
        _TABLES.update(invisible=invisible, digits=digits, digits_view={**digits, **separators})
    return _TABLES


def _visible(text: str) -> str:
    """NFKC without invisible characters (soft hyphen, zero-width space, joiners, BOM, control codes)."""
    return unicodedata.normalize("NFKC", text).translate(_tables()["invisible"])


_NOT_ALNUM = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    """Only letters and digits, case folded: "Tin-\\ndra  ROSEN qvist" and "Tindra Rosenqvist" are the same."""
    return _NOT_ALNUM.sub("", _visible(text).casefold()).translate(_tables()["digits"])


def digits_view(text: str) -> str:
    """Digits of any script as 0-9, every space, dash, dot or line break as one space, other characters kept."""
    return _visible(text).translate(_tables()["digits_view"])


def luhn(nine: str) -> str:
    total = 0
    for n, ch in enumerate(nine):
        value = int(ch) * (2 if n % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


@dataclass(frozen=True)
class Planted:
    """A personnummer as planted: its ten digits (yymmddnnnn), its century, the written form and what it is."""

    digits: str
    century: str
    written: str
    form: str

    def pattern(self) -> re.Pattern:
        pairs = " *".join(self.digits[i:i + 2] for i in range(0, 10, 2))
        return re.compile(rf"(?:{self.century} *)?{pairs}")


def make_pnr(born: dt.date, serial: int, form: str) -> Planted:
    """The personnummer of someone born ``born`` with birth number ``serial`` (0-999), written in ``form``."""
    day = born.day + 60 if form == "samordningsnummer" else born.day
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    check = luhn(nine)
    if form == "fel kontrollsiffra":
        check = str((int(check) + 5) % 10)
    digits = nine + check
    century = f"{born.year // 100:02d}"
    date6, tail = digits[:6], digits[6:]
    twelve = century + digits
    fullwidth = str.maketrans("0123456789-", "０１２３４５６７８９－")
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    written = {
        "bindestreck": f"{date6}-{tail}",
        "tankstreck": f"{date6}\u2013{tail}",
        "minustecken": f"{date6}\u2212{tail}",
        "hårt bindestreck": f"{date6}\u2011{tail}",
        "siffersträck": f"{date6}\u2012{tail}",
        "mellanslag": f"{date6} {tail}",
        "hårt mellanslag": f"{date6}\u00a0{tail}",
        "nollbreddsmellanslag inuti": f"{date6[:3]}\u200b{date6[3:]}-{tail[:2]}\u200b{tail[2:]}",
        "mjukt bindestreck inuti": f"{date6[:4]}\u00ad{date6[4:]}-{tail}",
        "punkter": f"{date6[:2]}.{date6[2:4]}.{date6[4:]}.{tail}",
        "siffergrupper": f"{twelve[:2]} {twelve[2:4]} {twelve[4:6]} {twelve[6:8]} - {tail[:2]} {tail[2:]}",
        "radbrytning": f"{date6}-\n{tail}",
        "helbreddssiffror": f"{date6}-{tail}".translate(fullwidth),
        "arabisk-indiska siffror": f"{date6}-{tail}".translate(arabic),
        "tolv siffror": twelve,
        "tolv siffror med bindestreck": f"{twelve[:8]}-{tail}",
        "tio siffror i följd": digits,
        "samordningsnummer": f"{date6}-{tail}",
        "fel kontrollsiffra": f"{date6}-{tail}",
    }[form]
    return Planted(digits, century, written, form)


PNR_FORMS = ["bindestreck", "tankstreck", "minustecken", "hårt bindestreck", "siffersträck", "mellanslag",
             "hårt mellanslag", "nollbreddsmellanslag inuti", "mjukt bindestreck inuti", "punkter", "siffergrupper",
             "radbrytning", "helbreddssiffror", "arabisk-indiska siffror", "tolv siffror",
             "tolv siffror med bindestreck", "tio siffror i följd", "samordningsnummer", "fel kontrollsiffra"]


@dataclass
class Secrets:
    phrases: dict[str, str] = field(default_factory=dict)      # text → what it is
    numbers: dict[str, str] = field(default_factory=dict)      # KOD/ÅÅÅÅ:N → what it is
    pnrs: list[Planted] = field(default_factory=list)

    def phrase(self, text: str, what: str) -> None:
        if len(squash(text)) >= 8:
            self.phrases[text] = what

    def leaks_in(self, texts: list[Text]) -> list[str]:
        found = []
        squashed_phrases = [(squash(p), p, what) for p, what in self.phrases.items()]
        patterns = [(p.pattern(), p) for p in self.pnrs]
        numbers = [(re.compile(rf"(?<![A-Za-zÅÄÖåäö]){re.escape(kod)}\W{{0,3}}{year}\W{{0,3}}0*{nr}(?!\d)", re.I),
                    number, what)
                   for number, what in self.numbers.items()
                   for kod, year, nr in [re.match(r"(\w+)/(\d{4}):(\d+)", number).groups()]]
        for t in texts:
            flat = squash(t.text)
            for squashed, phrase, what in squashed_phrases:
                at = flat.find(squashed)
                if at >= 0:
                    context = flat[max(0, at - 30):at + len(squashed) + 30]
                    found.append(f"{t.where}: {what} {phrase!r} (…{context}…)")
            view = digits_view(t.text)
            for pattern, planted in patterns:
                match = pattern.search(view)
                if match:
                    context = view[max(0, match.start() - 40):match.end() + 40]
                    found.append(f"{t.where}: personnummer ({planted.form}, planterat som {planted.written!r}) "
                                 f"syns som {match.group(0)!r} (…{' '.join(context.split())}…)")
            if not t.osl:
                visible = _visible(t.text)
                for pattern, number, what in numbers:
                    match = pattern.search(visible)
                    if match:
                        context = visible[max(0, match.start() - 40):match.end() + 40]
                        found.append(f"{t.where}: diarienumret {number} ({what}) (…{' '.join(context.split())}…)")
        return found


def file_lines(pdf: bytes, min_words: int = 6) -> list[str]:
    """The lines of a PDF's text with at least ``min_words`` words: what shows that its content is there."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        lines = []
        for i in range(len(document)):
            page = document[i]
            textpage = page.get_textpage()
            lines += [line.strip() for line in textpage.get_text_bounded().splitlines()
                      if len(re.findall(r"\w+", line)) >= min_words]
            textpage.close()
            page.close()
        return lines
    finally:
        document.close()


# =================================================================================================================
# The attacker: produce an output into an empty folder, then read what was written
# =================================================================================================================


@dataclass
class Outcome:
    label: str
    status: str          # "skriven" or "vägrad"
    note: str = ""
    expected: bool = False   # a refusal the attack asked for (the utdrag of a secret §)
    seconds: float = 0.0     # how long the program took (to find slow outputs when the module is too slow)


class Attacker:
    """Asks for public outputs one at a time, each into an empty folder of its own, and reads back whatever the
    program wrote there. ``leaks`` collects every secret found in a written file, every refusal that left a file
    behind, and every output that should have been refused but was written."""

    def __init__(self, store: Store, root: Path, secrets: Secrets):
        self.store, self.root, self.secrets = store, Path(root), secrets
        self.outcomes: list[Outcome] = []
        self.leaks: list[str] = []
        self.count = 0

    def attempt(self, label: str, produce, *, osl_mode: str = "never", must_refuse: bool = False) -> str:
        folder = self.root / f"utdata-{self.count:02d}"
        self.count += 1
        folder.mkdir(parents=True)
        started = time.perf_counter()
        try:
            produce(folder)
        except NamndtoolError as error:
            left = [p for p in folder.rglob("*") if p.is_file()]
            if left:
                self.leaks.append(f"{label}: vägrades ({_summary(error)}) men lämnade filer efter sig: "
                                  f"{[str(p.relative_to(folder)) for p in left]}")
                for path in left:
                    self._check(label, folder, path, osl_mode)
            self.outcomes.append(Outcome(label, "vägrad", _summary(error), must_refuse,
                                         time.perf_counter() - started))
            return "vägrad"
        seconds = time.perf_counter() - started
        files = [p for p in folder.rglob("*") if p.is_file()]
        if must_refuse:
            self.leaks.append(f"{label}: skulle ha vägrats men skrevs ({[p.name for p in files]})")
        if not files:
            self.leaks.append(f"{label}: varken vägrad eller skriven")
        for path in files:
            self._check(label, folder, path, osl_mode)
        self.outcomes.append(Outcome(label, "skriven", seconds=seconds))
        return "skriven"

    def _check(self, label: str, folder: Path, path: Path, osl_mode: str) -> None:
        relative = str(path.relative_to(folder))
        texts = read_output(path, osl_mode) + [Text(f"filnamnet {relative}", relative)]
        self.leaks += [f"{label}: LÄCKA i {leak}" for leak in self.secrets.leaks_in(texts)]

    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "vägrad" and not o.expected]

    def assert_no_leak(self) -> None:
        assert not self.leaks, ("Hemliga uppgifter kom ut (eller en vägran lämnade filer):\n  "
                                + "\n  ".join(dict.fromkeys(self.leaks)) + "\nUtfall: "
                                + "; ".join(f"{o.label}: {o.status}" for o in self.outcomes))

    def assert_nothing_refused(self) -> None:
        refused = self.refused()
        assert not refused, "Offentliga utdata vägrades felaktigt:\n  " + "\n  ".join(
            f"{o.label}: {o.note}" for o in refused)


BESTYRKT = dt.date.today()
"""The date an attack gives the Utdragsbestyrkande of a justerad § (issue 14: the caller chooses it): on or after
any justering, never in the future."""


def _summary(error: Exception) -> str:
    """The refusal's first lines (what and where, never more than the program itself shows)."""
    lines = str(error).splitlines()
    return " ".join(lines[:4])


# --- every public output of a meeting ---------------------------------------------------------------------------


def write_pack(store: Store, meeting_id: int, out: Path) -> None:
    """As `namndtool render handlingar --public` does: build, then write."""
    write_built_pack(store, build_pack(store, meeting_id, True, load_branding()), out)


def produce_public_outputs(att: Attacker, store: Store, meeting_id: int, *, period: tuple[str, str] | None = None,
                           formats=("pdf", "docx"), drafts: bool = True, export: bool = True,
                           tjansteskrivelser: bool = True, utdrag: bool = True) -> None:
    """Every public output the program makes for a meeting (and the register lists around it)."""
    branding = load_branding()
    for fmt in formats:
        att.attempt(f"kallelse ({fmt})", lambda f, fmt=fmt: write_document(
            kallelse_document(store, meeting_id, True), fmt, f / f"kallelse.{fmt}", branding))
    att.attempt("handlingar (offentliga)", lambda f: write_pack(store, meeting_id, f / "handlingar.pdf"),
                osl_mode="pack")
    agenda = store.agenda(meeting_id)
    if tjansteskrivelser:
        for item in agenda:
            if item["sekretess"] or not item["arende_id"] or not store.tjansteskrivelse(item["arende_id"]):
                continue
            att.attempt(f"tjänsteskrivelse punkt {item['nr']}", lambda f, a=item["arende_id"]: write_document(
                tjansteskrivelse_document(store, a, branding).document, "pdf", f / "tjansteskrivelse.pdf", branding))
    protokoll = store.protokoll(meeting_id)
    if protokoll and protokoll["paragrafer"]:
        for fmt in formats:
            att.attempt(f"protokoll ({fmt})", lambda f, fmt=fmt: write_document(
                protokoll_document(store, meeting_id, True), fmt, f / f"protokoll.{fmt}", branding))
        if any(p["omedelbart_justerad"] for p in protokoll["paragrafer"]):
            att.attempt("protokoll, omedelbart justerade (pdf)", lambda f: write_document(
                protokoll_document(store, meeting_id, True, only_omedelbara=True), "pdf", f / "omedelbara.pdf",
                branding))
        if utdrag:
            for p in protokoll["paragrafer"]:
                if p["sekretess"]:
                    # No person has confirmed an address: the utdrag of a secret § must be refused.
                    att.attempt(f"utdrag § {p['nr']} (sekretess, utan bekräftad adress)", lambda f, nr=p["nr"]:
                                write_document(utdrag_document(store, meeting_id, nr, None, bestyrkt_datum=BESTYRKT),
                                               "pdf", f / "utdrag.pdf", branding), must_refuse=True)
                    for m in p["mottagare"]:
                        att.attempt(f"utdrag § {p['nr']} till {m['namn']} (sekretess, obekräftad)",
                                    lambda f, nr=p["nr"], name=m["namn"]: write_document(
                                        utdrag_document(store, meeting_id, nr, name, bestyrkt_datum=BESTYRKT), "pdf",
                                        f / "utdrag.pdf", branding), must_refuse=not m["adress_bekraftad"])
                elif p["arende_id"]:
                    att.attempt(f"utdrag § {p['nr']}", lambda f, nr=p["nr"]: write_document(
                        utdrag_document(store, meeting_id, nr, None, bestyrkt_datum=BESTYRKT), "pdf",
                        f / "utdrag.pdf", branding))
    meeting = store.meeting(meeting_id)
    if period is None:
        day = dt.date.fromisoformat(meeting["datum"])
        period = ((day - dt.timedelta(days=90)).isoformat(), day.isoformat())
    for fmt in formats:
        att.attempt(f"diarieutdrag ({fmt})", lambda f, fmt=fmt: write_document(
            diary_extract_document(store, meeting["namnd_id"], *period, True), fmt, f / f"diarium.{fmt}", branding),
            osl_mode="list")
    att.attempt("delegationsbeslut (lista)", lambda f: write_document(
        delegationsbeslut_document(store, meeting_id, True, branding), "pdf", f / "delegationsbeslut.pdf", branding),
        osl_mode="list")
    if export:
        att.attempt("utbytesfil (offentlig)", lambda f: export_meeting(store, meeting_id, f / "offentlig.json",
                                                                       public=True))
    if drafts:
        att.attempt("e-postutkast", lambda f: write_eml_drafts(store, meeting_id, f), osl_mode="pack")


# =================================================================================================================
# Generated meetings
# =================================================================================================================


def text_pdf(lines: list[str], *, invariant: bool = True) -> bytes:
    """A one-page PDF with these lines in DejaVu Sans (any script, so a planted string is drawn as written)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=int(invariant))
    canvas.setFont(_dejavu(), 10)
    y = 760
    for line in lines:
        for part in line.split("\n"):
            canvas.drawString(60, y, part)
            y -= 14
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def resaved(pdf: bytes) -> bytes:
    """The same pages saved again: other bytes (new object layout, new metadata, no compression), same text."""
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        opened.docinfo[Name.Producer] = "Ett annat program"
        opened.docinfo[Name.Title] = "Kopia"
        buffer = io.BytesIO()
        opened.save(buffer, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                    fix_metadata_version=False, deterministic_id=True)
        return buffer.getvalue()


FILLER = ("Handlingen beskriver förhållandena i ärendet så som de framkommit under utredningen och de samtal "
          "som förts med de berörda under hösten, tillsammans med de bedömningar som gjorts av handläggaren")


@dataclass
class Plan:
    datum: dt.date
    child: str
    guardian: str
    place: str
    code: str
    topics: list[str]
    secret_nr: int

    @property
    def year(self) -> int:
        return self.datum.year

    @property
    def secret_title(self) -> str:
        return f"Placering av {self.child} i {self.place}"

    @property
    def secret_dnr(self) -> str:
        return f"{KOD}/{self.year}:{self.secret_nr}"

    @property
    def standalone_title(self) -> str:
        return f"Information om {self.child}s skolgång"

    def secret_file_lines(self) -> list[str]:
        """The secret file's text: no name and no title in it, so only its content can give it away."""
        return [f"Underlag {self.code} för bedömning av behovet av skydd och stöd i hemmet",
                f"Enligt underlaget {self.code} har behovet av stöd ökat under perioden efter flytten",
                f"{FILLER} {self.code} och som ligger till grund för förslaget i detta ärende",
                f"Slutsats {self.code}: fortsatt insats behövs enligt handläggarens samlade bedömning i ärendet"]

    def public_title(self, k: int) -> str:
        return f"Yttrande över remiss om {self.topics[k]}"

    def public_dnr(self, k: int) -> str:
        return f"{KOD}/{self.year}:{k + 1}"


names = st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)).map(" ".join)


@st.composite
def plans(draw) -> Plan:
    child = draw(names)
    guardian = draw(names.filter(lambda n: n.split()[0] != child.split()[0] and n.split()[1] != child.split()[1]))
    day = draw(st.dates(dt.date(2023, 2, 1), dt.date(2025, 11, 30)))
    topics = draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=2, unique=True))
    return Plan(day, child, guardian, draw(st.sampled_from(PLACES)), draw(st.sampled_from(CODEWORDS))
                + str(draw(st.integers(10, 99))), topics, draw(st.integers(len(topics) + 1, 60)))


def meeting_data(plan: Plan) -> tuple[dict, dict[str, bytes]]:
    """The meeting as an exchange file (to edit before importing) and its bilagor by path."""
    items = [{"nr": 1, "rubrik": "Upprop", "typ": "standard"},
             {"nr": 2, "rubrik": "Val av justerare", "typ": "standard"}]
    arenden, files = [], {}
    for k, topic in enumerate(plan.topics):
        title, dnr, fil = plan.public_title(k), plan.public_dnr(k), f"bilagor/remiss-{k + 1}.pdf"
        items.append({"nr": len(items) + 1, "rubrik": title, "typ": "arende", "diarienummer": dnr})
        files[fil] = text_pdf([f"Remiss om {topic}", "Kommunstyrelsen önskar nämndens synpunkter på förslaget.",
                               "Svar senast om en månad."])
        arenden.append({
            "diarienummer": dnr, "rubrik": title, "status": "klart_for_namnd",
            "tjansteskrivelse": {
                "forvaltning": "Socialförvaltningen", "rubrik": title, "mottagare": ORGAN,
                "forslag_till_beslut": [f"Socialnämnden antar förvaltningens yttrande om {topic}."],
                "sammanfattning": f"Förvaltningen har tagit del av remissen om {topic} och föreslår ett yttrande.",
                "avsnitt": [], "handlingar": [f"Remiss om {topic}"],
                "undertecknare": [{"namn": SIGNER, "titel": "Förvaltningschef"}],
                "beslutet_skickas_till": [{"namn": "Kommunstyrelsen", "adress": "Stadshuset"}],
            },
            "bilagor": [{"titel": f"Remiss om {topic}", "fil": fil}],
        })
    items.append({"nr": len(items) + 1, "rubrik": plan.secret_title, "typ": "arende",
                  "diarienummer": plan.secret_dnr, "sekretess": {"lagrum": OSL},
                  "anteckning": f"Gäller {plan.child}, vårdnadshavare {plan.guardian}"})
    files["bilagor/utredning.pdf"] = text_pdf(plan.secret_file_lines())
    arenden.append({
        "diarienummer": plan.secret_dnr, "rubrik": plan.secret_title, "sekretess": {"lagrum": OSL},
        "status": "klart_for_namnd",
        "tjansteskrivelse": {
            "forvaltning": "Socialförvaltningen", "rubrik": plan.secret_title, "mottagare": ORGAN,
            "forslag_till_beslut": [f"Socialnämnden beslutar att {plan.child} placeras i {plan.place}."],
            "sammanfattning": f"{plan.guardian} har ansökt om stöd för {plan.child}.",
            "avsnitt": [], "handlingar": ["Utredning"],
            "undertecknare": [{"namn": SIGNER, "titel": "Förvaltningschef"}],
            "beslutet_skickas_till": [{"namn": plan.guardian, "adress": "Storgatan 1, 641 30 Katrineholm"},
                                      {"namn": "Akten"}],
        },
        "bilagor": [{"titel": "Utredning", "fil": "bilagor/utredning.pdf"}],
    })
    items.append({"nr": len(items) + 1, "rubrik": plan.standalone_title, "typ": "arende", "sekretess": True,
                  "anteckning": f"Muntlig information om {plan.child}"})
    items.append({"nr": len(items) + 1, "rubrik": "Anmälan av delegationsbeslut", "typ": "standard"})
    items.append({"nr": len(items) + 1, "rubrik": "Meddelanden", "typ": "standard"})
    data = {
        "format": "namndtool.meeting/1",
        "namnd": {"namn": ORGAN, "kod": KOD, "forvaltning": "Socialförvaltningen", "kommun": "Katrineholms kommun"},
        "sammantrade": {"organ": ORGAN, "datum": plan.datum.isoformat(), "tid": "13:00", "plats": "Solrosen",
                        "ordforande": {"namn": STAFF[1][0], "parti": STAFF[1][1]},
                        "forhinder_anmals_till": {"namn": "Sekreteraren Sund", "epost": "sekreterare@example.se"}},
        "dagordning": items,
        "arenden": arenden,
    }
    return data, files


def write_meeting_file(folder: Path, data: dict, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    path = folder / "sammantrade.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def arende_id_of(store: Store, number: str) -> int:
    return next(a["id"] for a in store.list_arenden() if a["diarienummer"] == number)


def add_roster(store: Store, meeting_id: int) -> None:
    """Members with e-mail, so the e-mail drafts are written."""
    meeting = store.meeting(meeting_id)
    for namn, parti, epost in STAFF:
        person = store.ensure_person(namn, parti=parti, roll="ledamot")
        store.update_person(person, {"epost": epost})
        store.add_seat(person, meeting["organ_id"], "ledamot", f"{meeting['datum'][:4]}-01-01")


def complete_protokoll(store: Store, meeting_id: int) -> None:
    """Header, attendance and a decision in every § (as an ordinary secretary fills them in)."""
    day = dt.date.fromisoformat(store.meeting(meeting_id)["datum"])
    store.save_protokoll_header(meeting_id, sekreterare="Sekreteraren Sund", justering_plats="Kansliet",
                                justering_datum=(day + dt.timedelta(days=5)).isoformat(),
                                forvaringsplats="Socialförvaltningen", justerare=[f"{STAFF[0][0]} ({STAFF[0][1]})"])
    store.save_narvaro(meeting_id, [
        {"namn": STAFF[1][0], "roll": "ordforande", "parti": STAFF[1][1], "tjanstgor": 1},
        {"namn": STAFF[0][0], "roll": "ledamot", "parti": STAFF[0][1], "tjanstgor": 1},
    ])
    for p in store.protokoll(meeting_id)["paragrafer"]:
        if not p["beslut"]:
            store.save_paragraf(p["id"], {}, beslut=[f"Socialnämnden lägger punkt {p['dagordning_nr']} till "
                                                     "handlingarna."])


@dataclass
class Built:
    store: Store
    meeting_id: int
    plan: Plan
    secrets: Secrets
    public_arende: int
    secret_arende: int
    in_period: str            # a date in the Meddelanden period and the diary extract's period


def build(folder: Path, plan: Plan, *, edit=None, paragraphs: bool = True) -> Built:
    """Import the generated meeting (``edit(data, files)`` may change it first), add the register around it (diary
    entries in the Meddelanden period, delegationsbeslut, members with e-mail), and the protokoll's §§."""
    data, files = meeting_data(plan)
    if edit is not None:
        edit(data, files)
    store = Store.open(folder / "register.sqlite")
    meeting_id = import_meeting(store, write_meeting_file(folder / "in", data, files)).meeting_id
    add_roster(store, meeting_id)
    namnd_id = store.the_namnd()["id"]
    public_arende = arende_id_of(store, plan.public_dnr(0))
    secret_arende = arende_id_of(store, plan.secret_dnr)
    in_period = (plan.datum - dt.timedelta(days=15)).isoformat()
    store.register_handling(public_arende, riktning="in", beskrivning="Remissvar från Länsstyrelsen",
                            datum=in_period, motpart="Länsstyrelsen")
    store.register_handling(secret_arende, riktning="in", beskrivning=f"Anmälan om oro för {plan.child}",
                            datum=in_period, motpart=plan.guardian)
    store.register_delegationsbeslut(namnd_id, {
        "datum": in_period, "beslutsfattare": SIGNER, "delegationspunkt": "3.1",
        "beskrivning": f"Beslut om tillfällig placering av {plan.child}", "arende_id": secret_arende,
        "sekretess": 1, "sekretess_lagrum": OSL})
    store.register_delegationsbeslut(namnd_id, {
        "datum": in_period, "beslutsfattare": SIGNER, "delegationspunkt": "1.2",
        "beskrivning": "Beslut om attest av fakturor", "arende_id": public_arende})
    if paragraphs:
        store.create_paragraphs(meeting_id)
        complete_protokoll(store, meeting_id)
    secrets = Secrets()
    secrets.phrase(plan.secret_title, "den hemliga ärendemeningen")
    secrets.phrase(plan.child, "barnets namn (ur den hemliga rubriken)")
    secrets.phrase(plan.guardian, "motparten/mottagaren i sekretessärendet")
    secrets.phrase(plan.standalone_title, "rubriken på den hemliga punkten utan ärende")
    for line in plan.secret_file_lines():
        secrets.phrase(line, "text ur den hemliga filen")
    secrets.numbers[plan.secret_dnr] = "sekretessärendets diarienummer"
    return Built(store, meeting_id, plan, secrets, public_arende, secret_arende, in_period)


def fixed_plan() -> Plan:
    return Plan(dt.date(2024, 5, 15), "Tindra Rosenqvist", "Ebbe Halvarsson", "Hjo", "zorblax42",
                ["folkhälsa"], 7)


# =================================================================================================================
# 1. Secrecy set after the § exists
# =================================================================================================================


def _sample_roster(store: Store, meeting_id: int) -> None:
    meeting = store.meeting(meeting_id)
    members = [("Martin Edgélius", "M", "martin@example.se"), ("Eva Lindqvist", "S", "eva@example.se")]
    for namn, parti, epost in members:
        person = store.ensure_person(namn, parti=parti, roll="ledamot")
        store.update_person(person, {"epost": epost})
        store.add_seat(person, meeting["organ_id"], "ledamot", "2023-01-01")


def _budget_secrets(store: Store, meeting_id: int) -> Secrets:
    """The budget ärende (item 6) as a secret: title, number, its tjänsteskrivelse and the lines of its files that
    are in no other item's file (a sentence the årsredovisning shares with the budget is not the budget's secret)."""
    secrets = Secrets()
    secrets.phrase(BUDGET_TITLE, "ärendemeningen i det nu hemliga budgetärendet")
    secrets.phrase(BUDGET_TEXT, "tjänsteskrivelsen i det nu hemliga budgetärendet")
    secrets.numbers[BUDGET] = "det nu hemliga budgetärendets diarienummer"
    budget = next(i for i in store.agenda(meeting_id) if i["nr"] == 6)
    own = {b["sha256"] for b in store.bilagor(budget["arende_id"])}
    others = []
    for item in store.agenda(meeting_id):
        if item["arende_id"] and item["arende_id"] != budget["arende_id"]:
            for b in store.bilagor(item["arende_id"]):
                if b["sha256"] not in own:
                    others.append(squash(" ".join(file_lines(store.file_path(b["sha256"]).read_bytes(), 0))))
    public_text = "\n".join(others)
    for sha in sorted(own):
        lines = [line for line in file_lines(store.file_path(sha).read_bytes(), 8) if squash(line) not in public_text]
        for line in lines[:40]:
            secrets.phrase(line, "text ur en fil i det nu hemliga budgetärendet")
    return secrets


@pytest.mark.parametrize("what", ["ärende", "punkt utan ärende"])
def test_secrecy_set_after_the_paragraph_exists(what):
    """Attack 1: the protokoll is written (§§ with decisions, one omedelbart justerad) while a matter is public;
    then the ärende (sample item 6, the budget) or a stand-alone item with a telling title is made secret. The
    attacker then asks for every public output: protokoll (pdf, docx, omedelbart justerade), the utdrag of that §
    (must be refused: no person has confirmed an address), the diary extract, kallelse, pack, exchange file, e-mail
    drafts. None may show the title, number, names, decision text or files of the now secret matter."""
    child, place = "Tindra Rosenqvist", "Hjo"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with Store.open(tmp / "register.sqlite") as store:
            meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
            _sample_roster(store, meeting_id)
            telling = f"Information om {child}s placering i {place}"
            if what == "punkt utan ärende":
                agenda = store.agenda(meeting_id)
                store.save_agenda(meeting_id, [*agenda, {"nr": len(agenda) + 1, "rubrik": telling,
                                                         "typ": "standard", "sekretess": 0}])
            store.create_paragraphs(meeting_id)
            complete_sample_protokoll(store, meeting_id)
            guardian = "Vårdnadshavare Ödmark"
            recipient = store.ensure_recipient(guardian, "Storgatan 12 B, 641 30 Katrineholm", None)
            if what == "ärende":
                target = store.paragraf_by_number(meeting_id, 6)
                secrets = _budget_secrets(store, meeting_id)
                budget_id = next(i for i in store.agenda(meeting_id) if i["nr"] == 6)["arende_id"]
                store.register_handling(budget_id, riktning="in", beskrivning=f"Skrivelse om {child}",
                                        datum="2023-02-01", motpart=guardian)
            else:
                target = store.paragraf_by_number(meeting_id, len(store.agenda(meeting_id)))
                secrets = Secrets()
                secrets.phrase(telling, "rubriken på den nu hemliga punkten")
            secrets.phrase(child, "barnets namn (i rubrik och beslut i den nu hemliga paragrafen)")
            secrets.phrase(guardian, "mottagaren av den nu hemliga paragrafen")
            store.save_paragraf(target["id"], {"omedelbart_justerad": 1},
                                beslut=[f"Socialnämnden beslutar att {child} ska få stöd i {place}."],
                                mottagare=[*target["mottagare"], {"mottagare_id": recipient}])
            p5 = store.paragraf_by_number(meeting_id, 5)
            store.save_paragraf(p5["id"], {"omedelbart_justerad": 1})

            if what == "ärende":
                operations.seal_arende(store, target["arende_id"], OSL)
            else:
                store.save_paragraf(target["id"], {"sekretess": 1, "sekretess_lagrum": OSL})
            assert store.paragraf_by_number(meeting_id, target["nr"])["sekretess"] == 1

            att = Attacker(store, tmp / "ut", secrets)
            produce_public_outputs(att, store, meeting_id, period=("2023-01-01", "2023-03-31"),
                                   tjansteskrivelser=False)
            att.assert_no_leak()
            refused_utdrag = [o for o in att.outcomes
                              if o.status == "vägrad" and o.label.startswith(f"utdrag § {target['nr']} ")]
            assert refused_utdrag, "the utdrag of the now secret § was not refused"


# =================================================================================================================
# 2. A re-import that tries to lift secrecy
# =================================================================================================================


@pytest.mark.parametrize("how", ["null", "false", "utan diarienummer"])
def test_a_reimport_cannot_lift_secrecy(how, sample_copy, tmp_path):
    """Attack 2: the exchange file is edited so that the secret stand-alone item 4 says ``"sekretess": null`` (or
    false) with a telling title, and the budget ärende, sealed in the store in the meantime, comes back with
    ``"sekretess": null`` (or false) on the ärende and on its agenda item 6, or without its diary number (as a file
    from a system that lost the number would). After the re-import the attacker asks for the public outputs
    (kallelse, pack, protokoll, utdrag, diary extract, delegationsbeslut, exchange file; the e-mail drafts carry the
    same pack and are left out for time): the item and the ärende must still be secret in all of them.

    LEAK FOUND (kept failing on purpose): [utan diarienummer] — the importer makes a NEW public ärende with the
    sealed ärende's title and tjänsteskrivelse and links agenda item 6 to it, so item 6 is public again: the
    kallelse, the pack (contents, bookmark, tjänsteskrivelse page), the protokoll, the utdrag of § 6 and the
    exchange file show the sealed budget ärende's title and its tjänsteskrivelse text. The gate does not object:
    the twin's title is now a "public title", which removes the sealed title from what it looks for."""
    value = {"null": None, "false": False, "utan diarienummer": None}[how]
    child = "Majken Sundelin"
    telling = f"Placering av {child} i familjehem"
    with Store.open(tmp_path / "register.sqlite") as store:
        meeting_id = import_meeting(store, sample_copy).meeting_id
        _sample_roster(store, meeting_id)
        budget_id = next(i for i in store.agenda(meeting_id) if i["nr"] == 6)["arende_id"]
        operations.seal_arende(store, budget_id, OSL)
        store.register_handling(budget_id, riktning="in", beskrivning="Skrivelse om budgeten", datum="2023-02-01",
                                motpart="Idun Kvarnström")
        secrets = _budget_secrets(store, meeting_id)

        data = json.loads(sample_copy.read_text(encoding="utf-8"))
        data["dagordning"][3]["sekretess"] = value
        data["dagordning"][3]["rubrik"] = telling
        data["dagordning"][5]["sekretess"] = value
        budget = next(a for a in data["arenden"] if a["diarienummer"] == BUDGET)
        budget["sekretess"] = value
        if how == "utan diarienummer":
            budget["diarienummer"] = None
            data["dagordning"][5]["diarienummer"] = None
        sample_copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        try:
            import_meeting(store, sample_copy)
        except NamndtoolError:
            pass   # refusing the re-import is as good as ignoring its claim
        assert store.arende(budget_id)["sekretess"] == 1
        agenda = {i["nr"]: i for i in store.agenda(meeting_id)}
        assert agenda[4]["sekretess"] == 1

        store.create_paragraphs(meeting_id)
        complete_sample_protokoll(store, meeting_id)
        secrets.phrase(telling, "den nya rubriken på hemliga punkt 4")
        secrets.phrase(child, "barnets namn i den nya rubriken på punkt 4")
        secrets.phrase("Idun Kvarnström", "motparten i det hemliga budgetärendet")
        att = Attacker(store, tmp_path / "ut", secrets)
        produce_public_outputs(att, store, meeting_id, period=("2023-01-01", "2023-03-31"), formats=("pdf",),
                               tjansteskrivelser=False, drafts=False)
        att.assert_no_leak()
        assert agenda[6]["sekretess"] == 1, "item 6 (the sealed budget ärende) became a public item"


# =================================================================================================================
# 3. One file on a secret and on a public item
# =================================================================================================================


HOMES = ["ett annat sekretessärende", "mötets sekretessärende"]


@pytest.mark.slow
@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize("copy", ["samma byte", "sparad igen"])
@slow(1)
@given(plan=plans(), secret_first=st.booleans())
@example(plan=fixed_plan(), secret_first=True)
def test_one_file_on_a_secret_and_a_public_item(copy, home, plan, secret_first):
    """Attack 3: a secret investigation (a PDF) belongs to a secret ärende: either another ärende that is NOT on the
    meeting (``register_arende(sekretess=1)`` + ``add_handling(path=...)``, registered before or after the meeting
    is imported) or the meeting's own secret ärende (its bilaga). The same file, as the same bytes or as the same
    pages saved again (other bytes, same text), is also attached as a bilaga of a public ärende on the agenda. The
    public pack, the exchange file with its bilagor/, and the e-mail drafts must not carry the file's text, nor the
    secret ärende's title, number or counterpart.

    LEAK FOUND (kept failing on purpose, for the core to fix): [sparad igen-ett annat sekretessärende] — the
    re-saved copy's text goes out in the public pack, in bilagor/ of the public exchange file and in every e-mail
    draft. The same bytes are kept out (by SHA-256), and a re-saved copy of the meeting's OWN secret file is caught
    by content; a secret file of an ärende that is not on the meeting is compared by SHA-256 only."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        secret_pdf = text_pdf(plan.secret_file_lines())
        public_pdf = secret_pdf if copy == "samma byte" else resaved(secret_pdf)
        assert (public_pdf == secret_pdf) == (copy == "samma byte")
        (tmp / "utredning.pdf").write_bytes(secret_pdf)
        other_title = f"Utredning om {plan.child} i {plan.place}"
        other_number = {}

        def register_secret(store):
            # Registered the year before, so its number cannot be one the meeting file uses.
            other = store.register_arende(store.the_namnd()["id"], other_title,
                                          today=dt.date(plan.year - 1, 11, 2), sekretess=1, sekretess_lagrum=OSL)
            other_number["dnr"] = other["diarienummer"]
            store.add_handling(other["id"], {"riktning": "in", "beskrivning": "Utredning", "motpart": plan.guardian,
                                             "datum": (plan.datum - dt.timedelta(days=30)).isoformat()},
                               by="x", path=tmp / "utredning.pdf")

        def attach(data, files):
            files["bilagor/underlag.pdf"] = public_pdf
            data["arenden"][0]["bilagor"].append({"titel": "Underlag", "fil": "bilagor/underlag.pdf"})
            if home == HOMES[0]:
                # The meeting's own secret ärende keeps no file: the file's only secret home is the other ärende.
                data["arenden"][-1]["bilagor"] = []
            else:
                assert files["bilagor/utredning.pdf"] == secret_pdf

        if home == HOMES[0] and secret_first:
            folder = tmp / "m"
            folder.mkdir()
            with Store.open(folder / "register.sqlite") as store:
                store.save_namnd(KOD, ORGAN, forvaltning="Socialförvaltningen")
                register_secret(store)
            built = build(folder, plan, edit=attach)
        else:
            built = build(tmp / "m", plan, edit=attach)
            if home == HOMES[0]:
                register_secret(built.store)
        with built.store as store:
            secrets = built.secrets
            if other_number:
                secrets.phrase(other_title, "ärendemeningen i sekretessärendet som filen hör till")
                secrets.numbers[other_number["dnr"]] = "diarienumret för sekretessärendet som filen hör till"
            att = Attacker(store, tmp / "ut", secrets)
            produce_public_outputs(att, store, built.meeting_id, formats=("pdf",), tjansteskrivelser=False)
            att.assert_no_leak()


# =================================================================================================================
# 4. Personnummer in every written form, in every text field that reaches a public output
# =================================================================================================================

PLACEMENTS = ["sammanfattning", "beslut", "diarieanteckning", "delegationsbeslut", "bilaga",
              "bilagans titel och filnamn"]


@pytest.mark.slow
@slow(6)
@given(born=st.dates(dt.date(1931, 1, 1), dt.date(2019, 12, 31)), serial=st.integers(0, 999),
       form=st.sampled_from(PNR_FORMS), placement=st.sampled_from(PLACEMENTS))
def test_personnummer_in_every_form_and_place(born, serial, form, placement):
    """Attack 4: a personnummer (a real date and a birth number, written in one of many forms: dashes of every
    kind, spaces, NBSP, invisible characters inside, dots, digit groups, a line break, fullwidth or Arabic-Indic
    digits, 12 digits, samordningsnummer, a wrong check digit) is typed into a public text field: a
    tjänsteskrivelse's sammanfattning, a § decision, a diary entry's description, a delegationsbeslut, the text of
    a public bilaga, or a public bilaga's title and file name. Every public output must be refused or free of the
    number."""
    _personnummer_attack(make_pnr(born, serial, form), placement)


@pytest.mark.parametrize("form", PNR_FORMS)
def test_every_personnummer_form_in_a_decision_and_a_diary_entry(form):
    """Attack 4, every form once: the number is written in a public § decision and in a diary entry's description
    (the public protokoll, utdrag, diary extract and Meddelanden), so no form is left to chance."""
    planted = make_pnr(dt.date(1987, 6, 23), 413, form)
    _personnummer_attack(planted, "beslut+diarieanteckning")


def _personnummer_attack(planted: Planted, placement: str) -> None:
    plan = fixed_plan()
    sentence = f"Uppgiften gäller {planted.written} enligt underlaget."

    def edit(data, files):
        if placement == "sammanfattning":
            data["arenden"][0]["tjansteskrivelse"]["sammanfattning"] += f"\n\n{sentence}"
        if placement == "bilaga":
            files["bilagor/remiss-1.pdf"] = text_pdf(["Remiss", sentence, "Slut på remissen."])
        if placement == "bilagans titel och filnamn":
            bilaga = data["arenden"][0]["bilagor"][0]
            plain = f"{planted.digits[:6]}-{planted.digits[6:]}"
            files[f"bilagor/remiss {plain}.pdf"] = files.pop(bilaga["fil"])
            bilaga.update(titel=f"Remiss om {planted.written}", fil=f"bilagor/remiss {plain}.pdf")
            data["arenden"][0]["tjansteskrivelse"]["handlingar"] = [bilaga["titel"]]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = build(tmp / "m", plan, edit=edit)
        with built.store as store:
            meeting_id = built.meeting_id
            places = placement.split("+")
            if "beslut" in places:
                p = next(p for p in store.protokoll(meeting_id)["paragrafer"] if p["arende_id"] == built.public_arende)
                store.save_paragraf(p["id"], {"omedelbart_justerad": 1}, beslut=[*p["beslut"], sentence])
            if "diarieanteckning" in places:
                store.register_handling(built.public_arende, riktning="in", datum=built.in_period,
                                        beskrivning=f"Skrivelse om {planted.written}", motpart="Privatperson")
            if placement == "delegationsbeslut":
                store.register_delegationsbeslut(store.the_namnd()["id"], {
                    "datum": built.in_period, "beslutsfattare": SIGNER, "delegationspunkt": "2.4",
                    "beskrivning": f"Bistånd till {planted.written}", "arende_id": built.public_arende})
            secrets = built.secrets
            secrets.pnrs.append(planted)
            att = Attacker(store, tmp / "ut", secrets)
            produce_public_outputs(att, store, meeting_id, formats=("pdf", "docx"),
                                   tjansteskrivelser=placement == "sammanfattning")
            att.assert_no_leak()


# =================================================================================================================
# 5. A public bilaga that hides a personnummer or a name
# =================================================================================================================

HIDING_PLACES = ["FreeText med utseende", "FreeText utan utseende", "ifyllt formulärfält", "länk (mailto)",
                 "sidans /Metadata", "XMP och dokumentinformation", "inbäddad fil", "osynlig text (Tr 3)",
                 "text utanför sidan"]
VISIBLE_PLACES = {"FreeText med utseende", "FreeText utan utseende", "ifyllt formulärfält"}
PAGE_CONTENT = {"osynlig text (Tr 3)", "text utanför sidan"}
"""Text in the page's own content: kept by design (a scan's OCR layer is invisible text), so another person's name
may stay there; a personnummer or a secret name may not."""


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii()).lower()


def hostile_bilaga(place: str, payload: str) -> bytes:
    """A harmless one-page bilaga that carries ``payload`` in one place a reader may or may not see."""
    base = text_pdf(["Statistik över ärenden under perioden", "Antalet ärenden har ökat något."])
    with pikepdf.open(io.BytesIO(base)) as pdf:
        page = pdf.pages[0].obj

        def annotate(**fields):
            annotation = pdf.make_indirect(Dictionary(Type=Name.Annot, **fields))
            if "/Annots" not in page:
                page.Annots = Array()
            page.Annots.append(annotation)
            return annotation

        if place.startswith("FreeText"):
            annotation = annotate(Subtype=Name.FreeText, Rect=[60, 560, 400, 580], F=4, Contents=String(payload),
                                  DA=String("/Helv 10 Tf 0 g"), T=String(payload))
            if place == "FreeText med utseende":
                helv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                                    Encoding=Name.WinAnsiEncoding))
                drawn = payload.encode("cp1252", errors="replace").replace(b"(", b"").replace(b")", b"")
                annotation.AP = Dictionary(N=pdf.make_stream(
                    b"BT /Helv 10 Tf 2 6 Td (" + drawn + b") Tj ET", Type=Name.XObject, Subtype=Name.Form,
                    BBox=[0, 0, 340, 20], Resources=Dictionary(Font=Dictionary(Helv=helv))))
        elif place == "ifyllt formulärfält":
            widget = annotate(Subtype=Name.Widget, FT=Name.Tx, T=String("namn"), V=String(payload),
                              Rect=[60, 520, 400, 540], F=4, DA=String("/Helv 10 Tf 0 g"), P=page)
            pdf.Root.AcroForm = Dictionary(Fields=Array([widget]), NeedAppearances=True,
                                           DA=String("/Helv 0 Tf 0 g"))
        elif place == "länk (mailto)":
            annotate(Subtype=Name.Link, Rect=[60, 480, 400, 500],
                     A=Dictionary(S=Name.URI, URI=String(f"mailto:{payload}")))
        elif place == "sidans /Metadata":
            page.Metadata = pdf.make_stream(f"<x:xmpmeta><dc:description>{payload}</dc:description></x:xmpmeta>"
                                            .encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)
        elif place == "XMP och dokumentinformation":
            pdf.docinfo[Name.Author] = payload
            pdf.docinfo[Name.Keywords] = payload
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["dc:creator"] = [payload]
                meta["dc:description"] = payload
        elif place in PAGE_CONTENT:
            helv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                                Encoding=Name.WinAnsiEncoding))
            resources = page.Resources
            if "/Font" not in resources:
                resources.Font = Dictionary()
            resources.Font.HelvX = helv
            drawn = payload.encode("cp1252", errors="replace").replace(b"(", b"").replace(b")", b"")
            where = b"3 Tr 60 300 Td" if place == "osynlig text (Tr 3)" else b"60 -400 Td"
            pdf.pages[0].contents_add(pdf.make_stream(b"BT /HelvX 10 Tf " + where + b" (" + drawn + b") Tj ET"))
        elif place == "inbäddad fil":
            name = f"{payload}.txt".replace("/", "-")
            pdf.attachments[name] = AttachedFileSpec(pdf, f"Anteckning: {payload}".encode("utf-8"),
                                                     description=payload, filename=name)
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()


@pytest.mark.slow
@slow(1)
@given(plan=plans(), places=st.sets(st.sampled_from(HIDING_PLACES), min_size=1, max_size=3),
       payload_kind=st.sampled_from(["personnummer", "hemligt namn", "annat namn"]),
       born=st.dates(dt.date(1940, 1, 1), dt.date(2019, 12, 31)), serial=st.integers(0, 999),
       form=st.sampled_from(PNR_FORMS[:8]))
@example(plan=fixed_plan(), places=set(HIDING_PLACES) - VISIBLE_PLACES - PAGE_CONTENT,
         payload_kind="personnummer", born=dt.date(1980, 1, 1), serial=123, form="bindestreck")
@example(plan=fixed_plan(), places=set(HIDING_PLACES) - VISIBLE_PLACES - PAGE_CONTENT,
         payload_kind="hemligt namn", born=dt.date(1980, 1, 1), serial=123, form="bindestreck")
@example(plan=fixed_plan(), places=set(HIDING_PLACES) - VISIBLE_PLACES - PAGE_CONTENT,
         payload_kind="annat namn", born=dt.date(1980, 1, 1), serial=123, form="bindestreck")
@example(plan=fixed_plan(), places=PAGE_CONTENT, payload_kind="personnummer",
         born=dt.date(1999, 12, 31), serial=7, form="hårt mellanslag")
@example(plan=fixed_plan(), places=set(HIDING_PLACES), payload_kind="annat namn",
         born=dt.date(1980, 1, 1), serial=123, form="bindestreck")
@example(plan=fixed_plan(), places=VISIBLE_PLACES, payload_kind="personnummer",
         born=dt.date(2012, 3, 4), serial=58, form="mellanslag")
def test_a_public_bilaga_that_hides_a_personnummer_or_a_name(plan, places, payload_kind, born, serial, form):
    """Attack 5: a public bilaga carries a personnummer, the name of the secret ärende's counterpart, or some other
    person's name in a FreeText comment (with and without appearance stream), a filled form field, a mailto link, the
    page's /Metadata, the document's XMP and docinfo, an embedded file named after the person, invisible text
    (render mode 3) or text drawn outside the page. One bilaga per
    hiding place is attached to a public item. The public pack, the exchange file (JSON and every file under
    bilagor/) and the e-mail drafts must not carry the personnummer or the secret name anywhere, and another name
    only where a reader of the bilaga saw it on the page (comments and filled fields are shown, so they may stay)."""
    planted = make_pnr(born, serial, form)
    other = "Kalle Anka"
    payload = {"personnummer": planted.written, "hemligt namn": plan.guardian, "annat namn": other}[payload_kind]

    def attach(data, files):
        for n, place in enumerate(sorted(places)):
            shown = f"{_ascii(payload).replace(' ', '.')}@example.se" if place == "länk (mailto)" else payload
            files[f"bilagor/statistik-{n}.pdf"] = hostile_bilaga(place, shown)
            data["arenden"][0]["bilagor"].append({"titel": f"Statistik {n}", "fil": f"bilagor/statistik-{n}.pdf"})

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = build(tmp / "m", plan, edit=attach, paragraphs=False)
        with built.store as store:
            secrets = built.secrets
            if payload_kind == "personnummer":
                secrets.pnrs.append(planted)
            if payload_kind == "annat namn" and not (places & (VISIBLE_PLACES | PAGE_CONTENT)):
                secrets.phrase(other, "ett namn som bara fanns dolt i bilagan")
            att = Attacker(store, tmp / "ut", secrets)
            branding = load_branding()
            att.attempt("handlingar (offentliga)", lambda f: write_pack(store, built.meeting_id, f / "h.pdf"),
                        osl_mode="pack")
            att.attempt("utbytesfil (offentlig)", lambda f: export_meeting(store, built.meeting_id,
                                                                           f / "offentlig.json", public=True))
            att.attempt("e-postutkast", lambda f: write_eml_drafts(store, built.meeting_id, f, branding),
                        osl_mode="pack")
            att.assert_no_leak()
            if payload_kind == "annat namn":
                # Nothing secret: the pack and the drafts must be written (the hidden name is simply removed).
                assert [o.status for o in att.outcomes if o.label != "utbytesfil (offentlig)"] == ["skriven"] * 2, \
                    att.outcomes


# =================================================================================================================
# 6. Names of a secret matter typed into public texts
# =================================================================================================================

NAME_WRITINGS = {
    "som det är": lambda n: n,
    "versaler": lambda n: n.upper(),
    "hårt mellanslag": lambda n: n.replace(" ", "\u00a0"),
    "dubbla mellanslag": lambda n: n.replace(" ", "  "),
    "radbrytning": lambda n: n.replace(" ", "\n"),
    "mjukt bindestreck inuti": lambda n: n[:3] + "\u00ad" + n[3:],
    "nollbreddsmellanslag inuti": lambda n: n[:2] + "\u200b" + n[2:],
    "helbreddsbokstäver": lambda n: "".join(chr(ord(c) + 0xFEE0) if "A" <= c <= "z" and c.isalpha() else c
                                            for c in n),
}


@pytest.mark.slow
@slow(2)
@given(plan=plans(), who=st.sampled_from(["motpart", "mottagare"]), writing=st.sampled_from(sorted(NAME_WRITINGS)),
       where=st.sampled_from(["tjänsteskrivelse", "beslut"]))
@example(plan=fixed_plan(), who="motpart", writing="hårt mellanslag", where="tjänsteskrivelse")
@example(plan=fixed_plan(), who="mottagare", writing="radbrytning", where="beslut")
@example(plan=fixed_plan(), who="motpart", writing="mjukt bindestreck inuti", where="beslut")
def test_names_of_a_secret_matter_typed_into_public_texts(plan, who, writing, where):
    """Attack 6: the counterpart of a secret ärende's handling (only there), or the recipient of a secret §
    (only there), is typed into a public tjänsteskrivelse or a public § decision, written plainly or disguised
    (capitals, NBSP, a line break, soft hyphen or zero-width space inside, fullwidth letters). Every public output
    must be refused or free of the name."""
    secret_name = {"motpart": "Juni Lindgärde", "mottagare": "Melker Ödmark"}[who]
    if secret_name in (plan.child, plan.guardian):
        return
    written = NAME_WRITINGS[writing](secret_name)
    sentence = f"Frågan har tagits upp av {written} vid ett möte."

    def edit(data, files):
        if where == "tjänsteskrivelse":
            data["arenden"][0]["tjansteskrivelse"]["sammanfattning"] += " " + sentence

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = build(tmp / "m", plan, edit=edit, paragraphs=False)
        with built.store as store:
            if who == "motpart":
                store.add_handling(built.secret_arende, {"riktning": "in", "beskrivning": "Ansökan",
                                                         "motpart": secret_name}, by="x")
            store.create_paragraphs(built.meeting_id)
            complete_protokoll(store, built.meeting_id)
            paragrafer = store.protokoll(built.meeting_id)["paragrafer"]
            if who == "mottagare":
                secret_p = next(p for p in paragrafer if p["arende_id"] == built.secret_arende)
                added = store.ensure_recipient(secret_name, "Lillgatan 3, 641 31 Katrineholm", None)
                store.save_paragraf(secret_p["id"], {}, mottagare=[*secret_p["mottagare"], {"mottagare_id": added}])
            if where == "beslut":
                public_p = next(p for p in paragrafer if p["arende_id"] == built.public_arende)
                store.save_paragraf(public_p["id"], {}, beslut=[*public_p["beslut"], sentence])
            secrets = built.secrets
            secrets.phrase(secret_name, f"namnet ({who}) i sekretessärendet")
            att = Attacker(store, tmp / "ut", secrets)
            produce_public_outputs(att, store, built.meeting_id, formats=("pdf", "docx"),
                                   tjansteskrivelser=where == "tjänsteskrivelse")
            att.assert_no_leak()


NUMBER_WRITINGS = {
    "KOD/ÅÅÅÅ:N": lambda kod, year, nr: f"{kod}/{year}:{nr}",
    "nollor före numret": lambda kod, year, nr: f"{kod}/{year}:{nr:03d}",
    "mellanslag runt snedstreck och kolon": lambda kod, year, nr: f"{kod} / {year} : {nr}",
    "utan snedstreck": lambda kod, year, nr: f"{kod}{year}:{nr}",
    "mellanslag i stället för snedstreck": lambda kod, year, nr: f"{kod} {year}:{nr}",
    "bindestreck i stället för kolon": lambda kod, year, nr: f"{kod}/{year}-{nr}",
    "gemener": lambda kod, year, nr: f"{kod.lower()}/{year}:{nr}",
}


NUMBER_CASES = [(writing, "beslut") for writing in NUMBER_WRITINGS] + [("KOD/ÅÅÅÅ:N", "tjänsteskrivelse")]


@pytest.mark.parametrize("writing,where", NUMBER_CASES, ids=[f"{w}-{p}" for w, p in NUMBER_CASES])
def test_the_secret_arendes_number_typed_into_public_texts(writing, where):
    """Attack 6, numbers: the diary number of the meeting's own secret ärende (whose incoming letter is listed in
    the meeting's Meddelanden, as OSL 5:2 allows) is typed into a public § decision or a public tjänsteskrivelse
    ("Ärendet hänger samman med SOCN/2024:7"), written as the program writes it or as people do (without the slash,
    as in the sample's own Meddelanden text "SOCN2023:68", "SOCN 2024:7", "SOCN/2024-7", leading zeros, lower
    case). No public output other than the OSL 5:2 lists may tie that number to a public matter: refused, or
    written without it (in the pack the number may stand on the Meddelanden and delegationsbeslut pages only).

    LEAKS FOUND (kept failing on purpose): [utan snedstreck-beslut], [mellanslag i stället för snedstreck-beslut],
    [bindestreck i stället för kolon-beslut] — the gate only knows numbers written with "/" and ":", so the public
    protokoll, the utdrag and the exchange file are written with the number. [KOD/ÅÅÅÅ:N-tjänsteskrivelse] — the
    pack allows a number the Meddelanden list shows on EVERY page, so the public tjänsteskrivelse page in the pack
    (and the e-mail drafts) carries it, while the same tjänsteskrivelse on its own is refused."""
    plan = fixed_plan()
    written = NUMBER_WRITINGS[writing](KOD, plan.year, plan.secret_nr)
    sentence = f"Ärendet hänger samman med {written}."

    def edit(data, files):
        if where == "tjänsteskrivelse":
            data["arenden"][0]["tjansteskrivelse"]["sammanfattning"] += " " + sentence

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = build(tmp / "m", plan, edit=edit)
        with built.store as store:
            if where == "beslut":
                public_p = next(p for p in store.protokoll(built.meeting_id)["paragrafer"]
                                if p["arende_id"] == built.public_arende)
                store.save_paragraf(public_p["id"], {}, beslut=[*public_p["beslut"], sentence])
            att = Attacker(store, tmp / "ut", built.secrets)
            produce_public_outputs(att, store, built.meeting_id, formats=("pdf",), drafts=where != "beslut",
                                   tjansteskrivelser=where == "tjänsteskrivelse")
            att.assert_no_leak()


MASKS = {
    "identisk": lambda title: title,
    "punkt på slutet": lambda title: title + ".",
    "mjukt bindestreck inuti": lambda title: title[:5] + "\u00ad" + title[5:],
    "annat citattecken och tankstreck": lambda title: title.replace(" ", " – ", 1),
}


MASK_CASES = [("identisk", True), ("identisk", False), ("punkt på slutet", False), ("mjukt bindestreck inuti", False),
              ("annat citattecken och tankstreck", True)]


@pytest.mark.parametrize("mask,short", MASK_CASES,
                         ids=[f"{m}-{'kort' if short else 'lång'} rubrik" for m, short in MASK_CASES])
def test_a_public_title_that_is_no_mask(mask, short):
    """Attack 2/6, the public title: a secret ärende (not on the meeting) gets an offentlig_rubrik that is its
    secret title again: copied as it is, or with a full stop, a soft hyphen or a dash added (as an import from
    another system or a hurried copy-paste does). It has an incoming letter in the Meddelanden period and a secret
    delegationsbeslut. The lists made under OSL 5 kap. 2 § (diary extract, delegationsbeslut on its own, the pack
    with its Meddelanden and delegationsbeslut, the e-mail drafts) may show its number, never its secret title.

    LEAKS FOUND (kept failing on purpose): [identisk-kort rubrik] — the pack's delegationsbeslut page and the
    e-mail drafts show the 3-word title (the list on its own is refused); [punkt på slutet], [mjukt bindestreck
    inuti], [annat citattecken och tankstreck] — every list shows the title, because a public title that differs
    from the secret one only by punctuation or an invisible character counts as a real mask, and as a public title
    that the gate then no longer looks for."""
    plan = fixed_plan()
    title = f"LVU {plan.child}" if short else f"Vård enligt LVU för {plan.child} i {plan.place}"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = build(tmp / "m", plan, paragraphs=False)
        with built.store as store:
            namnd_id = store.the_namnd()["id"]
            other = store.register_arende(namnd_id, title, today=plan.datum - dt.timedelta(days=60), sekretess=1,
                                          sekretess_lagrum=OSL, offentlig_rubrik=MASKS[mask](title))
            store.register_handling(other["id"], riktning="in", beskrivning="Anmälan", datum=built.in_period,
                                    motpart="Polismyndigheten", sekretess=1, sekretess_lagrum=OSL)
            store.register_delegationsbeslut(namnd_id, {
                "datum": built.in_period, "beslutsfattare": SIGNER, "delegationspunkt": "3.2",
                "beskrivning": "Beslut om omedelbart omhändertagande", "arende_id": other["id"], "sekretess": 1,
                "sekretess_lagrum": OSL})
            secrets = built.secrets
            secrets.phrase(title, "den hemliga rubriken (i en offentlig titel som inte maskerar)")
            att = Attacker(store, tmp / "ut", secrets)
            branding = load_branding()
            fran, till = (plan.datum - dt.timedelta(days=90)).isoformat(), plan.datum.isoformat()
            att.attempt("diarieutdrag (pdf)", lambda f: write_document(
                diary_extract_document(store, namnd_id, fran, till, True), "pdf", f / "d.pdf", branding),
                osl_mode="list")
            att.attempt("delegationsbeslut (lista)", lambda f: write_document(
                delegationsbeslut_document(store, built.meeting_id, True, branding), "pdf", f / "l.pdf", branding),
                osl_mode="list")
            att.attempt("handlingar (offentliga)", lambda f: write_pack(store, built.meeting_id, f / "h.pdf"),
                        osl_mode="pack")
            att.attempt("e-postutkast", lambda f: write_eml_drafts(store, built.meeting_id, f, branding),
                        osl_mode="pack")
            att.assert_no_leak()


def hostile_docx(payload: str) -> bytes:
    """A one-paragraph Word file that hides ``payload`` where a printed page does not show it: a comment, a tracked
    deletion, and the author in the document properties."""
    from docx import Document as WordDocument
    from docx.oxml.ns import qn

    document = WordDocument()
    paragraph = document.add_paragraph("Statistik över ärenden under perioden.")
    document.add_comment(paragraph.runs, text=f"Gäller {payload}", author="Handläggaren")
    deleted = etree.SubElement(paragraph._p, qn("w:del"), {qn("w:id"): "90", qn("w:author"): "Handläggaren",
                                                           qn("w:date"): "2024-01-01T00:00:00Z"})
    run = etree.SubElement(deleted, qn("w:r"))
    etree.SubElement(run, qn("w:delText")).text = f" {payload}"
    document.core_properties.author = payload
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("payload_kind", ["personnummer", "hemligt namn"])
def test_a_public_word_bilaga_that_hides_a_personnummer_or_a_name(payload_kind):
    """Attack 5 for Word: a public bilaga is a .docx that carries a personnummer or the secret counterpart's name
    only in a comment, a tracked deletion and the author property. The public exchange file must be refused, or its
    JSON and every file under bilagor/ must be free of the payload.

    A name that is no secret of the store (an "annat namn") is not asserted here: the public export sends a Word
    bilaga out as a PDF made by LibreOffice and made safe like every public PDF, so its properties go, while its
    comments and tracked changes, which a reader of the Word file sees, stay visible on the page, as a PDF
    bilaga's comments do (flattened). That is the rule for PDFs too; a name in them is a leak only if it is secret."""
    plan = fixed_plan()
    planted = make_pnr(dt.date(1979, 11, 30), 482, "bindestreck")
    payload = {"personnummer": planted.written, "hemligt namn": plan.guardian, "annat namn": "Kalle Anka"}[
        payload_kind]

    def attach(data, files):
        files["bilagor/statistik.docx"] = hostile_docx(payload)
        data["arenden"][0]["bilagor"].append({"titel": "Statistik", "fil": "bilagor/statistik.docx"})

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = build(tmp / "m", plan, edit=attach, paragraphs=False)
        with built.store as store:
            secrets = built.secrets
            if payload_kind == "personnummer":
                secrets.pnrs.append(planted)
            else:
                secrets.phrase(payload, "ett namn som bara fanns dolt i Word-bilagan")
            att = Attacker(store, tmp / "ut", secrets)
            att.attempt("utbytesfil (offentlig)", lambda f: export_meeting(store, built.meeting_id,
                                                                           f / "offentlig.json", public=True))
            att.assert_no_leak()


# =================================================================================================================
# 7. The reverse: ordinary meetings are never refused
# =================================================================================================================


def test_the_sample_meeting_renders_every_public_output_without_refusal(tmp_path):
    """Reverse attack: an honest secretary with the sample meeting (its secret item 4 included) gets every public
    output: kallelse (pdf, docx), pack, tjänsteskrivelser, protokoll (pdf, docx) after the §§ are written,
    omedelbart justerade §§, utdrag of the public §§, diary extract, delegationsbeslut, exchange file, e-mail
    drafts. Nothing may be refused, and none may show item 4's secret matter."""
    with Store.open(tmp_path / "register.sqlite") as store:
        meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
        _sample_roster(store, meeting_id)
        store.create_paragraphs(meeting_id)
        complete_sample_protokoll(store, meeting_id)
        p5 = store.paragraf_by_number(meeting_id, 5)
        store.save_paragraf(p5["id"], {"omedelbart_justerad": 1})
        secrets = Secrets()
        att = Attacker(store, tmp_path / "ut", secrets)
        produce_public_outputs(att, store, meeting_id, period=("2023-01-01", "2023-03-31"))
        att.assert_nothing_refused()
        att.assert_no_leak()


@pytest.mark.slow
@slow(1)
@given(plan=plans())
@example(plan=fixed_plan())
def test_a_generated_meeting_renders_every_public_output_without_refusal(plan):
    """Reverse attack on the generated meetings every attack starts from: with nothing planted, every public output
    is written (so a refusal in an attack is the attack's doing), the secret § 's utdrag is refused for want of a
    confirmed address, and nothing shows the secret ärende, the secret stand-alone item, the counterpart, the
    recipient or the secret file, while the OSL 5:2 lists may show the secret number."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = build(tmp / "m", plan)
        with built.store as store:
            p = next(p for p in store.protokoll(built.meeting_id)["paragrafer"]
                     if p["arende_id"] == built.public_arende)
            store.save_paragraf(p["id"], {"omedelbart_justerad": 1})
            att = Attacker(store, tmp / "ut", built.secrets)
            produce_public_outputs(att, store, built.meeting_id)
            att.assert_no_leak()
            att.assert_nothing_refused()


def _demo(store: Store) -> dict:
    create_demo(store, today=dt.date(2024, 3, 4))
    meetings = {m["organ"] + " " + m["datum"]: m for m in store.meetings()}
    utskott = next(m for m in meetings.values() if "utskott" in m["organ"])
    coming = next(m for m in meetings.values() if "utskott" not in m["organ"] and m["datum"] > "2024")
    return {"sample": next(m for m in meetings.values() if m["datum"] == "2023-02-22"), "utskott": utskott,
            "coming": coming}


def test_the_demo_renders_every_public_output_and_osl_lists_do_not_block_drafts(tmp_path):
    """Reverse attack on the demo: every public output of its three meetings (the coming nämnd meeting with the
    generated Meddelanden and delegationsbeslut, the utskott meeting with three secret cases, the sample meeting)
    is made without a refusal. A secret ärende's incoming letter in the Meddelanden period and a secret
    delegationsbeslut show the diary number with a masked title (OSL 5 kap. 2 §), which must NOT stop the e-mail
    drafts; and neither may show the secret titles or the letter's sender."""
    with Store.open(tmp_path / "register.sqlite") as store:
        meetings = _demo(store)
        secret = [a for a in store.list_arenden() if a["sekretess"]]
        assert secret
        coming = meetings["coming"]
        day = dt.date.fromisoformat(coming["datum"])
        letter_date = (day - dt.timedelta(days=12)).isoformat()
        store.register_handling(secret[0]["id"], riktning="in", beskrivning="Anmälan om oro för ett barn",
                                datum=letter_date, motpart="Saga-Li Nordvik")
        store.register_delegationsbeslut(store.the_namnd()["id"], {
            "datum": letter_date, "beslutsfattare": "Matilda Johansson", "delegationspunkt": "3.1",
            "beskrivning": "Beslut om utredning enligt 11 kap. 1 § SoL", "arende_id": secret[0]["id"],
            "sekretess": 1, "sekretess_lagrum": OSL})
        secrets = Secrets()
        for a in secret:
            secrets.phrase(a["rubrik"], "rubriken på ett sekretessärende i demot")
        secrets.phrase("Saga-Li Nordvik", "avsändaren av en handling i ett sekretessärende")
        secrets.phrase("Vårdnadshavare 1", "mottagaren av sekretessbesluten")
        for key in ("coming", "utskott"):
            meeting_id = meetings[key]["id"]
            store.create_paragraphs(meeting_id)
            complete_protokoll(store, meeting_id)
        for key in ("coming", "utskott"):
            att = Attacker(store, tmp_path / key, secrets)
            produce_public_outputs(att, store, meetings[key]["id"], formats=("pdf", "docx") if key == "coming"
                                   else ("pdf",), tjansteskrivelser=key == "coming")
            att.assert_no_leak()
            att.assert_nothing_refused()
        # The OSL 5:2 list really shows the secret ärende's number (that is what must not block the drafts).
        drafts = sorted((tmp_path / "coming").rglob("*.eml"))
        assert drafts, "no e-mail draft was written for the coming nämnd meeting"
        pages = [t for t in read_output(drafts[0], "pack") if t.osl and "PDFium" in t.where]
        assert any(secret[0]["diarienummer"] in t.text for t in pages), \
            "the Meddelanden in the drafts' pack do not show the secret ärende's number"


# =================================================================================================================
# The command line, as a user types it
# =================================================================================================================


def test_the_command_line_after_secrecy_is_set_late(tmp_path):
    """Attack 1 through the command line: the sample is imported, the §§ written, then the budget ärende is sealed
    with `namndtool case seal`; the user then renders every public output with --public, exports, distributes and
    takes the public diary extract. Each either refuses (exit 1, no file) or writes a file free of the budget
    ärende's title, number and tjänsteskrivelse; the utdrag of the sealed § is refused."""
    db = tmp_path / "r.sqlite"
    with Store.open(db) as store:
        meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
        _sample_roster(store, meeting_id)
        store.create_paragraphs(meeting_id)
        complete_sample_protokoll(store, meeting_id)
        budget_p = store.paragraf_by_number(meeting_id, 6)["nr"]
    sealed = run_cli("case", "seal", BUDGET, "--osl", OSL, db=db)
    assert sealed.returncode == 0, sealed.stderr
    with Store.open(db) as store:
        secrets = _budget_secrets(store, meeting_id)
    out = tmp_path / "ut"
    commands = {
        "kallelse": (["render", "kallelse", "--meeting", str(meeting_id), "--public", "--format", "pdf"], "k.pdf"),
        "handlingar": (["render", "handlingar", "--meeting", str(meeting_id), "--public"], "h.pdf"),
        "protokoll": (["render", "protokoll", "--meeting", str(meeting_id), "--public", "--format", "docx"],
                      "p.docx"),
        "utdrag (sekretess)": (["render", "utdrag", "--meeting", str(meeting_id), "--paragraph", str(budget_p),
                                "--format", "pdf"], "u.pdf"),
        "diarieutdrag": (["diary", "extract", "--from", "2023-01-01", "--to", "2023-03-31", "--public",
                          "--format", "pdf"], "d.pdf"),
        "export": (["export", "--meeting", str(meeting_id), "--public"], "x/offentlig.json"),
        "distribute": (["distribute", "--meeting", str(meeting_id)], "e"),
    }
    leaks, outcomes = [], {}
    for label, (args, target) in commands.items():
        folder = out / label.replace(" ", "_")
        folder.mkdir(parents=True)
        path = folder / target
        flag = "--out"
        result = run_cli(*args, flag, str(path), db=db)
        files = [p for p in folder.rglob("*") if p.is_file()]
        if result.returncode != 0:
            outcomes[label] = f"vägrad ({result.returncode}): {' '.join(result.stderr.split())[:200]}"
            assert "Traceback" not in result.stderr, result.stderr
            if files:
                leaks.append(f"{label}: vägrades men lämnade {files}")
        else:
            outcomes[label] = "skriven"
        osl = {"diarieutdrag": "list", "handlingar": "pack", "distribute": "pack"}.get(label, "never")
        for file in files:
            rel = str(file.relative_to(folder))
            texts = read_output(file, osl) + [Text(f"filnamnet {rel}", rel)]
            leaks += [f"{label}: LÄCKA i {leak}" for leak in secrets.leaks_in(texts)]
    print("\n".join(f"{label}: {outcome}" for label, outcome in outcomes.items()))
    assert not leaks, "\n".join(leaks) + f"\n{outcomes}"
    assert outcomes["utdrag (sekretess)"].startswith("vägrad (1)"), outcomes
    assert outcomes["kallelse"] == "skriven" and outcomes["diarieutdrag"] == "skriven", outcomes


# =================================================================================================================
# The checking side checks itself
# =================================================================================================================


@pytest.mark.parametrize("form", PNR_FORMS)
def test_the_independent_check_sees_every_planted_form(form):
    """The checker is only a proof if it finds what it looks for: every written form is found in plain text, in a
    PDF drawn by reportlab and read back, and is not found in a neighbouring number."""
    planted = make_pnr(dt.date(1987, 6, 23), 413, form)
    secrets = Secrets(pnrs=[planted])
    assert secrets.leaks_in([Text("text", f"Det gäller {planted.written} här.")])
    in_pdf = secrets.leaks_in(read_pdf(text_pdf([f"Det gäller {planted.written} här."]), "pdf"))
    assert in_pdf or not drawable(planted.written), form   # DejaVu has no fullwidth digits: nothing is drawn
    assert not secrets.leaks_in([Text("text", "Det gäller 870624-4131 och 2023-02-22 här.")])


def test_the_independent_check_finds_names_in_hidden_places():
    """A name hidden in each place of a hostile bilaga is found by the readers here (so a clean verdict means
    something)."""
    secrets = Secrets()
    secrets.phrase("Juni Lindgärde", "namn")
    for place in HIDING_PLACES:
        shown = "juni.lindgarde@example.se" if place == "länk (mailto)" else "Juni Lindgärde"
        if place == "länk (mailto)":
            secrets.phrase("juni lindgarde", "namn i adressen")
        assert secrets.leaks_in(read_pdf(hostile_bilaga(place, shown), "pdf")), place
