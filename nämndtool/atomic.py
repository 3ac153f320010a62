"""Writing files atomically: a failure leaves no half-written file and never replaces a good one."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from nämndtool.errors import NamndtoolError


@contextmanager
def durable_temporary(folder: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A temporary file in ``folder``, flushed to disk when the block ends and removed if it fails.

    The caller renames it into place (``os.replace``), so a crash never leaves a half-written file under a
    name anything else reads.
    """
    fd, name = tempfile.mkstemp(dir=folder, prefix=".ny-", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out, tmp
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    tmp = None
    try:
        with durable_temporary(path.parent) as (out, tmp):
            out.write(data)
        os.replace(tmp, path)
    except OSError as error:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise NamndtoolError(
            f"Filen {path} kunde inte skrivas ({error.strerror or error}). Ingen fil har skrivits över. "
            "Kontrollera att mappen finns, att du har skrivrätt och att disken inte är full."
        ) from error
