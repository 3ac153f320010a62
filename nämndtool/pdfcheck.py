"""Whether a file can be used as what its name claims, checked once, when it enters the store.

One rule for every way a file comes in (import, ``case add-handling``, the app): a PDF that needs a password to
open is refused (nobody can read it, and the secrecy checks cannot either); a file whose content does not match
its type (a ".pdf" that is no PDF, a damaged PDF, a ".docx" that is no Word file) is stored, and the problem is
reported and kept with it, so it never breaks a meeting pack. Bilagor of a meeting are limited to the types a
meeting pack can hold (``BILAGA_SUFFIXES``); handlingar may be of any type.
"""

from pathlib import Path

from nämndtool.documents.convert import WORD_SUFFIXES
from nämndtool.errors import NamndtoolError

MAX_BILAGA_MB = 200
"""A bilaga larger than this is stored, but not put into a meeting pack: nobody can open a pack that size."""

BILAGA_SUFFIXES = (".pdf", *sorted(WORD_SUFFIXES))
"""What a meeting pack can hold: PDF, and Word files it converts with LibreOffice."""

# How each Word type's content begins: OOXML and ODF are zip files, .doc an OLE compound file, RTF text.
_WORD_MAGIC = {".docx": (b"PK\x03\x04",), ".odt": (b"PK\x03\x04",),
               ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), ".rtf": (b"{\\rtf",)}


class PasswordProtected(NamndtoolError):
    """A PDF that cannot be opened without a password."""

    def __init__(self, name: str):
        super().__init__(
            f"PDF-filen {name} kräver ett lösenord för att öppnas och kan inte tas emot: varken programmet eller "
            "mottagarna kan läsa den. Be avsändaren om en fil utan lösenord (ett lösenord som bara hindrar "
            "utskrift eller ändring går bra) och försök igen. Inget har sparats."
        )


def bilaga_type_problem(name: str) -> str | None:
    """A Swedish reason when a file of this name cannot be a bilaga of a meeting, else None."""
    suffix = Path(name).suffix.lower()
    if suffix in BILAGA_SUFFIXES:
        return None
    shown = f'filtypen "{suffix}"' if suffix else "en fil utan filändelse"
    return (f"{shown} kan inte vara bilaga: en bilaga ska vara en PDF- eller Word-fil "
            f"({', '.join(BILAGA_SUFFIXES)})")


def content_problem(path: Path, name: str | None = None) -> str | None:
    """What is wrong with the file as the type its name (default: its own) claims, or None.

    Raises PasswordProtected for a PDF that needs a password to open. Types the program does not read are not
    checked."""
    name = name or Path(path).name
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return pdf_problem(Path(path), name)
    if suffix in _WORD_MAGIC:
        with open(path, "rb") as handle:
            head = handle.read(8)
        if not head.startswith(_WORD_MAGIC[suffix]):
            return f"filen är ingen {suffix}-fil (innehållet stämmer inte med filändelsen)"
    return None


def pdf_problem(path: Path, name: str | None = None) -> str | None:
    """A Swedish description of what is wrong with the PDF, or None when it opens and its first page can be read.

    Read with pikepdf (qpdf), which opens a file with only an owner password (restrictions on printing or
    editing) as any reader does, including AES-encrypted ones, and reads only what it needs, never the whole file.
    Raises PasswordProtected when a password is needed to open it.
    """
    size_mb = path.stat().st_size / (1024 * 1024)
    if size_mb > MAX_BILAGA_MB:
        return (f"PDF-filen är för stor för att tas med i handlingarna ({size_mb:.0f} MB, högst {MAX_BILAGA_MB} MB); "
                "dela upp den eller länka till den i stället")
    with open(path, "rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            return "filen är ingen PDF-fil (innehållet stämmer inte med filändelsen .pdf)"
    import pikepdf   # here, not at the top: every store imports this module, few need pikepdf (issue 15, start-up)

    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) == 0:
                return "PDF-filen har inga sidor"
            pikepdf.parse_content_stream(pdf.pages[0])
    except pikepdf.PasswordError:
        raise PasswordProtected(name or path.name) from None
    except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError) as error:
        return f"PDF-filen är skadad och kan inte läsas ({type(error).__name__})"
    return None
