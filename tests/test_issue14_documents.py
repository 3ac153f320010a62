"""Issue 14, point 1, what the documents say: the förvaltning's own "…s förslag till beslut", no empty header row
for a Markdown table typed without one, a protokoll whose §§ run on (a secret § in the public version a few lines)
with a "Justerandes signatur" box on every page, headers that name the nämnd and the kommun, and an utdrag with an
Utdragsbestyrkande whose date the secretary chooses, marked "Ej justerat" while the protokoll is not justerat.

Each is read back from the rendered PDF (pypdf) and, for the page furniture the renderers draw, from the document
model the renderers are given."""

import datetime as dt

import pytest

from docs_helpers import flat, pdf_pages, pdf_text
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import kallelse_document
from nämndtool.documents.model import Heading, PageBreak, Table, plain
from nämndtool.documents.protokoll import (
    forsattsblad_document, justera, protokoll_document, utdrag_document,
)
from nämndtool.documents.registry import diary_extract_document
from nämndtool.documents.service import render_bytes, render_preview
from nämndtool.documents.tjansteskrivelse import build_tjansteskrivelse, tjansteskrivelse_document
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store
from support import run_cli

BRANDING = load_branding()
JUSTERAD = dt.date(2023, 3, 1)
SEKRETERARE = "Madelene Sönnerfors"


def _pdf(document) -> str:
    """The PDF as written; a document built from plain values (no store to check it against) as the editor's
    preview shows it."""
    render = render_bytes if document.scope is not None else render_preview
    return flat(pdf_text(render(document, "pdf", BRANDING)))


def _headings(document) -> list[str]:
    return [plain(b.text) for b in document.blocks if isinstance(b, Heading)]


def _header_lines(document) -> list[str]:
    return [plain(line) for line in document.header.lines]


def _ready_for_justering(store, meeting_id) -> None:
    """The §§, a sekreterare, a justerare, the chair present and a decision in every §: what KL 5 kap. 67 § needs."""
    store.create_paragraphs(meeting_id)
    store.save_protokoll_header(meeting_id, sekreterare=SEKRETERARE, justering_plats="Socialförvaltningen",
                                justering_datum=JUSTERAD.isoformat(), forvaringsplats="Socialförvaltningen",
                                justerare=["Anders Gölevik (C)"])
    store.save_narvaro(meeting_id, [
        {"namn": "Martin Edgélius", "roll": "ordforande", "parti": "M", "tjanstgor": 1},
        {"namn": "Anders Gölevik", "roll": "ledamot", "parti": "C", "tjanstgor": 1},
        {"namn": SEKRETERARE, "roll": "tjansteperson", "titel": "Nämndsekreterare"},
    ])
    for p in store.protokoll(meeting_id)["paragrafer"]:
        if not p["beslut"]:
            store.save_paragraf(p["id"], {}, beslut=["Socialnämnden lägger informationen till handlingarna."])


# --- tjänsteskrivelse -------------------------------------------------------------------------------------------


def test_the_forslag_heading_names_the_forvaltning_of_the_tjansteskrivelse(imported):
    store, _ = imported
    arende = store.arende_by_number(parse("SOCN/2023:16"))
    document = tjansteskrivelse_document(store, arende["id"], BRANDING).document
    assert "Socialförvaltningens förslag till beslut" in _headings(document)
    assert "Socialförvaltningens förslag till beslut 1. Socialnämnden beslutar att anta" in _pdf(document)
    assert "Förvaltningens förslag till beslut" not in _pdf(document)


def test_the_genitive_adds_no_s_after_s_x_or_z_and_the_default_is_only_for_no_forvaltning():
    assert BRANDING.forslag_heading("Kommunledningsförvaltningen") == "Kommunledningsförvaltningens förslag till beslut"
    assert BRANDING.forslag_heading("Stadskontoret Borås") == "Stadskontoret Borås förslag till beslut"
    assert BRANDING.forslag_heading("Kansli X") == "Kansli X förslag till beslut"
    assert BRANDING.forslag_heading(None) == BRANDING.forslag_heading("  ") == "Förvaltningens förslag till beslut"


def _plain_tjansteskrivelse(sammanfattning: str, forvaltning: str | None = None):
    arende = {"diarienummer": None, "klassificering": None, "rubrik": "Prov", "sekretess": 0,
              "sekretess_lagrum": None}
    ts = {"forvaltning": forvaltning, "enhet": None, "datum": None, "ert_datum": None, "er_beteckning": None,
          "mottagare": None, "handlaggare": None, "rubrik": "Prov", "forslag": ["Nämnden beslutar att anta planen."],
          "sammanfattning": sammanfattning, "handlingar": [], "avsnitt": [], "undertecknare": [],
          "beslutet_skickas_till": []}
    return build_tjansteskrivelse(arende, ts, namnd_forvaltning=None, bilagor=[], branding=BRANDING).document


def test_without_a_forvaltning_the_heading_is_forvaltningens():
    document = _plain_tjansteskrivelse("Text.")
    assert "Förvaltningens förslag till beslut" in _headings(document)
    assert "Förvaltningens förslag till beslut Nämnden beslutar att anta planen." in _pdf(document)


def test_the_kanslis_own_heading_for_a_forvaltning_still_wins(imported, tmp_path):
    store, _ = imported
    own = tmp_path / "branding.toml"
    own.write_text('[text]\nforslag_rubrik."Socialförvaltningen" = "Förvaltningens förslag till beslut"\n',
                   encoding="utf-8")
    arende = store.arende_by_number(parse("SOCN/2023:16"))
    document = tjansteskrivelse_document(store, arende["id"], load_branding(own)).document
    assert "Förvaltningens förslag till beslut" in _headings(document)
    assert "Socialförvaltningens förslag" not in _pdf(document)


def test_a_markdown_table_without_a_header_has_no_header_row():
    document = _plain_tjansteskrivelse("| | |\n|---|---|\n| Kvartal 1 | 12 |\n| Kvartal 2 | 9 |\n\n"
                                       "| Kvartal | Antal |\n|---|---|\n| Kvartal 3 | 7 |", "Socialförvaltningen")
    headless, headed = [b for b in document.blocks if isinstance(b, Table)]
    assert headless.header is None
    assert [[plain(c) for c in row] for row in headless.rows] == [["Kvartal 1", "12"], ["Kvartal 2", "9"]]
    assert [plain(c) for c in headed.header] == ["Kvartal", "Antal"]
    text = _pdf(document)
    assert "Kvartal 1 12 Kvartal 2 9 Kvartal Antal Kvartal 3 7" in text


# --- protokoll --------------------------------------------------------------------------------------------------


def _long_meeting(store: Store) -> int:
    """27 items, 14 of them secret, as the meeting the issue was found with."""
    namnd_id = store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen",
                                kommun="Katrineholms kommun")
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = store.save_meeting(organ_id, "2024-05-15", {"plats": "Solrosen", "tid": "13:00"})
    secret = range(5, 19)   # stand-alone items, as the anmälningar that concern one person
    arenden = {nr: store.register_arende(namnd_id, f"Ärende nummer {nr}", today=dt.date(2024, 5, 1))["id"]
               for nr in range(1, 28) if nr not in secret}
    store.save_agenda(meeting_id, [
        {"nr": nr, "rubrik": f"Ärende nummer {nr}", "typ": "standard", "sekretess": 1,
         "sekretess_lagrum": "26 kap. 1 § OSL"} if nr in secret else
        {"nr": nr, "rubrik": f"Ärende nummer {nr}", "typ": "arende", "arende_id": arenden[nr], "sekretess": 0}
        for nr in range(1, 28)])
    store.create_paragraphs(meeting_id)
    for p in store.protokoll(meeting_id)["paragrafer"]:
        store.save_paragraf(p["id"], {}, beslut=[f"Socialnämnden beslutar i ärende {p['nr']}."])
    return meeting_id


def test_paragrafer_run_on_and_a_secret_paragraph_takes_a_few_lines(tmp_path):
    with Store.open(tmp_path / "s.sqlite") as store:
        meeting_id = _long_meeting(store)
        document = protokoll_document(store, meeting_id, public=True)
        pages = pdf_pages(render_bytes(document, "pdf", BRANDING))
    assert sum(isinstance(b, PageBreak) for b in document.blocks) == 1   # the front page, then the §§ run on
    assert len(pages) <= 4, len(pages)                                   # one page per § gave 29
    text = flat(" ".join(pages))
    for nr in range(5, 19):
        assert f"§ {nr} Sekretessärende Sekretess enligt 26 kap. 1 § OSL." in text
    assert "§ 4 Ärende nummer 4 " in text and "§ 19 Ärende nummer 19 " in text
    assert "Ärende nummer 5 " not in text and "Anslagsbevis" in text
    # the 14 secret §§ share their pages with each other and with the public §§ around them
    with_secret = [flat(p) for p in pages if "Sekretessärende" in p]
    assert len(with_secret) <= 2
    assert "§ 4 Ärende nummer 4" in with_secret[0] and "§ 19 Ärende nummer 19" in with_secret[-1]


def test_every_protokoll_carries_the_justerandes_signatur_box_and_names_nämnd_and_kommun(imported):
    store, meeting_id = imported
    _ready_for_justering(store, meeting_id)
    store.save_paragraf(store.paragraf_by_number(meeting_id, 11)["id"], {"omedelbart_justerad": 1})
    for document in (protokoll_document(store, meeting_id, public=True),
                     protokoll_document(store, meeting_id, public=False),
                     protokoll_document(store, meeting_id, public=True, only_omedelbara=True)):
        assert document.header.signature_box == "Justerandes signatur"
        assert _header_lines(document) == ["Socialnämnden", "Katrineholms kommun"]
    pages = pdf_pages(render_bytes(protokoll_document(store, meeting_id, public=True), "pdf", BRANDING))
    assert len(pages) > 1
    for page in pages:
        assert "Socialnämnden Katrineholms kommun" in flat(page)
        assert "Socialnämnden Socialnämnden" not in flat(page)


def test_headers_name_the_nämnd_on_line_1_and_the_kommun_on_line_2(imported):
    store, meeting_id = imported
    _ready_for_justering(store, meeting_id)
    p4 = store.paragraf_by_number(meeting_id, 4)
    family = store.ensure_recipient("Vårdnadshavare 1", "Storgatan 12 B, 641 30 Katrineholm", None)
    store.save_paragraf(p4["id"], {}, mottagare=[{"mottagare_id": family}])
    namnd_id = store.the_namnd()["id"]
    documents = {
        "kallelse": kallelse_document(store, meeting_id, public=True),
        "protokoll": protokoll_document(store, meeting_id, public=True),
        "utdrag": utdrag_document(store, meeting_id, 5, "Kommunstyrelsen"),
        "försättsblad": forsattsblad_document(store, meeting_id, 4, "Vårdnadshavare 1"),
        "diarieutdrag": diary_extract_document(store, namnd_id, "2023-01-01", "2023-12-31", public=True),
    }
    for name, document in documents.items():
        assert _header_lines(document) == ["Socialnämnden", "Katrineholms kommun"], name
        first_page = flat(pdf_pages(render_bytes(document, "pdf", BRANDING))[0])
        assert "Socialnämnden Katrineholms kommun" in first_page, name


# --- utdrag -----------------------------------------------------------------------------------------------------


def test_an_utdrag_before_justering_is_marked_ej_justerat_and_not_bestyrkt(imported):
    store, meeting_id = imported
    _ready_for_justering(store, meeting_id)
    document = utdrag_document(store, meeting_id, 5, "Kommunstyrelsen", bestyrkt_datum=dt.date(2023, 2, 23))
    assert document.header.notice == "Ej justerat"
    text = _pdf(document)
    assert ("Utdragsbestyrkande Protokollet är inte justerat. Utdraget kan bestyrkas först när protokollet har "
            "justerats.") in text
    assert "Utdraget bestyrks" not in text and "2023-02-23" not in text
    assert dt.date.today().isoformat() not in text


def test_a_justerat_utdrag_needs_the_chosen_date_and_prints_the_bestyrkande(imported):
    store, meeting_id = imported
    _ready_for_justering(store, meeting_id)
    justera(store, meeting_id, JUSTERAD, BRANDING)
    with pytest.raises(NamndtoolError, match="ange vilket datum utdraget bestyrks"):
        utdrag_document(store, meeting_id, 5, "Kommunstyrelsen")
    with pytest.raises(NamndtoolError, match="före justeringen 2023-03-01"):
        utdrag_document(store, meeting_id, 5, "Kommunstyrelsen", bestyrkt_datum=dt.date(2023, 2, 28))
    with pytest.raises(NamndtoolError, match="ligger i framtiden"):
        utdrag_document(store, meeting_id, 5, "Kommunstyrelsen", bestyrkt_datum=dt.date(2023, 3, 9),
                        today=dt.date(2023, 3, 8))
    document = utdrag_document(store, meeting_id, 5, "Kommunstyrelsen", bestyrkt_datum=dt.date(2023, 3, 6))
    assert document.header.notice is None
    text = _pdf(document)
    assert ("Utdragsbestyrkande Utdraget bestyrks Datum 2023-03-06 "
            f"{SEKRETERARE} Nämndsekreterare") in text.replace("_", "").replace(" .", "")
    assert "Ej justerat" not in text and "kan bestyrkas först" not in text


def test_an_omedelbart_justerad_paragraph_is_bestyrkt_with_the_chosen_date(imported):
    store, meeting_id = imported
    _ready_for_justering(store, meeting_id)
    store.save_paragraf(store.paragraf_by_number(meeting_id, 11)["id"], {"omedelbart_justerad": 1})
    with pytest.raises(NamndtoolError, match="ange vilket datum utdraget bestyrks"):
        utdrag_document(store, meeting_id, 11, None)
    document = utdrag_document(store, meeting_id, 11, None, bestyrkt_datum=dt.date(2023, 2, 22))
    assert document.header.notice is None and "Utdraget bestyrks Datum 2023-02-22" in _pdf(document)
    assert utdrag_document(store, meeting_id, 5, None).header.notice == "Ej justerat"


def test_the_command_line_asks_for_the_bestyrkt_datum_of_a_justerat_protokoll(tmp_path):
    from support import SAMPLE_JSON
    db = tmp_path / "r.sqlite"
    assert run_cli("import", str(SAMPLE_JSON), db=db).returncode == 0
    with Store.open(db) as store:
        meeting_id = store.meetings()[0]["id"]
        _ready_for_justering(store, meeting_id)
    out = tmp_path / "u.pdf"
    args = ("render", "utdrag", "--meeting", str(meeting_id), "--paragraph", "5", "--recipient", "Kommunstyrelsen",
            "--format", "pdf", "--out", str(out))
    before = run_cli(*args, db=db)
    assert before.returncode == 0, before.stderr
    assert "utdraget är märkt Ej justerat" in before.stderr
    assert "kan bestyrkas först" in flat(pdf_text(out.read_bytes()))
    assert run_cli("protokoll", "justera", "--meeting", str(meeting_id), "--date", "2023-03-01", db=db).returncode == 0
    out.unlink()
    missing = run_cli(*args, db=db)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("Fel: Protokollet är justerat: ange vilket datum utdraget bestyrks med "
                                     "--bestyrkt-datum ÅÅÅÅ-MM-DD."), missing.stderr
    malformed = run_cli(*args, "--bestyrkt-datum", "6 mars", db=db)
    assert malformed.returncode == 1 and '"6 mars" är inget datum' in malformed.stderr
    assert "--bestyrkt-datum" in malformed.stderr and not out.exists()
    early = run_cli(*args, "--bestyrkt-datum", "2023-02-27", db=db)
    assert early.returncode == 1 and "före justeringen 2023-03-01" in early.stderr and not out.exists()
    assert run_cli(*args, "--bestyrkt-datum", "2023-03-06", db=db).returncode == 0
    assert "Utdragsbestyrkande Utdraget bestyrks Datum 2023-03-06" in flat(pdf_text(out.read_bytes()))
