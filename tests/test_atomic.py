"""Output files are written whole or not at all."""

import pytest

from nämndtool.atomic import durable_temporary, write_atomic
from nämndtool.errors import NamndtoolError


def test_write_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "kallelse.json"
    target.write_text("gammal")
    write_atomic(target, "ny text med åäö".encode())
    assert target.read_text() == "ny text med åäö"
    assert [p.name for p in tmp_path.iterdir()] == ["kallelse.json"]


def test_a_failure_inside_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "bra.pdf"
    target.write_bytes(b"bra")
    with pytest.raises(RuntimeError):
        with durable_temporary(tmp_path) as (out, _):
            out.write(b"halv")
            raise RuntimeError("avbrott mitt i")
    assert target.read_bytes() == b"bra"
    assert [p.name for p in tmp_path.iterdir()] == ["bra.pdf"]


def test_missing_folder_gives_a_swedish_message(tmp_path):
    with pytest.raises(NamndtoolError, match="kunde inte skrivas"):
        write_atomic(tmp_path / "finns-inte" / "ut.json", b"x")
