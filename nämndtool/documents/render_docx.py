"""The Word renderer: turns the document model into a DOCX file with python-docx.

Each block type has one function ``(block, ctx)``, chosen through ``_BLOCKS`` by the block's type as in the PDF
renderer, so a new document type (a new template) needs no change here. All looks come from styles set up once in ``_setup_styles``: the built-in Word
styles (Normal, Heading 1-3, List Number, List Bullet, Table Grid, Header) restyled from the branding, plus a few
named Swedish styles for what Word has no built-in style for (Anteckning, Liten text, Tabelltext …). So the kansli
can restyle a document in Word, and screen readers find real headings, lists and table header rows.

Text from users may hold anything; it is cleaned by the one rule for document text (``text.clean``) before it
reaches python-docx, which would otherwise refuse what XML 1.0 does not allow.
"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENTATION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Length, Mm, Pt, RGBColor
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

PARAGRAPH_STYLES = {"body": NORMAL, "note": NOTE, "small": SMALL}

A4 = (210, 297)  # mm
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

    def new_ordered_list(self) -> int:
        """A new numbering instance of the List Number style that starts at 1: the numId for its paragraphs."""
        numbering = self.word.part.numbering_part.element
        num = numbering.add_num(_style_abstract_num(self.word, ORDERED_LIST).get(qn("w:abstractNumId")))
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId


def render_docx(doc: model.Document, branding: Branding) -> bytes:
    """The document as the bytes of a DOCX file."""
    word = docx.Document()
    language = clean(doc.metadata.language) or "sv-SE"
    _setup_page(word.sections[0], branding)
    text_width = _text_width(branding)
    _setup_styles(word, branding, language, text_width)
    _setup_lists(word, branding)
    _setup_settings(word, language)
    ctx = _Context(word, text_width, branding)
    _running_header(ctx, doc)
    _write_blocks(doc.blocks, ctx)
    _core_properties(word, doc)
    _drop_template_leftovers(word)
    out = io.BytesIO()
    word.save(out)
    return _stable_zip(out.getvalue())


# --- blocks ---------------------------------------------------------------------------------------------------


def _heading(block: model.Heading, ctx: _Context) -> None:
    level = min(max(block.level, 1), MAX_HEADING_LEVEL)
    _add_inline(ctx.word.add_paragraph(style=HEADING.format(level)), block.text)


def _paragraph(block: model.Paragraph, ctx: _Context) -> None:
    _add_inline(ctx.word.add_paragraph(style=PARAGRAPH_STYLES.get(block.style, NORMAL)), block.text)


def _list(block: model.ListBlock, ctx: _Context) -> None:
    if not block.items:
        return
    num_id = ctx.new_ordered_list() if block.ordered else None
    for item in block.items:
        paragraph = ctx.word.add_paragraph(style=ORDERED_LIST if block.ordered else BULLET_LIST)
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        _add_inline(paragraph, item)


def _table(block: model.Table, ctx: _Context) -> None:
    rows = ([block.header] if block.header is not None else []) + list(block.rows)
    columns = max((len(row) for row in rows), default=0)
    if columns == 0:
        return
    table = ctx.word.add_table(rows=len(rows), cols=columns)
    if block.style == "grid":
        table.style = GRID_TABLE
    else:
        _no_side_padding(table)
    _set_widths(table, block.widths, ctx.text_width)
    _table_look(table, header_row=block.header is not None)
    for index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
        is_header = index == 0 and block.header is not None
        _row_properties(row, repeat_as_header=is_header)
        for cell, inline in zip(row.cells, cells, strict=False):
            paragraph = cell.paragraphs[0]
            paragraph.style = CELL_HEADER if is_header else CELL
            _add_inline(paragraph, inline)
        for cell in row.cells[len(cells) :]:
            cell.paragraphs[0].style = CELL


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
            label.style = FIELD_LABEL
            label.add_run(clean(field.label))
            _add_inline(cell.add_paragraph(style=FIELD_VALUE), field.value)  # printed even when empty
        for cell in row.cells[len(fields) :]:
            cell.paragraphs[0].style = FIELD_VALUE


def _signature(block: model.Signature, ctx: _Context) -> None:
    for name, title in block.signers:
        paragraph = ctx.word.add_paragraph(style=SIGNATURE)
        paragraph.add_run(clean(name))
        title = clean(title or "")
        if title:
            paragraph.add_run().add_break()
            paragraph.add_run(title)


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


def _write_blocks(blocks: tuple[model.Block, ...], ctx: _Context) -> None:
    for block in blocks:
        write = _BLOCKS.get(type(block))
        if write is None:
            raise TypeError(f"render_docx cannot render a {type(block).__name__} block")
        write(block, ctx)


def _add_inline(paragraph: WordParagraph, inline: model.Inline, bold: bool = False) -> None:
    for span in inline:
        if span.break_before:
            paragraph.add_run().add_break()
        if span.text:
            run = paragraph.add_run(clean(span.text))  # python-docx makes "\n" a line break
            if span.bold or bold:
                run.bold = True
            if span.italic:
                run.italic = True


# --- tables -----------------------------------------------------------------------------------------------------


def _set_widths(table: WordTable, widths: tuple[float, ...] | None, total: Length) -> None:
    columns = len(table.columns)
    if not widths or len(widths) != columns or any(w <= 0 for w in widths):
        widths = (1.0,) * columns
    table.autofit = False
    for column, share in zip(table.columns, widths, strict=True):
        width = Length(int(total * share / sum(widths)))
        column.width = width  # the grid, read by LibreOffice
        for cell in column.cells:
            cell.width = width  # each cell, read by Word


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
    """A row never splits across pages; the header row repeats on every page and tells screen readers what it is."""
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


# --- running header ---------------------------------------------------------------------------------------------


def _running_header(ctx: _Context, doc: model.Document) -> None:
    header = doc.header
    if not (header.lines or header.later_lines or header.kind or header.page_numbers or doc.marking):
        return
    section = ctx.word.sections[0]
    logo = ctx.branding.logo()
    if header.later_lines or logo:
        section.different_first_page_header_footer = True
        _fill_header(ctx, section.first_page_header, doc, header.lines, logo)
        _fill_header(ctx, section.header, doc, header.lines + header.later_lines)
    else:
        _fill_header(ctx, section.header, doc, header.lines)


def _fill_header(ctx: _Context, part, doc: model.Document, lines: tuple[model.Inline, ...],
                 logo: bytes | None = None) -> None:
    """Secrecy marking on top, then letterhead lines on the left and kind and "x (y)" on the right."""
    marking, kind = clean(doc.marking or ""), clean(doc.header.kind or "")
    if marking:
        part.paragraphs[0].style = MARKING
        part.paragraphs[0].add_run(marking)
    else:
        part._element.remove(part.paragraphs[0]._p)
    table = part.add_table(rows=1, cols=2, width=ctx.text_width)
    _no_side_padding(table)
    _table_look(table, header_row=False)
    share = HEADER_LEFT_SHARE
    _set_widths(table, (share, 1 - share), ctx.text_width)
    left, right = table.rows[0].cells
    if logo:
        left.paragraphs[0].style = HEADER
        left.paragraphs[0].add_run().add_picture(io.BytesIO(logo), height=Mm(ctx.branding.get("spacing", "logo_height_mm")))
    for index, line in enumerate(lines or ((),)):
        paragraph = left.paragraphs[0] if index == 0 and not logo else left.add_paragraph()
        paragraph.style = HEADER
        _add_inline(paragraph, line, bold=index == 0)
    right.paragraphs[0].style = HEADER
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if kind:
        right.paragraphs[0].add_run(kind)
    if doc.header.page_numbers:
        paragraph = right.add_paragraph(style=HEADER) if kind else right.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_field(paragraph, "PAGE", "1")
        paragraph.add_run(" (")
        _add_field(paragraph, "NUMPAGES", "1")
        paragraph.add_run(")")
    part.add_paragraph(style=HEADER)  # a header should end with a paragraph, not a table


def _add_field(paragraph: WordParagraph, instruction: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs, which Word and LibreOffice
    both update; ``shown`` is the result until they do."""

    def field_char(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(char)

    field_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    field_char("separate")
    paragraph.add_run(shown)
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


def _paragraph_style(word: WordDocument, name: str, base: str):
    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = word.styles[base]
    style.quick_style = True
    return style


def _setup_styles(word: WordDocument, branding: Branding, language: str, text_width: Length) -> None:
    family = branding.get("font", "family")
    size = lambda key: branding.get("size", key)  # noqa: E731
    styles = word.styles
    element = styles.element

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

    normal = styles[NORMAL]
    _set_font(normal.element.get_or_add_rPr(), family, size("body"))
    _set_rpr(normal.element.get_or_add_rPr(), "lang", val=language, eastAsia=language, bidi="ar-SA")
    normal.font.color.rgb = _colour(branding, "text")
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(branding.get("spacing", "paragraph_after"))
    normal.paragraph_format.line_spacing = 1.15

    for level in range(1, MAX_HEADING_LEVEL + 1):
        style = styles[HEADING.format(level)]
        key = f"heading{min(level, 3)}"
        for target in (style, styles[f"Heading {level} Char"]):
            _set_font(target.element.get_or_add_rPr(), family, size(key))
            target.font.color.rgb = _colour(branding, "heading")
            target.font.bold = True
        if level <= 3:
            before, after = branding.get("spacing", f"heading{level}")
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(after)
            style.font.italic = False
    for name in ("Title", "Title Char"):
        _set_font(styles[name].element.get_or_add_rPr(), family, size("heading1"))
        styles[name].font.color.rgb = _colour(branding, "heading")

    for name in (ORDERED_LIST, BULLET_LIST):
        styles[name].paragraph_format.space_after = Pt(branding.get("spacing", "list_item_after"))

    header = styles[HEADER]
    _set_font(header.element.get_or_add_rPr(), family, size("header"))
    header.paragraph_format.space_after = Pt(0)
    header.paragraph_format.line_spacing = 1.0
    header.paragraph_format.tab_stops.clear_all()
    header.paragraph_format.tab_stops.add_tab_stop(Length(text_width // 2), WD_TAB_ALIGNMENT.CENTER)
    header.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    _set_font(styles["Header Char"].element.get_or_add_rPr(), family, size("header"))

    marking = _paragraph_style(word, MARKING, HEADER)
    marking.font.bold = True
    marking.font.color.rgb = _colour(branding, "secret")
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    marking.paragraph_format.space_after = Pt(4)

    note = _paragraph_style(word, NOTE, NORMAL)
    note.font.italic = True
    _set_font(note.element.get_or_add_rPr(), family, size("small"))
    small = _paragraph_style(word, SMALL, NORMAL)
    _set_font(small.element.get_or_add_rPr(), family, size("small"))

    value = _paragraph_style(word, FIELD_VALUE, NORMAL)
    value.paragraph_format.space_before = Pt(1.5)
    value.paragraph_format.space_after = Pt(1.5)
    value.paragraph_format.line_spacing = 1.0
    cell = _paragraph_style(word, CELL, FIELD_VALUE)
    _set_font(cell.element.get_or_add_rPr(), family, size("table"))
    cell_header = _paragraph_style(word, CELL_HEADER, CELL)
    cell_header.font.bold = True
    cell_header.paragraph_format.keep_with_next = True
    label = _paragraph_style(word, FIELD_LABEL, FIELD_VALUE)
    _set_font(label.element.get_or_add_rPr(), family, size("small"))
    label.paragraph_format.space_after = Pt(0)

    signature = _paragraph_style(word, SIGNATURE, NORMAL)
    signature.paragraph_format.space_before = Pt(24)
    signature.paragraph_format.keep_together = True

    _setup_grid_table(styles[GRID_TABLE], branding)


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
    """Title, author, subject, language; no creation date, so the same document gives the same file."""
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


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times, so rendering the same document twice gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            target.writestr(fixed, source.read(entry), zipfile.ZIP_DEFLATED)
    return out.getvalue()
