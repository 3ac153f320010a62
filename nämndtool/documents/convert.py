"""Word bilagor converted to PDF with LibreOffice, when it is installed. The app works without it."""

import shutil
import subprocess
import tempfile
from pathlib import Path

WORD_SUFFIXES = {".doc", ".docx", ".odt", ".rtf"}
TIMEOUT_S = 120


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def word_to_pdf(source: Path, suffix: str) -> bytes | None:
    """The document as PDF bytes, or None when LibreOffice is missing or fails on it."""
    program = libreoffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="namndtool-lo-") as work:
        work_dir = Path(work)
        named = work_dir / f"bilaga{suffix}"
        shutil.copyfile(source, named)
        try:
            subprocess.run(
                [program, f"-env:UserInstallation=file://{work_dir / 'profil'}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(work_dir), str(named)],
                capture_output=True, timeout=TIMEOUT_S, check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        result = work_dir / "bilaga.pdf"
        return result.read_bytes() if result.exists() else None
