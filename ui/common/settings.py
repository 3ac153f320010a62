"""What a user can change about the program and the nämnd: Arkiv → Inställningar … (Ditt namn, kept in the
program's settings on this computer) and Arkiv → Nämndens uppgifter … (name, kommun and postal address of the
nämnd, which the kallelse and the protokoll print; saved with ``operations.meetings.save_namnd`` on the runner).

The documents folder has no setting of its own: every save dialog starts where the user last saved that kind of
document (``dialogs.start_folder``), else in Documents."""

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from nämndtool.operations import meetings
from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import error_text
from nämndtool.ui.common.form_fields import problem_label

USER_NAME = "anvandare/namn"
"""QSettings key: the name of the person using the program ("Ditt namn"), written on what they confirm (an address
checked for a secret utdrag, on the försättsblad); the computer login is kept in the audit trail beside it."""


REGISTER = "register/senaste"
"""QSettings key: the register last chosen with Arkiv → Öppna register … (a file path or a connection string,
never with a password: the dialog refuses one), opened at the next start instead of the default file."""


def remembered_register() -> str | None:
    """The register the user last chose to open, or None."""
    value = str(QSettings().value(REGISTER, "") or "").strip()
    return value or None


def remember_register(location) -> None:
    """Keep ``location`` (a path, or a connection string without password) for the next start."""
    QSettings().setValue(REGISTER, str(location))


def stored_user_name() -> str:
    """The name kept in the program's settings, spaces tidied; "" when none is kept."""
    return " ".join(str(QSettings().value(USER_NAME, "") or "").split())


def _buttons(ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
    return box


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class SettingsDialog(QDialog):
    """Inställningar: Ditt namn. Saved in the program's settings when the user presses Spara."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Inställningar")
        self.name = QLineEdit(stored_user_name())
        self.name.setPlaceholderText("Förnamn Efternamn")
        self.name.setAccessibleName("Ditt namn")
        form = QFormLayout()
        form.addRow("Ditt &namn:", self.name)
        self.button_box = _buttons("Spara")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_hint("Namnet står på det du bekräftar, till exempel ”Adress bekräftad av …” på "
                               "försättsbladet till ett utdrag med sekretess. Det sparas på den här datorn. "
                               "Inloggningen på datorn sparas dessutom i ändringsloggen."))
        layout.addWidget(_hint("Dokument sparas där du senast sparade samma slags dokument, annars i mappen "
                               "Dokument."))
        layout.addWidget(self.button_box)
        self.setMinimumWidth(520)

    def accept(self) -> None:
        name = " ".join(self.name.text().split())
        if name:
            QSettings().setValue(USER_NAME, name)
        else:
            QSettings().remove(USER_NAME)   # asked again the next time a name is needed
        super().accept()


class NamndDialog(QDialog):
    """Nämndens uppgifter: name, kommun and postal address of the nämnd (the only one, or the first), as the
    kallelse and the protokoll print them. The code stays: it is part of every diary number."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Nämndens uppgifter")
        namnder = store.namnder()
        self.namnd = namnder[0] if namnder else None
        self.namn = QLineEdit((self.namnd or {}).get("namn") or "")
        self.namn.setAccessibleName("Nämndens namn")
        self.kommun = QLineEdit((self.namnd or {}).get("kommun") or "")
        self.kommun.setAccessibleName("Kommun")
        self.kommun.setPlaceholderText("Till exempel Lilla Edets kommun")
        self.forvaltning = QLineEdit((self.namnd or {}).get("forvaltning") or "")
        self.forvaltning.setAccessibleName("Förvaltning")
        self.adress = QLineEdit((self.namnd or {}).get("adress") or "")
        self.adress.setAccessibleName("Postadress")
        self.adress.setPlaceholderText("Till exempel Box 100, 463 80 Lilla Edet")
        form = QFormLayout()
        form.addRow("Nämndens &namn:", self.namn)
        form.addRow("&Kommun:", self.kommun)
        form.addRow("&Förvaltning:", self.forvaltning)
        form.addRow("&Postadress:", self.adress)
        self.problem = problem_label()
        self.button_box = _buttons("Spara")
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        code = f" Koden {self.namnd['kod']} ändras inte: den ingår i varje diarienummer." if self.namnd else ""
        layout.addWidget(_hint("Uppgifterna står i kallelsen och protokollet." + code))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(560)
        if self.namnd is None:
            self.problem.setText("Registret har ingen nämnd ännu. Lägg upp den med Hjälp → Kom igång.")
            self.problem.show()
            self.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def save(self) -> None:
        """Save on the runner; the dialog closes once it is saved, or shows why not and stays open."""
        if self.namnd is None:
            return
        self.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.problem.hide()
        adress = " ".join(self.adress.text().split())
        tasks.run(self, self.store, meetings.save_namnd, self.namnd["kod"], self.namn.text().strip() or None,
                  forvaltning=self.forvaltning.text().strip(), kommun=self.kommun.text().strip(), adress=adress,
                  done=lambda _saved: self.accept(), failed=self._refused)

    def _refused(self, error: BaseException) -> None:
        self.problem.setText(error_text(error))
        self.problem.show()
        self.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
