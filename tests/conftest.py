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


def pytest_generate_tests(metafunc):
    """A module that sets ``BOTH_STORES = True`` runs each of its tests that uses the store twice: on an SQLite
    file and on a PostgreSQL server store (the server half needs the throwaway cluster, see pg_cluster).
    NAMNDTOOL_BOTH_STORES=alla does it for every module (to see what else works on the server store)."""
    both = getattr(metafunc.module, "BOTH_STORES", False) or os.environ.get("NAMNDTOOL_BOTH_STORES") == "alla"
    if "store_kind" in metafunc.fixturenames and both:
        metafunc.parametrize("store_kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])


@pytest.fixture
def store_kind() -> str:
    """Which store the ``store`` fixture opens: "sqlite" unless the module asks for both (BOTH_STORES)."""
    return "sqlite"


@pytest.fixture
def store_location(tmp_path, store_kind, request, monkeypatch):
    """Where the test's store is: a file in tmp_path, or a fresh database on the test cluster (with this user's
    local folder for it in tmp_path too)."""
    if store_kind == "postgresql":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        return request.getfixturevalue("pg_dsn")
    return tmp_path / "register.sqlite"


@pytest.fixture
def store(store_location):
    with Store.open(store_location) as opened:
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


# --- PostgreSQL (issue 16): one throwaway cluster per session, started only when a test asks for it -----------
# A test that uses pg_cluster or pg_dsn is marked `postgres` (`pytest -m postgres` runs only that half). Without the
# server it is skipped with the reason; with NAMNDTOOL_REQUIRE_POSTGRES=1 (CI) it fails instead. At the end the
# outcome goes to the terminal summary and to a status file that `make test` prints after pytest's last line.

PG_STATUS_VARIABLE = "NAMNDTOOL_PG_STATUS"
_pg = {"cluster": None, "unavailable": None, "skipped": 0, "ran": 0}


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs the throwaway PostgreSQL cluster (pg_cluster, pg_dsn)")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects, so `-m postgres` sees the mark
def pytest_collection_modifyitems(items):
    for item in items:
        if {"pg_cluster", "pg_dsn"} & set(item.fixturenames):
            item.add_marker(pytest.mark.postgres)


def pytest_sessionstart(session):
    _pg_status_path(session.config).unlink(missing_ok=True)


def pytest_runtest_logreport(report):
    if "postgres" not in report.keywords:
        return
    if report.when == "setup" and report.skipped and _pg["unavailable"]:
        _pg["skipped"] += 1
    elif report.when == "call":
        _pg["ran"] += 1


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL cluster (tests/pg_cluster.py), started on first use and stopped at the end. The
    PG* variables are out of the environment meanwhile (and ~/.pgpass unread), so only the explicit DSNs decide
    where and as whom tests connect."""
    from pg_cluster import Cluster, ClusterUnavailable, clean_environment
    if _pg["unavailable"] is None:
        try:
            cluster = Cluster()
        except ClusterUnavailable as missing:
            _pg["unavailable"] = str(missing)
    if _pg["unavailable"]:
        if os.environ.get("NAMNDTOOL_REQUIRE_POSTGRES") == "1":
            pytest.fail(_pg["unavailable"], pytrace=False)
        pytest.skip(_pg["unavailable"])
    with pytest.MonkeyPatch.context() as patch:
        isolated = clean_environment()
        for name in set(os.environ) - set(isolated):
            patch.delenv(name)
        patch.setenv("PGPASSFILE", isolated["PGPASSFILE"])
        with cluster:
            _pg["cluster"] = cluster
            yield cluster


@pytest.fixture
def pg_dsn(pg_cluster):
    """A fresh, empty database for this test (dropped afterwards): its DSN as the cluster's superuser."""
    from pg_cluster import database_of
    dsn = pg_cluster.create_database()
    yield dsn
    pg_cluster.drop_database(database_of(dsn))


def pytest_terminal_summary(terminalreporter, config):
    """The outcome in pytest's summary too, unless `make test` prints it last from the status file."""
    lines = _pg_outcome()
    if lines and not os.environ.get(PG_STATUS_VARIABLE):
        terminalreporter.write_sep("-", "PostgreSQL")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_sessionfinish(session):
    lines = _pg_outcome()
    if lines:
        _pg_status_path(session.config).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _pg_status_path(config) -> Path:
    return Path(os.environ.get(PG_STATUS_VARIABLE) or config.rootpath / ".pytest-pg-status")


def _pg_outcome() -> list[str]:
    """Plain lines on the PostgreSQL half: how many tests were skipped and how to install the server, or how many
    ran against which version. Nothing when no selected test needed PostgreSQL."""
    if _pg["skipped"]:
        return [f"PostgreSQL-halvan hoppades över: {_pg['skipped']} tester som behöver PostgreSQL kördes inte.",
                _pg["unavailable"],
                "Installera servern med 'apt-get install postgresql' (Debian/Ubuntu) och kör 'make test' igen."]
    if _pg["ran"] and _pg["cluster"] is not None:
        return [f"PostgreSQL-halvan kördes: {_pg['ran']} tester mot PostgreSQL {_pg['cluster'].server_version}."]
    return []
