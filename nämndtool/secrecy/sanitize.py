"""Making a PDF bilaga safe to put into a PUBLIC meeting pack.

A bilaga about children or vulnerable adults may carry a personnummer or a name in places a reader of the page
never sees, or sees only as an overlay that a text check of the page cannot read. ``make_public_safe`` rewrites the
file so that only the pages remain: what a reader saw on a page stays on it, drawn into the page content where the
later personnummer check (PDFium text extraction) reads it; everything else goes.

Annotations and form fields
  * Filled form fields. A reader draws a field from its appearance stream, or from /V when /NeedAppearances is true
    or the widget has none. qpdf (``Pdf.generate_appearance_streams``) sets checkbox and radio states from /V, but
    draws text only in ASCII unless the form's font has a WinAnsi or MacRoman encoding ("Åsa" became "?sa"), on one
    line, and nothing when /DA names no font. So every text and choice widget that needs an appearance gets one
    drawn here with reportlab in DejaVu Sans (any Swedish character, wrapped in multi-line fields, aligned by /Q,
    /MK background and border). Password fields draw nothing, as a reader shows no value.
  * FreeText comments without an appearance stream, which readers draw from /Contents (or the rich text /RC) and
    /DA, get an appearance the same way, inside the /RD margins.
  * Sticky notes (/Text), their /Popup windows, /FileAttachment and /Sound annotations are removed before
    flattening: their text or data was never on the page, only behind an icon.
  * ``Pdf.flatten_annotations(mode="all")`` (qpdf) then draws every annotation that has a normal appearance into
    the page content and removes it. Checked with qpdf 12.4: annotations flagged Hidden or Invisible are removed
    without being drawn; NoView and non-printing ones are drawn; one whose appearance dictionary selects no stream
    (an unchecked box) is removed; one WITHOUT /AP is left in /Annots, as is every widget while /NeedAppearances is
    still true, and /AcroForm is removed only when it is false. So what qpdf leaves is removed here: no page keeps
    /Annots. Links go with their URI or JavaScript action; markup annotations without an appearance (a square, an
    ink stroke) are not drawn. /AcroForm goes with the fields (values, signature dictionaries with signer names,
    XFA).

Removed because a reader does not see it on the page but it can hold a name, an address or a personnummer
  * The trailer keeps /Root and /Size: /Info (author, title, subject, keywords) goes, and /ID, whose first string
    qpdf would otherwise keep even with a deterministic ID, is written afresh; qpdf also writes unknown trailer keys.
  * The catalog keeps /Type, /Pages, /Version, /PageLayout, /PageMode (unless it opens a removed panel) and /Lang.
    Gone: /Names (/JavaScript, /EmbeddedFiles, named destinations and the rest), /OpenAction and /AA (actions run
    on opening), /AcroForm, /Metadata (XMP: creator, description, history), /Outlines (bookmark titles),
    /PageLabels (label prefixes are free text), /StructTreeRoot and /MarkInfo (alt texts and ActualText of the tag
    tree), /OCProperties (see below), /Collection (portfolio), /Perms, /SpiderInfo and /URI (web capture, base URI),
    /Threads (article titles), /AF (associated files), /Dests, /Legal, /ViewerPreferences, /PieceInfo,
    /Extensions, /OutputIntents (its descriptions are free text; PDF/A conformance is lost anyway with the XMP)
    and any private key.
  * Every page keeps its boxes, /Resources, /Contents, /Rotate, /Group and /UserUnit: /Annots and /AA (after
    flattening), /Metadata, /PieceInfo and /LastModified (private application data), /Thumb (a thumbnail can show
    an earlier version of the page), /B (article beads), /VP (measurement and geographic viewports), /AF,
    /StructParents, /Trans and the rest go. Page tree nodes keep their tree keys and inheritable attributes, and
    every /Resources dictionary only the eight standard resource kinds.
  * /OCProperties is removed so that content in a layer switched OFF is shown, and read by the text check, instead
    of being hidden. The layer dictionaries the content still refers to (listed in /OCGs, typed /OCG, or a marked-
    content property list with /Name or /Usage) keep only /Type and the neutral /Name "Lager": layer names and
    /Usage (creator, user names) are free text.
  * On any dictionary or stream: /Metadata (XMP on images, forms, fonts), /PieceInfo, /LastModified, /AF,
    /StructParent(s), /OPI (prepress proxies naming files), /Measure and /PtData (geographic data); on streams /F,
    /FFilter and /FDecodeParms (data from an external file, by path); on form XObjects /Ref (an external PDF).
  * JPEG images (/DCTDecode) lose their APP1 (Exif: camera owner, GPS position; XMP), APP3-APP13, APP15 and COM
    segments. APP0 (JFIF), APP2 (ICC profile) and APP14 (Adobe colour transform) stay and the compressed picture is
    copied byte for byte, so the image looks the same.
  * Resources no content uses (an image or form that nothing draws) are removed with qpdf's
    ``remove_unreferenced_resources``: the text check reads only what is drawn.
  * Earlier revisions (incremental updates) and objects nothing refers to are not written: qpdf writes only what the
    new trailer reaches, without object streams, with a deterministic /ID, unencrypted.

Not changed, on purpose: marked content inside page content (/ActualText, /Alt in BDC property lists), because it
is page content that PDFium's text extraction, and so the later personnummer check, reads; text drawn outside the
crop box, in white or under an image, which the text check reads too; embedded font programs; JPEG 2000 metadata
boxes. A private key inside a font or graphics-state dictionary is on no list of removals: as a last net, every
string left in the written file is searched for a personnummer (nämndtool.personnummer), and a hit refuses the file.
A name in such a place is not found.

Opening and failing: a file with an owner password only (empty user password) is an ordinary file to every reader;
it is opened and written unencrypted. A file that needs a user password, one qpdf cannot read, one where qpdf and
PDFium count different numbers of pages (a repair that lost pages, or a file built to show each reader something
else), and any error while cleaning raise ``UnsafeBilaga``: a half-cleaned file never comes out. The result is read
back with pikepdf and PDFium: the same number of pages, unencrypted, no /Annots, only the allowed catalog and trailer
keys.

Speed (measured on the development machine, 2 cores, pikepdf 10.18 / qpdf 12.4, Python 3.11; medians of 5 runs,
in two sessions):
  * 100 pages made by reportlab, 45 lines of text and a JPEG each: 0.06-0.07 s;
  * 100 pages of the demo bilagor put together (681 KB, real municipal PDFs): 0.11-0.13 s;
  * the first, with a FreeText comment and a filled form field on every page: 0.18-0.26 s, most of it reportlab
    drawing the 200 appearances (loading the font, once per process, adds 0.04 s).
"""

import html
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pikepdf
import pypdfium2

from pikepdf import Array, Dictionary, Name, Pdf, Stream, String
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from nämndtool.assets import resource
from nämndtool.pdfium import LOCK as PDFIUM
from nämndtool.personnummer import find_personnummer


class UnsafeBilaga(Exception):
    """The bilaga cannot be made safe for a public pack; ``reason`` is one short Swedish clause."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


FONT = "NamndtoolSanitize"

CATALOG_KEEP = {"/Type", "/Pages", "/Version", "/PageLayout", "/PageMode", "/Lang"}
PAGE_KEEP = {"/Type", "/Parent", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox",
             "/BoxColorInfo", "/Contents", "/Rotate", "/Group", "/UserUnit"}
RESOURCE_KEEP = {"/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font", "/ProcSet", "/Properties"}
PAGE_NODE_KEEP = {"/Type", "/Parent", "/Kids", "/Count", "/Resources", "/MediaBox", "/CropBox", "/Rotate"}
TRAILER_KEEP = {"/Root", "/Size"}
REMOVED_PAGE_MODES = {"/UseOutlines", "/UseAttachments", "/UseOC"}
ANYWHERE_REMOVE = ("/Metadata", "/PieceInfo", "/LastModified", "/AF", "/StructParent", "/StructParents", "/OPI",
                   "/Measure", "/PtData")
STREAM_REMOVE = ("/F", "/FFilter", "/FDecodeParms")
ICON_ONLY_ANNOTATIONS = {"/Text", "/Popup", "/FileAttachment", "/Sound"}

FIELD_MULTILINE, FIELD_PASSWORD = 1 << 12, 1 << 13
MAX_DEPTH = 32


def make_public_safe(pdf: bytes) -> bytes:
    """The bilaga with annotations and form fields drawn into the pages and everything a reader does not see on
    a page removed (see the module docstring). Raises UnsafeBilaga when that cannot be done with certainty."""
    document = _open(pdf)
    try:
        pages = _page_count(pdf, document)
        with _step("ett formulärfält kunde inte plattas till"):
            jobs = _form_field_jobs(document)
        with _step("en kommentar kunde inte plattas till"):
            _install_appearances(document, jobs + _freetext_jobs(document))
            _flatten(document)
        with _step("filen kunde inte rensas från dolda uppgifter"):
            _clean(document)
        with _step("den rensade filen kunde inte sparas"):
            result = _save(document)
    finally:
        document.close()
    with _step("den rensade filen kunde inte läsas"):
        _verify(result, pages)
    return result


@contextmanager
def _step(reason: str) -> Iterator[None]:
    """Fail closed: any error in a step, from qpdf or from a malformed object, refuses the whole file."""
    try:
        yield
    except UnsafeBilaga:
        raise
    except Exception as error:
        raise UnsafeBilaga(reason) from error


# --- opening ---------------------------------------------------------------------------------------------------

def _open(pdf: bytes) -> Pdf:
    """Opened with the empty password, which is what every reader tries first: an owner-password-only file opens."""
    try:
        return Pdf.open(io.BytesIO(pdf))
    except pikepdf.PasswordError as error:
        raise UnsafeBilaga("filen är lösenordsskyddad") from error
    except Exception as error:
        raise UnsafeBilaga("filen är skadad och kan inte läsas") from error


def _page_count(pdf: bytes, document: Pdf) -> int:
    """The number of pages, when qpdf and PDFium agree on it. A file qpdf had to repair is accepted only then:
    two readers seeing different pages is a damaged file, or one built to show different things to each."""
    with _step("filen är skadad och kan inte läsas"):
        pages = len(document.pages)
        if pages != _pdfium_page_count(pdf):
            raise UnsafeBilaga("filen är skadad och kan inte läsas")
    if pages == 0:
        raise UnsafeBilaga("filen har inga sidor")
    return pages


def _pdfium_page_count(pdf: bytes) -> int:
    with PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


# --- small readers of untrusted objects ------------------------------------------------------------------------

def _is_dict(obj) -> bool:
    return isinstance(obj, (Dictionary, Stream))


def _text(obj) -> str:
    return str(obj) if isinstance(obj, (String, Name)) else ""


def _number(obj, default: float = 0.0) -> float:
    try:
        return float(obj)
    except (TypeError, ValueError):
        return default


def _rect(annot) -> tuple[float, float, float, float] | None:
    """The annotation's rectangle, normalised, or None when it is not four numbers."""
    rect = annot.get("/Rect")
    if not isinstance(rect, Array) or len(rect) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in rect)
    except (TypeError, ValueError):
        return None
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _inherited(node, key: str, default=None):
    """A form field attribute, looked up the /Parent chain from the widget (fields inherit /FT, /V, /DA, /Ff, /Q)."""
    for _ in range(MAX_DEPTH):
        if not _is_dict(node):
            break
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return default


def _has_normal_appearance(annot) -> bool:
    """Whether /AP /N selects a stream, the way qpdf decides what to draw (a state dictionary picks /AS)."""
    appearance = annot.get("/AP")
    normal = appearance.get("/N") if _is_dict(appearance) else None
    if isinstance(normal, Stream):
        return True
    if isinstance(normal, Dictionary):
        state = annot.get("/AS")
        return isinstance(state, Name) and isinstance(normal.get(state), Stream)
    return False


def _annotations(document: Pdf) -> Iterator[Dictionary]:
    """Every annotation dictionary on every page, once (one object may be listed on several pages)."""
    seen = set()
    for page in document.pages:
        annots = page.obj.get("/Annots")
        for annot in annots if isinstance(annots, Array) else []:
            if not _is_dict(annot) or (annot.is_indirect and annot.objgen in seen):
                continue
            seen.add(annot.objgen)
            yield annot


# --- drawing appearances -----------------------------------------------------------------------------------------

@dataclass
class _Appearance:
    """Text to draw as an annotation's normal appearance, in the annotation's own space (0 0 width height)."""

    annot: Dictionary
    width: float
    height: float
    text: str
    size: float                                 # font size; 0 means fit to the box, as /DA "0 Tf" does
    color: tuple[float, float, float]
    quadding: int                               # 0 left, 1 centred, 2 right
    multiline: bool
    background: tuple[float, float, float] | None = None
    border: tuple[float, float, float] | None = None
    margins: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)   # left, top, right, bottom (FreeText /RD)

    def text_box(self, pad: float = 2.0) -> tuple[float, float, float, float]:
        """Where text goes: x0, y0, x1, y1 inside the margins and a small padding."""
        left, top, right, bottom = self.margins
        return left + pad, bottom + pad, self.width - right - pad, self.height - top - pad


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, io.BytesIO(resource("fonts", "DejaVuSans.ttf").read_bytes())))


def _color(components) -> tuple[float, float, float] | None:
    """An RGB colour from 1 (grey), 3 (RGB) or 4 (CMYK) numbers, as /DA operands and /MK colours give them."""
    values = [max(0.0, min(1.0, v)) for v in components]
    if len(values) == 1:
        return (values[0],) * 3
    if len(values) == 3:
        return tuple(values)
    if len(values) == 4:
        c, m, y, k = values
        return tuple((1 - v) * (1 - k) for v in (c, m, y))
    return None


def _parse_da(da: str) -> tuple[float, tuple[float, float, float]]:
    """Font size and fill colour from a default appearance string such as "/Helv 12 Tf 0 0 1 rg"."""
    size, color = 12.0, (0.0, 0.0, 0.0)
    tokens = da.split()
    for i, token in enumerate(tokens):
        operands = {"Tf": 1, "g": 1, "rg": 3, "k": 4}.get(token)
        if operands is None or i < operands:
            continue
        try:
            values = [float(t) for t in tokens[i - operands:i]]
        except ValueError:
            continue
        if token == "Tf":
            size = max(0.0, min(values[0], 200.0))
        else:
            color = _color(values) or color
    return size, color


def _mk_color(annot, key: str) -> tuple[float, float, float] | None:
    mk = annot.get("/MK")
    values = mk.get(key) if _is_dict(mk) else None
    if not isinstance(values, Array) or len(values) == 0:
        return None
    return _color([_number(v) for v in values])


def _lines(text: str, size: float, width: float, multiline: bool) -> list[str]:
    paragraphs = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not multiline:
        return [" ".join(paragraphs)]
    lines = []
    for paragraph in paragraphs:
        lines.extend(simpleSplit(paragraph, FONT, size, width) or [""])
    return lines


def _layout(job: _Appearance) -> tuple[float, list[str]]:
    """The font size and lines: the given size, or for size 0 the largest up to 12 pt that fits the box."""
    x0, y0, x1, y1 = job.text_box()
    width, height = x1 - x0, y1 - y0
    if job.size > 0:
        return job.size, _lines(job.text, job.size, width, job.multiline)
    size = 12.0
    while size > 4:
        lines = _lines(job.text, size, width, job.multiline)
        widest = max((pdfmetrics.stringWidth(line, FONT, size) for line in lines), default=0)
        if len(lines) * size * 1.15 <= height and widest <= width:
            return size, lines
        size -= 0.5
    return size, _lines(job.text, size, width, job.multiline)


def _draw(canvas: Canvas, job: _Appearance) -> None:
    canvas.setPageSize((job.width, job.height))
    if job.background:
        canvas.setFillColorRGB(*job.background)
        canvas.rect(0, 0, job.width, job.height, stroke=0, fill=1)
    if job.border:
        canvas.setStrokeColorRGB(*job.border)
        canvas.rect(0.5, 0.5, job.width - 1, job.height - 1, stroke=1, fill=0)
    x0, y0, x1, y1 = job.text_box()
    size, lines = _layout(job)
    canvas.setFillColorRGB(*job.color)
    canvas.setFont(FONT, size)
    leading = size * 1.15
    if job.multiline:
        y = y1 - size
    else:                                        # a one-line field: the text centred vertically, as readers do
        y = (y0 + y1 - size * 0.72) / 2
    for line in lines:
        if job.quadding == 1:
            canvas.drawCentredString((x0 + x1) / 2, y, line)
        elif job.quadding == 2:
            canvas.drawRightString(x1, y, line)
        else:
            canvas.drawString(x0, y, line)
        y -= leading
    canvas.showPage()


def _install_appearances(document: Pdf, jobs: list[_Appearance]) -> None:
    """Draw every job as one page of one reportlab file (one embedded font subset for all), and make each page the
    form XObject /AP /N of its annotation (as documents/pdfmerge.py does for its stamps)."""
    if not jobs:
        return
    _register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for job in jobs:
        _draw(canvas, job)
    canvas.save()
    with Pdf.open(io.BytesIO(buffer.getvalue())) as drawn:
        forms = document.copy_foreign(drawn.make_indirect(Array([page.as_form_xobject() for page in drawn.pages])))
    for job, form in zip(jobs, forms):
        job.annot[Name.AP] = Dictionary(N=form)
        if "/AS" in job.annot:
            del job.annot[Name.AS]


def _sized(annot) -> tuple[float, float] | None:
    rect = _rect(annot)
    if rect is None:
        return None
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    return (width, height) if width >= 1 and height >= 1 else None


# --- form fields -------------------------------------------------------------------------------------------------

def _field_text(widget) -> str:
    """What a reader shows in a text or choice field: /V, a choice's display text from /Opt, nothing for a
    password field."""
    if int(_number(_inherited(widget, "/Ff", 0))) & FIELD_PASSWORD:
        return ""
    value = _inherited(widget, "/V")
    values = list(value) if isinstance(value, Array) else [value]
    texts = [_text(v) for v in values if _text(v)]
    options = _inherited(widget, "/Opt")
    if isinstance(options, Array):
        shown = {}
        for option in options:
            if isinstance(option, Array) and len(option) == 2:
                shown[_text(option[0])] = _text(option[1])
        texts = [shown.get(t, t) for t in texts]
    return ", ".join(texts)


def _form_field_jobs(document: Pdf) -> list[_Appearance]:
    """The appearances to draw for text and choice widgets that a reader would draw from /V; checkboxes and radio
    buttons get their /AS from /V through qpdf. /NeedAppearances is then false, so qpdf flattens the widgets."""
    acroform = document.Root.get("/AcroForm")
    if not _is_dict(acroform):
        return []
    need = acroform.get("/NeedAppearances") == True  # noqa: E712 - a pikepdf Boolean in explicit conversion mode
    if need:
        document.generate_appearance_streams()
    form_da, form_q = _text(acroform.get("/DA")), acroform.get("/Q", 0)
    jobs = []
    for annot in _annotations(document):
        if annot.get("/Subtype") != Name.Widget:
            continue
        field_type = _inherited(annot, "/FT")
        if field_type not in (Name.Tx, Name.Ch) or (_has_normal_appearance(annot) and not need):
            continue
        size = _sized(annot)
        if size is None:
            continue
        font_size, color = _parse_da(_text(_inherited(annot, "/DA")) or form_da)
        multiline = field_type == Name.Tx and bool(int(_number(_inherited(annot, "/Ff", 0))) & FIELD_MULTILINE)
        jobs.append(_Appearance(annot, *size, _field_text(annot), font_size, color,
                                int(_number(_inherited(annot, "/Q", form_q))), multiline,
                                _mk_color(annot, "/BG"), _mk_color(annot, "/BC")))
    acroform[Name.NeedAppearances] = False
    return jobs


# --- comments ----------------------------------------------------------------------------------------------------

def _freetext_text(annot) -> str:
    contents = _text(annot.get("/Contents"))
    if contents.strip():
        return contents
    rich = annot.get("/RC")
    rich = rich.read_bytes().decode("utf-8", "replace") if isinstance(rich, Stream) else _text(rich)
    rich = re.sub(r"<(br|/p|/div)\b[^>]*>", "\n", rich, flags=re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]*>", "", rich)).strip()


def _margins(annot, width: float, height: float) -> tuple[float, float, float, float]:
    """FreeText /RD: the margins between /Rect and the box the text is in (/RD lists left, top, right, bottom)."""
    margins = annot.get("/RD")
    if not isinstance(margins, Array) or len(margins) != 4:
        return 0.0, 0.0, 0.0, 0.0
    left, top, right, bottom = (max(0.0, _number(v)) for v in margins)
    if left + right > width - 8 or top + bottom > height - 8:
        return 0.0, 0.0, 0.0, 0.0
    return left, top, right, bottom


def _freetext_jobs(document: Pdf) -> list[_Appearance]:
    """FreeText comments without an appearance stream get one with their text, so flattening keeps it on the page.
    The appearance covers the whole /Rect (qpdf scales its box onto /Rect), the text sits inside /RD."""
    jobs = []
    for annot in _annotations(document):
        if annot.get("/Subtype") != Name.FreeText or _has_normal_appearance(annot):
            continue
        size = _sized(annot)
        if size is None:
            continue
        font_size, color = _parse_da(_text(annot.get("/DA")))
        jobs.append(_Appearance(annot, *size, _freetext_text(annot), font_size, color,
                                int(_number(annot.get("/Q", 0))), True, margins=_margins(annot, *size)))
    return jobs


# --- flattening --------------------------------------------------------------------------------------------------

def _drop_icon_annotations(document: Pdf) -> None:
    """Sticky notes, popups, attachments and sounds go before flattening: only their icon was on the page."""
    for page in document.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, Array):
            continue
        kept = [annot for annot in annots
                if _is_dict(annot) and _rect(annot) is not None
                and _text(annot.get("/Subtype")) not in ICON_ONLY_ANNOTATIONS]
        page.obj[Name.Annots] = Array(kept)


def _flatten(document: Pdf) -> None:
    """Draw every annotation with a normal appearance into its page (qpdf), then remove whatever is left."""
    _drop_icon_annotations(document)
    document.flatten_annotations(mode="all")
    for page in document.pages:
        if "/Annots" in page.obj:
            del page.obj[Name.Annots]


# --- removing what is not on the page ----------------------------------------------------------------------------

def _keep_only(obj, keys: set[str]) -> None:
    for key in list(obj.keys()):
        if key not in keys:
            del obj[key]


def _clean_catalog(document: Pdf) -> None:
    root = document.Root
    properties = root.get("/OCProperties")
    layers = properties.get("/OCGs") if _is_dict(properties) else None
    for layer in layers if isinstance(layers, Array) else []:
        if _is_dict(layer):                       # listed as a layer, whatever its (perhaps damaged) /Type says
            _neutral_layer(layer)
    _keep_only(root, CATALOG_KEEP)
    if _text(root.get("/PageMode")) in REMOVED_PAGE_MODES:
        del root[Name.PageMode]


def _clean_page_tree(document: Pdf) -> None:
    """Pages keep their geometry, resources and content; page tree nodes their tree and inheritable keys."""
    seen = set()
    stack = [(document.Root.Pages, 0)]
    while stack:
        node, depth = stack.pop()
        if not _is_dict(node) or depth > MAX_DEPTH or (node.is_indirect and node.objgen in seen):
            continue
        seen.add(node.objgen)
        kids = node.get("/Kids")
        if isinstance(kids, Array) and node.get("/Type") != Name.Page:
            _keep_only(node, PAGE_NODE_KEEP)
            stack.extend((kid, depth + 1) for kid in kids)
        else:
            _keep_only(node, PAGE_KEEP)
    for page in document.pages:                   # pages reached by qpdf's own page walk, whatever the tree says
        _keep_only(page.obj, PAGE_KEEP)


def _clean_trailer(document: Pdf) -> None:
    """No /Info, no old /ID (qpdf would keep its first string), nothing private: qpdf writes a fresh /ID.
    /Encrypt stays while the file is open (qpdf still decrypts from it); the file is written unencrypted."""
    _keep_only(document.trailer, TRAILER_KEEP | {"/Encrypt"})


def _neutral_layer(layer) -> None:
    """A layer dictionary the content still refers to: its name and usage (creator, users) are free text."""
    _keep_only(layer, {"/Type"})
    layer[Name.Name] = String("Lager")


def _clean_property_lists(properties) -> None:
    """Marked-content properties that look like a layer (a /Name or /Usage) are made neutral like one, even when
    their /Type is damaged and no /OCProperties lists them."""
    if not _is_dict(properties):
        return
    for key in list(properties.keys()):
        entry = properties[key]
        if _is_dict(entry) and ("/Name" in entry or "/Usage" in entry):
            _neutral_layer(entry)


def _strip_jpeg_metadata(data: bytes) -> bytes | None:
    """The JPEG without Exif/XMP/IPTC/comment segments, or None when nothing was removed or the marker structure
    before the scan is not what this reads (the image is then left as it is)."""
    if data[:2] != b"\xff\xd8":
        return None
    parts, i, changed = [data[:2]], 2, False
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:                        # fill byte
            i += 1
            continue
        if marker == 0xDA:                        # start of scan: the picture itself, copied as it is
            parts.append(data[i:])
            return b"".join(parts) if changed else None
        if marker == 0x01 or 0xD0 <= marker <= 0xD9:
            return None
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if length < 2 or i + 2 + length > len(data):
            return None
        if (0xE1 <= marker <= 0xEF and marker not in (0xE2, 0xEE)) or marker == 0xFE:
            changed = True
        else:
            parts.append(data[i:i + 2 + length])
        i += 2 + length
    return None


def _clean_jpeg(image: Stream) -> None:
    filters = image.get("/Filter")
    if isinstance(filters, Array) and len(filters) == 1:
        filters = filters[0]
    if filters != Name.DCTDecode:
        return
    stripped = _strip_jpeg_metadata(image.read_raw_bytes())
    if stripped is not None:
        image.write(stripped, filter=Name.DCTDecode, decode_parms=image.get("/DecodeParms"))


def _clean_object(obj) -> None:
    for key in ANYWHERE_REMOVE:
        if key in obj:
            del obj[key]
    resources = obj.get("/Resources")
    if _is_dict(resources):
        _keep_only(resources, RESOURCE_KEEP)
        _clean_property_lists(resources.get("/Properties"))
    if isinstance(obj, Stream):
        for key in STREAM_REMOVE:
            if key in obj:
                del obj[key]
        subtype = obj.get("/Subtype")
        if subtype == Name.Form and "/Ref" in obj:
            del obj[Name.Ref]
        elif subtype == Name.Image:
            _clean_jpeg(obj)
    elif obj.get("/Type") == Name.OCG:
        _neutral_layer(obj)


def _dictionaries(obj, depth: int = 0) -> Iterator:
    """obj and the dictionaries and streams directly inside it (indirect ones are visited on their own)."""
    if depth > MAX_DEPTH:
        return
    if _is_dict(obj):
        yield obj
        children = [obj[key] for key in list(obj.keys())]
    elif isinstance(obj, Array):
        children = list(obj)
    else:
        return
    for child in children:
        if isinstance(child, (Dictionary, Array)) and not child.is_indirect:
            yield from _dictionaries(child, depth + 1)


def _clean_objects(document: Pdf) -> None:
    for obj in list(document.objects):
        for found in list(_dictionaries(obj)):
            _clean_object(found)


def _clean(document: Pdf) -> None:
    _clean_catalog(document)
    _clean_page_tree(document)
    _clean_trailer(document)
    _clean_objects(document)
    document.remove_unreferenced_resources()


# --- writing and reading back ------------------------------------------------------------------------------------

def _save(document: Pdf) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer, deterministic_id=True, encryption=False, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                  fix_metadata_version=False, preserve_pdfa=False)
    return buffer.getvalue()


def _strings(obj, depth: int = 0) -> Iterator[str]:
    """The text of every string in obj and in the dictionaries and arrays directly inside it."""
    if isinstance(obj, String):
        yield str(obj)
    elif depth <= MAX_DEPTH and (_is_dict(obj) or isinstance(obj, Array)):
        for child in (obj[key] for key in obj.keys()) if _is_dict(obj) else obj:
            if isinstance(child, (String, Dictionary, Array)) and not child.is_indirect:
                yield from _strings(child, depth + 1)


def _verify(result: bytes, pages: int) -> None:
    """The written file opens in pikepdf and PDFium with every page, holds nothing the cleaning removed, and no
    string left in it (a private key in a font, say, which no list of removals covers) holds a personnummer."""
    with Pdf.open(io.BytesIO(result)) as written:
        clean = (len(written.pages) == pages and not written.is_encrypted
                 and set(written.Root.keys()) <= CATALOG_KEEP
                 and set(written.trailer.keys()) <= TRAILER_KEEP | {"/ID"}
                 and not any("/Annots" in page.obj for page in written.pages))
        hidden = any(find_personnummer(text) for obj in written.objects for text in _strings(obj))
    if not clean or _pdfium_page_count(result) != pages:
        raise UnsafeBilaga("den rensade filen kunde inte läsas")
    if hidden:
        raise UnsafeBilaga("filen har ett personnummer i dolda uppgifter som inte kunde tas bort")
