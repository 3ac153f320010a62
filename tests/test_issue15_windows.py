"""The six-word windows of a reading kept on disk beside it (issue 15): a window must be the same number in every
process, or a window kept by one process would never meet the same text read by another, and a secret file's
content could pass the gate unnoticed."""

import dataclasses
import json
import os
import subprocess
import sys

from docs_helpers import flat, pdf_pages
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.documents.part_cache import DiskParts
from nämndtool.secrecy import content
from nämndtool.secrecy.extract import Piece
from test_issue15_pack import _meeting

TEXT = ("Nämnden föreslås besluta att bevilja bistånd enligt socialtjänstlagen till den enskilde och att "
        "uppdra åt förvaltningen att följa upp insatsen inom sex månader från beslutet")

_PROGRAM = """
import json
import sys
from pathlib import Path
from nämndtool.documents.part_cache import DiskParts
from nämndtool.secrecy import content
from nämndtool.secrecy.extract import Piece
from nämndtool.secrecy.matching import words
mode, folder, text = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "kept":
    found = content.pieces_shingles([Piece("sida 1", text)], DiskParts(Path(folder)))
else:
    found = content.shingles(words(text))
print(json.dumps(sorted(found)))
"""


def _in_process(seed: str, mode: str, folder) -> list[int]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-c", _PROGRAM, mode, str(folder), TEXT], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def test_a_reading_s_windows_are_the_same_in_every_process(tmp_path):
    first = _in_process("1", "fresh", tmp_path)
    assert len(first) == len(TEXT.split()) - content.SHINGLE + 1
    assert _in_process("2", "fresh", tmp_path) == first


def test_windows_kept_by_one_process_are_those_another_process_reads(tmp_path):
    kept = _in_process("3", "kept", tmp_path)                # computed and kept on disk
    assert list(tmp_path.glob("??/*"))
    assert _in_process("4", "kept", tmp_path) == kept        # read from disk in another process
    assert _in_process("5", "fresh", tmp_path) == kept       # what that process computes itself


def test_damaged_kept_windows_are_computed_again(tmp_path):
    parts = [Piece("sida 1", TEXT)]
    disk = DiskParts(tmp_path)
    expected = content.pieces_shingles(parts, disk)
    content._examined_shingles.clear()
    for path in tmp_path.glob("??/*"):
        path.write_bytes(path.read_bytes()[:-3])
    assert content.pieces_shingles(parts, disk) == expected


def _public_text(store, meeting_id) -> tuple[str, list[str]]:
    result = build_pack(store, meeting_id, True, load_branding())
    return flat(" ".join(pdf_pages(result.pdf))), result.warnings


def test_a_changed_reading_of_the_same_bytes_is_matched_afresh_not_from_what_was_kept(store, tmp_path):
    """What is kept is found by what was read, not by the bytes it says it was read from: a reading that now
    holds a personnummer is matched as it is, in the same process and with the same part cache."""
    meeting_id, arenden = _meeting(store, tmp_path)
    text, _ = _public_text(store, meeting_id)
    assert "Bilagetext nummer 1" in text
    first = arenden[0]["sha256"]
    store.save_examination(first, dataclasses.replace(store.examination(first),
                                                      pieces=[("sida 1", "Tolvan 121212-1212")]))
    text, warnings = _public_text(store, meeting_id)
    assert "Bilagetext nummer 1" not in text
    assert [w for w in warnings if "Bilaga 1" in w and "inte med i den offentliga versionen" in w]
