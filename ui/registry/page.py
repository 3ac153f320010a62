"""Register: the diary extract for a period (public or internal) and the delegationsbeslut.

The diary extract previews the rows exactly as the chosen version prints them: in the public version (OSL 5 kap.
2 §) the counterpart and description of a secret handling or ärende are left out, and a secret ärende appears by
its public title. The document is made off the UI thread; a public version with something that looks like a
personnummer is refused with the reason, and nothing is written.
"""

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QRadioButton, QTabWidget, QVBoxLayout,
    QWidget,
)

from nämndtool.documents.registry import internal_entry, public_entry
from nämndtool.errors import NamndtoolError
from nämndtool.ui.common.table_models import Column, RowTableModel
from nämndtool.ui.common.form_fields import DateEdit, problem_label, secret_banner, show_problems
from nämndtool.ui.registry.delegation import DelegationTab
from nämndtool.ui.common.tabs import whole_tab_text
from nämndtool.ui.common.dialogs import Dialogs, error_text
from nämndtool.ui.common.tasks import Task, location_of
from nämndtool.ui.common.widgets import LoadWhenShown, count_text, fit_columns, muted, page_title, table_view

FILTERS = {"pdf": "PDF-dokument (*.pdf)", "docx": "Word-dokument (*.docx)"}
DIARY, DELEGATION = range(2)
SAVE_KIND = "diarieutdrag"
"""The kind of document whose save folder is remembered (``dialogs.start_folder``)."""


class ExtractModel(RowTableModel):
    """Diary rows as ``public_entry`` or ``internal_entry`` shape them; ``sekretess`` marks the secret ones."""

    COLUMNS = (
        Column("Datum", lambda r: r["datum"]),
        Column("Diarienummer", lambda r: r["diarienummer"]),
        Column("Ärende", lambda r: r["arende"] or "", emphasis=True),
        Column("Handling", lambda r: r["beskrivning"] or ""),
        Column("Motpart", lambda r: r["motpart"] or ""),
    )


def extract_name(kod: str, fran: str, till: str, public: bool, fmt: str) -> str:
    from nämndtool.distribution import safe_filename   # with the renderers: imported when a document is made
    version = "" if public else " (intern version)"
    return safe_filename(f"Diarieutdrag {kod} {fran} – {till}{version}.{fmt}")


def date_edit(accessible_name: str, value: dt.date) -> DateEdit:
    edit = DateEdit(QDate(value))
    edit.setAccessibleName(accessible_name)
    return edit


class DiaryExtractTab(QWidget):
    """Diarieutdrag: period, version, the rows as they will print, and the PDF or Word file."""

    changed = Signal()
    """The rows shown changed (the status bar count)."""

    def __init__(self, store, dialogs, namnd_id, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.store, self.dialogs, self._namnd_id = store, dialogs, namnd_id
        self.task: Task | None = None
        self.entries: list[dict] = []
        today = today or dt.date.today()

        self.fran = date_edit("Från och med", (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1))
        self.till = date_edit("Till och med", today)
        self.public = QRadioButton("Offentlig version")
        self.public.setToolTip("För publicering och utlämnande: motpart och beskrivning i sekretessärenden visas inte.")
        self.internal = QRadioButton("Intern version (visar sekretessuppgifter)")
        self.public.setChecked(True)
        self.versions = QButtonGroup(self)
        self.versions.addButton(self.public)
        self.versions.addButton(self.internal)
        self.internal_banner = secret_banner(
            "Den interna versionen visar motpart och beskrivning även för handlingar med sekretess. Den är märkt "
            "INTERN VERSION och får inte publiceras eller lämnas ut.")
        self.problems = problem_label()
        self.summary = muted()
        self.model = ExtractModel()
        self.view = table_view(self.model)
        self.view.setAccessibleName("Diarieutdragets rader")
        fit_columns(self.view, 3)
        self.pdf_button = QPushButton("Skapa PDF …")
        self.word_button = QPushButton("Skapa Word …")
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.word_button.clicked.connect(lambda: self.export("docx"))

        period = QHBoxLayout()
        period.addWidget(QLabel("&Från"))
        period.itemAt(0).widget().setBuddy(self.fran)
        period.addWidget(self.fran)
        period.addSpacing(8)
        period.addWidget(QLabel("&Till"))
        period.itemAt(3).widget().setBuddy(self.till)
        period.addWidget(self.till)
        period.addSpacing(24)
        period.addWidget(self.public)
        period.addWidget(self.internal)
        period.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.word_button)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.internal_banner)
        layout.addWidget(self.problems)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.fran.dateChanged.connect(lambda _d: self.reload())
        self.till.dateChanged.connect(lambda _d: self.reload())
        self.internal.toggled.connect(lambda _checked: self.reload())
        self.internal_banner.hide()

    # --- the rows --------------------------------------------------------------------------------

    def set_namnd(self, namnd_id: int | None) -> None:
        self._namnd_id = namnd_id
        self.reload()

    def period(self) -> tuple[str, str]:
        return self.fran.date().toString("yyyy-MM-dd"), self.till.date().toString("yyyy-MM-dd")

    def is_public(self) -> bool:
        return not self.internal.isChecked()

    def problem(self) -> str | None:
        if self._namnd_id is None:
            return "Registret har ingen nämnd ännu, så det finns inget diarium att ta utdrag ur."
        fran, till = self.period()
        if till < fran:
            return "Periodens slut ligger före dess början. Ändra Från eller Till."
        return None

    def reload(self) -> None:
        public = self.is_public()
        self.internal_banner.setVisible(not public)
        problem = self.problem()
        rows: list[dict] = []
        if problem is None:
            try:
                self.entries = self.store.diary_entries(self._namnd_id, *self.period())
            except NamndtoolError as error:
                problem = error_text(error)
                self.entries = []
            shape = public_entry if public else internal_entry
            rows = [{**shape(e), "sekretess": int(bool(e["sekretess"] or e["arende_sekretess"])),
                     "sekretess_lagrum": e["sekretess_lagrum"]} for e in self.entries]
        show_problems(self.problems, [problem] if problem else [])
        self.model.set_rows(rows)
        secret = sum(1 for r in rows if r["sekretess"])
        fran, till = self.period()
        text = f"{count_text(len(rows), 'handling', 'handlingar')} {fran} – {till}"
        if secret:
            hidden = "visas utan motpart och beskrivning" if public else "visas med alla uppgifter"
            text += f", varav {secret} med sekretess, som {hidden}."
        self.summary.setText(text if problem is None else "")
        busy = self.task is not None
        for button in (self.pdf_button, self.word_button):
            button.setEnabled(problem is None and not busy)
        self.changed.emit()

    def counts(self) -> str:
        return count_text(self.model.rowCount(), "handling", "handlingar") + " i utdraget"

    # --- the document ----------------------------------------------------------------------------

    def export(self, fmt: str) -> bool:
        """Ask where to save, then make the document off the UI thread; True when the work started."""
        if self.task is not None or self.problem() is not None:
            return False
        public = self.is_public()
        fran, till = self.period()
        # The renderers (typst, the secrecy gate) are imported when the first extract is made, not at start.
        from nämndtool.documents.branding import load_branding
        from nämndtool.documents.registry import diary_extract_document
        from nämndtool.documents.service import write_document
        try:
            kod = next((n["kod"] for n in self.store.namnder() if n["id"] == self._namnd_id), "")
            branding = load_branding()
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return False
        version = "offentliga" if public else "interna"
        # Opens where the last diary extract went (remembered between starts), else in Documents.
        path = self.dialogs.save_path(self, f"Spara det {version} diarieutdraget",
                                      Path(extract_name(kod, fran, till, public, fmt)), FILTERS[fmt], kind=SAVE_KIND)
        if path is None:
            return False
        path = Path(path)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        namnd_id = self._namnd_id

        def work(store, _progress, _cancelled):
            document = diary_extract_document(store, namnd_id, fran, till, public)
            write_document(document, fmt, path, branding)
            return path

        task = Task(location_of(self.store), work, self)
        task.succeeded.connect(lambda written: self._written(written, public))
        task.failed.connect(lambda error: self.dialogs.error(self, error_text(error)))
        task.ended.connect(self._ended)
        self.task = task
        self.summary.setText(f"Skapar det {version} diarieutdraget …")
        for button in (self.pdf_button, self.word_button):
            button.setEnabled(False)
        task.start()
        return True

    def _written(self, path: Path, public: bool) -> None:
        secret = any(self.model.row_at(r)["sekretess"] for r in range(self.model.rowCount()))
        if public:
            note = ("Handlingar med sekretess står med datum och diarienummer, men utan motpart och beskrivning."
                    if secret else "")
        else:
            note = ("Den interna versionen är märkt INTERN VERSION och får inte publiceras eller lämnas ut."
                    if secret else "")
        text = "\n\n".join(p for p in (f"Diarieutdraget är sparat:\n{path}", note) if p)
        self.dialogs.saved(self, text, path.parent)   # with Öppna mappen
        self.dialogs.open_externally(path)

    def _ended(self) -> None:
        self.task = None
        self.reload()

    def wait_for_task(self, ms: int = 60_000) -> None:
        if self.task is not None:
            self.task.wait(ms)


class RegistryPage(QWidget):
    """The Register view of the main window: Diarieutdrag and Delegationsbeslut."""

    open_arende = Signal(int)
    """The user wants this ärende (id) open in the editor (double-click on a delegationsbeslut)."""
    counts_changed = Signal(str)
    message = Signal(str)
    """A short Swedish message for the status bar."""

    def __init__(self, store, dialogs=None, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.store = store
        self.dialogs = dialogs or Dialogs()
        self.namnd = QComboBox()
        self.namnd.setAccessibleName("Nämnd")
        self.namnd_label = QLabel("&Nämnd")
        self.namnd_label.setBuddy(self.namnd)
        self.diary = DiaryExtractTab(store, self.dialogs, None, today=today)
        self.delegation = DelegationTab(store, self.dialogs, None, today=today)
        self.tabs = whole_tab_text(QTabWidget())
        self.tabs.addTab(self.diary, "Diarieutdrag")
        self.tabs.addTab(self.delegation, "Delegationsbeslut")

        top = QHBoxLayout()
        top.addWidget(page_title("Register"))
        top.addStretch(1)
        top.addWidget(self.namnd_label)
        top.addWidget(self.namnd)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(muted("Utdrag ur diariet för en period, och delegationsbeslut som ska anmälas till nämnden."))
        layout.addWidget(self.tabs, 1)

        self.namnd.currentIndexChanged.connect(lambda _i: self._on_namnd())
        self.tabs.currentChanged.connect(lambda _i: self.counts_changed.emit(self.counts()))
        self.diary.changed.connect(lambda: self.counts_changed.emit(self.counts()))
        self.delegation.changed.connect(lambda: self.counts_changed.emit(self.counts()))
        self.delegation.open_arende.connect(self.open_arende)
        self.delegation.message.connect(self.message)
        # Nothing is read until the page is first shown; a change while it is hidden is read when it is shown.
        self.loading = LoadWhenShown(self, self.reload)

    def reload(self) -> None:
        """Read the nämnder again and both tabs; the chosen nämnd stays chosen."""
        self.loading.loaded()
        current = self.namnd.currentData()
        try:
            namnder = self.store.namnder()
        except NamndtoolError as error:
            self.dialogs.error(self, error_text(error))
            return
        self.namnd.blockSignals(True)
        self.namnd.clear()
        for n in namnder:
            self.namnd.addItem(f"{n['namn']} ({n['kod']})", n["id"])
        index = self.namnd.findData(current)
        self.namnd.setCurrentIndex(index if index >= 0 else 0)
        self.namnd.blockSignals(False)
        for widget in (self.namnd, self.namnd_label):
            widget.setVisible(len(namnder) > 1)
        self._on_namnd()

    def _on_namnd(self) -> None:
        namnd_id = self.namnd.currentData()
        self.diary.set_namnd(namnd_id)
        self.delegation.set_namnd(namnd_id)
        self.counts_changed.emit(self.counts())

    def counts(self) -> str:
        return self.diary.counts() if self.tabs.currentIndex() == DIARY else self.delegation.counts()

    def wait_for_tasks(self, ms: int = 60_000) -> None:
        self.diary.wait_for_task(ms)
