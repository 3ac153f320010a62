"""Whether a PDF can be read, so a damaged bilaga is reported rather than breaking a meeting pack."""

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logging.getLogger("pypdf").setLevel(logging.ERROR)

MAX_BILAGA_MB = 200
"""A bilaga larger than this is stored, but not put into a meeting pack: nobody can open a pack that size."""


def pdf_problem(path: Path) -> str | None:
    """A Swedish description of what is wrong with the PDF, or None when it opens and has pages.

    The file is read through an open handle, so pypdf reads only what it needs, never the whole file.
    """
    size_mb = path.stat().st_size / (1024 * 1024)
    if size_mb > MAX_BILAGA_MB:
        return (f"PDF-filen är för stor för att tas med i handlingarna ({size_mb:.0f} MB, högst {MAX_BILAGA_MB} MB); "
                "dela upp den eller länka till den i stället")
    try:
        with open(path, "rb") as handle:
            reader = PdfReader(handle, strict=False)
            if reader.is_encrypted:
                return "PDF-filen är lösenordsskyddad och kan inte tas med i handlingarna"
            if len(reader.pages) == 0:
                return "PDF-filen har inga sidor"
            reader.pages[0].extract_text()
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as error:
        return f"PDF-filen är skadad och kan inte läsas ({type(error).__name__})"
    return None
