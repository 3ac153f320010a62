"""Exchange operations: reading a meeting from the exchange format, and filling an empty store with the demo."""

from pathlib import Path

from nämndtool.exchange.importer import ImportResult
from nämndtool.store import Store


def import_meeting(store: Store, path: Path) -> ImportResult:
    """Read a meeting (agenda, ärenden, tjänsteskrivelser, bilagor, protokoll) from an exchange file.

    Changes: the meeting and everything in the file, in one transaction after every file was validated and its
    bilagor copied. Rules: the schema and the semantic checks (ValidationError lists every problem); a justerat
    meeting is refused when the file would change it."""
    from nämndtool.exchange.importer import import_meeting as run

    return run(store, Path(path))


def create_demo(store: Store) -> int:
    """Fill an empty store with the demo nämnd (Socialnämnden); returns the imported meeting's id.
    Rule: the store is empty."""
    from nämndtool.demo import create_demo as run

    return run(store)
