"""What lives beside a store file: its file folder, its backup folder, and what a killed process leaves behind.

A killed backup leaves a ``.pågående-*`` folder in its backup folder, a killed import a ``.ny-*.tmp`` file in the
file folder, a killed restore ``.<namn>.återställs``. They are found here, reported by ``check`` and removed when
the store is next opened by a process that has it to itself.
"""

import os
import shutil
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: a partial backup is then reported but never removed automatically
    fcntl = None

PARTIAL_PREFIX = ".pågående-"
PARTIAL_LOCK = ".lock"
"""Held (flock) by the process writing a partial backup, so a partial whose lock is free was left by a dead one."""


def files_folder(store_path: Path) -> Path:
    return store_path.with_name(f"{store_path.stem}-filer")


def default_backup_root(store_path: Path) -> Path:
    return store_path.with_name(f"{store_path.stem}-sakerhetskopior")


def restore_temporary(store_path: Path) -> Path:
    return store_path.with_name(f".{store_path.name}.återställs")


def damage_marker(store_path: Path) -> Path:
    return store_path.with_name(f".{store_path.name}.skadat")


def abandoned_backups(root: Path) -> list[Path]:
    """Partial backups in ``root`` whose writer has died."""
    if not root.is_dir():
        return []
    return [p for p in sorted(root.glob(f"{PARTIAL_PREFIX}*")) if p.is_dir() and not _being_written(p)]


def temporary_files(store_path: Path) -> list[Path]:
    """Temporary files of the store (a file being stored, a restore under way), whether or not still in use."""
    folder = files_folder(store_path)
    found = sorted(folder.glob(".ny-*.tmp")) if folder.is_dir() else []
    restoring = restore_temporary(store_path)
    return found + ([restoring] if restoring.exists() else [])


def leftovers(store_path: Path, *, others_present: bool) -> list[Path]:
    """What killed processes left beside the store. Temporary files count only when no other process has the
    store open (``others_present`` False): otherwise they may be another process's work in progress."""
    found = abandoned_backups(default_backup_root(store_path))
    return found if others_present else found + temporary_files(store_path)


def remove_leftovers(store_path: Path) -> None:
    """Remove what killed processes left; call only while no other process has the store open."""
    for path in leftovers(store_path, others_present=False):
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        except OSError:  # a read-only folder: reported by 'check' instead
            continue


def _being_written(partial: Path) -> bool:
    if fcntl is None:
        return True
    try:
        fd = os.open(partial / PARTIAL_LOCK, os.O_RDONLY)
    except OSError:  # the lock is made right after the folder: only a partial that stays without one is abandoned
        try:
            return time.time() - partial.stat().st_mtime < 60
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
