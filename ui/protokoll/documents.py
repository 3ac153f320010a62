"""The protokoll as a document, from the page's header: the draft to read through before the justering (marked
"Utkast – ej justerat" on every page), the public and the internal version in PDF or Word, the omedelbart
justerade §§, and the justerat PDF as it was kept.

A public version passes the secrecy gate and is recorded with where it went (``ui/common/saving.save_rendered``, on the runner); the
internal one carries its INTERN VERSION marking. Rendering one document is short, so it runs on the UI thread
under the wait cursor, as the utdrag do.
"""

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QToolButton, QWidget

from nämndtool.distribution import safe_filename
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import protokoll_document
from nämndtool.documents.service import render_bytes
from nämndtool.ui.common.saving import save_rendered
from nämndtool.ui.protokoll.common import PROTOKOLL_KIND, announce_saved, ask_save_path, busy_cursor
from nämndtool.ui.common.dialogs import error_text

SHORTCUT = "Ctrl+Shift+P"
DRAFT_TIP = ("Hela protokollet som det ser ut nu, med sekretessärendena, märkt ”Utkast – ej justerat” på varje sida: "
             "att läsa igenom med ordföranden och justerarna")
DRAFT, PUBLIC_PDF, PUBLIC_DOCX, INTERNAL_PDF, INTERNAL_DOCX, OMEDELBARA, JUSTERAT = (
    "utkast", "offentlig-pdf", "offentlig-docx", "intern-pdf", "intern-docx", "omedelbara", "justerat")


class ProtokollDocuments(QObject):
    """Saves the protokoll of the page's meeting as a document. ``before_write`` saves what the tabs have unsaved
    first, so the document shows what is on the screen; ``export_justerat`` saves the kept PDF (the Justering tab
    does it)."""

    def __init__(self, store, dialogs, parent: QWidget, export_justerat: Callable[[], Path | None]):
        super().__init__(parent)
        self.store, self.dialogs, self.widget = store, dialogs, parent
        self.meeting: dict | None = None
        self.protokoll: dict | None = None
        self.before_write: Callable[[], bool] = lambda: True
        self.export_justerat = export_justerat

        self.draft_button = QPushButton("Utkast som PDF…")
        self.draft_button.setAccessibleName("Spara ett utkast av protokollet som PDF")
        self.draft_button.clicked.connect(lambda: self.save_draft())
        self.menu = QMenu(parent)
        self.menu.setTitle("Protokollet som dokument")
        self.actions: dict[str, QAction] = {}
        for key, text, work in (
                (DRAFT, "Utkast att läsa igenom (PDF, internt)…", self.save_draft),
                (None, None, None),
                (PUBLIC_PDF, "Offentligt protokoll (PDF)…", lambda: self.save_protokoll(True, "pdf")),
                (PUBLIC_DOCX, "Offentligt protokoll (Word)…", lambda: self.save_protokoll(True, "docx")),
                (INTERNAL_PDF, "Internt protokoll (PDF)…", lambda: self.save_protokoll(False, "pdf")),
                (INTERNAL_DOCX, "Internt protokoll (Word)…", lambda: self.save_protokoll(False, "docx")),
                (OMEDELBARA, "Omedelbart justerade paragrafer (PDF)…",
                 lambda: self.save_protokoll(True, "pdf", only_omedelbara=True)),
                (None, None, None),
                (JUSTERAT, "Det justerade protokollet, som det sparades (PDF)…", lambda: self.export_justerat())):
            if key is None:
                self.menu.addSeparator()
                continue
            action = self.menu.addAction(text)
            action.triggered.connect(lambda _checked=False, w=work: w())
            self.actions[key] = action
        self.menu_button = QToolButton()
        self.menu_button.setText("Protokollet som dokument")
        self.menu_button.setAccessibleName("Protokollet som dokument")
        self.menu_button.setToolTip(f"Utkast, offentlig och intern version, PDF eller Word ({SHORTCUT})")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(self.menu)
        self.update_actions()

    def load(self, meeting: dict, protokoll: dict | None) -> None:
        self.meeting, self.protokoll = meeting, protokoll
        self.update_actions()

    def update_actions(self) -> None:
        """A protokoll begun (närvaro or §§) can be printed at any time; before the justering as a draft."""
        p = self.protokoll
        justerad = bool(p and p["justerad"])
        begun = p is not None
        self.draft_button.setVisible(not justerad)
        self.draft_button.setEnabled(begun)
        self.draft_button.setToolTip(DRAFT_TIP if begun else "Protokollet är inte påbörjat: hämta närvaron eller "
                                                             "skapa paragraferna först.")
        self.menu_button.setEnabled(self.meeting is not None)
        for key, action in self.actions.items():
            action.setEnabled({DRAFT: begun and not justerad, JUSTERAT: justerad,
                               OMEDELBARA: begun and any(g["omedelbart_justerad"] for g in p["paragrafer"])
                               }.get(key, begun))

    def show_menu(self) -> None:
        """Open the menu under its button without waiting (Ctrl+Shift+P on the page does this)."""
        self.update_actions()
        self.menu.popup(self.menu_button.mapToGlobal(QPoint(0, self.menu_button.height())))

    # --- saving -----------------------------------------------------------------------------------------------

    def save_draft(self) -> Path | None:
        """The whole protokoll as it stands, internal, marked "Utkast – ej justerat" on every page."""
        return self.save_protokoll(False, "pdf")

    def save_protokoll(self, public: bool, fmt: str, only_omedelbara: bool = False) -> Path | None:
        if self.meeting is None or not self.before_write():
            return None
        try:
            with busy_cursor():
                document = protokoll_document(self.store, self.meeting["id"], public, only_omedelbara=only_omedelbara)
                data = render_bytes(document, fmt, load_branding())
        except Exception as error:  # noqa: BLE001
            self.dialogs.error(self.widget, error_text(error))
            return None
        protokoll = self.store.protokoll(self.meeting["id"]) or {}
        draft = not only_omedelbara and not protokoll.get("justerad")
        what = "Omedelbart justerade paragrafer" if only_omedelbara else "Protokoll"
        version = ("utkast, " if draft else "") + ("offentlig" if public else "intern")
        name = safe_filename(f"{what} {self.meeting['organ']} {self.meeting['datum']} ({version}).{fmt}")
        path = self._ask_path(f"Spara {what.lower()} ({version} version)", name, fmt)
        if path is None:
            return None
        if not save_rendered(self.widget, self.store, document, data, path,
                             lambda error: self.dialogs.error(self.widget, error_text(error))):
            return None
        secret = any(p["sekretess"] for p in protokoll.get("paragrafer", []))
        notes = [f"{what} är sparat:\n{path}"]
        if draft:
            notes.append("Protokollet är inte justerat ännu: filen är ett utkast, och varje sida är märkt "
                         "”Utkast – ej justerat”.")
        if secret and public:
            notes.append("Paragrafer med sekretess står bara med nummer och sekretessgrund.")
        elif secret:
            notes.append("Den interna versionen innehåller sekretessärenden och är märkt INTERN VERSION. Den får "
                         "inte publiceras eller skickas med e-post.")
        announce_saved(self.widget, self.dialogs, "\n\n".join(notes), path)
        return path

    def _ask_path(self, caption: str, name: str, fmt: str) -> Path | None:
        return ask_save_path(self.dialogs, self.widget, caption, name, fmt, kind=PROTOKOLL_KIND)
