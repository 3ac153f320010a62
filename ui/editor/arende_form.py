"""The ärende part of the editor: ärendemening, offentlig rubrik, status, handläggare, klassificering and
sekretess. Lifting the secrecy of a secret ärende is not an edit but a decision of its own, with a reason recorded
with who and when: unticking the box hands it to ``lift_secrecy`` (the editor's), and the box stays ticked unless
that decision is made."""

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QWidget

from nämndtool import labels
from nämndtool.ui.common.form_fields import secret_badge

NO_PERSON = "(ingen handläggare)"


def person_text(person: dict, namesake: bool) -> str:
    """How a tjänsteperson is shown in the choice list; namesakes are told apart by e-mail."""
    text = person["namn"] + (f" ({person['titel']})" if person.get("titel") else "")
    if namesake and person.get("epost"):
        text += f" – {person['epost']}"
    return text


class ArendeForm(QGroupBox):
    """The ärende's own fields. ``values()`` gives them as the store's arende columns."""

    changed = Signal()
    secrecy_changed = Signal(bool)
    handlaggare_changed = Signal()

    def __init__(self, dialogs, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Ärende")
        self.dialogs = dialogs
        self.lift_secrecy: Callable[[], bool] = lambda: True
        """Called when the user unticks Sekretess; True when the ärende may be shown as public at once, False to
        keep the box ticked (a stored secret ärende: until the recorded decision to lift it is stored, when
        ``secrecy_lifted`` unticks it)."""
        self._people: dict[int, dict] = {}
        self.rubrik = QLineEdit()
        self.rubrik.setAccessibleName("Ärendemening")
        self.rubrik.setPlaceholderText("Vad ärendet gäller")
        self.offentlig_rubrik = QLineEdit()
        self.offentlig_rubrik.setAccessibleName("Offentlig rubrik")
        self.offentlig_rubrik.setPlaceholderText("Visas i offentliga handlingar, t.ex. Sekretessärende")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for code, label in labels.STATUS.items():
            self.status.addItem(label, code)
        self.handlaggare = QComboBox()
        self.handlaggare.setAccessibleName("Handläggare")
        self.klassificering = QLineEdit()
        self.klassificering.setAccessibleName("Klassificering")
        self.klassificering.setPlaceholderText("Enligt dokumenthanteringsplanen, t.ex. 1.2.7")
        self.sekretess = QCheckBox("Sekretess")
        self.sekretess.setAccessibleName("Sekretess")
        self.lagrum = QLineEdit()
        self.lagrum.setAccessibleName("Lagrum för sekretessen")
        self.lagrum.setPlaceholderText("Lagrum, t.ex. 26 kap. 1 § OSL")
        self.badge = secret_badge()
        self.sekretess.clicked.connect(self._on_secrecy_clicked)

        secrecy = QWidget()
        row = QHBoxLayout(secrecy)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sekretess)
        row.addWidget(self.lagrum, 1)
        row.addWidget(self.badge)
        form = QFormLayout(self)
        form.addRow("Ärendemening", self.rubrik)
        form.addRow("Offentlig rubrik", self.offentlig_rubrik)
        form.addRow("Status", self.status)
        form.addRow("Handläggare", self.handlaggare)
        form.addRow("Klassificering", self.klassificering)
        form.addRow("Sekretess", secrecy)

        for edit in (self.rubrik, self.offentlig_rubrik, self.klassificering, self.lagrum):
            edit.textChanged.connect(self.changed)
        self.status.currentIndexChanged.connect(self.changed)
        self.handlaggare.currentIndexChanged.connect(self._on_handlaggare)
        self._show_secrecy()

    # --- values ----------------------------------------------------------------------------------

    def set_people(self, people: list[dict], current_id: int | None) -> bool:
        """The tjänstepersoner to choose from, ``current_id`` chosen; False when the list and the choice are as
        shown already (nothing is redrawn, so an open list stays open)."""
        shown = {p["id"]: p for p in people}
        if shown == self._people and self.handlaggare.currentData() == current_id and self.handlaggare.count():
            return False
        self._people = shown
        names = [p["namn"].casefold() for p in people]
        self.handlaggare.blockSignals(True)
        self.handlaggare.clear()
        self.handlaggare.addItem(NO_PERSON, None)
        for person in people:
            self.handlaggare.addItem(person_text(person, names.count(person["namn"].casefold()) > 1), person["id"])
        self.handlaggare.setCurrentIndex(max(0, self.handlaggare.findData(current_id)))
        self.handlaggare.blockSignals(False)
        return True

    def set_values(self, arende: dict) -> None:
        self.rubrik.setText(arende.get("rubrik") or "")
        self.offentlig_rubrik.setText(arende.get("offentlig_rubrik") or "")
        self._show_status(arende.get("status"))
        self.handlaggare.setCurrentIndex(max(0, self.handlaggare.findData(arende.get("handlaggare_id"))))
        self.klassificering.setText(arende.get("klassificering") or "")
        self.sekretess.setChecked(bool(arende.get("sekretess")))
        self.lagrum.setText(arende.get("sekretess_lagrum") or "")
        self._show_secrecy()

    def _show_status(self, status: str | None) -> None:
        """A closed ärende keeps "Avslutat" (closing records who and when, under Handlingar); an open one cannot
        be set to "Avslutat" here, since that would close it without recording who closed it."""
        closed = status == "avslutat"
        self.status.blockSignals(True)
        self.status.clear()
        for code, label in labels.STATUS.items():
            if code != "avslutat" or closed:
                self.status.addItem(label, code)
        self.status.setCurrentIndex(max(0, self.status.findData(status)))
        self.status.setEnabled(not closed)
        self.status.setToolTip("Ärendet är avslutat. Öppna det igen under fliken Handlingar för att ändra status."
                               if closed else "Avsluta ärendet under fliken Handlingar, så sparas vem och när.")
        self.status.blockSignals(False)

    def values(self) -> dict:
        """The fields as stored; a lagrum typed while the ärende is public stays in the field, not in the store."""
        secret = self.sekretess.isChecked()
        return {
            "rubrik": self.rubrik.text().strip(),
            "offentlig_rubrik": self.offentlig_rubrik.text().strip() or None,
            "status": self.status.currentData(),
            "handlaggare_id": self.handlaggare.currentData(),
            "klassificering": self.klassificering.text().strip() or None,
            "sekretess": int(secret),
            "sekretess_lagrum": (self.lagrum.text().strip() or None) if secret else None,
        }

    def is_secret(self) -> bool:
        return self.sekretess.isChecked()

    def person(self) -> dict | None:
        return self._people.get(self.handlaggare.currentData())

    def problem(self) -> str | None:
        """Why the fields cannot be saved as they are, in Swedish; None when they can."""
        if not self.rubrik.text().strip():
            return "Ärendemeningen får inte vara tom."
        return None

    # --- secrecy ---------------------------------------------------------------------------------

    def _on_secrecy_clicked(self, checked: bool) -> None:
        if not checked and not self.lift_secrecy():
            self.sekretess.setChecked(True)
            return
        self._show_secrecy()
        self.secrecy_changed.emit(checked)
        self.changed.emit()

    def secrecy_lifted(self) -> None:
        """The decision to lift the secrecy is stored (``lift_secrecy`` said False and went on): untick the box."""
        self.sekretess.setChecked(False)
        self._show_secrecy()
        self.secrecy_changed.emit(False)
        self.changed.emit()

    def _show_secrecy(self) -> None:
        secret = self.sekretess.isChecked()
        self.lagrum.setEnabled(secret)
        self.badge.setVisible(secret)

    def _on_handlaggare(self) -> None:
        self.handlaggare_changed.emit()
        self.changed.emit()
