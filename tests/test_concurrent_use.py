"""Two processes on one store: the secretary and a handläggare on the same machine."""

import multiprocessing
import time

import pytest

from nämndtool.diarienummer import parse
from nämndtool.errors import ConflictError
from nämndtool.store import Store


def _hold_write_lock(path: str, seconds: float, started) -> None:
    with Store.open(path) as store:
        with store.write():
            store.update_arende(store.arende_by_number(parse("SOCN/2023:17"))["id"], {"rubrik": "Ändrad av sekreteraren"})
            started.set()
            time.sleep(seconds)


def test_a_busy_store_waits_and_both_writes_survive(imported):
    store, _ = imported
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    holder = context.Process(target=_hold_write_lock, args=(str(store.path), 1.5, started))
    holder.start()
    assert started.wait(60)
    began = time.monotonic()
    with Store.open(store.path) as handlaggare:
        handlaggare.update_arende(handlaggare.arende_by_number(parse("SOCN/2023:16"))["id"], {"rubrik": "Ändrad av handläggaren"})
    waited = time.monotonic() - began
    holder.join(60)
    assert holder.exitcode == 0
    assert waited >= 0.5   # it waited for the other process instead of failing
    assert store.arende_by_number(parse("SOCN/2023:17"))["rubrik"] == "Ändrad av sekreteraren"
    assert store.arende_by_number(parse("SOCN/2023:16"))["rubrik"] == "Ändrad av handläggaren"


def test_a_stale_edit_is_detected_not_silently_overwritten(imported):
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:19"))
    with Store.open(store.path) as other:
        other.update_arende(arende["id"], {"rubrik": "Den andras ändring"})
    with pytest.raises(ConflictError) as caught:
        store.expect_version("arende", arende["id"], arende["version"])
    assert "har ändrats" in str(caught.value) and "finns kvar på skärmen" in str(caught.value)
    assert store.arende(arende["id"])["rubrik"] == "Den andras ändring"
