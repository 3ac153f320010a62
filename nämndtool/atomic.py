"""Writing output files atomically: a failure leaves no half-written file and never replaces a good one."""

import os
import tempfile
from pathlib import Path

from nämndtool.errors import NamndtoolError


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as error:
        raise NamndtoolError(
            f"Filen {path} kunde inte skrivas ({error.strerror or error}). Ingen fil har skrivits över. "
            "Kontrollera att mappen finns, att du har skrivrätt och att disken inte är full."
        ) from error
