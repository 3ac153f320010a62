"""Diary numbers from several processes at the same instant: 1…N with no gap and no duplicate, on an SQLite file
shared by processes on one computer and on the server store shared by clients (each process its own connection)."""

import datetime as dt
import multiprocessing

from nämndtool.store import Store

BOTH_STORES = True
"""Runs on SQLite and on the PostgreSQL server store (conftest.py)."""

PROCESSES = 4
EACH = 50


def _register(path: str, start, worker: int) -> None:
    with Store.open(path) as store:
        namnd_id = store.the_namnd("SOCN")["id"]
        start.wait()
        for n in range(EACH):
            store.register_arende(namnd_id, f"Ärende {worker}-{n}", today=dt.date(2025, 3, 3))


def test_four_processes_registering_at_once_get_1_to_200(store_location):
    path = str(store_location)
    with Store.open(path) as store:
        store.save_namnd("SOCN", "Socialnämnden")
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_register, args=(path, start, w)) for w in range(PROCESSES)]
    for w in workers:
        w.start()
    start.set()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    with Store.open(path) as store:
        numbers = [r["lopnr"] for r in store.rows("SELECT lopnr FROM arende WHERE ar = 2025 ORDER BY lopnr")]
        titles = {r["rubrik"] for r in store.rows("SELECT rubrik FROM arende")}
        assert numbers == list(range(1, PROCESSES * EACH + 1))
        assert len(titles) == PROCESSES * EACH
        assert store.next_number(store.the_namnd()["id"], 2025) == PROCESSES * EACH + 1
