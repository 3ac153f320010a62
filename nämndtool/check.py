"""Checking a store and its files: what `namndtool check` and the app's start-up report."""

from nämndtool.store import Store
from nämndtool.store.files import sha256_of


def check_store(store: Store, *, full: bool = False) -> list[str]:
    """Problems with the store and its files, in Swedish; empty when all is well. ``full`` also re-hashes every
    file (slow on a large store); otherwise files are checked for presence and size."""
    problems = []
    result = store.value("PRAGMA integrity_check" if full else "PRAGMA quick_check")
    if result != "ok":
        problems.append(f"Databasen är skadad ({result}).")
    broken_links = store.rows("PRAGMA foreign_key_check")
    if broken_links:
        problems.append(f"{len(broken_links)} rader i databasen pekar på uppgifter som saknas.")
    missing = damaged = 0
    for row in store.rows("SELECT sha256, storlek FROM fil"):
        path = store.files_dir / row["sha256"][:2] / row["sha256"]
        if not path.is_file():
            missing += 1
        elif path.stat().st_size != row["storlek"] or (full and sha256_of(path) != row["sha256"]):
            damaged += 1
    if missing:
        problems.append(f"{missing} sparade filer saknas i mappen {store.files_dir}.")
    if damaged:
        problems.append(f"{damaged} sparade filer är ändrade eller skadade.")
    return problems
