"""Backups of a store and its files, taken while the app runs, and a restore that checks before it replaces.

A backup is a folder ``namndtool-backup-ÅÅÅÅMMDD-TTMMSS`` holding ``register.sqlite`` (SQLite's online backup, a
consistent snapshot even while others write), ``filer/`` with every file the snapshot refers to, and
``manifest.json`` with the SHA-256 of the database copy and of every file. Files are stored under their SHA-256
and never changed, so copying the files the snapshot lists after the snapshot is consistent.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from nämndtool.atomic import write_atomic
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store, schema_version
from nämndtool.store.files import sha256_of

PREFIX = "namndtool-backup-"
MANIFEST = "manifest.json"
DATABASE = "register.sqlite"
DEFAULT_KEEP = 14


def default_backup_root(store_path: Path) -> Path:
    return store_path.with_name(f"{store_path.stem}-sakerhetskopior")


@dataclass(frozen=True)
class Backup:
    path: Path
    created: str
    files: int


def take_backup(store: Store, root: Path, *, keep: int = DEFAULT_KEEP, now: dt.datetime | None = None) -> Backup:
    """A consistent backup in ``root``; afterwards only the newest ``keep`` backups are kept."""
    now = now or dt.datetime.now()
    final = root / f"{PREFIX}{now:%Y%m%d-%H%M%S}"
    work = root / f".pågående-{now:%Y%m%d-%H%M%S}-{os.getpid()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        (work / "filer").mkdir(parents=True)
        target = sqlite3.connect(work / DATABASE)
        try:
            store.conn.backup(target)
            referenced = [r[0] for r in target.execute("SELECT sha256 FROM fil")]
        finally:
            target.close()
        for sha in referenced:
            source = store.file_path(sha)   # verifies the SHA-256 on the way
            shutil.copyfile(source, work / "filer" / sha)
        manifest = {"skapad": now.isoformat(timespec="seconds"), "schema": schema_version(),
                    "databas_sha256": sha256_of(work / DATABASE), "filer": {sha: (work / "filer" / sha).stat().st_size
                                                                            for sha in referenced}}
        write_atomic(work / MANIFEST, json.dumps(manifest, indent=1).encode())
        os.replace(work, final)
    except NamndtoolError:
        shutil.rmtree(work, ignore_errors=True)
        raise
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise NamndtoolError(
            f"Säkerhetskopian kunde inte tas ({error.strerror or error}). Kontrollera att {root} finns, att du får "
            "skriva där och att disken inte är full. Registret är oförändrat."
        ) from error
    prune(root, keep)
    return Backup(final, manifest["skapad"], len(referenced))


def backups(root: Path) -> list[Path]:
    """The backups in ``root``, newest first."""
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX)), reverse=True)


def prune(root: Path, keep: int) -> None:
    for old in backups(root)[max(keep, 1):]:
        shutil.rmtree(old, ignore_errors=True)


def daily_backup(store: Store, root: Path, *, keep: int = DEFAULT_KEEP, today: dt.date | None = None) -> Backup | None:
    """Take the day's backup unless one from today exists."""
    today = today or dt.date.today()
    newest = backups(root)
    if newest and newest[0].name[len(PREFIX):len(PREFIX) + 8] == f"{today:%Y%m%d}":
        return None
    return take_backup(store, root, keep=keep)


def verify_backup(folder: Path) -> list[str]:
    """What is wrong with a backup, in Swedish; empty when it is complete and intact."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return [f"{folder.name}: innehållsförteckningen ({MANIFEST}) saknas eller är skadad."]
    problems = []
    database = folder / DATABASE
    if not database.is_file() or sha256_of(database) != manifest.get("databas_sha256"):
        problems.append(f"{folder.name}: databaskopian saknas eller stämmer inte med sin kontrollsumma.")
    else:
        conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            result = str(error)
        finally:
            conn.close()
        if result != "ok":
            problems.append(f"{folder.name}: databaskopian klarar inte integritetskontrollen ({result}).")
    for sha in manifest.get("filer", {}):
        path = folder / "filer" / sha
        if not path.is_file() or sha256_of(path) != sha:
            problems.append(f"{folder.name}: filen {sha[:12]}… saknas eller är skadad.")
    return problems


def restore(folder: Path, store_path: Path) -> Path | None:
    """Replace the store with the backup in ``folder``, after checking it; returns where the replaced store was
    kept. Nothing is replaced when the backup is incomplete or the store is open in another window."""
    problems = verify_backup(folder)
    if problems:
        raise NamndtoolError("Säkerhetskopian återställs inte, eftersom den inte är hel:\n"
                             + "\n".join(f"  – {p}" for p in problems))
    kept = None
    if store_path.exists():
        _refuse_if_in_use(store_path)
        kept = store_path.with_name(f"{store_path.stem}.fore-aterstallning-{dt.datetime.now():%Y%m%d-%H%M%S}{store_path.suffix}")
        source = sqlite3.connect(store_path)
        try:
            target = sqlite3.connect(kept)
            source.backup(target)
            target.close()
        finally:
            source.close()
    files_dir = store_path.with_name(f"{store_path.stem}-filer")
    manifest = json.loads((folder / MANIFEST).read_text())
    for sha in manifest["filer"]:
        target = files_dir / sha[:2] / sha
        if not target.exists() or sha256_of(target) != sha:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / "filer" / sha, target)
    tmp = store_path.with_name(f".{store_path.name}.återställs")
    shutil.copyfile(folder / DATABASE, tmp)
    for suffix in ("-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, store_path)
    return kept


def _refuse_if_in_use(store_path: Path) -> None:
    conn = sqlite3.connect(store_path, timeout=0.5, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError:
        raise NamndtoolError(
            f"Registret {store_path} används av ett annat fönster med Nämndtool. Stäng det och försök igen."
        ) from None
    finally:
        conn.close()


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
