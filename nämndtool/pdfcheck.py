"""Whether a PDF can be read, so a damaged bilaga is reported rather than breaking a meeting pack."""

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logging.getLogger("pypdf").setLevel(logging.ERROR)


def pdf_problem(path: Path) -> str | None:
    """A Swedish description of what is wrong with the PDF, or None when it opens and has pages."""
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            return "PDF-filen är lösenordsskyddad och kan inte tas med i handlingarna"
        if len(reader.pages) == 0:
            return "PDF-filen har inga sidor"
        reader.pages[0].extract_text()
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as error:
        return f"PDF-filen är skadad och kan inte läsas ({type(error).__name__})"
    return None
