"""Markdown text fields (CommonMark with GitHub tables) turned into the template markup.

Only what the document model can hold comes through: paragraphs, bold, italic, line breaks, bullet and numbered
lists (nested items are flattened with a dash), tables and headings (as level 3). Raw HTML is kept as literal
text, as the user typed it.
"""

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from nämndtool.documents.text import clean

_PARSER = MarkdownIt("commonmark").enable("table")


def markdown_to_markup(text: str) -> Markup:
    # A tab is indentation in Markdown (to the next multiple of four columns): it is expanded here, before the
    # cleaner would make it one space and so change a list or a code block.
    tokens = _PARSER.parse(clean(text.expandtabs(4)))
    out: list[str] = []
    list_stack: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            tag = "ul" if kind == "bullet_list_open" else "ol"
            if not list_stack:
                out.append(f"<{tag}>")
            list_stack.append(tag)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
            if not list_stack:
                out.append(f"</{'ul' if kind == 'bullet_list_close' else 'ol'}>")
        elif kind == "inline" and list_stack:
            dash = "– " * (len(list_stack) - 1)
            out.append(f"<li>{escape(dash)}{_inline(token.children or [])}</li>")
        elif kind == "inline":
            out.append(_inline(token.children or []))
        elif kind == "paragraph_open" and not list_stack:
            out.append("<p>")
        elif kind == "paragraph_close" and not list_stack:
            out.append("</p>")
        elif kind == "heading_open":
            out.append("<h3>")
        elif kind == "heading_close":
            out.append("</h3>")
        elif kind == "table_open":
            i = _table(tokens, i, out)
        elif kind in ("code_block", "fence", "html_block"):
            for line in token.content.rstrip("\n").split("\n"):
                out.append(f"<p>{escape(line)}</p>")
        i += 1
    return Markup("".join(out))


def _inline(children: list[Token]) -> str:
    parts = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            parts.append(str(escape(child.content)))
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("<br/>")
        elif kind in ("strong_open", "strong_close"):
            parts.append("<b>" if kind == "strong_open" else "</b>")
        elif kind in ("em_open", "em_close"):
            parts.append("<i>" if kind == "em_open" else "</i>")
        elif kind == "image":
            parts.append(str(escape(child.content)))
    return "".join(parts)


def _table(tokens: list[Token], i: int, out: list[str]) -> int:
    """Write one table; return the index of its table_close token. A header row whose cells are all empty (a
    table typed without a header, "| | |" over the separator line) is left out: no empty shaded row is printed;
    a table with nothing in it at all is left out whole."""
    rows: list[str] = []
    row: list[str] = []
    in_head = False
    while tokens[i].type != "table_close":
        kind = tokens[i].type
        if kind == "thead_open":
            in_head = True
        elif kind == "tbody_open":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if not in_head:
                rows.append(f"<tr>{''.join(row)}</tr>")
            elif any(cell != "<c></c>" for cell in row):
                rows.append(f"<thead>{''.join(row)}</thead>")
        elif kind == "inline":
            row.append(f"<c>{_inline(tokens[i].children or [])}</c>")
        i += 1
    if rows:
        out.append(f"<table>{''.join(rows)}</table>")
    return i
