"""The PDF renderer: turns a document model into an A4 PDF with reportlab platypus.

Each block type has one function ``(block, ctx)`` that returns its flowables (``_BLOCKS`` maps type to function,
as in the Word renderer), so a new document type, which is only a new arrangement of blocks, needs nothing here.
Everything a page carries besides its blocks (letterhead, document kind, "x (y)", logo, secrecy marking) is the
page furniture, drawn on each page by ``_Furniture``. Fonts, sizes, margins and colours come from the branding
settings, read once into ``_Styles``.
"""

import hashlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    ListFlowable,
    ListItem,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from nämndtool.documents import model
from nämndtool.documents.branding import Branding
from nämndtool.documents.text import clean
from nämndtool.errors import NamndtoolError

CREATOR = "Nämndtool"

# Page furniture geometry, in points.
FOOTER_BOTTOM = 9 * mm  # from the bottom edge to the bottom of the footer marking
FURNITURE_GAP = 7 * mm  # at least this much between the furniture and the body
LOGO_MAX_WIDTH = 60 * mm
COLUMN_GAP = 6 * mm  # between the letterhead lines and the kind / page number column
SIGNATURE_COLUMNS = 2



# ---------------------------------------------------------------------------------------------------------------
# Text: model spans to reportlab's paragraph mini-markup


def _escape(text: str) -> str:
    """Plain text as paragraph markup: nothing in it is taken as a tag or an entity; newlines break the line."""
    cleaned = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return cleaned.replace("\n", "<br/>")


def _markup(inline: model.Inline) -> str:
    parts = []
    for span in inline:
        text = _escape(span.text)
        if span.italic:
            text = f"<i>{text}</i>"
        if span.bold:
            text = f"<b>{text}</b>"
        parts.append(("<br/>" if span.break_before else "") + text)
    return "".join(parts)


# ---------------------------------------------------------------------------------------------------------------
# Fonts and styles

_FONT_STYLES = ("regular", "bold", "italic", "bold_italic")
_font_lock = threading.Lock()
_registered_families: set[str] = set()


def _register_fonts(branding: Branding) -> str:
    """Register the branding's four TrueType faces as one family and return the family's name.

    reportlab's font registry is global, so the name is taken from the font files' contents: two brandings with
    the same files share the registration, a kansli's own files never collide with the shipped ones.
    """
    files = {style: branding.font_file(style) for style in _FONT_STYLES}
    digest = hashlib.sha1(b"".join(hashlib.sha1(data).digest() for data in files.values())).hexdigest()[:12]
    family = f"NT-{digest}"
    with _font_lock:
        if family not in _registered_families:
            for style, data in files.items():
                pdfmetrics.registerFont(TTFont(f"{family}-{style}", io.BytesIO(data)))
            pdfmetrics.registerFontFamily(
                family,
                normal=f"{family}-regular",
                bold=f"{family}-bold",
                italic=f"{family}-italic",
                boldItalic=f"{family}-bold_italic",
            )
            _registered_families.add(family)
    return family


def _colour(branding: Branding, name: str, default: str | None = None) -> colors.Color:
    value = branding.values.get("colour", {}).get(name, default)
    return colors.HexColor(value)


@dataclass(frozen=True)
class _Styles:
    """Every paragraph style the renderer uses, built once per rendering from the branding."""

    regular: str  # the regular face's font name
    body: ParagraphStyle
    note: ParagraphStyle
    small: ParagraphStyle
    headings: dict[int, ParagraphStyle]
    list_item: ParagraphStyle
    cell: ParagraphStyle
    cell_header: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    signer_name: ParagraphStyle
    signer_title: ParagraphStyle
    header_line: ParagraphStyle
    header_kind: ParagraphStyle
    marking: ParagraphStyle
    table_header: colors.Color
    rule: colors.Color

    def paragraph(self, name: str) -> ParagraphStyle:
        return {"body": self.body, "note": self.note, "small": self.small}.get(name, self.body)

    @classmethod
    def from_branding(cls, branding: Branding) -> "_Styles":
        family = _register_fonts(branding)
        regular, bold, italic = f"{family}-regular", f"{family}-bold", f"{family}-italic"
        size = branding.values["size"]
        text, heading = _colour(branding, "text"), _colour(branding, "heading")
        grey = _colour(branding, "label")
        spacing = branding.values["spacing"]
        secret = _colour(branding, "secret")

        def style(name, font, points, **extra) -> ParagraphStyle:
            settings = {"leading": round(points * 1.3, 2), "textColor": text, "splitLongWords": 1, **extra}
            return ParagraphStyle(name, fontName=font, fontSize=points, **settings)

        body_size = size["body"]
        body = style("body", regular, body_size, spaceAfter=spacing["paragraph_after"])
        headings = {
            level: style(f"heading{level}", bold, size[f"heading{level}"], textColor=heading, keepWithNext=1,
                         spaceBefore=spacing[f"heading{level}"][0], spaceAfter=spacing[f"heading{level}"][1],
                         **({"leading": size["heading1"] * 1.2} if level == 1 else {}))
            for level in (1, 2, 3)
        }
        return cls(
            regular=regular,
            body=body,
            note=style("note", italic, size["small"], spaceAfter=spacing["paragraph_after"]),
            small=style("small", regular, size["small"], spaceAfter=spacing["paragraph_after"]),
            headings=headings,
            list_item=style("list_item", regular, body_size, spaceAfter=spacing["list_item_after"]),
            cell=style("cell", regular, size["table"]),
            cell_header=style("cell_header", bold, size["table"]),
            label=style("label", regular, size["small"], textColor=grey),
            value=style("value", regular, body_size),
            signer_name=style("signer_name", regular, body_size),
            signer_title=style("signer_title", regular, body_size),
            header_line=style("header_line", regular, size["header"]),
            header_kind=style("header_kind", bold, size["header"], alignment=TA_RIGHT),
            marking=style("marking", bold, size["header"] + 2, textColor=secret, alignment=TA_CENTER),
            table_header=_colour(branding, "table_header"),
            rule=_colour(branding, "rule"),
        )


# ---------------------------------------------------------------------------------------------------------------
# Blocks: one function per block type, each returning its flowables


@dataclass(frozen=True)
class _Context:
    """What the block functions need besides their block."""

    styles: _Styles
    width: float  # of the body frame, in points
    list_indent: float  # points


def _heading(block: model.Heading, ctx: _Context) -> list[Flowable]:
    level = min(max(block.level, 1), max(ctx.styles.headings))
    return [RLParagraph(_markup(block.text), ctx.styles.headings[level])]


def _paragraph(block: model.Paragraph, ctx: _Context) -> list[Flowable]:
    return [RLParagraph(_markup(block.text), ctx.styles.paragraph(block.style))]


def _list(block: model.ListBlock, ctx: _Context) -> list[Flowable]:
    if not block.items:
        return []
    style = ctx.styles.list_item
    items = [ListItem(RLParagraph(_markup(item), style)) for item in block.items]
    numbering = {"bulletType": "1", "bulletFormat": "%s."} if block.ordered else {"bulletType": "bullet", "start": "•"}
    return [
        ListFlowable(
            items,
            leftIndent=ctx.list_indent,
            bulletFontName=style.fontName,
            bulletFontSize=style.fontSize,
            bulletColor=style.textColor,
            spaceAfter=ctx.styles.body.spaceAfter - style.spaceAfter,
            **numbering,
        )
    ]


def _column_widths(relative: tuple[float, ...] | None, columns: int, width: float) -> list[float]:
    if not relative or len(relative) != columns or any(w <= 0 for w in relative):
        relative = (1.0,) * columns
    total = sum(relative)
    return [width * w / total for w in relative]


def _padded(row: tuple, columns: int, filler) -> list:
    return list(row) + [filler] * (columns - len(row))


def _table_commands(ctx: _Context, left: float, right: float, top: float, bottom: float) -> list[tuple]:
    """Cell alignment and padding; FONT too, or reportlab sets Helvetica (unembedded) in every cell it draws."""
    return [
        ("FONT", (0, 0), (-1, -1), ctx.styles.regular, ctx.styles.cell.fontSize),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), left),
        ("RIGHTPADDING", (0, 0), (-1, -1), right),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
    ]


def _table(block: model.Table, ctx: _Context) -> list[Flowable]:
    rows = ([block.header] if block.header is not None else []) + list(block.rows)
    columns = max((len(row) for row in rows), default=0)
    if not columns:
        return []
    styles = ctx.styles
    data = [
        [RLParagraph(_markup(cell), styles.cell_header if i == 0 and block.header is not None else styles.cell)
         for cell in _padded(row, columns, ())]
        for i, row in enumerate(rows)
    ]  # fmt: skip
    commands = _table_commands(ctx, left=4, right=4, top=3, bottom=4)
    if block.header is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), styles.table_header))
    if block.style == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, styles.rule))
    return [
        RLTable(
            data,
            colWidths=_column_widths(block.widths, columns, ctx.width),
            repeatRows=1 if block.header is not None else 0,
            splitInRow=1,  # a cell taller than a page continues on the next rather than failing the document
            hAlign="LEFT",
            style=TableStyle(commands),
            spaceBefore=2,
            spaceAfter=styles.body.spaceAfter * 1.5,
        )
    ]


def _borderless(rows: list[list[list[Flowable]]], columns: int, ctx: _Context, **options) -> RLTable:
    """Cells in equal columns without rules; a row's last cell spans the columns the row leaves empty."""
    commands = _table_commands(ctx, left=0, right=8, top=0, bottom=6)
    for y, row in enumerate(rows):
        if 0 < len(row) < columns:
            commands.append(("SPAN", (len(row) - 1, y), (-1, y)))
    return RLTable(
        [_padded(tuple(row), columns, []) for row in rows],
        colWidths=[ctx.width / columns] * columns,
        hAlign="LEFT",
        splitInRow=1,
        style=TableStyle(commands),
        **options,
    )


def _field_grid(block: model.FieldGrid, ctx: _Context) -> list[Flowable]:
    columns = max((len(row) for row in block.rows), default=0)
    if not columns:
        return []
    styles = ctx.styles

    def cell(field: model.Field) -> list[Flowable]:
        value = _markup(field.value)
        # An empty value keeps its line, so the label sits where a filled-in one would.
        shown = RLParagraph(value, styles.value) if value else Spacer(1, styles.value.leading)
        return [RLParagraph(_escape(field.label), styles.label), shown]

    rows = [[cell(field) for field in row] for row in block.rows]
    return [_borderless(rows, columns, ctx, spaceAfter=styles.body.spaceAfter * 1.5)]


def _signature(block: model.Signature, ctx: _Context) -> list[Flowable]:
    if not block.signers:
        return []
    styles = ctx.styles

    def cell(name: str, title: str | None) -> list[Flowable]:
        lines = [RLParagraph(_escape(name), styles.signer_name)]
        if title:
            lines.append(RLParagraph(_escape(title), styles.signer_title))
        return lines

    signers = [cell(name, title) for name, title in block.signers]
    rows = [signers[i : i + SIGNATURE_COLUMNS] for i in range(0, len(signers), SIGNATURE_COLUMNS)]
    # Signers side by side, each in a column of its own width (a lone signer does not span the page).
    rows = [row + [[]] * (SIGNATURE_COLUMNS - len(row)) for row in rows]
    space = {"spaceBefore": styles.body.leading * 2.2, "spaceAfter": styles.body.spaceAfter * 1.5}
    return [_borderless(rows, SIGNATURE_COLUMNS, ctx, **space)]


def _page_break(block: model.PageBreak, ctx: _Context) -> list[Flowable]:
    return [RLPageBreak()]


_BLOCKS: dict[type, Callable[..., list[Flowable]]] = {
    model.Heading: _heading,
    model.Paragraph: _paragraph,
    model.ListBlock: _list,
    model.Table: _table,
    model.FieldGrid: _field_grid,
    model.Signature: _signature,
    model.PageBreak: _page_break,
}


def _flowables(blocks: tuple[model.Block, ...], ctx: _Context) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        render = _BLOCKS.get(type(block))
        if render is None:
            raise TypeError(f"render_pdf cannot render a {type(block).__name__} block")
        story.extend(render(block, ctx))
    return story


# ---------------------------------------------------------------------------------------------------------------
# Page furniture: letterhead, document kind, page number, logo, secrecy marking


class _NumberedCanvas(Canvas):
    """Holds every page back until the document is complete, so each can be stamped "x (y)" with the total.

    The page callbacks leave a ``_stamp_page_number(canvas, number, total)`` on the canvas for this to call.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []
        self._stamp_page_number = None

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            if self._stamp_page_number:
                self._stamp_page_number(self, number, total)
            super().showPage()
        super().save()


def _logo_image(branding: Branding) -> ImageReader | None:
    data = branding.logo()
    if data is None:
        return None
    try:
        image = ImageReader(io.BytesIO(data))
        image.getSize()
    except Exception:
        raise NamndtoolError(
            "Logotypen som anges i profilfilen går inte att läsa. Använd en PNG- eller JPEG-fil under [organisation] logo."
        ) from None
    return image


class _Furniture:
    """What every page carries around the body, laid out once per document and drawn on each page.

    Top of the page: the secrecy marking across the page, then the logo (first page only) and the letterhead
    lines on the left (plus ``later_lines`` after the first page), the document kind and "x (y)" on the right.
    Bottom: the secrecy marking again. ``body_top`` and ``body_bottom`` keep the body clear of all of it.
    """

    def __init__(self, doc: model.Document, branding: Branding, styles: _Styles):
        self.header = doc.header
        self.marking = _escape(doc.marking) if doc.marking else None
        self.styles = styles
        self.page_width, self.page_height = A4
        page = branding.values["page"]
        self.left = page["margin_left"] * mm
        self.right = self.page_width - page["margin_right"] * mm
        self.margin_top = page["margin_top"] * mm
        self.margin_bottom = page["margin_bottom"] * mm
        self.header_top = branding.get("spacing", "header_top_mm") * mm
        self.logo_height = branding.get("spacing", "logo_height_mm") * mm
        self.width = self.right - self.left
        self.logo = _logo_image(branding)
        self.logo_size = self._logo_size()
        self.right_width = self._right_column_width()
        self.left_width = self.width - self.right_width - COLUMN_GAP

    # -- layout

    def _logo_size(self) -> tuple[float, float]:
        if self.logo is None:
            return 0, 0
        w, h = self.logo.getSize()
        scale = min(self.logo_height / h, LOGO_MAX_WIDTH / w)
        return w * scale, h * scale

    def _right_column_width(self) -> float:
        style = self.styles.header_kind
        widths = [pdfmetrics.stringWidth("999 (999)", style.fontName, style.fontSize)]
        if self.header.kind:
            widths.append(pdfmetrics.stringWidth(clean(self.header.kind), style.fontName, style.fontSize) + 1)
        return min(max(widths), self.width * 0.45)

    def _marking_paragraph(self) -> RLParagraph:
        return RLParagraph(self.marking, self.styles.marking)

    def _left_paragraphs(self, first: bool) -> list[RLParagraph]:
        lines = self.header.lines + (() if first else self.header.later_lines)
        return [RLParagraph(_markup(line), self.styles.header_line) for line in lines]

    def _kind_paragraph(self) -> RLParagraph | None:
        return RLParagraph(_escape(self.header.kind), self.styles.header_kind) if self.header.kind else None

    @staticmethod
    def _height(paragraphs: list[RLParagraph], width: float) -> float:
        return sum(p.wrap(width, 10_000)[1] for p in paragraphs)

    def _marking_height(self) -> float:
        return self._height([self._marking_paragraph()], self.width) if self.marking else 0

    def _header_height(self, first: bool) -> float:
        """From the top of the furniture to the bottom of its lowest line."""
        top = self._marking_height() + (2.5 * mm if self.marking else 0)
        left = self._height(self._left_paragraphs(first), self.left_width)
        if first and self.logo is not None:
            left += self.logo_size[1] + (3 * mm if self.header.lines else 0)
        kind = self._kind_paragraph()
        right = self._height([kind], self.right_width) if kind else 0
        if self.header.page_numbers:
            right += self.styles.header_kind.leading
        return top + max(left, right)

    def body_top(self, first: bool) -> float:
        lowest = self.page_height - self.header_top - self._header_height(first) - FURNITURE_GAP
        return min(self.page_height - self.margin_top, lowest)

    def body_bottom(self) -> float:
        return max(self.margin_bottom, FOOTER_BOTTOM + self._marking_height() + FURNITURE_GAP)

    # -- drawing

    @staticmethod
    def _draw_column(canv: Canvas, paragraphs: list[RLParagraph], x: float, top: float, width: float) -> float:
        for p in paragraphs:
            _, h = p.wrap(width, 10_000)
            p.drawOn(canv, x, top - h)
            top -= h
        return top

    def draw(self, canv: Canvas, first: bool) -> None:
        canv.saveState()
        top = self.page_height - self.header_top
        if self.marking:
            top = self._draw_column(canv, [self._marking_paragraph()], self.left, top, self.width) - 2.5 * mm
            self._draw_column(canv, [self._marking_paragraph()], self.left, FOOTER_BOTTOM + self._marking_height(),
                              self.width)  # fmt: skip
        left_top = top
        if first and self.logo is not None:
            w, h = self.logo_size
            canv.drawImage(self.logo, self.left, top - h, width=w, height=h, mask="auto")
            left_top -= h + 3 * mm
        self._draw_column(canv, self._left_paragraphs(first), self.left, left_top, self.left_width)
        kind = self._kind_paragraph()
        right_top = self._draw_column(canv, [kind] if kind else [], self.right - self.right_width, top, self.right_width)
        canv.restoreState()
        canv._stamp_page_number = self._page_number_stamp(right_top) if self.header.page_numbers else None

    def _page_number_stamp(self, top: float):
        style = self.styles.header_kind
        baseline = top - (style.leading + style.fontSize * 0.72) / 2

        def stamp(canv: Canvas, number: int, total: int) -> None:
            canv.saveState()
            canv.setFont(self.styles.regular, style.fontSize)
            canv.setFillColor(style.textColor)
            canv.drawRightString(self.right, baseline, f"{number} ({total})")
            canv.restoreState()

        return stamp

    def page_templates(self) -> list[PageTemplate]:
        bottom = self.body_bottom()

        def template(name: str, first: bool, next_name: str) -> PageTemplate:
            top = self.body_top(first)
            frame = Frame(self.left, bottom, self.width, max(top - bottom, 20 * mm), id=name,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
            return PageTemplate(
                id=name, frames=[frame], pagesize=A4, autoNextPageTemplate=next_name,
                onPage=lambda canv, _doc: self.draw(canv, first),
            )  # fmt: skip

        return [template("first", True, "later"), template("later", False, "later")]


# ---------------------------------------------------------------------------------------------------------------


def render_pdf(doc: model.Document, branding: Branding) -> bytes:
    """Render a document as PDF: A4, the branding's embedded fonts, the running header on every page."""
    styles = _Styles.from_branding(branding)
    furniture = _Furniture(doc, branding, styles)
    out = io.BytesIO()
    template = BaseDocTemplate(
        out,
        pagesize=A4,
        pageTemplates=furniture.page_templates(),
        leftMargin=furniture.left,
        rightMargin=furniture.page_width - furniture.right,
        topMargin=furniture.margin_top,
        bottomMargin=furniture.margin_bottom,
        title=clean(doc.metadata.title),
        author=clean(doc.metadata.author or ""),
        subject=clean(doc.metadata.subject or ""),
        creator=CREATOR,
        lang=doc.metadata.language,
        displayDocTitle=True,
        invariant=1,
        initialFontName=styles.regular,
    )
    story = _flowables(doc.blocks, _Context(styles, furniture.width, branding.get("spacing", "list_indent_mm") * mm))
    template.build(story or [Spacer(1, 0)], canvasmaker=_NumberedCanvas)
    return out.getvalue()
