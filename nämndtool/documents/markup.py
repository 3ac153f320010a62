"""The small XML dialect templates write, parsed into the document model.

    <document title= author= subject= marking= public=>
      <header kind= pages=yes|no signature-box= notice=><line>…</line><later><line>…</line></later></header>
      <h1>…</h1> <h2>…</h2> <h3>…</h3> <p style=body|note|small>… <b>…</b> <i>…</i> <br/> …</p>
      <ol><li>…</li></ol> <ul><li>…</li></ul>
      <table style=grid|plain widths="1,9,3"><thead><c>…</c></thead><tr><c>…</c></tr></table>
      <fields><row><field label=>…</field></row></fields>
      <signature><signer name= title=/></signature> <pagebreak/>
    </document>

Templates run with autoescaping, so user text arrives here as text and can never add or change elements.
"""

import re
import xml.etree.ElementTree as ET

from nämndtool.documents.model import (
    Document, Field, FieldGrid, Heading, Inline, ListBlock, Metadata, PageBreak, Paragraph, RunningHeader,
    Signature, Span, Table,
)

_SPACE = re.compile(r"\s+")


class MarkupError(ValueError):
    """A template produced markup the parser does not know: a bug in the template, not in user data."""


def parse_document(text: str) -> Document:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise MarkupError(f"mallen gav ogiltig XML: {error}") from error
    if root.tag != "document":
        raise MarkupError(f"mallen ska börja med <document>, inte <{root.tag}>")
    header = RunningHeader()
    blocks = []
    for child in root:
        if child.tag == "header":
            header = _header(child)
        else:
            blocks.append(_block(child))
    metadata = Metadata(title=root.get("title", ""), author=root.get("author") or None,
                        subject=root.get("subject") or None, language=root.get("language", "sv-SE"),
                        date=root.get("date") or None)
    return Document(metadata=metadata, blocks=tuple(blocks), header=header,
                    marking=root.get("marking") or None, public=root.get("public", "yes") == "yes")


def _header(element: ET.Element) -> RunningHeader:
    later = element.find("later")
    return RunningHeader(
        lines=tuple(_inline(line) for line in element.findall("line")),
        kind=element.get("kind") or None,
        page_numbers=element.get("pages", "yes") == "yes",
        later_lines=tuple(_inline(line) for line in later.findall("line")) if later is not None else (),
        signature_box=element.get("signature-box") or None,
        notice=element.get("notice") or None,
    )


def _block(element: ET.Element):
    tag = element.tag
    if tag in ("h1", "h2", "h3"):
        return Heading(int(tag[1]), _inline(element))
    if tag == "p":
        return Paragraph(_inline(element), element.get("style", "body"))
    if tag in ("ol", "ul"):
        return ListBlock(tuple(_inline(li) for li in element.findall("li")), ordered=tag == "ol")
    if tag == "table":
        head = element.find("thead")
        widths = element.get("widths")
        return Table(
            rows=tuple(tuple(_inline(c) for c in row.findall("c")) for row in element.findall("tr")),
            header=tuple(_inline(c) for c in head.findall("c")) if head is not None else None,
            widths=tuple(float(w) for w in widths.split(",")) if widths else None,
            style=element.get("style", "grid"),
        )
    if tag == "fields":
        return FieldGrid(tuple(
            tuple(Field(f.get("label", ""), _inline(f)) for f in row.findall("field"))
            for row in element.findall("row")
        ))
    if tag == "signature":
        return Signature(tuple((s.get("name", ""), s.get("title") or None) for s in element.findall("signer")))
    if tag == "pagebreak":
        return PageBreak()
    raise MarkupError(f"okänt element <{tag}> i mallen")


def _inline(element: ET.Element) -> Inline:
    """Text with <b>, <i> and <br/>, whitespace collapsed as in HTML."""
    spans: list[Span] = []

    def walk(node: ET.Element, bold: bool, italic: bool) -> None:
        nonlocal pending_break
        if node.text:
            add(node.text, bold, italic)
        for child in node:
            if child.tag == "br":
                pending_break = True
            elif child.tag in ("b", "i"):
                walk(child, bold or child.tag == "b", italic or child.tag == "i")
            else:
                raise MarkupError(f"okänt element <{child.tag}> i en text")
            if child.tail:
                add(child.tail, bold, italic)

    def add(text: str, bold: bool, italic: bool) -> None:
        nonlocal pending_break
        text = _SPACE.sub(" ", text)
        if pending_break:
            text = text.lstrip()
        if not text:
            return
        spans.append(Span(text, bold, italic, pending_break))
        pending_break = False

    pending_break = False
    walk(element, False, False)
    return _trim(spans)


def _trim(spans: list[Span]) -> Inline:
    """Drop the whitespace the template's own line breaks leave at the ends of each line."""
    result = []
    for i, span in enumerate(spans):
        text = span.text
        if i == 0 or span.break_before:
            text = text.lstrip()
        if i == len(spans) - 1 or spans[i + 1].break_before:
            text = text.rstrip()
        if text:
            result.append(Span(text, span.bold, span.italic, span.break_before))
    return tuple(result)
