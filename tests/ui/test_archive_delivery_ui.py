"""Arkiv → Arkivleverans… (docs/arkiv.md in the app): a justerat meeting delivered as an E-ARK package through the
dialog, a malformed or unknown diary number refused under the choices, a year with nothing to archive refused with
the core's Swedish sentence, and Kontrollera paket… finding a changed byte in a package."""

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from nämndtool.earkiv.package import export_meeting
from nämndtool.earkiv.verify import verify
from nämndtool.operations import protokoll
from nämndtool.ui.common import tasks
from nämndtool.ui.main_window import MainWindow
from nämndtool.ui.maintenance.archive_delivery import CHECK, CREATE, FORMAT_REPORT, ArchiveDeliveryDialog
from keys import type_text
from test_protokoll_issue13 import ready_for_justering
from ui_checks import assert_readable

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def justerat(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1))
    return store, meeting_id


def packages(out: Path) -> list[Path]:
    """The finished packages in ``out`` (the core writes into a hidden unfinished folder first)."""
    if not out.is_dir():
        return []
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "METS.xml").is_file())


def open_dialog(qtbot, store, dialogs, answers: list[Path]) -> tuple[ArchiveDeliveryDialog, list]:
    """The dialog shown on its own; its folder chooser answers from ``answers`` and records what it was asked."""
    dialog = ArchiveDeliveryDialog(store, dialogs)
    qtbot.addWidget(dialog)
    asked = []
    dialog.choose_folder = lambda caption, start: asked.append((caption, start)) or (answers.pop(0) if answers else None)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, asked


def dialog_answering(qtbot, imported, dialogs, folder: Path) -> tuple[ArchiveDeliveryDialog, list]:
    """The dialog over the sample store; its folder chooser answers ``folder`` (made here) once."""
    folder.mkdir()
    return open_dialog(qtbot, imported[0], dialogs, [folder])


def finish(qtbot) -> None:
    qtbot.waitUntil(tasks.idle, timeout=60_000)
    QApplication.processEvents()


def test_deliver_a_justerat_meeting_from_the_arkiv_menu(qtbot, justerat, dialogs, tmp_path):
    store, meeting_id = justerat
    out = tmp_path / "leverans"
    out.mkdir()
    window = MainWindow(store, dialogs)
    qtbot.addWidget(window)
    arkiv = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Arkiv")
    entries = [a.text().replace("&", "") for a in arkiv.actions()]
    # beside the backup and restore entries
    assert entries.index("Arkivleverans…") == entries.index("Återställ från säkerhetskopia…") + 1
    assert entries.index("Återställ från säkerhetskopia…") == entries.index("Säkerhetskopiera nu") + 1

    window.archive_delivery_action.trigger()
    dialog = window.findChild(ArchiveDeliveryDialog)
    assert dialog is not None and dialog.isVisible()
    asked = []
    dialog.choose_folder = lambda caption, start: asked.append(caption) or out
    assert dialog.year_choice.isChecked() and dialog.year.value() == dt.date.today().year - 1
    assert [dialog.meeting.itemText(i) for i in range(dialog.meeting.count())] == ["Socialnämnden 2023-02-22"]
    assert not dialog.namnd.isVisible()          # one nämnd: nothing to choose
    qtbot.mouseClick(dialog.meeting_choice, LEFT)
    assert dialog.meeting_choice.isChecked()
    qtbot.mouseClick(dialog.folder_button, LEFT)
    assert asked == ["Mapp för arkivpaketet"] and dialog.folder.text() == str(out)

    assert dialog.create_button.text() == CREATE
    qtbot.mouseClick(dialog.create_button, LEFT)
    assert not dialog.create_button.isEnabled()     # working off the UI thread
    finish(qtbot)

    (package,) = packages(out)
    assert (package / "METS.xml").is_file()
    (checked,) = verify(package)
    assert checked.problems == []
    assert dialog.package is not None and dialog.package.folder == package
    shown = dialog.result.toPlainText()
    assert shown.startswith("Arkivpaketet är skrivet och kontrollerat:")
    assert str(package) in shown
    assert f"{dialog.package.arenden} ärenden, 1 sammanträde, {dialog.package.files} dokumentfiler" in shown
    assert dialog.package.not_archival > 0
    assert f"{dialog.package.not_archival} filer är inte i arkivformat (PDF/A)" in shown and FORMAT_REPORT in shown
    assert dialogs.messages("error") == []
    assert dialog.open_button.isVisible()
    qtbot.mouseClick(dialog.open_button, LEFT)
    assert ("open", package) in dialogs.calls

    shot = assert_readable(dialog, "arkivleverans.png")
    print(f"Skärmbild: {shot}")

    # Kontrollera paket… on the package just written: sound
    dialog.choose_folder = lambda caption, start: package
    assert dialog.check_button.text() == CHECK
    qtbot.mouseClick(dialog.check_button, LEFT)
    finish(qtbot)
    assert dialog.result.toPlainText().startswith(f"Paketet {package.name} är helt:")
    dialog.close()


def test_a_malformed_or_unknown_diary_number_is_refused_under_the_choices(qtbot, imported, dialogs, tmp_path):
    out = tmp_path / "leverans"
    dialog, asked = dialog_answering(qtbot, imported, dialogs, out)
    assert not dialog.meeting_choice.isEnabled()       # nothing justerat yet
    type_text(dialog.arende, "SOCN 2023-17")
    assert dialog.arende_choice.isChecked()            # typing a number chooses Ett ärende
    qtbot.mouseClick(dialog.create_button, LEFT)
    QApplication.processEvents()
    assert dialog.problems.isVisible()
    assert "SOCN 2023-17" in dialog.problems.text() and "KOD/ÅÅÅÅ:N" in dialog.problems.text()
    assert tasks.idle() and asked == [] and list(out.iterdir()) == []

    type_text(dialog.arende, "x")                      # editing clears the message
    assert not dialog.problems.isVisible()
    dialog.arende.clear()
    type_text(dialog.arende, "SOCN/2023:999")
    qtbot.keyClick(dialog.arende, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert dialog.problems.text() == "Ärendet SOCN/2023:999 finns inte i diariet."
    assert tasks.idle() and asked == [] and list(out.iterdir()) == []
    assert_readable(dialog, "arkivleverans-fel-diarienummer.png")
    qtbot.mouseClick(dialog.year_choice, LEFT, pos=QPoint(8, dialog.year_choice.height() // 2))   # another choice
    assert not dialog.problems.isVisible()


def test_an_arende_is_delivered_by_its_diary_number(qtbot, imported, dialogs, tmp_path):
    store, _ = imported
    out = tmp_path / "leverans"
    dialog, asked = open_dialog(qtbot, store, dialogs, [out])
    out.mkdir()
    type_text(dialog.arende, "socn/2023:17")
    qtbot.mouseClick(dialog.create_button, LEFT)      # no folder yet: it is asked for first
    finish(qtbot)
    assert [caption for caption, _start in asked] == ["Mapp för arkivpaketet"]
    (package,) = packages(out)
    assert verify(package)[0].problems == []
    assert "1 ärende, 0 sammanträden" in dialog.result.toPlainText()


def test_a_year_with_nothing_to_archive_shows_the_refusal(qtbot, imported, dialogs, tmp_path):
    out = tmp_path / "leverans"
    dialog, _ = dialog_answering(qtbot, imported, dialogs, out)
    qtbot.mouseClick(dialog.folder_button, LEFT)
    dialog.year.setValue(2024)
    qtbot.mouseClick(dialog.create_button, LEFT)
    finish(qtbot)
    shown = dialog.result.toPlainText()
    assert shown.startswith("Arkivpaketet skapades inte.")
    assert ("Det finns inget att arkivera från 2024: inga avslutade ärenden, justerade protokoll eller "
            "delegationsbeslut.") in shown
    assert packages(out) == [] and dialog.package is None
    # what was chosen is kept, and the buttons work again
    assert dialog.year_choice.isChecked() and dialog.year.value() == 2024 and dialog.folder.text() == str(out)
    assert dialog.create_button.isEnabled() and dialog.check_button.isEnabled()
    assert_readable(dialog, "arkivleverans-inget-att-arkivera.png")


def test_kontrollera_paket_finds_a_changed_byte(qtbot, justerat, dialogs, tmp_path):
    store, meeting_id = justerat
    package = export_meeting(store, meeting_id, tmp_path / "leverans").folder
    damaged = sorted((package / "representations").rglob("*.pdf"))[0]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))

    dialog, asked = open_dialog(qtbot, store, dialogs, [package])
    qtbot.mouseClick(dialog.check_button, LEFT)
    finish(qtbot)
    assert [caption for caption, _start in asked] == ["Arkivpaketet som ska kontrolleras"]
    shown = dialog.result.toPlainText()
    assert shown.startswith(f"Paketet {package.name} har ")
    assert damaged.name in shown and "SHA-256" in shown
    assert_readable(dialog, "arkivleverans-skadat-paket.png")


def test_kontrollera_paket_on_a_folder_without_a_package(qtbot, imported, dialogs, tmp_path):
    dialog, _ = dialog_answering(qtbot, imported, dialogs, tmp_path / "tom")
    qtbot.mouseClick(dialog.check_button, LEFT)
    finish(qtbot)
    shown = dialog.result.toPlainText()
    assert shown.startswith("Kontrollen kunde inte göras.") and "innehåller inget arkivpaket" in shown
