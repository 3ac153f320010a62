"""Fixtures every test may use: a store, the sample meeting imported or copied, and the app's runner finished
after each test. Helpers that tests import by name are in support.py."""

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pytest

from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store
from support import SAMPLE_DIR, SAMPLE_JSON

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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


@pytest.fixture(autouse=True)
def _runner_finished():
    """After a test that used the app's runner: its queued work is finished and its connections closed, so no
    worker thread outlives the test's store."""
    yield
    tasks = sys.modules.get("nämndtool.ui.common.tasks")
    if tasks is not None:
        tasks.shutdown()


@pytest.fixture(scope="module")
def justerat(tmp_path_factory):
    """The sample meeting, justerat, with its §§ and a decision in each (once per module): every document type
    can be made of it."""
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import justera
    from nämndtool.store import Store
    from test_protokoll_issue13 import ready_for_justering
    store = Store.open(tmp_path_factory.mktemp("justerat") / "s.sqlite")
    meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
    ready_for_justering(store, meeting_id)
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    yield store, meeting_id
    store.close()
