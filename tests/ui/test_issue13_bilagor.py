"""Issue 13, point 1, the user's way: a PDF registered as a handling becomes a bilaga to the tjänsteskrivelse with a
click, by ticking a box when it is registered, or by dropping it on the tjänsteskrivelse; the agenda's readiness and
"Hämta från bilagorna" follow, the order is set with buttons, keys or the list under Ärendets handlingar, and a
secret handling of a public ärende is refused."""

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox

from nämndtool.ui.common import tasks
from nämndtool.ui.common.dialogs import ScriptedDialogs
from nämndtool.ui.editor import arende_editor
from nämndtool.ui.editor.arende_editor import HANDLINGAR_TAB, ArendeEditor
from nämndtool.ui.meetings.page import MeetingsPage
from test_bilagor import pdf
from ui_checks import assert_readable

PLAN = "Socialnämndens internkontrollplan"
BILAGA_COLUMN = 6


@pytest.fixture(autouse=True)
def fast_autosave(monkeypatch):
    monkeypatch.setattr(arende_editor, "AUTOSAVE_DELAY_MS", 200)
    monkeypatch.setattr(arende_editor, "PREVIEW_DELAY_MS", 100)


def plan_case(store) -> dict:
    return next(a for a in store.list_arenden() if a["rubrik"].startswith(PLAN))


def open_editor(qtbot, store, arende_id: int, dialogs) -> ArendeEditor:
    editor = ArendeEditor(store, dialogs, arende_id)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def click(qtbot, widget) -> None:
    """A click where a user clicks: a check box on its box (its label may end before the middle of the row)."""
    assert widget.isVisible() and widget.isEnabled(), widget.text() if hasattr(widget, "text") else widget
    pos = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox) else widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def settled(qtbot, panel) -> None:
    """What the panel handed to the runner is written and shown."""
    qtbot.waitUntil(lambda: panel._task is None and panel._bilaga_task is None and tasks.idle(), timeout=10_000)


def show_tab(qtbot, editor: ArendeEditor, index: int) -> None:
    bar = editor.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert editor.tabs.currentIndex() == index


def click_row(qtbot, panel, description: str) -> None:
    model = panel.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r)["beskrivning"] == description)
    rect = panel.view.visualRect(model.index(row, 3))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.selected()["beskrivning"] == description


def fill(qtbot, editor, description: str, path: Path | None, dialogs, *, bilaga=False, lagrum=None) -> None:
    """Type the description; under Mer … choose the file, tick Sekretess with the lagrum and Bilaga when asked."""
    panel = editor.handlingar
    qtbot.keyClicks(panel.beskrivning, description)
    if path is None and not bilaga and lagrum is None:
        return
    if not panel.more_button.isChecked():
        click(qtbot, panel.more_button)
    if path is not None:
        dialogs.open_answers.append([path])
        click(qtbot, panel.file_button)
    if lagrum is not None:
        click(qtbot, panel.sekretess)
        qtbot.keyClicks(panel.lagrum, lagrum)
    if bilaga:
        click(qtbot, panel.bilaga)


def register(qtbot, editor, description: str, path: Path | None, dialogs, **options) -> None:
    """:func:`fill`, then Enter, and wait until it is registered and shown."""
    fill(qtbot, editor, description, path, dialogs, **options)
    qtbot.keyClick(editor.handlingar.beskrivning, Qt.Key.Key_Return)
    settled(qtbot, editor.handlingar)


def opened(qtbot, store, dialogs) -> tuple[dict, ArendeEditor]:
    """The internkontrollplan open in the editor at its Handlingar tab."""
    case = plan_case(store)
    editor = open_editor(qtbot, store, case["id"], dialogs)
    show_tab(qtbot, editor, HANDLINGAR_TAB)
    return case, editor


def bilagor(store, arende_id) -> list[str]:
    return [b["titel"] for b in store.bilagor(arende_id)]


def readiness(qtbot, store, dialogs, title: str) -> str:
    page = MeetingsPage(store, dialogs)
    qtbot.addWidget(page)
    page.reload()
    for row in range(page.meetings_model.rowCount()):
        meeting = page.meetings_model.row_at(row)
        page.meetings_view.selectRow(row)
        model = page.agenda_model
        for r in range(model.rowCount()):
            if (model.data(model.index(r, 1)) or "").startswith(title):
                return model.data(model.index(r, 3))
    raise AssertionError(f"no item {title} ({meeting})")


# --- the user's case ---------------------------------------------------------------------------------------


def test_a_registered_pdf_made_a_bilaga_with_a_click(qtbot, demo, tmp_path):
    store, dialogs = demo, ScriptedDialogs()
    case = plan_case(store)
    title = store.tjansteskrivelse(case["id"])["handlingar"][0]          # "Internkontrollplan 2027"
    assert readiness(qtbot, store, dialogs, PLAN) == "Bilagor saknas"
    editor = open_editor(qtbot, store, case["id"], dialogs)
    assert not editor.ts_form.fill_button.isEnabled()

    show_tab(qtbot, editor, HANDLINGAR_TAB)
    register(qtbot, editor, title, pdf(tmp_path / "plan.pdf", "Planens innehåll"), dialogs)
    panel = editor.handlingar
    assert bilagor(store, case["id"]) == [] and dialogs.messages("error") == []
    assert "Ingen handling är bilaga" in panel.bilagor_label.text()

    click_row(qtbot, panel, title)
    assert panel.bilaga_button.text().replace("&", "") == "Gör till bilaga"
    click(qtbot, panel.bilaga_button)
    qtbot.waitUntil(lambda: bilagor(store, case["id"]) == [title], timeout=10_000)
    qtbot.waitUntil(lambda: panel.bilaga_button.text().replace("&", "") == "Ta bort som bilaga")
    assert panel.model.data(panel.model.index(0, BILAGA_COLUMN)) == "Bilaga 1"
    assert panel.bilagor_label.text().endswith(f"1. {title}")
    assert editor.ts_form.fill_button.isEnabled()                       # "Hämta från bilagorna"
    assert editor.ts_form.handlingar.values() == [title]                # already listed: nothing to add
    # an untagged PDF: a note (issue 14), not a blocker
    assert readiness(qtbot, store, dialogs, PLAN) == "Klar – bilaga ej tillgänglighetsanpassad"
    assert_readable(editor, "arende-handlingar-bilaga.png")

    click(qtbot, panel.bilaga_button)                                   # and back: the handling stays
    qtbot.waitUntil(lambda: bilagor(store, case["id"]) == [], timeout=10_000)
    assert panel.model.rowCount() == 1
    editor.close()


def test_a_handling_registered_as_a_bilaga_is_listed_under_arendets_handlingar(qtbot, demo, tmp_path):
    store, dialogs = demo, ScriptedDialogs()
    case, editor = opened(qtbot, store, dialogs)
    panel = editor.handlingar
    fill(qtbot, editor, "Riskanalys", pdf(tmp_path / "risk.pdf", "Risker"), dialogs, bilaga=True)
    assert panel.summary.text().endswith("med filen risk.pdf, som bilaga till tjänsteskrivelsen.")
    qtbot.keyClick(panel.beskrivning, Qt.Key.Key_Return)
    settled(qtbot, panel)
    assert bilagor(store, case["id"]) == ["Riskanalys"]
    assert not panel.bilaga.isChecked()                                  # the next one is no bilaga unless ticked
    listed = store.tjansteskrivelse(case["id"])["handlingar"][0]
    assert editor.ts_form.handlingar.values() == [listed, "Riskanalys"]
    qtbot.waitUntil(lambda: store.tjansteskrivelse(case["id"])["handlingar"] == [listed, "Riskanalys"],
                    timeout=10_000)                                      # autosaved
    editor.close()


def test_a_bilaga_without_a_file_is_explained_in_the_form(qtbot, demo):
    store, dialogs = demo, ScriptedDialogs()
    case, editor = opened(qtbot, store, dialogs)
    panel = editor.handlingar
    fill(qtbot, editor, "Telefonanteckning", None, dialogs, bilaga=True)
    qtbot.keyClick(panel.beskrivning, Qt.Key.Key_Return)
    assert panel.problems.isVisible() and "En bilaga behöver en fil" in panel.problems.text()
    assert store.handlingar(case["id"]) == []
    editor.close()


# --- a secret handling of a public ärende ----------------------------------------------------------------------


def test_a_secret_handling_cannot_become_a_bilaga_of_a_public_arende(qtbot, demo, tmp_path):
    store, dialogs = demo, ScriptedDialogs()
    case, editor = opened(qtbot, store, dialogs)
    panel = editor.handlingar
    fill(qtbot, editor, "Intyg", pdf(tmp_path / "intyg.pdf", "Intyg"), dialogs, bilaga=True, lagrum="25 kap. 1 OSL")
    qtbot.keyClick(panel.beskrivning, Qt.Key.Key_Return)
    assert "ärendet är offentligt" in panel.problems.text() and store.handlingar(case["id"]) == []

    click(qtbot, panel.bilaga)                                           # registered as a handling only
    qtbot.keyClick(panel.beskrivning, Qt.Key.Key_Return)
    settled(qtbot, panel)
    assert len(store.handlingar(case["id"])) == 1
    click_row(qtbot, panel, "Intyg")
    click(qtbot, panel.bilaga_button)
    qtbot.waitUntil(lambda: bool(dialogs.messages("error")), timeout=10_000)
    assert "”Intyg” kan inte bli bilaga: handlingen omfattas av sekretess men ärendet är offentligt" in \
        dialogs.messages("error")[0]
    assert bilagor(store, case["id"]) == []
    editor.close()


# --- the order ----------------------------------------------------------------------------------------------


def test_the_order_is_set_with_buttons_keys_and_the_list(qtbot, demo, tmp_path):
    store, dialogs = demo, ScriptedDialogs()
    case, editor = opened(qtbot, store, dialogs)
    listed = store.tjansteskrivelse(case["id"])["handlingar"][0]
    for name in ("Bilaga A", "Bilaga B", "Bilaga C"):
        register(qtbot, editor, name, pdf(tmp_path / f"{name}.pdf", name), dialogs, bilaga=True)
    panel = editor.handlingar
    assert bilagor(store, case["id"]) == ["Bilaga A", "Bilaga B", "Bilaga C"]

    click_row(qtbot, panel, "Bilaga C")
    assert not panel.down_button.isEnabled()
    click(qtbot, panel.up_button)
    qtbot.waitUntil(lambda: bilagor(store, case["id"]) == ["Bilaga A", "Bilaga C", "Bilaga B"], timeout=10_000)
    qtbot.waitUntil(lambda: panel._bilaga_task is None)
    qtbot.keyClick(panel.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bilagor(store, case["id"]) == ["Bilaga C", "Bilaga A", "Bilaga B"], timeout=10_000)
    assert panel.selected()["beskrivning"] == "Bilaga C" and not panel.up_button.isEnabled()
    # Ärendets handlingar followed, and is saved so
    form = editor.ts_form
    assert form.handlingar.values() == [listed, "Bilaga C", "Bilaga A", "Bilaga B"]

    show_tab(qtbot, editor, 0)                                           # the handläggare reorders the list
    row = form.handlingar.rows[3]                                         # Bilaga B one up
    click(qtbot, row.up)
    assert form.handlingar.values() == [listed, "Bilaga C", "Bilaga B", "Bilaga A"]
    qtbot.waitUntil(lambda: bilagor(store, case["id"]) == ["Bilaga C", "Bilaga B", "Bilaga A"], timeout=10_000)
    show_tab(qtbot, editor, HANDLINGAR_TAB)
    assert panel.bilagor_label.text().endswith("1. Bilaga C · 2. Bilaga B · 3. Bilaga A")
    editor.close()


# --- files dropped on the tjänsteskrivelse ---------------------------------------------------------------------


def drop_on(widget, paths: list[Path]) -> None:
    """What the file manager does when files are dragged over the widget and dropped."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPoint(widget.width() // 2, 10)
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide marks the QPoint constructors deprecated
        enter, move = QDragEnterEvent(point, *args), QDragMoveEvent(point, *args)
    for event in (enter, move):
        QApplication.sendEvent(widget, event)
        assert event.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(QPointF(point), *args))


def test_files_dropped_on_the_tjansteskrivelse_become_bilagor(qtbot, demo, tmp_path):
    store, dialogs = demo, ScriptedDialogs()
    case = plan_case(store)
    listed = store.tjansteskrivelse(case["id"])["handlingar"][0]
    editor = open_editor(qtbot, store, case["id"], dialogs)
    plan, extra = pdf(tmp_path / f"{listed}.pdf", "Planen"), pdf(tmp_path / "Riskanalys.pdf", "Risker")
    drop_on(editor.ts_form, [plan, extra, tmp_path])
    dialog = editor.handlingar.drop_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.bilagor.isChecked() and dialog.bilagor.text() == "Gör filerna till bilagor till tjänsteskrivelsen"
    assert [e.text() for e in dialog.descriptions] == [listed, "Riskanalys"]
    assert_readable(dialog, "tjansteskrivelse-bilagor-slapp.png")
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))
    settled(qtbot, editor.handlingar)
    assert bilagor(store, case["id"]) == [listed, "Riskanalys"]
    assert editor.ts_form.handlingar.values() == [listed, "Riskanalys"]
    qtbot.waitUntil(lambda: store.tjansteskrivelse(case["id"])["handlingar"] == [listed, "Riskanalys"],
                    timeout=10_000)
    # an untagged PDF: a note (issue 14), not a blocker
    assert readiness(qtbot, store, dialogs, PLAN) == "Klar – bilaga ej tillgänglighetsanpassad"
    editor.scroll.ensureWidgetVisible(editor.ts_form.fill_button)
    assert_readable(editor, "tjansteskrivelse-arendets-handlingar.png")
    editor.close()


def test_files_dropped_in_the_diary_become_bilagor_only_when_ticked(qtbot, demo, tmp_path):
    from nämndtool.ui.diary.page import DiaryPage

    store, dialogs = demo, ScriptedDialogs()
    case = plan_case(store)
    page = DiaryPage(store, dialogs)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    row = next(r for r in range(page.model.rowCount()) if page.model.arende_at(r)["id"] == case["id"])
    page.register_dropped_files(row, [pdf(tmp_path / "Brev.pdf", "Brev")])
    dialog = page.handling_dialog
    assert not dialog.bilagor.isChecked() and dialog.bilagor.text() == "Gör filen till bilaga till tjänsteskrivelsen"
    click(qtbot, dialog.bilagor)
    dialog.accept()
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    assert bilagor(store, case["id"]) == ["Brev"]
