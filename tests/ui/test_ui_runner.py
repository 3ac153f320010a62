"""The app's one runner (ui/common/tasks.py): work off the UI thread, in order, outcomes back on the UI thread."""

import sqlite3
import threading

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from nämndtool.errors import NamndtoolError  # noqa: E402
from nämndtool.operations import diary  # noqa: E402
from nämndtool.store import Store  # noqa: E402
from nämndtool.ui.common import tasks  # noqa: E402


@pytest.fixture
def namnd(store):
    from nämndtool.operations.meetings import save_namnd
    return save_namnd(store, "SOCN", "Socialnämnden").namnd_id


def test_an_operation_runs_on_the_worker_and_its_result_comes_back_on_the_ui_thread(qtbot, store, namnd):
    seen = {}

    def register(worker_store, new):
        seen["thread"] = threading.current_thread()
        seen["store"] = worker_store
        return diary.register_arende(worker_store, new)

    tasks.run(None, store, register, diary.NewArende(namnd_id=namnd, rubrik="Budget 2027"),
              done=lambda row: seen.update(row=row, done_on=threading.current_thread()), failed=seen.update)
    qtbot.waitUntil(tasks.idle)
    assert seen["thread"] is not threading.main_thread() and seen["done_on"] is threading.main_thread()
    assert seen["store"] is not store
    assert [a["rubrik"] for a in store.db.query("SELECT rubrik FROM arende")] == ["Budget 2027"]
    assert seen["row"]["diarienummer"].startswith("SOCN/")


def test_a_refusal_comes_back_to_failed_and_changes_nothing(qtbot, store, namnd):
    errors, results = [], []
    tasks.run(None, store, diary.register_arende, diary.NewArende(namnd_id=namnd, rubrik="  "),
              done=results.append, failed=errors.append)
    qtbot.waitUntil(tasks.idle)
    assert results == [] and len(errors) == 1 and isinstance(errors[0], NamndtoolError)
    assert "rubrik" in str(errors[0])
    assert store.db["arende"].count == 0


def test_work_runs_in_the_order_it_was_started(qtbot, store, namnd):
    order = []
    for n in range(20):
        tasks.run(None, store, lambda s, n=n: order.append(n) or n, done=lambda _r: None, failed=order.append)
    qtbot.waitUntil(tasks.idle)
    assert order == list(range(20))


def test_progress_and_cancel_reach_long_work(qtbot, store):
    seen = []
    started = threading.Event()

    def long_work(_store, progress, cancelled):
        progress(1, 3, "Steg 1")
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        return "avbruten"

    task = tasks.Task(store.path, long_work)
    task.progressed.connect(lambda done, total, text: seen.append((done, total, text)))
    task.succeeded.connect(seen.append)
    task.start()
    assert started.wait(10)
    task.cancel()
    qtbot.waitUntil(tasks.idle)
    assert seen == [(1, 3, "Steg 1"), "avbruten"]


def test_a_busy_store_does_not_freeze_the_window(qtbot, store, namnd):
    """Another program holds the write lock: the save waits in the worker while the UI thread goes on."""
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    ticks, outcome = [], []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    try:
        tasks.run(None, store, diary.register_arende, diary.NewArende(namnd_id=namnd, rubrik="Väntar"),
                  done=outcome.append, failed=outcome.append)
        qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)   # the event loop runs while the save waits
        assert outcome == [] and not tasks.idle()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.waitUntil(tasks.idle, timeout=20_000)
    timer.stop()
    assert len(outcome) == 1 and outcome[0]["rubrik"] == "Väntar"


def test_a_task_whose_window_closed_is_not_waited_for(qtbot, store):
    release = threading.Event()
    window = QWidget()
    delivered = []
    tasks.run(window, store, lambda _s: release.wait(10), done=delivered.append, failed=delivered.append)
    window.deleteLater()
    qtbot.waitUntil(lambda: tasks.idle(), timeout=5000)   # deleted with its window: no longer pending
    release.set()
    tasks.shutdown()
    assert delivered == []


def test_a_store_that_cannot_be_opened_fails_the_task_with_a_message(qtbot, tmp_path):
    folder = tmp_path / "mapp.sqlite"
    folder.mkdir()
    errors = []

    class Fake:
        path = folder

    tasks.run(None, Fake(), lambda s: "never", done=errors.append, failed=errors.append)
    qtbot.waitUntil(tasks.idle)
    assert len(errors) == 1 and "är en mapp" in str(errors[0])


def test_shutdown_closes_the_workers_connection(qtbot, store):
    tasks.run(None, store, lambda s: None, failed=print)
    qtbot.waitUntil(tasks.idle)
    tasks.shutdown()
    assert not tasks._workers
    # Nothing in this process holds a second connection now: the store can be opened exclusively.
    with Store.open(store.path) as again:
        assert again.db["namnd"].count >= 0


def test_a_task_without_a_store_runs_on_its_own_thread_and_counts_as_pending(qtbot, tmp_path):
    """A restore must run while no connection holds the store: Task(None, …) opens none, and tests (and quitting)
    still wait for it."""
    seen = []
    task = tasks.Task(None, lambda store, _progress, _cancelled: seen.append((store, threading.current_thread().name))
                      or "klart")
    with qtbot.waitSignal(task.succeeded, timeout=5000) as done:
        task.start()
        assert not tasks.idle()
    assert done.args == ["klart"] and seen[0][0] is None and seen[0][1] != threading.main_thread().name
    qtbot.waitUntil(tasks.idle)


def test_a_view_hears_the_changes_of_its_own_store_only(qtbot, store, namnd, tmp_path):
    """A window on another register (or one left over on a closed file) does not reload when this store changes."""
    from nämndtool.operations import people
    from nämndtool.ui.common import changes

    other = Store.open(tmp_path / "annat.sqlite")
    mine, theirs = QWidget(), QWidget()
    heard = []
    changes.follow(mine, {changes.PEOPLE}, lambda: heard.append("mine"), store)
    changes.follow(theirs, {changes.PEOPLE}, lambda: heard.append("theirs"), other)
    with qtbot.waitSignal(changes.hub().changed_in, timeout=5000):
        tasks.run(mine, store, people.save_recipient, None, "Akten", None, None, failed=heard.append)
    assert heard == ["mine"]
    other.close()
