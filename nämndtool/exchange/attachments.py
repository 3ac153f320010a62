"""Where an import file's bilagor may come from: only from the import file's own folder tree.

A path in the file is the sender's claim. Without this check ``"fil": "/etc/shadow"`` or ``"../../.ssh/id_rsa"``
would copy a system file into the store, and export would hand it out again. Absolute paths, ``..`` that leaves
the folder, and symbolic links (the file or any folder on the way) that point out of it are refused, and so is
anything that is not a regular file of a type a meeting pack can hold.
"""

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from nämndtool.pdfcheck import PasswordProtected, bilaga_type_problem, content_problem
from nämndtool.store.files import not_a_regular_file

_EXAMPLE = "till exempel bilagor/rapport.pdf"


def bilaga_problem(base_dir: Path, fil: str, titel: str) -> str | None:
    """Why the bilaga ``fil`` (relative to ``base_dir``, the import file's folder) cannot be imported, or None."""
    if "\x00" in fil:
        return "sökvägen till bilagan innehåller ett nolltecken och är ogiltig"
    if PurePosixPath(fil).is_absolute() or PureWindowsPath(fil).anchor:
        return (f'sökvägen "{fil}" är absolut. En bilaga anges relativt till mappen där JSON-filen ligger '
                f"({_EXAMPLE}) och måste ligga i den mappen eller en undermapp")
    if _leaves_folder(fil):
        return (f'sökvägen "{fil}" går med ".." ut ur mappen där JSON-filen ligger. Lägg bilagan i den mappen eller '
                f"en undermapp ({_EXAMPLE})")
    base = base_dir.resolve()
    file = base / fil
    try:
        real = Path(os.path.realpath(file))
        if not real.is_relative_to(base):
            link = _first_link(base, fil)
            return (f'sökvägen "{fil}" går via den symboliska länken {link.name if link else fil}, som pekar ut '
                    f"ur mappen där JSON-filen ligger (till {real}). Kopiera bilagan in i mappen i stället")
        type_problem = bilaga_type_problem(fil)
        if type_problem:
            return type_problem
        if not real.exists():
            return f'bilagan "{titel}" finns inte som fil: {file}. Lägg filen där eller rätta sökvägen'
        kind = not_a_regular_file(real)
        if kind:
            return kind
        content_problem(real, fil)   # only a refusal matters here; other problems are reported after import
    except PasswordProtected as refused:
        return str(refused).removesuffix(" Inget har sparats.")
    except (OSError, ValueError):
        return "sökvägen till bilagan är ogiltig (för lång eller med otillåtna tecken)"
    return None


def _leaves_folder(fil: str) -> bool:
    """Whether ``..`` takes the path above its starting folder at any point (a backslash counts as a separator,
    as on Windows)."""
    depth = 0
    for part in fil.replace("\\", "/").split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


def _first_link(base: Path, fil: str) -> Path | None:
    """The first symbolic link on the way from ``base`` to ``fil``."""
    current = base
    for part in PurePosixPath(fil).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None
