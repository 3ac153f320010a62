"""Digital justering on the Justering tab (issue 17): start it, see who has signed and whose turn it is, sign with a
certificate file or a card, cancel. Reading the signatures, signing and rendering all run on the runner
(``tasks``); the section only shows the outcome and asks the page to read the protokoll again (``saved``)."""

import os
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QInputDialog, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from nämndtool.cli_signering import TSA_ENV
from nämndtool.operations import digital_justering
from nämndtool.signing import CardSigner, FileSigner
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.widgets import muted

TITLE = "Digital justering"
START_TEXT = "Börja digital justering"
CANCEL_QUESTION = (
    "Avbryta den digitala justeringen?\n\nDe underskrifter som redan finns gäller inte längre. Protokollet "
    "blir möjligt att ändra igen, och när den digitala justeringen börjar om ska alla skriva under på nytt.")


def when(state) -> str:
    """The signing time as the app writes times: 2026-12-06 14:03, local time."""
    return state.signed_at.astimezone().strftime("%Y-%m-%d %H:%M") if state.signed_at else ""


def state_text(state) -> str:
    """A field's state in Swedish: Underskriven … av …, Väntar, or Ogiltig: the problems."""
    if not state.signed:
        return "Väntar"
    if state.valid:
        return f"Underskriven {when(state)} av {state.signer_name or state.namn}".replace("  ", " ")
    return "Ogiltig: " + (" ".join(state.problems) or "underskriften kunde inte verifieras.")


def remaining_text(signing) -> str:
    """Who has still to sign, and whose turn it is."""
    left = signing.remaining
    if not left:
        return "Alla har skrivit under."
    names = ", ".join(f"{s.roll.lower()} {s.namn}" for s in left)
    return f"Kvar att skriva under: {names}. Nu ska {left[0].roll.lower()} {left[0].namn} skriva under."


def sign_with_file(store, meeting_id: int, path: Path, passphrase: bytes | None):
    """Open the PKCS#12 file and sign (on the runner: opening and signing both take a moment)."""
    return digital_justering.sign(store, meeting_id, FileSigner(path, passphrase),
                                  timestamp_url=os.environ.get(TSA_ENV) or None)


def sign_with_card(store, meeting_id: int, module: Path, token_label: str, pin: str, key_label: str | None):
    """Open the card through its PKCS#11 module and sign (on the runner)."""
    return digital_justering.sign(store, meeting_id, CardSigner(module, token_label, pin, key_label),
                                  timestamp_url=os.environ.get(TSA_ENV) or None)


class CardDialog(QDialog):
    """What signing with a card needs: the card's PKCS#11 module, the token's label and the PIN."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Skriv under med kort")
        self.module = QLineEdit()
        self.module.setPlaceholderText("t.ex. /usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so")
        self.module.setAccessibleName("PKCS#11-modul")
        browse = QPushButton("Bläddra…")
        browse.clicked.connect(self._browse)
        module_row = QHBoxLayout()
        module_row.addWidget(self.module, 1)
        module_row.addWidget(browse)
        self.token = QLineEdit()
        self.token.setAccessibleName("Kortets namn")
        self.key = QLineEdit()
        self.key.setAccessibleName("Nyckelns namn")
        self.key.setPlaceholderText("behövs bara om kortet har flera nycklar")
        self.pin = QLineEdit()
        self.pin.setAccessibleName("PIN-kod")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("PKCS#11-modul", module_row)
        form.addRow("Kortets namn (token)", self.token)
        form.addRow("Nyckelns namn", self.key)
        form.addRow("PIN-kod", self.pin)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("Skriv under", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for field in (self.module, self.token, self.pin):
            field.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Sätt i kortet i läsaren. Modulen är kortets PKCS#11-bibliotek; IT vet var det "
                               "finns."))
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        self._update()

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Välj kortets PKCS#11-modul", "",
                                                    "PKCS#11-moduler (*.so *.dll *.dylib);;Alla filer (*)")
        if path:
            self.module.setText(path)

    def _update(self) -> None:
        self.ok.setEnabled(all(f.text().strip() for f in (self.module, self.token)) and bool(self.pin.text()))

    def values(self) -> tuple[Path, str, str, str | None]:
        return (Path(self.module.text().strip()), self.token.text().strip(), self.pin.text(),
                self.key.text().strip() or None)


class DigitalJustering(QGroupBox):
    """The section: a start button, the signatures and the actions while under way, or the signatures read-only
    once the protokoll is justerat digitally. ``saved`` asks the page to read everything again."""

    saved = Signal()

    def __init__(self, store, dialogs, parent: QWidget | None = None):
        super().__init__(TITLE, parent)
        self.store, self.dialogs = store, dialogs
        self.meeting: dict | None = None
        self.signing = None
        """The Signing last read, None when no digital justering is under way or recorded."""
        self._reading = 0
        """Counts the reads started: only the newest read's outcome is shown."""
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Roll", "Namn", "Underskrift"])
        self.table.setAccessibleName("Underskrifter")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.remaining = QLabel()
        self.remaining.setWordWrap(True)
        self.start_button = QPushButton(START_TEXT)
        self.start_button.setToolTip("Protokollet sparas som PDF med ett underskriftsfält för var och en och låses")
        self.start_button.clicked.connect(self.start)
        self.file_button = QPushButton("Skriv under med certifikatfil…")
        self.file_button.clicked.connect(self.sign_with_file)
        self.card_button = QPushButton("Skriv under med kort…")
        self.card_button.clicked.connect(self.sign_with_card)
        self.cancel_button = QPushButton("Avbryt digital justering…")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.table)
        layout.addWidget(self.remaining)
        for row_buttons in ((self.start_button,), (self.file_button, self.card_button), (self.cancel_button,)):
            row = QHBoxLayout()
            for button in row_buttons:
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        self._show(None, None)

    # --- showing ----------------------------------------------------------------------------------------------

    def load(self, meeting: dict | None, protokoll: dict | None) -> tasks.Task | None:
        """Show the meeting's digital justering; the signatures are read on the runner. The task, or None when
        there is nothing to read (not klar för justering)."""
        self.meeting = meeting
        p = protokoll or {}
        self._reading += 1
        if meeting is None or not (p.get("klar_for_justering") or p.get("justerad")):
            self._show(None, p)
            return None
        reading, meeting_id = self._reading, meeting["id"]
        task = tasks.Task(tasks.location_of(self.store),
                          lambda store, _progress, _cancelled: digital_justering.status(store, meeting_id), self)
        task.succeeded.connect(lambda signing: self._read(reading, signing, p))
        task.failed.connect(lambda error: self._read_failed(reading, error))
        task.start()
        return task

    def _read(self, reading: int, signing, protokoll: dict) -> None:
        if reading == self._reading:
            self._show(signing, protokoll)

    def _read_failed(self, reading: int, error: BaseException) -> None:
        if reading == self._reading:
            self._show(None, None)
            self.text.setText("Underskrifterna kunde inte läsas: " + error_text(error))

    def _show(self, signing, protokoll: dict | None) -> None:
        self.signing = signing
        p = protokoll or {}
        under_way = signing is not None and signing.justerad is None
        done = signing is not None and signing.justerad is not None
        can_start = (signing is None and self.meeting is not None and bool(p.get("klar_for_justering"))
                     and not p.get("justerad"))
        if done:
            self.text.setText(f"Protokollet justerades digitalt {signing.justerad}. Underskrifterna finns i den "
                              "justerade PDF-filen.")
        elif under_way:
            self.text.setText("Den digitala justeringen pågår. Protokollet är låst medan underskrifterna samlas in; "
                              "var och en skriver under i tur och ordning.")
        elif p.get("justerad"):
            self.text.setText("Protokollet justerades utan digitala underskrifter.")
        elif can_start:
            self.text.setText("Var och en skriver under protokollet som PDF med sitt certifikat (fil eller kort), i "
                              "tur och ordning: sekreterare, ordförande, justerare.")
        else:
            self.text.setText("Digital justering kan börja när protokollet är markerat klart för justering.")
        self._fill_table(signing.states if signing else [])
        self.table.setVisible(signing is not None)
        self.remaining.setText(remaining_text(signing) if under_way else "")
        self.remaining.setVisible(under_way)
        self.start_button.setVisible(can_start)
        for button in (self.file_button, self.card_button, self.cancel_button):
            button.setVisible(under_way)

    def _fill_table(self, states: list) -> None:
        self.table.setRowCount(len(states))
        for row, state in enumerate(states):
            for column, value in enumerate((state.roll, state.namn, state_text(state))):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(len(states)))
        self.table.setFixedHeight(height)

    # --- the actions -------------------------------------------------------------------------------------------

    def start(self) -> tasks.Task | None:
        if self.meeting is None:
            return None
        return tasks.run(self, self.store, digital_justering.start, self.meeting["id"],
                         done=self._started, failed=self._refused)

    def _started(self, _signing) -> None:
        self.dialogs.info(self, "Den digitala justeringen har börjat. Protokollet är låst; sekreteraren skriver "
                                "under först, sedan ordföranden och justerarna.")
        self.saved.emit()

    def sign_with_file(self) -> tasks.Task | None:
        """Ask for the PKCS#12 file and its password, then sign on the runner."""
        if self.meeting is None:
            return None
        path, _filter = QFileDialog.getOpenFileName(self, "Välj certifikatfil", "",
                                                    "Certifikatfiler (*.p12 *.pfx);;Alla filer (*)")
        if not path:
            return None
        password, ok = QInputDialog.getText(self, "Lösenord för certifikatet",
                                            f"Lösenord för {Path(path).name}:", QLineEdit.EchoMode.Password)
        if not ok:
            return None
        return self.sign_file_on(Path(path), password.encode() if password else None)

    def sign_file_on(self, path: Path, passphrase: bytes | None) -> tasks.Task:
        return tasks.run(self, self.store, sign_with_file, self.meeting["id"], path, passphrase,
                         done=self._signed, failed=self._refused)

    def sign_with_card(self) -> tasks.Task | None:
        """Ask for the card's module, label and PIN, then sign on the runner."""
        if self.meeting is None:
            return None
        dialog = CardDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.sign_card_on(*dialog.values())

    def sign_card_on(self, module: Path, token_label: str, pin: str, key_label: str | None = None) -> tasks.Task:
        return tasks.run(self, self.store, sign_with_card, self.meeting["id"], module, token_label, pin, key_label,
                         done=self._signed, failed=self._refused)

    def _signed(self, signing) -> None:
        if signing.justerad:
            self.dialogs.info(self, f"Alla har skrivit under. Protokollet är justerat {signing.justerad} och låst; "
                                    "den underskrivna PDF-filen är det justerade protokollet.")
        else:
            self.dialogs.info(self, "Underskriften är gjord. " + remaining_text(signing))
        self.saved.emit()

    def cancel(self) -> tasks.Task | None:
        if self.meeting is None or not self.dialogs.confirm(self, CANCEL_QUESTION, yes="Avbryt justeringen",
                                                            no="Fortsätt justeringen"):
            return None
        return tasks.run(self, self.store, digital_justering.cancel, self.meeting["id"],
                         done=self._cancelled, failed=self._refused)

    def _cancelled(self, _none) -> None:
        self.dialogs.info(self, "Den digitala justeringen är avbruten. Protokollet kan ändras igen; alla skriver "
                                "under på nytt när den börjar om.")
        self.saved.emit()

    def _refused(self, error: BaseException) -> None:
        self.dialogs.error(self, error_text(error))
        self.saved.emit()   # the page shows the state as it is now
