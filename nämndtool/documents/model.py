"""The document model: what a template produces and both renderers consume.

A document is a list of blocks plus its page furniture (running header, page numbers, secrecy marking) and
metadata. Layout decisions (fonts, sizes, spacing, colours) are not here but in the branding settings that both
renderers read, so each is written once.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A run of text with emphasis; ``break_before`` starts it on a new line within the same paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    break_before: bool = False


Inline = tuple[Span, ...]


def plain(inline: Inline) -> str:
    return "".join(("\n" if s.break_before else "") + s.text for s in inline)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = document title, 2 = section (Förslag till beslut …), 3 = sub-section
    text: Inline


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    style: str = "body"  # body | note (italic, smaller) | small


@dataclass(frozen=True)
class ListBlock:
    items: tuple[Inline, ...]
    ordered: bool


@dataclass(frozen=True)
class Table:
    """A table with an optional header row. ``widths`` are relative column widths; ``style`` is "grid"
    (ruled, as the agenda) or "plain" (no rules, as a label/value grid)."""

    rows: tuple[tuple[Inline, ...], ...]
    header: tuple[Inline, ...] | None = None
    widths: tuple[float, ...] | None = None
    style: str = "grid"


@dataclass(frozen=True)
class Field:
    label: str
    value: Inline


@dataclass(frozen=True)
class FieldGrid:
    """Label-over-value cells in rows, as the header of a tjänsteskrivelse (Datum / Vår beteckning …).
    A label whose value is empty still prints, so Ert datum and Er beteckning always show."""

    rows: tuple[tuple[Field, ...], ...]


@dataclass(frozen=True)
class Signature:
    signers: tuple[tuple[str, str | None], ...]  # (name, title)


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | ListBlock | Table | FieldGrid | Signature | PageBreak


@dataclass(frozen=True)
class RunningHeader:
    """Printed at the top of every page: letterhead lines on the left, the document kind and "x (y)" on the
    right. ``later_lines`` are added on pages after the first (Datum and Vår beteckning, as the seeds do)."""

    lines: tuple[Inline, ...] = ()
    kind: str | None = None
    page_numbers: bool = True
    later_lines: tuple[Inline, ...] = ()
    # A labelled empty box at the foot of every page, for the justerare's initials ("Justerandes signatur").
    signature_box: str | None = None
    # A notice printed under the header on every page, as "Ej justerat" on an utdrag of an unjusterat protokoll.
    notice: str | None = None


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str | None = None
    subject: str | None = None
    language: str = "sv-SE"
    date: str | None = None  # ISO date the document is of (the protokoll's justering …), written into the file


@dataclass(frozen=True)
class Document:
    metadata: Metadata
    blocks: tuple[Block, ...]
    header: RunningHeader = field(default_factory=RunningHeader)
    marking: str | None = None  # "SEKRETESS 26 kap. 1 § OSL" on every page of an internal secret document
    public: bool = True
    scope: object = None        # nämndtool.secrecy.facts.Scope: what the secrecy gate checks a public version for

    def about(self, scope) -> "Document":
        """This document with the scope the secrecy gate reads it against (every public document has one)."""
        from dataclasses import replace
        return replace(self, scope=scope)
