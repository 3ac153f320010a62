"""The last check before a public document leaves the program: no personnummer anywhere in its text."""

from nämndtool.documents.model import (
    Document, FieldGrid, Heading, ListBlock, Paragraph, Signature, Table, plain,
)
from nämndtool.errors import NamndtoolError
from nämndtool.personnummer import scan


class PersonnummerError(NamndtoolError):
    """A public document would show a personnummer; ``hits`` lists (where, what) pairs, the number masked."""

    def __init__(self, document: str, hits: list[tuple[str, str]]):
        self.hits = hits
        lines = "\n".join(f"  {where}: {found}" for where, found in hits)
        super().__init__(
            f"Den offentliga versionen av ”{document}” skapades inte: texten innehåller något som ser ut som "
            f"ett personnummer.\n{lines}\nTa bort eller maskera uppgiften (till exempel ÅÅMMDD-XXXX) och försök igen."
        )


def _texts(document: Document):
    """(where, text) for every piece of text, where = the nearest heading above it."""
    section = "dokumentets början"
    header = document.header
    for line in (*header.lines, *header.later_lines):
        yield "sidhuvudet", plain(line)
    yield "dokumentets egenskaper", " ".join(filter(None, (document.metadata.title, document.metadata.author,
                                                             document.metadata.subject)))
    for block in document.blocks:
        if isinstance(block, Heading):
            section = f"rubriken ”{plain(block.text)}”"
            yield section, plain(block.text)
        elif isinstance(block, Paragraph):
            yield f"under {section}", plain(block.text)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield f"i en lista under {section}", plain(item)
        elif isinstance(block, Table):
            for row in (block.header or (), *block.rows):
                for cell in row:
                    yield f"i en tabell under {section}", plain(cell)
        elif isinstance(block, FieldGrid):
            for row in block.rows:
                for field in row:
                    yield f"fältet ”{field.label}”", plain(field.value)
        elif isinstance(block, Signature):
            for name, title in block.signers:
                yield "underskriften", f"{name} {title or ''}"


def refuse_personnummer(document: Document) -> None:
    """Raise PersonnummerError when a public document contains a personnummer-shaped string."""
    if not document.public:
        return
    hits = [(where, f"ett {hit.kind()} ({hit.masked()})") for where, text in _texts(document) for hit in scan(text)]
    if hits:
        raise PersonnummerError(document.metadata.title, hits)
