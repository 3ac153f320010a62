"""Maintenance operations: backups, restore, the store's checks and repair."""

from dataclasses import dataclass
from pathlib import Path

from nämndtool.backup import (DEFAULT_KEEP, Backup, Restored, advice, daily_backup, default_backup_root,
                              take_backup)
from nämndtool.check import check_store, repair_store
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store
from nämndtool.store.server import is_server


def back_up(store: Store, root: Path | None = None, *, keep: int = DEFAULT_KEEP) -> Backup:
    """Take a backup (online copy, files, manifest) into ``root`` (beside the store by default) and prune to
    ``keep``. Changes nothing in the store."""
    return take_backup(store, root or default_backup_root(store.path), keep=keep)


def restore(source: Path, store_path: Path) -> Restored:
    """Replace the store at ``store_path`` by the backup in ``source``, after verifying it; the previous store is
    kept beside it and the diary series continue. Rules: the backup is whole; no other process has the store open.
    Takes a path, not an open store: the store is replaced under every connection."""
    from nämndtool.backup import restore as run

    return run(Path(source), store_path if is_server(store_path) else Path(store_path).expanduser())


def check(store: Store, *, full: bool = False) -> list[str]:
    """The store's problems, in Swedish (empty: whole). A full check that finds nothing clears the damaged mark."""
    return check_store(store, full=full)


def repair(store: Store) -> list[str]:
    """Mend what can be mended without losing anything (the diary series); returns what was done, in Swedish."""
    return repair_store(store)


@dataclass(frozen=True)
class CheckResult:
    problems: list[str]
    advice: str | None = None           # the Swedish message naming the backup to restore, when there are problems
    backup: Backup | None = None
    backup_error: str | None = None     # a backup that could not be taken; the store is unchanged


def check_and_back_up(store: Store, *, daily: bool) -> CheckResult:
    """The app's start-up and "Säkerhetskopiera nu": a quick check; only a whole store is backed up (the day's
    backup when ``daily``, else one now), so a copy of a damaged store never pushes the last good one out."""
    root = default_backup_root(store.path)
    problems = check_store(store)
    if problems:
        return CheckResult(problems, advice(store.path, problems, root))
    if daily and store.dialect == "postgresql":   # the shared register is backed up on the server, by IT
        return CheckResult([])
    try:
        backup = daily_backup(store, root) if daily else take_backup(store, root)
    except NamndtoolError as error:
        return CheckResult([], backup_error=str(error))
    except OSError as error:  # making the backup folder itself failed
        return CheckResult([], backup_error=(
            f"Säkerhetskopian kunde inte tas ({error.strerror or error}). Kontrollera att {root} är en mapp där du "
            "får skriva och att disken inte är full. Registret är oförändrat."))
    return CheckResult([], backup=backup)
