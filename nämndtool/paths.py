"""Where the user's store lives when no --db is given."""

from pathlib import Path

import platformdirs

APP_NAME = "Nämndtool"


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "namndtool.sqlite"
