"""Where the user's store lives when no --db is given."""

from pathlib import Path

import platformdirs

APP_NAME = "Nämndtool"


def store_location(text: str) -> "str | Path":
    """What --db names: a PostgreSQL connection string (the shared register on a server) as it is, else a path."""
    from nämndtool.store.server import is_server

    return text if is_server(text) else Path(text)


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "namndtool.sqlite"
