"""Writing an archive delivery crash-safely without one fsync per file.

Every package is written into a hidden folder named as unfinished (``.ofullstandig-arkivleverans-…``), on the
same disk as the destination. When all of it is written, it is made durable in one batch (``syncfs`` of that disk
on Linux; elsewhere every file is flushed, many at a time), and only then moved into place by renames: the whole
folder at once when the destination did not exist, else each package folder in turn; a package already in place
is never replaced (a name taken meanwhile fails the delivery). A killed export leaves only the hidden unfinished
folder, never a package in place that looks complete; a failing one removes it."""

import ctypes
import errno
import os
import shutil
import secrets
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from nämndtool.backup import _fsync as _sync_file, _fsync_folder as _sync_folder
from nämndtool.errors import NamndtoolError

UNFINISHED = ".ofullstandig-arkivleverans-"
"""How the folder being written is named: hidden, and saying it is not a delivery."""


class Delivery:
    """The unfinished folder the packages are written into (``folder``) and the destination (``out``)."""

    def __init__(self, out: Path, folder: Path, whole: bool):
        self.out, self.folder, self._whole = out, folder, whole
        self._written: list[Path] = []

    def put(self, path: Path, content: bytes | Path) -> None:
        """Write ``content`` to ``path``: bytes, or a copy of the file at that path of its own (never a link: the
        delivery leaves the machine), made by the kernel where it can."""
        if isinstance(content, bytes):
            with open(path, "wb") as target:
                target.write(content)
        else:
            shutil.copyfile(content, path)
        self._written.append(path)

    def put_written(self, path: Path, write: Callable[[BinaryIO], None]) -> None:
        """Write ``path`` by handing its open file to ``write`` (for a file made as a stream)."""
        with open(path, "wb") as target:
            write(target)
        self._written.append(path)

    def finish(self) -> None:
        """Make everything written durable, then move it into place."""
        _durable(self.folder, self._written)
        if self._whole:
            try:
                os.rename(self.folder, self.out)
            except OSError:
                if not self.out.is_dir():
                    raise
                # the destination appeared meanwhile: the packages go into it one by one below
            else:
                _sync_folder(self.out.parent)
                return
        for package in sorted(self.folder.iterdir()):
            target = self.out / package.name
            if target.exists() or target.is_symlink():
                raise FileExistsError(errno.EEXIST, f"{target} finns redan; ett paket ersätts aldrig")
            os.rename(package, target)
        _sync_folder(self.out)
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def delivery(out: Path) -> Iterator[Delivery]:
    """A delivery to the folder ``out`` (made when missing): write into ``Delivery.folder``; when the block ends
    without an error it is made durable and moved into place, else it is removed and nothing in ``out`` changed."""
    out = Path(out)
    folder = None
    try:
        if out.is_dir():
            whole = False
            folder = _new_folder(out / UNFINISHED)
        else:
            whole = True
            out.parent.mkdir(parents=True, exist_ok=True)
            folder = _new_folder(out.parent / f"{UNFINISHED}{out.name}-")
        found = Delivery(out, folder, whole)
        yield found
        found.finish()
    except OSError as error:
        _remove(folder)
        raise NamndtoolError(
            f"Arkivleveransen kunde inte skrivas till {out} ({error.strerror or error}). Inget ofullständigt paket "
            "har lämnats kvar. Kontrollera att mappen går att skriva i och att disken inte är full, och försök igen."
        ) from error
    except BaseException:
        _remove(folder)
        raise


def _new_folder(prefix: Path) -> Path:
    """A new folder named ``prefix`` and a random tail, with the permissions any new folder gets (``mkdtemp``
    would make it readable by its owner only, and the delivery is that folder once it is in place)."""
    while True:
        folder = prefix.with_name(prefix.name + secrets.token_hex(4))
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def _remove(folder: Path | None) -> None:
    if folder is not None and folder.exists():
        shutil.rmtree(folder, ignore_errors=True)


def durable(folder: Path, files: list[Path]) -> None:
    """Make ``files`` under ``folder`` durable together (see :func:`_durable`); for other writers of many files."""
    _durable(folder, files)


def _durable(folder: Path, files: list[Path]) -> None:
    """Every file written under ``folder``, and the folders holding them, on disk: one ``syncfs`` where the
    system has it, else each file flushed (many at a time, so the file system can join them)."""
    if _syncfs(folder):
        return
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(_sync_file, files))
    if os.name != "nt":     # Windows cannot open a folder to flush it; NTFS journals the names itself
        for path in sorted({p.parent for p in files} | {p.parent.parent for p in files}, reverse=True):
            _sync_folder(path)


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system holding ``folder`` in one call (Linux); False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return syncfs(fd) == 0
    finally:
        os.close(fd)
