"""Crash safety: a process doing registrations, imports and renders is killed with SIGKILL at random moments.

After every kill the store passes integrity_check, every registration reported committed is there, the diary
numbers run 1…N with no gap and no duplicate, and every output file is whole.
"""

import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from support import SAMPLE_JSON
from nämndtool.store import Store

KILLS = 50
WORKER = Path(__file__).with_name("crash_worker.py")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL finns bara på Unix-liknande system")
def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path):
    db, log, out = tmp_path / "krock.sqlite", tmp_path / "committed.log", tmp_path / "ut"
    out.mkdir()
    with Store.open(db) as store:
        store.save_namnd("SOCN", "Socialnämnden")
    randomness = random.Random(20261125)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(WORKER.parent), os.environ.get("PYTHONPATH", "")])}
    for kill in range(KILLS):
        before = len(log.read_text().split()) if log.exists() else 0
        child = subprocess.Popen([sys.executable, str(WORKER), str(db), str(log), str(out), str(SAMPLE_JSON)],
                                 env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while (len(log.read_text().split()) if log.exists() else 0) == before and time.monotonic() < deadline:
            if child.poll() is not None:
                pytest.fail(f"arbetsprocessen dog själv: {child.stderr.read().decode()}")
            time.sleep(0.01)
        time.sleep(randomness.uniform(0.0, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stderr.close()

        with Store.open(db) as store:
            assert store.value("PRAGMA integrity_check") == "ok", f"efter dödning {kill}"
            numbers = [r["lopnr"] for r in store.rows("SELECT lopnr FROM arende WHERE ar = 2025 ORDER BY lopnr")]
            assert numbers == list(range(1, len(numbers) + 1)), f"lucka eller dubblett efter dödning {kill}"
            assert store.next_number(store.the_namnd("SOCN")["id"], 2025) == len(numbers) + 1
        reported = [int(n) for n in log.read_text().split()]
        assert set(reported) <= set(numbers), f"bekräftade registreringar saknas efter dödning {kill}"
        for pdf in out.iterdir():
            if not pdf.name.startswith("."):
                assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) >= 1, pdf.name
    assert len(reported) >= KILLS
