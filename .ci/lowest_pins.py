"""Print `name==version` for the lowest version each direct dependency in pyproject.toml allows.

`make test-lowest` installs these and runs the store tests, so a lower bound that is too low for the code
(a method that only exists in a later release) fails in CI instead of on a user's machine.
"""

import re
import sys
import tomllib
from pathlib import Path

# Left out of the lowest-version run, each with the reason.
SKIPPED = {
    "pyside6": "the desktop app only: the store tests never import Qt, and its wheels are several hundred MB",
}

_BOUND = re.compile(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def lowest_pins(pyproject: Path) -> list[str]:
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for requirement in dependencies:
        match = _BOUND.match(requirement)
        if not match:
            sys.exit(f"{requirement!r} has no lower bound (>=): give every direct dependency one.")
        name, extras, version = match.groups()
        if name.lower() in SKIPPED:
            print(f"skipped {name}: {SKIPPED[name.lower()]}", file=sys.stderr)
            continue
        pins.append(f"{name}{extras or ''}=={version}")  # keep extras: psycopg[binary] brings its own libpq
    return pins


if __name__ == "__main__":
    print("\n".join(lowest_pins(Path(__file__).resolve().parent.parent / "pyproject.toml")))
