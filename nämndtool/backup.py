"""Backups of a store and its files, taken while the app runs, and a restore that checks before it replaces.

A backup is a folder ``namndtool-backup-ÅÅÅÅMMDD-TTMMSS`` (``-2``, ``-3`` … when several are taken in one second)
holding ``register.sqlite`` (SQLite's online backup, a consistent snapshot even while others write), ``filer/`` with
every file the snapshot refers to, and ``manifest.json`` with the SHA-256 of the database copy and of every file,
the counts, the schema version and a sequence number. Pruning orders by that number, never by name or clock, so
a folder dated in the future cannot push out the copy just taken. A backup is written as a ``.pågående-*``
folder and renamed into place only when whole; one left by a killed process is removed later.
"""

import datetime as dt
import errno
import json
import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from nämndtool.errors import NamndtoolError
from nämndtool import server_backup
from nämndtool.store import Store, holders, schema_version
from nämndtool.store.server import is_server
from nämndtool.store.files import sha256_of
from nämndtool.store.sidecars import (
    PARTIAL_LOCK, PARTIAL_PREFIX, abandoned_backups, damage_marker, default_backup_root, files_folder,
    restore_temporary,
)
from nämndtool.store import sidecars, snapshots

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

PREFIX = "namndtool-backup-"
MANIFEST = "manifest.json"
DATABASE = "register.sqlite"
DEFAULT_KEEP = 14
SHA256 = re.compile(r"[0-9a-f]{64}")
SEQUENCE_LOCK = ".nummer.lock"

__all__ = ["Backup", "DEFAULT_KEEP", "advice", "backups", "daily_backup", "default_backup_root", "leftovers",
           "prune", "restore", "take_backup", "verify_backup"]


@dataclass(frozen=True)
class Backup:
    path: Path
    created: str
    files: int


def leftovers(store_path: Path) -> list[Path]:
    """What killed processes left beside the store (partial backups, temporary files), for ``check`` to report.
    Temporary files count only when no other process has the store open: they may be its work in progress."""
    others = [h for h in holders.holders(store_path) if h.get("pid") != os.getpid()]
    return sidecars.leftovers(store_path, others_present=bool(others))


def take_backup(store: Store, root: Path, *, keep: int = DEFAULT_KEEP, now: dt.datetime | None = None) -> Backup:
    """A consistent backup in ``root``; afterwards only the newest ``keep`` backups are kept, always this one."""
    now = now or dt.datetime.now()
    try:
        root.mkdir(parents=True, exist_ok=True)
        for abandoned in abandoned_backups(root):
            shutil.rmtree(abandoned, ignore_errors=True)
        with _partial(root, now) as work:
            content = server_backup.dump_into(store, work) if store.dialect == "postgresql" else _copy(store, work)
            with _sequence_lock(root):
                manifest = {"skapad": now.isoformat(timespec="seconds"), "nummer": _next_sequence(root), **content}
                _write_durably(work / MANIFEST, json.dumps(manifest, indent=1).encode())
                final = _move_into_place(work, root, now)
    except (OSError, sqlite3.Error) as error:
        if _is_disk_full(error):
            raise NamndtoolError(
                f"Disken där säkerhetskopian skulle sparas ({root}) är full, så ingen säkerhetskopia har tagits och "
                "ingenting halvfärdigt ligger kvar. Frigör utrymme eller välj en annan mapp med --out; registret "
                "är oförändrat."
            ) from error
        reason = getattr(error, "strerror", None) or str(error)
        raise NamndtoolError(
            f"Säkerhetskopian kunde inte tas ({reason}). Kontrollera att {root} finns, att du får "
            "skriva där och att disken inte är full. Registret är oförändrat."
        ) from error
    prune(root, keep, taken=final)
    return Backup(final, manifest["skapad"], len(manifest["filer"]))


def _copy(store: Store, work: Path) -> dict:
    """The SQLite store's database copy and its files; the manifest's content for them."""
    referenced, counts = _snapshot(store, work)
    for sha in referenced:
        _copy_durably(store.file_path(sha), work / "filer" / sha)   # verifies the SHA-256 on the way
    return {"schema": schema_version(), "databas_sha256": sha256_of(work / DATABASE), "antal": counts,
            "filer": {sha: (work / "filer" / sha).stat().st_size for sha in referenced}}


@contextmanager
def _partial(root: Path, now: dt.datetime) -> Iterator[Path]:
    """A work folder, locked while this process writes it and removed unless the block moves it into place."""
    work = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{now:%Y%m%d-%H%M%S}-", dir=root))
    lock = None
    try:
        lock = os.open(work / PARTIAL_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        (work / "filer").mkdir()
        yield work
    finally:
        if lock is not None:
            os.close(lock)
        shutil.rmtree(work, ignore_errors=True)   # gone already when the backup was moved into place


def _snapshot(store: Store, work: Path) -> tuple[list[str], dict]:
    """The database copy, self-contained (no write-ahead log), and what it refers to."""
    referenced, counts = snapshots.snapshot(store, work / DATABASE)
    _fsync(work / DATABASE)
    return referenced, counts


def _move_into_place(work: Path, root: Path, now: dt.datetime) -> Path:
    """Rename the finished work folder to the first free name of its second; a rename is all or nothing."""
    (work / PARTIAL_LOCK).unlink()
    base = f"{PREFIX}{now:%Y%m%d-%H%M%S}"
    for n in range(1, 10_000):
        final = root / (base if n == 1 else f"{base}-{n}")
        if final.exists():
            continue
        try:
            os.rename(work, final)
        except OSError as error:
            if error.errno in (errno.EEXIST, errno.ENOTEMPTY):
                continue
            raise
        _fsync_folder(root)
        return final
    raise NamndtoolError(f"Det finns redan för många säkerhetskopior från {now:%Y-%m-%d %H:%M:%S} i {root}.")


@contextmanager
def _sequence_lock(root: Path) -> Iterator[None]:
    """Two backups into one folder at once get different sequence numbers."""
    fd = os.open(root / SEQUENCE_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _next_sequence(root: Path) -> int:
    return max((_sequence(b) for b in backups(root)), default=0) + 1


def _sequence(folder: Path) -> int:
    """The backup's sequence number; 0 for a backup made before numbers were recorded, -1 when unreadable."""
    manifest = _manifest(folder)
    if manifest is None:
        return -1
    number = manifest.get("nummer", 0)
    return number if isinstance(number, int) and not isinstance(number, bool) else -1


def _manifest(folder: Path) -> dict | None:
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return found if isinstance(found, dict) else None


def backups(root: Path) -> list[Path]:
    """The backups in ``root``, newest (highest sequence number) first."""
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX)]
    return sorted(found, key=lambda p: (_sequence(p), p.name), reverse=True)


def prune(root: Path, keep: int, *, taken: Path | None = None) -> None:
    """Keep the newest ``keep`` backups (at least one); the one just ``taken`` is always among them."""
    others = [b for b in backups(root) if b != taken]
    for old in others[max(keep, 1) - (taken is not None):]:
        shutil.rmtree(old, ignore_errors=True)


def daily_backup(store: Store, root: Path, *, keep: int = DEFAULT_KEEP, today: dt.date | None = None) -> Backup | None:
    """Take the day's backup unless the newest backup was taken today."""
    today = today or dt.date.today()
    newest = backups(root)
    created = str((_manifest(newest[0]) or {}).get("skapad", "")) if newest else ""
    if created[:10] == today.isoformat():
        return None
    return take_backup(store, root, keep=keep)


def verify_backup(folder: Path) -> list[str]:
    """What is wrong with a backup, in Swedish; empty when it is complete, intact and can be opened."""
    return _verified(folder)[0]


def _verified(folder: Path) -> tuple[list[str], list[str]]:
    """The problems of a backup, and the files it holds: every file its database or its manifest names, each
    checked against its SHA-256 (a manifest that lost an entry together with its file does not hide it)."""
    manifest = _manifest(folder)
    if manifest is None or not isinstance(manifest.get("filer"), dict):
        return [f"{folder.name}: innehållsförteckningen ({MANIFEST}) saknas, är skadad eller är inte en "
                "innehållsförteckning från Nämndtool."], []
    if server_backup.is_server_backup(manifest):
        return server_backup.verify_dump(folder, manifest), sorted(manifest["filer"])
    database = folder / DATABASE
    if not database.is_file() or sha256_of(database) != manifest.get("databas_sha256"):
        return [f"{folder.name}: databaskopian saknas eller stämmer inte med sin kontrollsumma."], []
    try:
        contents = snapshots.backup_contents(database)
    except sqlite3.Error as error:
        return [f"{folder.name}: databaskopian går inte att läsa ({error})."], []
    problems = []
    if contents["integrity"] != "ok":
        problems.append(f"{folder.name}: databaskopian klarar inte integritetskontrollen ({contents['integrity']}).")
    if contents["schema"] > schema_version():
        problems.append(f"{folder.name}: kopian är gjord av en nyare version av Nämndtool (schema "
                        f"{contents['schema']}; den här versionen känner till schema {schema_version()}). "
                        "Uppdatera Nämndtool innan du återställer den.")
    counts = manifest.get("antal")
    if counts is not None and (not isinstance(counts, dict) or counts != contents["counts"]
                               or counts.get("filer") != len(manifest["filer"])):
        problems.append(f"{folder.name}: antalen i innehållsförteckningen stämmer inte med databaskopian.")
    files = sorted(set(contents["files"]) | set(manifest["filer"]))
    for sha in files:
        path = folder / "filer" / sha
        if not SHA256.fullmatch(sha) or not path.is_file() or sha256_of(path) != sha:
            problems.append(f"{folder.name}: filen {sha[:12]}… saknas eller är skadad.")
    return problems, files


@dataclass(frozen=True)
class Restored:
    kept: Path | None
    """Where the replaced store was kept, or None when there was none."""
    series_kept: bool
    """The diary series were raised to where the replaced store had come, so no number is handed out twice."""


def restore(folder: Path, store_path: Path) -> Restored:
    """Replace the store with the backup in ``folder``, after checking it. Nothing is replaced when the backup is
    incomplete, or while another process has the store open (it is named)."""
    problems, files = _verified(folder)
    if problems:
        raise NamndtoolError("Säkerhetskopian återställs inte, eftersom den inte är hel:\n"
                             + "\n".join(f"  – {p}" for p in problems))
    manifest = _manifest(folder)
    if is_server(store_path) or server_backup.is_server_backup(manifest):
        if not (is_server(store_path) and server_backup.is_server_backup(manifest)):
            raise NamndtoolError("En säkerhetskopia av ett delat register (PostgreSQL) återställs till en tom databas "
                                 "på en databasserver, och en kopia av ett register i en fil till en fil. Flytta "
                                 "mellan de två slagen med 'namndtool migrate'. Ingenting har ändrats.")
        server_backup.restore_into(folder, manifest, store_path)
        return Restored(None, False)
    store_path = Path(store_path).resolve()     # through a link: replace the store, not the link
    tmp = restore_temporary(store_path)
    try:
        with holders.alone(store_path):
            before = snapshots.state_before(store_path) if store_path.exists() else None
            kept = _keep_replaced(store_path) if store_path.exists() else None
            _restore_files(folder, files, files_folder(store_path))
            shutil.copyfile(folder / DATABASE, tmp)
            series_kept = snapshots.continue_from(tmp, before)
            _fsync(tmp)
            for suffix in ("-wal", "-shm"):
                Path(f"{store_path}{suffix}").unlink(missing_ok=True)
            os.replace(tmp, store_path)
            _fsync_folder(store_path.parent)
            damage_marker(store_path).unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as error:
        tmp.unlink(missing_ok=True)
        what = "Disken är full" if _is_disk_full(error) else f"Ett fel inträffade ({getattr(error, 'strerror', None) or error})"
        raise NamndtoolError(
            f"{what}, så registret {store_path} återställdes inte och är oförändrat. "
            "Frigör utrymme eller kontrollera att du får skriva i mappen, och försök igen."
        ) from error
    return Restored(kept, series_kept)


def _keep_replaced(store_path: Path) -> Path:
    """A copy of the store about to be replaced, under a name of its own."""
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    kept = store_path.with_name(f"{store_path.stem}.fore-aterstallning-{stamp}{store_path.suffix}")
    n = 1
    while kept.exists():
        n += 1
        kept = store_path.with_name(f"{store_path.stem}.fore-aterstallning-{stamp}-{n}{store_path.suffix}")
    try:
        snapshots.copy_database(store_path, kept)
    except sqlite3.DatabaseError:   # a damaged store is kept byte for byte, with its write-ahead log
        kept.unlink(missing_ok=True)
        shutil.copyfile(store_path, kept)
        if Path(f"{store_path}-wal").exists():
            shutil.copyfile(f"{store_path}-wal", f"{kept}-wal")
    return kept


def _restore_files(folder: Path, files: list[str], files_dir: Path) -> None:
    """Put the backup's files back; each is written under a temporary name and renamed into place."""
    for sha in files:
        source = folder / "filer" / sha
        target = files_dir / sha[:2] / sha
        if target.exists() and sha256_of(target) == sha:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = files_dir / f".ny-{sha}.tmp"   # where a killed restore's leftovers are looked for
        try:
            _copy_durably(source, tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _copy_durably(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    _fsync(target)


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _is_disk_full(error: BaseException) -> bool:
    return getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in str(error).lower()


def advice(store_path: Path, problems: list[str], root: Path | None = None) -> str:
    """The Swedish message for a store with problems: what is wrong and which backup to restore."""
    root = root or default_backup_root(store_path)
    good = next((b for b in backups(root) if not verify_backup(b)), None)
    lines = [f"Kontrollen av registret {store_path} hittade fel:"] + [f"  – {p}" for p in problems]
    if good:
        lines.append(f"Återställ den senaste hela säkerhetskopian: namndtool --db {store_path} restore --from {good}")
    else:
        lines.append("Det finns ingen hel säkerhetskopia i " + str(root) + ". Kontakta support innan du fortsätter.")
    return "\n".join(lines)
