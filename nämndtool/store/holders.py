"""Who has a store open: an OS lock that the kernel releases when a process dies, and a note naming each holder.

Every process that opens a store holds ``.<namn>.lock`` beside it with a shared ``flock``; whatever replaces the
store file (restore) needs it exclusively and is refused while anyone else holds it. Each holder also leaves a
small note (program, process id, user, computer) in ``.<namn>.users/``, locked by its writer, so a refusal can say
who has the store open, and a note whose lock is free is known to be left by a process that has died.

On systems without ``fcntl`` (Windows) nothing is locked; the identity and generation recorded in the store
(``StoreBase.write``) still keep a process from writing into a store that was replaced under it.
"""

import json
import os
import socket
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from nämndtool.errors import StoreError
from nämndtool.store.connection import BUSY_TIMEOUT_MS, current_user

try:
    import fcntl
except ImportError:  # Windows: see the module docstring
    fcntl = None

NOTE_SUFFIX = ".json"


def lock_path(store_path: Path) -> Path:
    """Beside the real file, so a store reached through a link or another path is still one store."""
    real = store_path.resolve()
    return real.with_name(f".{real.name}.lock")


def notes_dir(store_path: Path) -> Path:
    real = store_path.resolve()
    return real.with_name(f".{real.name}.users")


class Holding:
    """This process's shared hold on one store; :meth:`release` (or the death of the process) ends it."""

    def __init__(self, lock_fd: int | None, note: Path | None, note_fd: int | None):
        self._fds = [fd for fd in (note_fd, lock_fd) if fd is not None]
        self._note = note

    def release(self) -> None:
        if self._note is not None:
            self._note.unlink(missing_ok=True)
            self._note = None
        for fd in self._fds:
            os.close(fd)
        self._fds = []


def hold(store_path: Path, *, when_alone: Callable[[], None]) -> Holding:
    """Announce that this process has the store open.

    When no other process has it open, ``when_alone`` runs first while the lock is held exclusively (clearing what
    killed processes left behind is safe only then); the lock is then held shared for as long as the store is open.
    """
    if fcntl is None:
        return Holding(None, None, None)
    fd = _open_lock(store_path)
    if fd is None:  # a read-only folder without a lock file: nobody can replace the store there either
        return Holding(None, None, None)
    try:
        if _try(fd, fcntl.LOCK_EX):
            when_alone()
        _wait_shared(fd, store_path)
        note, note_fd = _write_note(store_path)
    except BaseException:
        os.close(fd)
        raise
    return Holding(fd, note, note_fd)


@contextmanager
def alone(store_path: Path) -> Iterator[None]:
    """Hold the store exclusively (to replace its file); refused, naming who, while another process has it open."""
    if fcntl is None:
        yield
        return
    fd = _open_lock(store_path)
    if fd is None:
        raise StoreError(f"Registret {store_path} ligger i en mapp där du inte får skriva, så det kan inte ersättas. "
                         "Ingenting har ändrats.")
    try:
        if not _try(fd, fcntl.LOCK_EX):
            raise StoreError(in_use_message(store_path))
        yield
    finally:
        os.close(fd)


def in_use_message(store_path: Path) -> str:
    who = holders(store_path)
    named = "; ".join(
        f"{h.get('program', 'Nämndtool')} (process {h.get('pid', '?')}, användare {h.get('user', '?')} "
        f"på {h.get('host', '?')})" for h in who
    ) or "ett annat program med Nämndtool"
    return (f"Registret {store_path} används av ett annat fönster eller program: {named}. Ingenting har ändrats. "
            "Stäng det och försök igen.")


def holders(store_path: Path) -> list[dict]:
    """The processes that have the store open, as their notes describe them; notes of dead processes are removed."""
    folder = notes_dir(store_path)
    if fcntl is None or not folder.is_dir():
        return []
    found = []
    for note in sorted(folder.glob(f"*{NOTE_SUFFIX}")):
        try:
            fd = os.open(note, os.O_RDONLY)
        except OSError:
            continue
        try:
            if _try(fd, fcntl.LOCK_SH):  # its writer would hold it: the process is gone
                note.unlink(missing_ok=True)
                continue
            found.append(json.loads(os.read(fd, 4096) or b"{}"))
        except (OSError, ValueError):
            continue
        finally:
            os.close(fd)
    return found


def _open_lock(store_path: Path) -> int | None:
    path = lock_path(store_path)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        try:
            return os.open(path, os.O_RDONLY)
        except OSError:
            return None


def _try(fd: int, kind: int) -> bool:
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _wait_shared(fd: int, store_path: Path) -> None:
    """Shared lock, waiting while a restore holds the store alone (it takes seconds at most)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while not _try(fd, fcntl.LOCK_SH):
        if time.monotonic() > deadline:
            raise StoreError(
                f"Registret {store_path} återställs eller byts ut just nu av ett annat program. "
                "Vänta tills det är klart och försök igen."
            )
        time.sleep(0.02)


def _write_note(store_path: Path) -> tuple[Path | None, int | None]:
    """A note naming this process, locked while it lives; written under a temporary name so a reader never
    finds it unlocked. Without write access to the folder the store is opened read-only and no note is left."""
    folder = notes_dir(store_path)
    name = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp, note = folder / f".{name}.tmp", folder / f"{name}{NOTE_SUFFIX}"
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError:
        return None, None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, json.dumps({"program": _program(), "pid": os.getpid(), "user": current_user(),
                                 "host": socket.gethostname()}, ensure_ascii=False).encode())
        os.replace(tmp, note)
    except OSError:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        return None, None
    return note, fd


def clear_notes(store_path: Path) -> None:
    """Remove every note; only while holding the store alone, when all of them are left by dead processes."""
    folder = notes_dir(store_path)
    try:
        for note in folder.iterdir() if folder.is_dir() else ():
            note.unlink(missing_ok=True)
    except OSError:  # a folder this user may not change: the notes are harmless, holders() skips dead ones
        pass


def _program() -> str:
    """What the holder is, for the refusal message: 'namndtool case new', 'namndtool gui'."""
    first = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    name = "namndtool" if first in ("__main__.py", "namndtool", "namndtool-gui", "-m") else first
    command, skip = [], False
    for arg in sys.argv[1:]:
        if not (skip or arg.startswith("-")):
            command.append(arg)
        skip = arg == "--db"
    return " ".join([name, *command[:2]])[:120]
