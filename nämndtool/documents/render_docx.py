"""The Word renderer: turns the document model into a DOCX file with python-docx.

Each block type has one function ``(block, ctx)``, chosen through ``_BLOCKS`` by the block's type as in the PDF
renderer, so a new document type (a new template) needs no change here. All looks come from styles set up once in ``_setup_styles``: the built-in Word
styles (Normal, Heading 1-3, List Number, List Bullet, Table Grid, Header) restyled from the branding, plus a few
named Swedish styles for what Word has no built-in style for (Anteckning, Liten text, Tabelltext …). So the kansli
can restyle a document in Word, and screen readers find real headings, lists and table header rows.

Text from users may hold anything; it is cleaned by the one rule for document text (``text.clean``) before it
reaches python-docx, which would otherwise refuse what XML 1.0 does not allow.

Page flow (issue 14): a table splits between its rows and repeats its header row on each page; only headings keep
with the next paragraph; a table is followed by space, so it never touches the caption below it; a signer gets at
least ``SIGNING_ROOM_MM`` of empty paper above the signature line. Paragraph styles are set by their style id (one
python-docx lookup by name walks the whole style sheet, which made most of the rendering time).
"""

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENTATION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Length, Mm, Pt, RGBColor
from docx.styles.style import StyleFactory
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from nämndtool.documents import model
from nämndtool.documents.branding import Branding
from nämndtool.documents.text import clean

# Built-in Word styles (Word shows them translated: Rubrik 1, Numrerad lista, Punktlista, Tabellrutnät, Sidhuvud).
NORMAL = "Normal"
HEADING = "Heading {}"
MAX_HEADING_LEVEL = 9
ORDERED_LIST = "List Number"
BULLET_LIST = "List Bullet"
GRID_TABLE = "Table Grid"
HEADER = "Header"
# Our own paragraph styles, for what Word has no built-in style for.
NOTE = "Anteckning"
SMALL = "Liten text"
CELL = "Tabelltext"
CELL_HEADER = "Tabellrubrik"
FIELD_VALUE = "Fältvärde"
FIELD_LABEL = "Fältetikett"
SIGNATURE = "Underskrift"
MARKING = "Sekretessmarkering"
NOTICE = "Sidhuvud notis"
FOOTER = "Footer"
BOX_LABEL = "Signaturruta etikett"
TABLE_GAP = "Tabellavstånd"

PARAGRAPH_STYLES = {"body": NORMAL, "note": NOTE, "small": SMALL}

A4 = (210, 297)  # mm
SIGNING_ROOM_MM = 18  # empty paper above each signature line (at least 15 mm to sign in)
SIGNATURE_LINE_MM = 75  # length of the line a signer signs on
SIGNATURE_BOX_MM = (35, 15)  # width, height of the "Justerandes signatur" box at the foot of every page
TABLE_GAP_PT = 8  # space between a table and what follows it
HEADER_LEFT_SHARE = 0.62  # of the text width; the right part holds the document kind and page number
CORE_TEXT_LIMIT = 255  # python-docx refuses longer core properties
PRODUCER = "Nämndtool"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same document gives the same bytes


@dataclass
class _Context:
    """What the block functions write into."""

    word: WordDocument
    text_width: Length  # between the page margins
    branding: Branding
    style_ids: dict[str, str]  # style name -> w:styleId, so a paragraph's style is set without a lookup by name
    space_before: dict[str, float]  # style id -> its space before in points, where it has one

    def new_ordered_list(self) -> int:
        """A new numbering instance of the List Number style that starts at 1: the numId for its paragraphs."""
        numbering = self.word.part.numbering_part.element
        num = numbering.add_num(_style_abstract_num(self.word, ORDERED_LIST).get(qn("w:abstractNumId")))
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def paragraph(self, style: str, container=None) -> WordParagraph:
        """A new paragraph of ``style`` at the end of the body (or of ``container``: a cell, a header)."""
        paragraph = (container or self.word).add_paragraph()
        self.set_style(paragraph, style)
        return paragraph

    def set_style(self, paragraph: WordParagraph, style: str) -> None:
        """``paragraph.style = style`` without python-docx's lookup by name and its generic child ordering."""
        p = paragraph._p
        ppr = p.pPr
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            p.insert(0, ppr)  # w:pPr is a paragraph's first child, w:pStyle the first of w:pPr
        pstyle = ppr.pStyle
        if pstyle is None:
            pstyle = OxmlElement("w:pStyle")
            ppr.insert(0, pstyle)
        pstyle.set(qn("w:val"), self.style_ids[style])


def render_docx(doc: model.Document, branding: Branding) -> bytes:
    """The document as the bytes of a DOCX file."""
    language = clean(doc.metadata.language) or "sv-SE"
    base, style_ids, space_before = _styled_base(branding, language)
    word = docx.Document(io.BytesIO(base))
    ctx = _Context(word, _text_width(branding), branding, style_ids, space_before)
    _running_header(ctx, doc)
    _write_blocks(doc.blocks, ctx)
    _core_properties(word, doc)
    return _save(word)


_BASES: dict[tuple[str, str], tuple[bytes, dict[str, str], dict[str, float]]] = {}
_BASES_KEPT = 8


def _styled_base(branding: Branding, language: str) -> tuple[bytes, dict[str, str], dict[str, float]]:
    """An empty document with the page, styles, lists and settings of this branding and language, made once (the
    set-up took half the time of a document) and kept as bytes; with its style ids and spaces before."""
    key = (json.dumps(branding.values, sort_keys=True, default=str), language)
    found = _BASES.get(key)
    if found is None:
        word = docx.Document()
        _setup_page(word.sections[0], branding)
        style_ids, space_before = _setup_styles(word, branding, language, _text_width(branding))
        _setup_lists(word, branding)
        _setup_settings(word, language)
        _drop_template_leftovers(word)
        found = (_save(word), style_ids, space_before)
        if len(_BASES) >= _BASES_KEPT:
            _BASES.clear()
        _BASES[key] = found
    return found


# --- blocks ---------------------------------------------------------------------------------------------------


def _heading(block: model.Heading, ctx: _Context) -> None:
    level = min(max(block.level, 1), MAX_HEADING_LEVEL)
    _add_inline(ctx.paragraph(HEADING.format(level)), block.text)


def _paragraph(block: model.Paragraph, ctx: _Context) -> None:
    _add_inline(ctx.paragraph(PARAGRAPH_STYLES.get(block.style, NORMAL)), block.text)


def _list(block: model.ListBlock, ctx: _Context) -> None:
    if not block.items:
        return
    num_id = ctx.new_ordered_list() if block.ordered else None
    for item in block.items:
        paragraph = ctx.paragraph(ORDERED_LIST if block.ordered else BULLET_LIST)
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        _add_inline(paragraph, item)


def _has_text(cells: tuple[model.Inline, ...] | None) -> bool:
    return bool(cells) and any(clean(model.plain(cell)).strip() for cell in cells)


def _table(block: model.Table, ctx: _Context) -> None:
    header = block.header if _has_text(block.header) else None  # an all-empty header prints no empty shaded row
    rows = ([header] if header is not None else []) + list(block.rows)
    columns = max((len(row) for row in rows), default=0)
    if columns == 0:
        return
    table = ctx.word.add_table(rows=len(rows), cols=columns)
    if block.style == "grid":
        table._tbl.tblStyle_val = ctx.style_ids[GRID_TABLE]
    else:
        _no_side_padding(table)
    _set_widths(table, block.widths, ctx.text_width)
    _table_look(table, header_row=header is not None)
    for index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
        is_header = index == 0 and header is not None
        _row_properties(row, repeat_as_header=is_header)
        for cell, inline in zip(row.cells, cells, strict=False):
            paragraph = cell.paragraphs[0]
            ctx.set_style(paragraph, CELL_HEADER if is_header else CELL)
            _add_inline(paragraph, inline)
        for cell in row.cells[len(cells) :]:
            ctx.set_style(cell.paragraphs[0], CELL)


def _field_grid(block: model.FieldGrid, ctx: _Context) -> None:
    columns = max((len(row) for row in block.rows), default=0)
    if columns == 0:
        return
    table = ctx.word.add_table(rows=len(block.rows), cols=columns)
    _no_side_padding(table)
    _set_widths(table, None, ctx.text_width)
    _table_look(table, header_row=False)
    for row, fields in zip(table.rows, block.rows, strict=True):
        _row_properties(row, repeat_as_header=False)
        for cell, field in zip(row.cells, fields, strict=False):
            label = cell.paragraphs[0]
            ctx.set_style(label, FIELD_LABEL)
            _run(label, clean(field.label))
            _add_inline(ctx.paragraph(FIELD_VALUE, cell), field.value)  # printed even when empty
        for cell in row.cells[len(fields) :]:
            ctx.set_style(cell.paragraphs[0], FIELD_VALUE)


def _signature(block: model.Signature, ctx: _Context) -> None:
    """Each signer one paragraph: empty paper to sign on (the style's space before), the line (an underlined tab
    to the style's tab stop: paragraph borders of consecutive signers would merge into one), name, title."""
    for name, title in block.signers:
        paragraph = ctx.paragraph(SIGNATURE)
        _run(paragraph, "\t", underline=True)
        title = clean(title or "")
        _run(paragraph, "\n" + clean(name) + ("\n" + title if title else ""))


def _page_break(block: model.PageBreak, ctx: _Context) -> None:
    ctx.word.add_page_break()


_BLOCKS: dict[type, Callable[..., None]] = {
    model.Heading: _heading,
    model.Paragraph: _paragraph,
    model.ListBlock: _list,
    model.Table: _table,
    model.FieldGrid: _field_grid,
    model.Signature: _signature,
    model.PageBreak: _page_break,
}
_TABLES = (model.Table, model.FieldGrid)


def _write_blocks(blocks: tuple[model.Block, ...], ctx: _Context) -> None:
    body = ctx.word.element.body  # its last child is the w:sectPr; blocks are added before it
    table = None  # the table written last, until the next block that writes something follows it
    for block in blocks:
        write = _BLOCKS.get(type(block))
        if write is None:
            raise TypeError(f"render_docx cannot render a {type(block).__name__} block")
        before = len(body)
        write(block, ctx)
        if len(body) == before:
            continue
        if table is not None:
            _space_after_table(ctx, table)
        table = body[-2] if isinstance(block, _TABLES) else None
    if table is not None:
        _space_after_table(ctx, table)


def _space_after_table(ctx: _Context, table) -> None:
    """Room between a table and what follows: the next paragraph gets at least TABLE_GAP_PT before it; before
    another table, or at the end, a small empty paragraph gives it (Word would otherwise join adjacent tables)."""
    following = table.getnext()
    if following is not None and following.tag == qn("w:p"):
        paragraph = WordParagraph(following, ctx.word._body)
        if ctx.space_before.get(following.style, 0) < TABLE_GAP_PT and paragraph.paragraph_format.space_before is None:
            paragraph.paragraph_format.space_before = Pt(TABLE_GAP_PT)
        return
    table.addnext(ctx.paragraph(TABLE_GAP)._p)  # before the next table, or at the end (before the w:sectPr)


def _add_inline(paragraph: WordParagraph, inline: model.Inline, bold: bool = False) -> None:
    for span in inline:
        if span.break_before:
            _run(paragraph, "\n")
        if span.text:
            _run(paragraph, clean(span.text), bold=span.bold or bold, italic=span.italic)


def _run(paragraph: WordParagraph, text: str, bold: bool = False, italic: bool = False,
         underline: bool = False):
    """Append a run of ``text`` ("\n" a line break, "\t" a tab) to the paragraph and return its w:r: what
    ``paragraph.add_run(text)`` makes, built directly (python-docx's way, a character at a time, took a fifth of
    the rendering time)."""
    r = OxmlElement("w:r")
    if bold or italic or underline:
        rpr = OxmlElement("w:rPr")
        r.append(rpr)
        for on, tag in ((bold, "w:b"), (italic, "w:i"), (underline, "w:u")):  # the schema's order
            if on:
                rpr.append(OxmlElement(tag, {qn("w:val"): "single"} if tag == "w:u" else None))
    for index, line in enumerate(text.split("\n")):
        if index:
            r.append(OxmlElement("w:br"))
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                r.append(OxmlElement("w:tab"))
            if part:
                t = OxmlElement("w:t")
                t.text = part
                if part[0].isspace() or part[-1].isspace():
                    t.set(qn("xml:space"), "preserve")
                r.append(t)
    paragraph._p.append(r)
    return r


# --- tables -----------------------------------------------------------------------------------------------------


def _set_widths(table: WordTable, widths: tuple[float, ...] | None, total: Length) -> None:
    columns = len(table.columns)
    if not widths or len(widths) != columns or any(w <= 0 for w in widths):
        widths = (1.0,) * columns
    table.autofit = False
    lengths = [Length(int(total * share / sum(widths))) for share in widths]
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, lengths, strict=True):
        grid_column.w = width  # the grid, read by LibreOffice
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, lengths, strict=True):
            tc.width = width  # each cell, read by Word


def _table_look(table: WordTable, header_row: bool) -> None:
    """Which conditional parts of the table style apply: only the header row, never a first column or banding."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    flags = {  # name: (on, bit in the legacy w:val)
        "firstRow": (header_row, 0x20),
        "lastRow": (False, 0x40),
        "firstColumn": (False, 0x80),
        "lastColumn": (False, 0x100),
        "noHBand": (True, 0x200),
        "noVBand": (True, 0x400),
    }
    for name, (on, _) in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")
    look.set(qn("w:val"), f"{sum(bit for on, bit in flags.values() if on):04X}")


def _row_properties(row, repeat_as_header: bool) -> None:
    """A row never splits across pages (the table does, between rows); the header row repeats on every page the
    table reaches and tells screen readers what it is."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if repeat_as_header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _no_side_padding(table: WordTable) -> None:
    """A borderless table whose text lines up with the text above it."""
    margins = parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tblCellMar>'
    )
    tbl_pr = table._tbl.tblPr
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


# --- running header and footer ----------------------------------------------------------------------------------


def _running_header(ctx: _Context, doc: model.Document) -> None:
    header = doc.header
    section = ctx.word.sections[0]
    logo = ctx.branding.logo()
    has_header = bool(header.lines or header.later_lines or header.kind or header.page_numbers or doc.marking
                      or clean(header.notice or "") or logo)
    box = clean(header.signature_box or "")
    if not (has_header or box):
        return
    first_page = bool(header.later_lines or logo)
    section.different_first_page_header_footer = first_page
    if has_header:
        if first_page:
            _fill_header(ctx, section.first_page_header, doc, header.lines, logo)
            _fill_header(ctx, section.header, doc, header.lines + header.later_lines)
        else:
            _fill_header(ctx, section.header, doc, header.lines)
    if box:
        for footer in (section.first_page_footer, section.footer) if first_page else (section.footer,):
            _signature_box(ctx, footer, box)


def _fill_header(ctx: _Context, part, doc: model.Document, lines: tuple[model.Inline, ...],
                 logo: bytes | None = None) -> None:
    """Secrecy marking on top, then letterhead lines on the left and kind and "x (y)" on the right, then the
    notice (as "Ej justerat") under it."""
    marking, kind = clean(doc.marking or ""), clean(doc.header.kind or "")
    notice = clean(doc.header.notice or "")
    if marking:
        ctx.set_style(part.paragraphs[0], MARKING)
        _run(part.paragraphs[0], marking)
    else:
        part._element.remove(part.paragraphs[0]._p)
    table = part.add_table(rows=1, cols=2, width=ctx.text_width)
    _no_side_padding(table)
    _table_look(table, header_row=False)
    share = HEADER_LEFT_SHARE
    _set_widths(table, (share, 1 - share), ctx.text_width)
    left, right = table.rows[0].cells
    if logo:
        ctx.set_style(left.paragraphs[0], HEADER)
        picture = left.paragraphs[0].add_run().add_picture(
            io.BytesIO(logo), height=Mm(ctx.branding.get("spacing", "logo_height_mm")))
        kommun = clean(ctx.branding.get("organisation", "kommun") or "").strip()
        picture._inline.docPr.set("descr", f"Logotyp {kommun}".strip())  # the alternative text screen readers read
    for index, line in enumerate(lines or ((),)):
        paragraph = left.paragraphs[0] if index == 0 and not logo else ctx.paragraph(HEADER, left)
        ctx.set_style(paragraph, HEADER)
        _add_inline(paragraph, line, bold=index == 0)
    ctx.set_style(right.paragraphs[0], HEADER)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if kind:
        _run(right.paragraphs[0], kind)
    if doc.header.page_numbers:
        paragraph = ctx.paragraph(HEADER, right) if kind else right.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_field(paragraph, "PAGE", "1")
        _run(paragraph, " (")
        _add_field(paragraph, "NUMPAGES", "1")
        _run(paragraph, ")")
    last = ctx.paragraph(NOTICE if notice else HEADER, part)  # a header should end with a paragraph, not a table
    if notice:
        _run(last, notice)


def _signature_box(ctx: _Context, part, label: str) -> None:
    """A labelled empty box at the right of the page foot, the same on every page: the label over it, the box
    SIGNATURE_BOX_MM wide and high, ruled on all sides, empty to sign in."""
    width, height = (Mm(v) for v in SIGNATURE_BOX_MM)
    caption = part.paragraphs[0]
    ctx.set_style(caption, BOX_LABEL)
    caption.paragraph_format.left_indent = Length(ctx.text_width - width)
    _run(caption, label)
    table = part.add_table(rows=1, cols=1, width=width)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    _table_look(table, header_row=False)
    _set_widths(table, None, width)
    borders = parse_xml(
        f'<w:tblBorders {nsdecls("w")}>'
        + "".join(f'<w:{edge} w:val="single" w:sz="6" w:space="0" w:color="{_fill(ctx.branding, "text")}"/>'
                  for edge in ("top", "left", "bottom", "right"))
        + "</w:tblBorders>"
    )
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                           "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    row = table.rows[0]
    row.height, row.height_rule = height, WD_ROW_HEIGHT_RULE.EXACTLY
    ctx.set_style(row.cells[0].paragraphs[0], FOOTER)
    ctx.paragraph(FOOTER, part)  # a footer should end with a paragraph, not a table


def _add_field(paragraph: WordParagraph, instruction: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs, which Word and LibreOffice
    both update; ``shown`` is the result until they do."""

    def field_char(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        _run(paragraph, "").append(char)

    field_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run(paragraph, "").append(instr)
    field_char("separate")
    _run(paragraph, shown)
    field_char("end")


# --- set-up, once per document ----------------------------------------------------------------------------------


def _setup_page(section, branding: Branding) -> None:
    section.orientation = WD_ORIENTATION.PORTRAIT
    section.page_width, section.page_height = Mm(A4[0]), Mm(A4[1])
    section.top_margin = Mm(branding.get("page", "margin_top"))
    section.bottom_margin = Mm(branding.get("page", "margin_bottom"))
    section.left_margin = Mm(branding.get("page", "margin_left"))
    section.right_margin = Mm(branding.get("page", "margin_right"))
    section.header_distance = Mm(branding.get("spacing", "header_top_mm"))
    section.footer_distance = Mm(10)


def _text_width(branding: Branding) -> Length:
    return Mm(A4[0] - branding.get("page", "margin_left") - branding.get("page", "margin_right"))


def _colour(branding: Branding, name: str) -> RGBColor:
    return RGBColor.from_string(branding.get("colour", name).lstrip("#"))


def _fill(branding: Branding, name: str) -> str:
    return branding.get("colour", name).lstrip("#").upper()


# The order of a w:rPr's children (ECMA-376 CT_RPr), which Word insists on.
_RPR_ORDER = tuple(
    f"w:{tag}"
    for tag in (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
        "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
        "em lang eastAsianLayout specVanish oMath"
    ).split()
)


def _set_rpr(rpr: CT_RPr, tag: str, **attributes: str) -> None:
    """Replace the ``w:tag`` child of a run-properties element, keeping the schema's child order."""
    for old in rpr.findall(qn(f"w:{tag}")):
        rpr.remove(old)
    element = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    rpr.insert_element_before(element, *_RPR_ORDER[_RPR_ORDER.index(f"w:{tag}") + 1 :])


def _set_font(rpr: CT_RPr, family: str, size: float | None = None) -> None:
    _set_rpr(rpr, "rFonts", ascii=family, hAnsi=family, eastAsia=family, cs=family)
    if size is not None:
        half_points = str(round(size * 2))
        _set_rpr(rpr, "sz", val=half_points)
        _set_rpr(rpr, "szCs", val=half_points)


def _paragraph_style(word: WordDocument, name: str, base):
    """A new paragraph style ``name`` based on the style object ``base`` (no lookups by name: they are slow)."""
    style = StyleFactory(word.styles.element.add_style_of_type(name, WD_STYLE_TYPE.PARAGRAPH, False))
    style.base_style = base
    style.quick_style = True
    return style


def _setup_styles(word: WordDocument, branding: Branding, language: str,
                  text_width: Length) -> tuple[dict[str, str], dict[str, float]]:
    """Restyle the built-in styles and add ours; returns every paragraph style's id by name, and the space before
    (points) of those that have one, by id."""
    family = branding.get("font", "family")
    size = lambda key: branding.get("size", key)  # noqa: E731
    element = word.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in element.iterchildren(qn("w:style"))}
    builtin = lambda style_id: StyleFactory(by_id[style_id])  # noqa: E731

    # One family throughout the style sheet: explicit names, no theme fonts (Calibri/Cambria in the template).
    for fonts in element.iter(qn("w:rFonts")):
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attribute}"), family)
    defaults = element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_font(default_rpr, family, size("body"))
    _set_rpr(default_rpr, "lang", val=language, eastAsia=language, bidi="ar-SA")
    defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}").clear()  # spacing lives in the styles below

    ids = {NORMAL: "Normal", ORDERED_LIST: "ListNumber", BULLET_LIST: "ListBullet", GRID_TABLE: "TableGrid",
           HEADER: "Header", FOOTER: "Footer"}
    space_before: dict[str, float] = {}
    normal = builtin("Normal")
    _set_font(normal.element.get_or_add_rPr(), family, size("body"))
    _set_rpr(normal.element.get_or_add_rPr(), "lang", val=language, eastAsia=language, bidi="ar-SA")
    normal.font.color.rgb = _colour(branding, "text")
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(branding.get("spacing", "paragraph_after"))
    normal.paragraph_format.line_spacing = 1.15

    for level in range(1, MAX_HEADING_LEVEL + 1):
        style = builtin(f"Heading{level}")  # keeps with the next paragraph and has its outline level (template)
        ids[HEADING.format(level)] = style.style_id
        key = f"heading{min(level, 3)}"
        for target in (style, builtin(f"Heading{level}Char")):
            _set_font(target.element.get_or_add_rPr(), family, size(key))
            target.font.color.rgb = _colour(branding, "heading")
            target.font.bold = True
        if level <= 3:
            before, after = branding.get("spacing", f"heading{level}")
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(after)
            style.font.italic = False
            space_before[style.style_id] = before
        else:
            space_before[style.style_id] = 10  # the template's
    for style_id in ("Title", "TitleChar"):
        _set_font(builtin(style_id).element.get_or_add_rPr(), family, size("heading1"))
        builtin(style_id).font.color.rgb = _colour(branding, "heading")

    for name in (ORDERED_LIST, BULLET_LIST):
        builtin(ids[name]).paragraph_format.space_after = Pt(branding.get("spacing", "list_item_after"))

    header = builtin("Header")
    _set_font(header.element.get_or_add_rPr(), family, size("header"))
    header.paragraph_format.space_after = Pt(0)
    header.paragraph_format.line_spacing = 1.0
    header.paragraph_format.tab_stops.clear_all()
    header.paragraph_format.tab_stops.add_tab_stop(Length(text_width // 2), WD_TAB_ALIGNMENT.CENTER)
    header.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    _set_font(builtin("HeaderChar").element.get_or_add_rPr(), family, size("header"))
    footer = builtin("Footer")
    _set_font(footer.element.get_or_add_rPr(), family, size("header"))
    footer.paragraph_format.space_after = Pt(0)
    footer.paragraph_format.line_spacing = 1.0
    footer.paragraph_format.tab_stops.clear_all()

    def add(name: str, base):
        style = _paragraph_style(word, name, base)
        ids[name] = style.style_id
        return style

    marking = add(MARKING, header)
    marking.font.bold = True
    marking.font.color.rgb = _colour(branding, "secret")
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    marking.paragraph_format.space_after = Pt(4)
    notice = add(NOTICE, header)  # "Ej justerat" under the letterhead on every page
    notice.font.bold = True
    _set_font(notice.element.get_or_add_rPr(), family, size("body"))
    notice.paragraph_format.space_before = Pt(4)

    note = add(NOTE, normal)
    note.font.italic = True
    _set_font(note.element.get_or_add_rPr(), family, size("small"))
    small = add(SMALL, normal)
    _set_font(small.element.get_or_add_rPr(), family, size("small"))

    value = add(FIELD_VALUE, normal)
    value.paragraph_format.space_before = Pt(1.5)
    value.paragraph_format.space_after = Pt(1.5)
    value.paragraph_format.line_spacing = 1.0
    cell = add(CELL, value)
    _set_font(cell.element.get_or_add_rPr(), family, size("table"))
    cell_header = add(CELL_HEADER, cell)  # no keep-with-next: a long table splits, its header row repeats
    cell_header.font.bold = True
    label = add(FIELD_LABEL, value)
    _set_font(label.element.get_or_add_rPr(), family, size("small"))
    label.paragraph_format.space_after = Pt(0)

    gap = add(TABLE_GAP, normal)  # the empty line after a table that no paragraph follows
    _set_font(gap.element.get_or_add_rPr(), family, 2)
    gap.paragraph_format.space_before = Pt(TABLE_GAP_PT)
    gap.paragraph_format.space_after = Pt(0)
    gap.paragraph_format.line_spacing = 1.0

    signature = add(SIGNATURE, normal)  # room to sign, then the line (an underlined tab) with the name under it
    signature.paragraph_format.space_before = Mm(SIGNING_ROOM_MM)
    signature.paragraph_format.keep_together = True
    signature.paragraph_format.tab_stops.add_tab_stop(Mm(SIGNATURE_LINE_MM))
    space_before[signature.style_id] = SIGNING_ROOM_MM * 72 / 25.4

    box_label = add(BOX_LABEL, footer)
    _set_font(box_label.element.get_or_add_rPr(), family, size("small"))
    box_label.font.color.rgb = _colour(branding, "label")
    box_label.paragraph_format.space_after = Pt(1)

    _setup_grid_table(builtin("TableGrid"), branding)
    return ids, space_before


def _setup_grid_table(style, branding: Branding) -> None:
    """Table Grid ruled in the branding rule colour, its header row shaded (a conditional part of the style)."""
    rule = _fill(branding, "rule")
    for border in style.element.iter(qn("w:tblBorders")):
        for edge in border:
            edge.set(qn("w:color"), rule)
    first_row = parse_xml(
        f'<w:tblStylePr {nsdecls("w")} w:type="firstRow">'
        f"<w:rPr><w:b/><w:bCs/></w:rPr>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{_fill(branding, "table_header")}"/></w:tcPr>'
        f"</w:tblStylePr>"
    )
    style.element.append(first_row)


def _style_abstract_num(word: WordDocument, style_name: str):
    """The abstract numbering definition the list style points to."""
    numbering = word.part.numbering_part.element
    num_id = word.styles[style_name].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    return numbering.xpath(f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0]


def _setup_lists(word: WordDocument, branding: Branding) -> None:
    """List Number counts "1." and List Bullet shows "•" in the branding font, both at one indent."""
    family = branding.get("font", "family")
    indent = str(round(Mm(branding.get("spacing", "list_indent_mm")).twips))
    for style_name, number_format, text in ((ORDERED_LIST, "decimal", "%1."), (BULLET_LIST, "bullet", "\u2022")):
        abstract = _style_abstract_num(word, style_name)
        for old in abstract.findall(qn("w:lvl")):
            abstract.remove(old)
        level = parse_xml(
            f'<w:lvl {nsdecls("w")} w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
            f'<w:pStyle w:val="{word.styles[style_name].style_id}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="{indent}"/></w:tabs>'
            f'<w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr>'
            f'<w:rPr><w:rFonts w:hint="default"/></w:rPr></w:lvl>'
        )
        fonts = level.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attribute}"), family)
        abstract.append(level)


def _setup_settings(word: WordDocument, language: str) -> None:
    settings = word.settings.element
    for proof in settings.findall(qn("w:proofState")):  # the template claims spelling was checked
        settings.remove(proof)
    for theme_language in settings.findall(qn("w:themeFontLang")):
        theme_language.attrib.clear()
        theme_language.set(qn("w:val"), language)


def _core_properties(word: WordDocument, doc: model.Document) -> None:
    """Title, author, subject, language, and the document's own date (the meeting's, the justering's …) as its
    creation date; never the time of rendering, so the same document gives the same file."""
    properties = word.core_properties
    metadata = doc.metadata
    properties.title = clean(metadata.title)[:CORE_TEXT_LIMIT]
    properties.author = clean(metadata.author or "")[:CORE_TEXT_LIMIT]
    properties.subject = clean(metadata.subject or "")[:CORE_TEXT_LIMIT]
    properties.language = clean(metadata.language)[:CORE_TEXT_LIMIT]
    properties.last_modified_by = PRODUCER
    properties.comments = ""
    properties.revision = 1
    element = properties._element
    for name in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for found in element.findall(qn(name)):
            element.remove(found)
    try:
        date = dt.datetime.fromisoformat(metadata.date) if metadata.date else None
    except ValueError:  # not an ISO date: left out rather than guessed
        date = None
    if date is not None:
        properties.created = properties.modified = date


def _drop_template_leftovers(word: WordDocument) -> None:
    """Parts of python-docx's template that would contradict the document: a thumbnail of an empty page (shown as
    the preview by file browsers) and Word 2010's copy of the unbranded styles (stylesWithEffects)."""
    package = word.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
    for r_id, rel in list(word.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            word.part.drop_rel(r_id)


class _FixedTimeZip:
    """Where python-docx's package writer puts the parts: a zip archive whose entries have a fixed time, so
    rendering the same document twice gives the same bytes."""

    def __init__(self, out: io.BytesIO):
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        self.zip.writestr(zipfile.ZipInfo(pack_uri.membername, date_time=ZIP_TIME), blob, zipfile.ZIP_DEFLATED)

    def close(self) -> None:
        self.zip.close()


def _save(word: WordDocument) -> bytes:
    """The package as DOCX bytes, as ``Document.save`` writes it but with fixed entry times (written once, not
    saved and then rewritten)."""
    package = word.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedTimeZip(out)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return out.getvalue()
