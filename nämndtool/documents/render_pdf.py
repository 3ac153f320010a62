"""The PDF renderer: a document model as a tagged A4 PDF that passes PDF/UA-1 and PDF/A-2a, made by typst.

The layout is one typst file (resources/typst/document.typ) shared by every document type; the document reaches it
as JSON data in ``sys.inputs``, never as typst markup, so no text a user typed can become layout code. typst
writes the structure tree (headings, lists, tables with header cells, reading order), the language, the title
shown in the title bar, embedded fonts with Unicode values and the XMP metadata, and marks the running header and
footer as artifacts. Why typst rather than reportlab (which cannot tag a PDF) is in DEVELOPERS.md, with figures.
"""

import datetime as dt
import io
import json
import tempfile
import threading
import unicodedata
from pathlib import Path

import typst
from reportlab.pdfbase.ttfonts import TTFontFile

from nämndtool.assets import resource
from nämndtool.documents import model
from nämndtool.documents.branding import Branding
from nämndtool.documents.text import clean
from nämndtool.errors import NamndtoolError

# Every PDF is both: accessible (PDF/UA-1) and archival (PDF/A-2a); the two cost nothing over one.
STANDARDS = ["a-2a", "ua-1"]
# Documents render the same bytes every time (the justering's SHA-256 depends on it): the date in the file (Info
# and XMP) is the document's own, or this fixed one.
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def _file_date(date: str | None) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        day = None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) if day else FIXED_DATE
_FONT_STYLES = ("regular", "bold", "italic", "bold_italic")
UNTITLED = "Dokument"  # PDF/UA requires a title; every template gives one, this is for a document without


REPLACEMENT = "\ufffd"  # printed for a character the document's font has no glyph for


def _visible(text: str) -> bool:
    """Whether the text shows anything: a letter, digit, punctuation mark or symbol (not only spaces, format
    characters or combining marks)."""
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)


class _Data:
    """The document model as the JSON data the layout reads. Every text passes ``text``: the one cleaning rule
    for documents, then a character none of the fonts can draw becomes "\ufffd" (PDF/A forbids a missing glyph,
    and a visible mark tells the reader something was there; the Word version keeps the character)."""

    def __init__(self, glyphs: frozenset[int]):
        self.glyphs = glyphs

    def text(self, value: str) -> str:
        return "".join(c if ord(c) in self.glyphs or c.isspace() or unicodedata.category(c) == "Cf" else REPLACEMENT
                       for c in clean(value))

    def optional(self, value: str | None) -> str | None:
        return self.text(value) if value else None

    def spans(self, inline: model.Inline) -> list[dict]:
        return [{"text": self.text(s.text), "bold": s.bold, "italic": s.italic, "break_before": s.break_before}
                for s in inline]

    def blocks(self, blocks: tuple[model.Block, ...]) -> list[dict]:
        """A heading's tag level never skips one (the first is 1, each at most one deeper than the one before), as
        PDF/UA requires; it keeps the look its template chose. A heading without visible text is left out: a screen
        reader would announce an empty heading."""
        result, previous = [], 0
        for block in blocks:
            if isinstance(block, model.Heading):
                if not _visible(self.text(model.plain(block.text))):
                    continue
                look = min(max(block.level, 1), 3)
                previous = min(look, previous + 1)
                result.append({"type": "heading", "level": previous, "look": look, "text": self.spans(block.text)})
            else:
                result.append(self.block(block))
        return result

    def block(self, block: model.Block) -> dict:
        if isinstance(block, model.Paragraph):
            return {"type": "paragraph", "style": block.style, "text": self.spans(block.text)}
        if isinstance(block, model.ListBlock):
            return {"type": "list", "ordered": block.ordered, "items": [self.spans(i) for i in block.items]}
        if isinstance(block, model.Table):
            return {"type": "table", "style": block.style, "widths": list(block.widths) if block.widths else None,
                    "header": [self.spans(c) for c in block.header] if block.header is not None else None,
                    "rows": [[self.spans(c) for c in row] for row in block.rows]}
        if isinstance(block, model.FieldGrid):
            return {"type": "fields", "rows": [[{"label": self.text(f.label), "value": self.spans(f.value)}
                                                for f in row] for row in block.rows]}
        if isinstance(block, model.Signature):
            return {"type": "signature", "signers": [[self.text(n), self.optional(t)] for n, t in block.signers]}
        if isinstance(block, model.PageBreak):
            return {"type": "pagebreak"}
        raise TypeError(f"render_pdf cannot render a {type(block).__name__} block")

    def header(self, header: model.RunningHeader) -> dict:
        return {"lines": [self.spans(line) for line in header.lines],
                "later_lines": [self.spans(line) for line in header.later_lines],
                "kind": self.optional(header.kind), "page_numbers": header.page_numbers,
                "signature_box": self.optional(header.signature_box), "notice": self.optional(header.notice)}

    def title(self, title: str) -> str:
        title = self.text(title).strip()
        return title if _visible(title) else UNTITLED


def document_data(doc: model.Document, branding: Branding, logo: str | None, glyphs: frozenset[int]) -> str:
    """The JSON the typst layout reads: the document model with the branding it is drawn in."""
    language, _, region = doc.metadata.language.partition("-")
    values = branding.values
    data = _Data(glyphs)
    return json.dumps({
        "metadata": {"title": data.title(doc.metadata.title), "author": data.optional(doc.metadata.author),
                     "subject": data.optional(doc.metadata.subject), "lang": language.lower() or "sv",
                     "region": region.upper() or None},
        "header": data.header(doc.header),
        "marking": data.optional(doc.marking),
        "blocks": data.blocks(doc.blocks),
        "logo": logo,
        "logo_alt": data.text(f"Logotyp {values['organisation'].get('kommun') or ''}").strip(),
        "branding": {key: values[key] for key in ("font", "size", "page", "spacing", "colour")},
    }, ensure_ascii=False)


def _glyphs(fonts: list[bytes]) -> frozenset[int]:
    """The characters every one of the fonts can draw."""
    sets = [set(TTFontFile(io.BytesIO(data)).charToGlyph) for data in fonts]
    return frozenset(set.intersection(*sets))


class _Workspace:
    """A folder typst compiles in: the layout, the branding's fonts and its logo, with one compiler that keeps
    the fonts loaded. One per branding (its fonts and logo), reused for every document; one compile at a time."""

    def __init__(self, branding: Branding):
        self.folder = Path(tempfile.mkdtemp(prefix="namndtool-typst-"))
        (self.folder / "document.typ").write_bytes(resource("typst", "document.typ").read_bytes())
        fonts = self.folder / "fonts"
        fonts.mkdir()
        faces = [branding.font_file(style) for style in _FONT_STYLES]
        for style, data in zip(_FONT_STYLES, faces):
            (fonts / f"{style}.ttf").write_bytes(data)
        self.glyphs = _glyphs(faces)
        logo = branding.logo()
        self.logo = None
        if logo is not None:
            self.logo = "logo" + _image_suffix(logo)
            (self.folder / self.logo).write_bytes(logo)
        self.compiler = typst.Compiler(str(self.folder / "document.typ"), root=str(self.folder),
                                       font_paths=[str(fonts)], ignore_system_fonts=True)
        self.lock = threading.Lock()


def _image_suffix(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    raise NamndtoolError(
        "Logotypen som anges i profilfilen går inte att läsa. Använd en PNG- eller JPEG-fil under [organisation] logo."
    )


def _changed(branding: Branding) -> tuple:
    """When the kansli's own font and logo files last changed (the shipped ones never do)."""
    if branding.base_dir is None:
        return ()
    names = [branding.values["font"][s] for s in _FONT_STYLES] + [branding.values["organisation"]["logo"]]
    paths = [branding.base_dir / n for n in names if n]
    return tuple(path.stat().st_mtime_ns if path.is_file() else None for path in paths)


_workspaces: dict[tuple, _Workspace] = {}
_workspaces_lock = threading.Lock()


def _workspace(branding: Branding) -> _Workspace:
    """The workspace of the branding's fonts and logo, found by where they are read from and when those files last
    changed (a stat, not a read of 1.5 MB of fonts on every rendering)."""
    key = (str(branding.base_dir), tuple(branding.values["font"][s] for s in _FONT_STYLES),
           branding.values["organisation"]["logo"], _changed(branding))
    with _workspaces_lock:
        if key not in _workspaces:
            _workspaces[key] = _Workspace(branding)
        return _workspaces[key]


def render_pdf(doc: model.Document, branding: Branding) -> bytes:
    """Render a document as a tagged PDF/UA-1 and PDF/A-2a: A4, the branding's embedded fonts, the running
    header on every page."""
    workspace = _workspace(branding)
    data = document_data(doc, branding, workspace.logo, workspace.glyphs)
    with workspace.lock:
        try:
            return workspace.compiler.compile(sys_inputs={"doc": data}, pdf_standards=STANDARDS,
                                              timestamp=_file_date(doc.metadata.date))
        except typst.TypstError as error:
            raise NamndtoolError(
                f"PDF-filen ”{doc.metadata.title}” kunde inte skapas ({error.message} {error.diagnostic} {error.trace}). Kontakta support."
            ) from None

