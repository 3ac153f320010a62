"""Digital justering on the Justering tab (issue 17): start, the fields waiting, the sekreterare signs with a
certificate file through the file and password dialogs, the field shows the signature, cancel brings back the start
button; a screenshot of the tab at 1366×768."""

from pathlib import Path

import test_digital_justering as register
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog
from test_ui_protokoll import open_page, settle

from nämndtool.operations import digital_justering
from nämndtool.ui.protokoll import digital_justering as section

pki = register.pki
"""The throwaway PKI of the register's tests: a .p12 per signatory (passphrase "hemligt") and the trust folder."""
ready = register.ready
"""The sample meeting klar för justering, as the register's tests make it."""


def rows(box) -> list[tuple[str, str, str]]:
    return [tuple(box.table.item(r, c).text() for c in range(3)) for r in range(box.table.rowCount())]


def test_start_sign_and_cancel_from_the_justering_tab(qtbot, ready, pki, dialogs, monkeypatch, tmp_path):
    store, meeting_id = ready
    monkeypatch.setenv("NAMNDTOOL_TRUST_DIR", str(pki["trust_dir"]))
    page = open_page(qtbot, store, dialogs, meeting_id)
    page.tabs.setCurrentWidget(page.justering)
    box = page.justering.digital
    settle(qtbot)
    assert box.start_button.isVisible() and box.start_button.text() == "Börja digital justering"
    assert not box.file_button.isVisible() and not box.table.isVisible()

    box.start_button.click()
    settle(qtbot)
    assert not dialogs.messages("error")
    assert store.signing_pdf(meeting_id) is not None
    assert rows(box) == [("Sekreterare", "Madelene Sönnerfors", "Väntar"),
                         ("Ordförande", "Martin Edgélius", "Väntar"),
                         ("Justerande", "Anders Gölevik", "Väntar")]
    assert box.remaining.text().startswith("Kvar att skriva under: sekreterare Madelene Sönnerfors, ordförande")
    assert "Nu ska sekreterare Madelene Sönnerfors skriva under." in box.remaining.text()
    assert not box.start_button.isVisible()
    assert all(b.isVisible() for b in (box.file_button, box.card_button, box.cancel_button))
    # the protokoll is locked while the signatures are collected: no paper justering, no edits, the lock said
    assert page.is_locked() and not page.justering.justera_button.isEnabled()
    assert "justeras digitalt och är låst" in page.locked_note.text()

    # the ordförande is refused before the sekreterare has signed; the message is shown, nothing changes
    box.sign_file_on(pki["files"]["ordforande"], b"hemligt")
    settle(qtbot)
    assert "först ska sekreterare Madelene Sönnerfors skriva under" in dialogs.messages("error")[-1]
    assert rows(box)[0][2] == "Väntar"

    # the sekreterare signs through the button: the file dialog and the password dialog answer
    asked = {}

    def password(parent, title, label, echo):
        asked["echo"] = echo
        return "hemligt", True

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(pki["files"]["sekreterare"]), "Certifikatfiler (*.p12 *.pfx)"))
    monkeypatch.setattr(QInputDialog, "getText", password)
    box.file_button.click()
    settle(qtbot)
    assert asked["echo"] == section.QLineEdit.EchoMode.Password
    assert dialogs.messages("info")[-1].startswith("Underskriften är gjord.")
    first = rows(box)[0]
    assert first[2].startswith("Underskriven 20") and first[2].endswith("av Madelene Sönnerfors"), first
    assert [r[2] for r in rows(box)[1:]] == ["Väntar", "Väntar"]
    assert "Nu ska ordförande Martin Edgélius skriva under." in box.remaining.text()
    assert digital_justering.status(store, meeting_id).states[0].valid

    page.resize(1366, 768)
    QApplication.processEvents()
    shot = Path(__file__).parents[1] / "screenshots" / "digital-justering.png"   # kept with the test output
    shot.parent.mkdir(exist_ok=True)
    assert page.grab().save(str(shot))
    print(f"skärmbild: {shot}")

    # cancel: asked first; declined nothing happens, accepted the section is back at the start button
    dialogs.confirm_answer = False
    assert box.cancel() is None
    assert store.signing_pdf(meeting_id) is not None
    dialogs.confirm_answer = True
    box.cancel_button.click()
    settle(qtbot)
    assert "underskrifter som redan finns gäller inte längre" in dialogs.messages("confirm")[-1]
    assert store.signing_pdf(meeting_id) is None
    assert box.start_button.isVisible() and not box.table.isVisible() and not box.file_button.isVisible()
    assert not page.is_locked() and page.justering.justera_button.isEnabled()
