import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nämndtool.assets import resource
from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SAMPLE_DIR = Path(str(resource("demo")))
SAMPLE_JSON = SAMPLE_DIR / "meeting-2023.json"


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "register.sqlite") as opened:
        yield opened


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample meeting file with its bilagor, for tests that alter it."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, target)
    return target / "meeting-2023.json"


@pytest.fixture
def imported(store):
    """A store holding the sample 2023 meeting; yields (store, meeting_id)."""
    result = import_meeting(store, SAMPLE_JSON)
    return store, result.meeting_id


def run_cli(*args: str, db: Path | None = None, env: dict | None = None, cwd: Path | None = None):
    """Run the real command in a child process, as a user would."""
    argv = [sys.executable, "-m", "nämndtool"]
    if db is not None:
        argv += ["--db", str(db)]
    return subprocess.run(
        [*argv, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=cwd, timeout=120
    )


@pytest.fixture(autouse=True)
def _runner_finished():
    """After a test that used the app's runner: its queued work is finished and its connections closed, so no
    worker thread outlives the test's store."""
    yield
    tasks = sys.modules.get("nämndtool.ui.common.tasks")
    if tasks is not None:
        tasks.shutdown()
