"""Child process for tests/test_crash.py: registers, imports and renders in a loop until it is killed.

After each committed registration it appends the diary number to a log and fsyncs it, so the parent knows which
transactions were reported committed before the kill.
"""

import datetime as dt
import os
import sys
from pathlib import Path

from nämndtool.atomic import write_atomic
from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.render_pdf import render_pdf
from nämndtool.exchange.importer import import_meeting
from nämndtool.store import Store


def main(db: str, log: str, out: str, sample: str) -> None:
    branding = load_branding()
    with Store.open(db) as store, open(log, "a") as committed:
        namnd_id = store.the_namnd("SOCN")["id"]
        step = 0
        while True:
            step += 1
            arende = store.register_arende(namnd_id, f"Krocktest {os.getpid()}-{step}", today=dt.date(2025, 6, 1))
            committed.write(f"{arende['lopnr']}\n")
            committed.flush()
            os.fsync(committed.fileno())
            store.register_handling(arende["id"], riktning="in", beskrivning="Inkommen skrivelse", datum="2025-06-01")
            if step % 3 == 0:
                meeting_id = import_meeting(store, Path(sample)).meeting_id
                pdf = render_pdf(kallelse_document(store, meeting_id, True), branding)
                write_atomic(Path(out) / f"kallelse-{os.getpid()}-{step}.pdf", pdf)


if __name__ == "__main__":
    main(*sys.argv[1:5])
