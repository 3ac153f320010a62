"""Generating documents from the app: files written and read back, questions asked through the dialog service,
the pack off the UI thread with a working Avbryt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import email
import io
import time
from email import policy

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QPushButton, QWidget
from reportlab.pdfgen.canvas import Canvas

from docs_helpers import docx_text, flat, pdf_pages
from nämndtool.demo import UTSKOTT
from nämndtool.secrecy.labels import SECRET_TITLE
from nämndtool.store import Store
from nämndtool.ui.generate import BUSY, Generator
from nämndtool.ui.common.dialogs import ScriptedDialogs
from ui_checks import assert_readable

SECRET_TITLES = ("Ansökan om vård enligt 2 § LVU", "Övervägande om fortsatt vård enligt 13 § LVU",
                 "Yttrande till förvaltningsrätten i mål om vård enligt LVM")


class Dialogs(ScriptedDialogs):
    """ScriptedDialogs that can answer each question differently (``confirm_answers``, in order)."""

    def __init__(self, *args, confirm_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirm_answers = list(confirm_answers or [])

    def confirm(self, parent, question, yes="Fortsätt", no="Avbryt"):
        answer = super().confirm(parent, question, yes, no)
        return self.confirm_answers.pop(0) if self.confirm_answers else answer


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    widget.resize(1366, 768)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def meeting_of(store, organ: str, datum: str | None = None) -> dict:
    """The meeting of the organ ("utskott" for the demo's utskott), the coming one unless ``datum`` is given."""
    organ = UTSKOTT if organ == "utskott" else organ
    return next(m for m in store.meetings() if m["organ"] == organ and (datum is None or m["datum"] == datum))


def make_generator(store, window, dialogs) -> Generator:
    return Generator(store, dialogs, window)


def wait_until_idle(qtbot, generator: Generator, timeout=60_000) -> None:
    qtbot.waitUntil(lambda: generator.running_task is None, timeout=timeout)


# --- kallelse and tjänsteskrivelse ------------------------------------------------------------------------------


def test_public_kallelse_pdf_is_written_read_back_and_opened(demo, window, tmp_path):
    meeting = meeting_of(demo, "Socialnämnden", "2023-02-22")
    out = tmp_path / "kallelse.pdf"
    dialogs = Dialogs(save_answers=[out])
    path = make_generator(demo, window, dialogs).kallelse(meeting["id"], public=True, fmt="pdf")
    assert path == out
    caption, suggested = dialogs.calls[0][1:]
    assert suggested.name == "Kallelse Socialnämnden 2023-02-22 (offentlig).pdf"
    text = flat(" ".join(pdf_pages(out.read_bytes())))
    assert "Kallelse" in text and "Socialnämnden" in text and "Solrosen" in text
    assert "Socialnämndens årsredovisning 2022" in text and "Sekretessärende" in text
    assert "INTERN VERSION" not in text
    assert dialogs.messages("info")[0].startswith(f"Den offentliga kallelsen är sparad:\n{out}")
    assert ("open", out) in dialogs.calls and not dialogs.messages("error")


def test_kallelse_docx_public_and_internal(demo, window, tmp_path):
    meeting = meeting_of(demo, "utskott")
    public, internal = tmp_path / "offentlig.docx", tmp_path / "intern"
    dialogs = Dialogs(save_answers=[public, internal])
    generator = make_generator(demo, window, dialogs)
    generator.kallelse(meeting["id"], public=True, fmt="docx")
    generator.kallelse(meeting["id"], public=False, fmt="docx")
    public_text = docx_text(public.read_bytes())
    internal_text = docx_text((tmp_path / "intern.docx").read_bytes())   # the suffix is added when missing
    assert "Sekretessärenden" in public_text
    for title in SECRET_TITLES:
        assert title not in public_text
        assert title in internal_text
    assert "INTERN VERSION" in internal_text
    assert "får inte publiceras" in dialogs.messages("info")[1]


def test_no_path_chosen_writes_nothing(demo, window, tmp_path):
    meeting = meeting_of(demo, "utskott")
    dialogs = Dialogs()
    assert make_generator(demo, window, dialogs).kallelse(meeting["id"], True, "pdf") is None
    assert not list(tmp_path.glob("*.pdf")) and not dialogs.messages("info") and not dialogs.messages("error")


def test_secret_tjansteskrivelse_keeps_its_title_out_of_the_file_name(demo, window, tmp_path):
    item = next(i for i in demo.agenda(meeting_of(demo, "utskott")["id"]) if i["sekretess"])
    out = tmp_path / "ts.pdf"
    dialogs = Dialogs(save_answers=[out])
    make_generator(demo, window, dialogs).tjansteskrivelse(item["arende_id"], "pdf")
    suggested = dialogs.calls[0][2]
    number = item['diarienummer'].replace('/', '-').replace(':', '-')
    assert suggested.name == f"Tjänsteskrivelse {number} {SECRET_TITLE}.pdf"   # labels.safe_title, never the title
    text = flat(" ".join(pdf_pages(out.read_bytes())))
    assert item["rubrik"] in text and "SEKRETESS" in text
    assert "Skicka inte filen med e-post" in dialogs.messages("info")[0]


def test_missing_tjansteskrivelse_is_a_swedish_error_before_any_file_dialog(demo, window):
    item = next(i for i in demo.agenda(meeting_of(demo, "Socialnämnden", None)["id"])
                if i["arende_id"] and not demo.tjansteskrivelse(i["arende_id"]))
    dialogs = Dialogs()
    assert make_generator(demo, window, dialogs).tjansteskrivelse(item["arende_id"]) is None
    assert "har ingen tjänsteskrivelse ännu" in dialogs.messages("error")[0]
    assert not dialogs.messages("save_path")


# --- the pack ----------------------------------------------------------------------------------------------------


def test_public_pack_asks_first_and_declining_writes_nothing(demo, window, tmp_path):
    meeting = meeting_of(demo, "utskott")
    dialogs = Dialogs(confirm_answer=False, save_answers=[tmp_path / "h.pdf"])
    assert not make_generator(demo, window, dialogs).pack(meeting["id"], public=True)
    assert dialogs.messages("confirm") == [
        "Den offentliga versionen lämnar bort 3 sekretessärenden (punkt 4–6). Fortsätt?"]
    assert not dialogs.messages("save_path") and not (tmp_path / "h.pdf").exists()


def test_public_pack_is_written_without_the_secret_items(demo, window, qtbot, tmp_path):
    meeting = meeting_of(demo, "utskott")
    out = tmp_path / "h.pdf"
    dialogs = Dialogs(save_answers=[out])
    generator = make_generator(demo, window, dialogs)
    assert generator.pack(meeting["id"], public=True)
    assert generator.running_task is not None
    wait_until_idle(qtbot, generator)
    assert dialogs.calls[1][2].name.endswith("(offentlig).pdf")
    text = flat(" ".join(pdf_pages(out.read_bytes())))
    for title in SECRET_TITLES:
        assert title not in text
    assert "lämnar bort 3 sekretessärenden (punkt 4–6)" in dialogs.messages("info")[0]
    assert ("open", out) in dialogs.calls


def test_internal_pack_is_written_with_warnings_shown(demo, window, qtbot, tmp_path):
    meeting = meeting_of(demo, "Socialnämnden", "2023-02-22")
    # A handling the tjänsteskrivelse lists that is no bilaga: something the secretary can act on.
    item = next(i for i in demo.agenda(meeting["id"]) if i["arende_id"] and demo.tjansteskrivelse(i["arende_id"]))
    ts = demo.tjansteskrivelse(item["arende_id"])
    demo.save_tjansteskrivelse(
        item["arende_id"], {k: ts[k] for k in ("datum", "forvaltning", "enhet", "mottagare", "rubrik") if k in ts},
        forslag=ts["forslag"], avsnitt=ts["avsnitt"], handlingar=ts["handlingar"] + ["Dataskyddsrapport som saknas"],
        undertecknare=ts["undertecknare"], mottagare_ids=[m["id"] for m in ts["beslutet_skickas_till"]])
    out = tmp_path / "intern.pdf"
    dialogs = Dialogs(save_answers=[out])
    generator = make_generator(demo, window, dialogs)
    generator.pack(meeting["id"], public=False)
    wait_until_idle(qtbot, generator)
    assert not dialogs.messages("confirm")
    assert dialogs.calls[0][2].name == "Handlingar Socialnämnden 2023-02-22 (intern).pdf"
    pages = pdf_pages(out.read_bytes())
    assert "Kallelse" in pages[0] and len(pages) > 10
    info = dialogs.messages("info")[0]
    assert "INTERN VERSION" in info and "Att kontrollera:" in info and "Dataskyddsrapport som saknas" in info
    assert generator.print_file()
    assert ("print", out) in dialogs.calls


def add_bilaga_with_personnummer(store, tmp_path) -> dict:
    meeting = meeting_of(store, "Socialnämnden", None)
    item = next(i for i in store.agenda(meeting["id"]) if i["arende_id"] and not i["sekretess"]
                and store.tjansteskrivelse(i["arende_id"]))
    path = tmp_path / "bilaga.pdf"
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Kontaktperson 19121212-1212")
    canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())
    store.save_bilagor(item["arende_id"], [{"titel": "Lista", "sha256": store.put_file(path), "filnamn": path.name}])
    return meeting


def test_a_bilaga_with_a_personnummer_becomes_a_placeholder_page_in_the_public_pack(demo, window, qtbot, tmp_path):
    """No "create anyway": the gate's finding replaces the bilaga by a page that says so, named in the warnings."""
    meeting = add_bilaga_with_personnummer(demo, tmp_path)
    out = tmp_path / "h.pdf"
    dialogs = Dialogs(save_answers=[out])
    generator = make_generator(demo, window, dialogs)
    generator.pack(meeting["id"], public=True)
    wait_until_idle(qtbot, generator)
    assert len(dialogs.messages("confirm")) == 1        # only "Fortsätt?" about the secret items left out
    assert out.exists() and not dialogs.messages("error")
    text = flat(" ".join(pdf_pages(out.read_bytes())))
    assert "19121212-1212" not in text and "Lista" in text
    info = dialogs.messages("info")[0]
    assert "Att kontrollera:" in info
    assert "Bilagan ”Lista” (bilaga.pdf) är inte med i den offentliga versionen" in info
    assert "En sida säger det i stället." in info


def test_a_public_document_the_gate_refuses_is_a_swedish_error_and_no_file(demo, window, qtbot, tmp_path):
    meeting = meeting_of(demo, "utskott")
    agenda = demo.agenda(meeting["id"])
    public = next(i for i in agenda if not i["sekretess"])
    items = [{**i, "anteckning": f"Se även {SECRET_TITLES[0]}" if i["id"] == public["id"] else i["anteckning"]}
             for i in agenda]
    demo.replace_agenda(meeting["id"], items)
    out = tmp_path / "kallelse.pdf"
    dialogs = Dialogs(save_answers=[out])
    assert make_generator(demo, window, dialogs).kallelse(meeting["id"], public=True, fmt="pdf") is None
    [message] = dialogs.messages("error")
    assert message.startswith("Den offentliga versionen av ”Kallelse")
    assert "skapades inte" in message and "Ingenting har skrivits." in message
    assert SECRET_TITLES[0] not in message                 # the message never repeats the secret in full
    assert not out.exists() and not dialogs.messages("info") and ("open", out) not in dialogs.calls

    pack = tmp_path / "handlingar.pdf"                     # the pack, made in a Task, is refused the same way
    dialogs = Dialogs(save_answers=[pack])
    generator = make_generator(demo, window, dialogs)
    assert generator.pack(meeting["id"], public=True)
    wait_until_idle(qtbot, generator)
    [message] = dialogs.messages("error")
    assert message.startswith("Den offentliga versionen av ”") and "Ingenting har skrivits." in message
    assert not pack.exists() and not dialogs.messages("info")
    secret = next(i for i in agenda if i["sekretess"])
    assert demo.publications(secret["arende_id"]) == []     # nothing went out, so nothing is recorded


def test_public_outputs_are_recorded_with_where_they_went(demo, window, qtbot, tmp_path):
    meeting = meeting_of(demo, "utskott")
    item = next(i for i in demo.agenda(meeting["id"]) if i["sekretess"])
    kallelse, pack = tmp_path / "kallelse.pdf", tmp_path / "handlingar.pdf"
    dialogs = Dialogs(save_answers=[kallelse, pack, tmp_path / "intern.pdf"])
    generator = make_generator(demo, window, dialogs)
    generator.kallelse(meeting["id"], public=True, fmt="pdf")
    generator.pack(meeting["id"], public=True)
    wait_until_idle(qtbot, generator)
    generator.kallelse(meeting["id"], public=False, fmt="pdf")   # internal: not a publication
    where = [o["mal"] for o in demo.publications(item["arende_id"])]
    assert where == [str(kallelse), str(pack)]


# --- a large pack: the window stays responsive, Avbryt works -----------------------------------------------------


def pages_pdf(title: str, pages: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in range(1, pages + 1):
        for line in range(45):
            canvas.drawString(60, 790 - line * 16, f"{title}, sida {page}, rad {line + 1}: text som fyller sidan")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.fixture
def large_meeting(tmp_path):
    """20 items, each with a tjänsteskrivelse and a 15-page bilaga: a 300-page bilaga pack."""
    with Store.open(tmp_path / "stor.sqlite") as store:
        namnd_id = store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen")
        organ_id = store.organs(namnd_id)[0]["id"]
        meeting_id = store.save_meeting(organ_id, "2024-05-15", {"tid": "13:00", "plats": "Solrosen"})
        agenda = []
        for nr in range(1, 21):
            arende = store.register_arende(namnd_id, f"Stort ärende {nr}", today=dt.date(2024, 5, 2))
            store.save_tjansteskrivelse(
                arende["id"], {"rubrik": f"Stort ärende {nr}", "sammanfattning": "Sammanfattning."},
                forslag=["Socialnämnden beslutar enligt förslaget."], avsnitt=[], undertecknare=[],
                mottagare_ids=[], handlingar=[f"Bilaga {nr}"])
            path = tmp_path / f"bilaga{nr}.pdf"
            path.write_bytes(pages_pdf(f"Bilaga {nr}", 15))
            store.save_bilagor(arende["id"], [{"titel": f"Bilaga {nr}", "sha256": store.put_file(path),
                                               "filnamn": path.name}])
            agenda.append({"nr": nr, "rubrik": f"Stort ärende {nr}", "typ": "arende", "arende_id": arende["id"],
                           "sekretess": 0})
        store.save_agenda(meeting_id, agenda)
        yield store, meeting_id


def test_the_ui_thread_keeps_processing_events_while_a_large_pack_is_made(large_meeting, window, qtbot, tmp_path):
    store, meeting_id = large_meeting
    out = tmp_path / "stor.pdf"
    dialogs = Dialogs(save_answers=[out])
    generator = make_generator(store, window, dialogs)
    ticks, gaps, clock = [], [], QElapsedTimer()
    timer = QTimer()
    timer.setInterval(10)

    def tick():
        if ticks:
            gaps.append(clock.elapsed() - ticks[-1])
        ticks.append(clock.elapsed())

    timer.timeout.connect(tick)
    started = time.monotonic()
    clock.start()
    timer.start()
    assert generator.pack(meeting_id, public=False)
    qtbot.waitUntil(lambda: generator.progress_dialog is not None and generator.progress_dialog.value() > 0,
                    timeout=30_000)
    assert_readable(generator.progress_dialog, "handlingar-forlopp.png")
    wait_until_idle(qtbot, generator)
    timer.stop()
    elapsed_ms = (time.monotonic() - started) * 1000
    assert len(pdf_pages(out.read_bytes())) >= 300 + 20
    # A 10 ms timer on the UI thread went on ticking all through the work, never held up for long.
    assert len(ticks) >= max(10, elapsed_ms / 10 / 4), (len(ticks), elapsed_ms)
    assert max(gaps) < 500, max(gaps)
    print(f"{len(ticks)} ticks in {elapsed_ms:.0f} ms, longest gap {max(gaps)} ms")


def test_avbryt_stops_the_pack_and_writes_nothing(large_meeting, window, qtbot, tmp_path):
    store, meeting_id = large_meeting
    out = tmp_path / "stor.pdf"
    dialogs = Dialogs(save_answers=[out])
    generator = make_generator(store, window, dialogs)
    generator.pack(meeting_id, public=False)
    dialog = generator.progress_dialog
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=30_000)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Avbryt")
    cancel.click()
    wait_until_idle(qtbot, generator)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ny-")]
    assert not dialogs.messages("error") and not dialogs.messages("info")
    assert ("open", out) not in dialogs.calls


def test_a_second_pack_waits_for_the_first(large_meeting, window, qtbot, tmp_path):
    store, meeting_id = large_meeting
    dialogs = Dialogs(save_answers=[tmp_path / "a.pdf", tmp_path / "b.pdf"])
    generator = make_generator(store, window, dialogs)
    assert generator.pack(meeting_id, public=False)
    assert not generator.pack(meeting_id, public=False)
    assert dialogs.messages("info") == [BUSY]
    generator.shutdown()
    assert generator.running_task is None and not (tmp_path / "a.pdf").exists()


# --- sending out the kallelse --------------------------------------------------------------------------------------


def test_distribute_writes_the_list_and_public_drafts(demo, window, qtbot, tmp_path):
    meeting = meeting_of(demo, "utskott")
    for index, person in enumerate(demo.roster(meeting["organ_id"], meeting["datum"])):
        demo.update_person(person["id"], {"epost": f"person{person['id']}@example.se" if index < 3 else None})
    out = tmp_path / "sändlista.csv"
    dialogs = Dialogs(save_answers=[out])
    generator = make_generator(demo, window, dialogs)
    assert generator.distribute(meeting["id"])
    assert "lämnar bort 3 sekretessärenden (punkt 4–6)" in dialogs.messages("confirm")[0]
    qtbot.waitUntil(lambda: bool(dialogs.messages("info")), timeout=60_000)
    wait_until_idle(qtbot, generator)
    assert out.exists()
    folder = generator.last_written
    drafts = sorted(folder.glob("*.eml"))
    assert len(drafts) == 3 and ("open", folder) in dialogs.calls
    for draft in drafts:
        message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
        (attachment,) = message.iter_attachments()
        text = flat(" ".join(pdf_pages(attachment.get_content())))
        assert not any(title in text for title in SECRET_TITLES)
    info = dialogs.messages("info")[0]
    assert "3 e-postutkast" in info and "1 person får inget e-postutkast" in info
    assert "Eva Lindqvist (Ersättare, S) – Saknar e-post" in info


def test_distribute_without_a_roster_says_so(imported, window):
    store, meeting_id = imported
    dialogs = Dialogs()
    assert not make_generator(store, window, dialogs).distribute(meeting_id)
    assert "har inga ledamöter eller ersättare registrerade den 2023-02-22" in dialogs.messages("error")[0]
