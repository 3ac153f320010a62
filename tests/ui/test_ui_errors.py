"""Errors a user can meet in the app get a Swedish dialog that says what to do, and nothing typed is lost."""

import errno
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_ui_generate import Dialogs, meeting_of, wait_until_idle, window  # noqa: F401 — fixtures

from nämndtool.ui.generate import Generator


def test_a_full_disk_when_writing_the_kallelse(demo, window, tmp_path, monkeypatch):
    import nämndtool.atomic as atomic

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full)
    folder = tmp_path / "ut"
    folder.mkdir()
    out = folder / "kallelse.pdf"
    out.write_bytes(b"den gamla filen")
    dialogs = Dialogs(save_answers=[out])
    Generator(demo, dialogs, window).kallelse(meeting_of(demo, "Socialnämnden")["id"], True, "pdf")
    (message,) = dialogs.messages("error")
    assert "kunde inte skrivas" in message and "disken" in message
    assert out.read_bytes() == b"den gamla filen"
    assert [p.name for p in folder.iterdir()] == ["kallelse.pdf"]


def test_a_missing_bilaga_file_stops_the_pack_with_advice(demo, window, qtbot, tmp_path):
    meeting = next(m for m in demo.meetings() if m["datum"] == "2023-02-22")
    stored = next(p for p in demo.files_dir.rglob("*") if p.is_file())
    stored.unlink()
    out = tmp_path / "handlingar.pdf"
    dialogs = Dialogs(save_answers=[out])
    generator = Generator(demo, dialogs, window)
    generator.pack(meeting["id"], public=False)
    wait_until_idle(qtbot, generator)
    (message,) = dialogs.messages("error")
    assert "saknas" in message and "säkerhetskopia" in message
    assert not out.exists()


def test_a_damaged_pdf_bilaga_is_named_and_the_pack_still_made(demo, window, qtbot, tmp_path):
    meeting = next(m for m in demo.meetings() if m["datum"] == "2023-02-22")
    arende = demo.list_arenden(search="plan med budget")[0]
    bad = tmp_path / "trasig.pdf"
    bad.write_bytes(b"%PDF-1.7 trasig")
    sha = demo.put_file(bad)
    demo.save_bilagor(arende["id"], [{"titel": "Trasig bilaga", "sha256": sha, "filnamn": "trasig.pdf"}])
    out = tmp_path / "handlingar.pdf"
    dialogs = Dialogs(save_answers=[out])
    generator = Generator(demo, dialogs, window)
    generator.pack(meeting["id"], public=False)
    wait_until_idle(qtbot, generator)
    assert out.exists()
    assert any("Trasig bilaga" in m and "trasig.pdf" in m for m in dialogs.messages("info"))
