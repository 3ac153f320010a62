"""Issue 13, after the meeting (the core): standard decision texts per nämnd, the justerare chosen at Val av
justerare, what ja and nej stood for in a vote (stored, printed, exchanged), the vote check agreeing with the print,
the draft protokoll, the anslagsbevis, the ärenden decided at justering, attendance from an ended mandate period
with the roles kept, the chair named once in the kallelse, and an address confirmed by a named person."""

import datetime as dt
import json

import pytest

from docs_helpers import docx_text, flat, pdf_pages, pdf_text
from nämndtool.demo import create_demo
from nämndtool.documents.branding import load_branding
from nämndtool.documents.kallelse import chair_name, kallelse_document
from nämndtool.documents.protokoll import (
    DRAFT_MARKING, attendance_lines, forsattsblad_document, protokoll_document,
)
from nämndtool.documents.service import render_bytes
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.exporter import export_meeting
from nämndtool.exchange.importer import import_meeting
from nämndtool.justering import missing_for_justering
from nämndtool.operations import protokoll, secrecy
from nämndtool.store import Store
from support import store_dump
from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

BRANDING = load_branding()


def pdf(document) -> bytes:
    return render_bytes(document, "pdf", BRANDING)


def ready_for_justering(store, meeting_id, justerare=("Anders Gölevik (C)",)):
    """The sample meeting's §§ made by the operation, attendance, header and a decision in every §."""
    protokoll.create_paragraphs(store, meeting_id)
    protokoll.save_protokoll_header(store, meeting_id, sekreterare="Madelene Sönnerfors",
                                    justering_plats="Socialförvaltningen", justering_datum="2023-03-01",
                                    forvaringsplats="Socialförvaltningen", justerare=list(justerare))
    protokoll.save_narvaro(store, meeting_id, [
        {"namn": "Martin Edgélius", "roll": "ordforande", "parti": "M", "tjanstgor": 1},
        {"namn": "Johanna Karlsson", "roll": "vice_ordforande", "parti": "S", "tjanstgor": 1},
        {"namn": "Anders Gölevik", "roll": "ledamot", "parti": "C", "tjanstgor": 1}])
    for p in store.protokoll(meeting_id)["paragrafer"]:
        if not p["beslut"]:
            protokoll.save_paragraf(store, p["id"], {"fields": {"rubrik": p["rubrik"]},
                                                     "beslut": [f"Punkt {p['dagordning_nr']} läggs till handlingarna."]})


# --- standard decision texts -------------------------------------------------------------------------------------


def test_new_paragraphs_of_standard_items_start_from_the_standard_texts(imported):
    store, meeting_id = imported
    protokoll.create_paragraphs(store, meeting_id)
    beslut = {p["rubrik"]: p["beslut"] for p in store.protokoll(meeting_id)["paragrafer"]}
    assert beslut["Upprop"] == ["Upprop förrättas och närvaron antecknas enligt förteckningen på protokollets "
                                "första sida."]
    assert beslut["Val av justerare"] == ["Socialnämnden utser … att jämte ordföranden justera dagens protokoll."]
    assert beslut["Fastställande av dagordning"] == ["Socialnämnden fastställer dagordningen."]
    assert beslut["Verksamhetsinformation"] == ["Socialnämnden tackar för informationen."]
    # an ärende's förslag till beslut still comes first
    assert beslut["Socialnämndens årsredovisning 2022"][0].startswith("Socialnämnden beslutar att godkänna")


def test_a_namnd_edits_its_standard_texts_and_new_paragraphs_follow(imported):
    store, meeting_id = imported
    namnd_id = store.meeting(meeting_id)["namnd_id"]
    texts = protokoll.standard_texts(store, namnd_id)
    assert [t["punkt"] for t in texts][:3] == ["Upprop", "Val av justerare", "Fastställande av dagordning"]
    mine = [{"punkt": "Upprop", "text": "Ordföranden förklarar sammanträdet öppnat; närvaron framgår av sidan 1."},
            {"punkt": "Val av justerare", "text": "{organ} utser {justerare} att justera protokollet."},
            {"punkt": "Verksamhetsinformation", "text": ""},
            {"punkt": "Anmälan av delegationsbeslut", "text": "{organ} godkänner redovisningen."}]
    stored = protokoll.save_standard_texts(store, namnd_id, mine)
    assert stored == mine and protokoll.standard_texts(store, namnd_id) == mine
    protokoll.save_protokoll_header(store, meeting_id, sekreterare=None, justering_plats=None, justering_datum=None,
                                    forvaringsplats=None, justerare=["Anders Gölevik (C)", "Johanna Karlsson (S)"])
    protokoll.create_paragraphs(store, meeting_id)
    beslut = {p["rubrik"]: p["beslut"] for p in store.protokoll(meeting_id)["paragrafer"]}
    assert beslut["Upprop"] == [mine[0]["text"]]
    assert beslut["Val av justerare"] == ["Socialnämnden utser Anders Gölevik (C) och Johanna Karlsson (S) att "
                                          "justera protokollet."]
    assert beslut["Verksamhetsinformation"] == []             # an empty text: none for that item
    assert beslut["Fastställande av dagordning"] == []        # not among the nämnd's texts any more
    # the change is in the audit trail with the OS user
    assert store.value("SELECT count(*) FROM andring WHERE tabell = 'standardtext' AND anvandare = ?",
                       (store.value("SELECT app_user()"),)) >= 4


def test_standard_texts_match_titles_with_a_tail_and_are_refused_when_doubled(store):
    texts = [{"punkt": "Anmälan av delegationsbeslut", "text": "A"}, {"punkt": "Meddelanden", "text": "M"}]
    assert protokoll.standard_text_for(texts, "Anmälan av delegationsbeslut SOCN 2018-03-21") == "A"
    assert protokoll.standard_text_for(texts, "meddelanden") == "M"
    assert protokoll.standard_text_for(texts, "Meddelanden om bygglov") == "M"
    assert protokoll.standard_text_for(texts, "Meddelandena") is None
    assert protokoll.is_val_av_justerare("Val av justerare och tid för justering")
    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    unchanged(store, lambda: protokoll.save_standard_texts(store, namnd_id, [
        {"punkt": "Upprop", "text": "x"}, {"punkt": " upprop ", "text": "y"}, {"punkt": "", "text": "z"}]),
        match="Upprop står två gånger")


# --- Val av justerare ------------------------------------------------------------------------------------------------


def test_the_justerare_chosen_at_val_av_justerare_go_into_the_header(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id, justerare=())
    p2 = next(p for p in store.protokoll(meeting_id)["paragrafer"] if p["rubrik"] == "Val av justerare")
    protokoll.save_paragraf(store, p2["id"], {
        "fields": {"rubrik": p2["rubrik"]}, "justerare": ["Anders Gölevik (C)"],
        "beslut": ["Socialnämnden utser Anders Gölevik (C) att jämte ordföranden justera dagens protokoll."]})
    assert store.protokoll(meeting_id)["justerare"] == ["Anders Gölevik (C)"]
    assert missing_for_justering(store.protokoll(meeting_id)) == []
    text = flat(pdf_text(pdf(protokoll_document(store, meeting_id, False))))
    assert "Utses att justera Anders Gölevik (C)" in text
    unchanged(store, lambda: protokoll.save_paragraf(store, p2["id"], {
        "fields": {"rubrik": p2["rubrik"]}, "justerare": ["Anders Gölevik (C)", "Anders Gölevik (C)"]}),
        match="Samma justerare står två gånger")

    # changed in the header, the decision follows while it reads as the standard text made it …
    header = {"sekreterare": "Madelene Sönnerfors", "justering_plats": "Socialförvaltningen",
              "justering_datum": "2023-03-01", "forvaringsplats": "Socialförvaltningen"}
    protokoll.save_protokoll_header(store, meeting_id, **header, justerare=["Anders Gölevik (C)", "Johanna Karlsson (S)"])
    assert store.paragraf(p2["id"])["beslut"] == [
        "Socialnämnden utser Anders Gölevik (C) och Johanna Karlsson (S) att jämte ordföranden justera dagens protokoll."]
    # … and not once it has been written otherwise
    protokoll.save_paragraf(store, p2["id"], {"fields": {"rubrik": p2["rubrik"]},
                                              "beslut": ["Anders Gölevik (C) justerar i dag kl. 16."]})
    protokoll.save_protokoll_header(store, meeting_id, **header, justerare=["Wahid Moosawi (M)"])
    assert store.paragraf(p2["id"])["beslut"] == ["Anders Gölevik (C) justerar i dag kl. 16."]


# --- votes -----------------------------------------------------------------------------------------------------------


def _vote(store, meeting_id, nr, **fields):
    p = store.paragraf_by_number(meeting_id, nr)
    protokoll.save_paragraf(store, p["id"], {"fields": {"rubrik": p["rubrik"], **fields},
                                             "yrkanden": [{"av": "Wahid Moosawi (M)", "text": "bifall"},
                                                          {"av": "Anders Gölevik (C)", "text": "avslag"}]})
    return store.paragraf_by_number(meeting_id, nr)


def test_counts_without_votes_per_person_are_a_result_and_the_print_says_the_same(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    _vote(store, meeting_id, 6, votering_ja=6, votering_nej=3, votering_avstar=0,
          propositionsordning="Ordföranden ställer proposition och finner bifall.",
          proposition_ja="bifall till ordförandens förslag", proposition_nej="bifall till Anders Göleviks (C) yrkande")
    assert missing_for_justering(store.protokoll(meeting_id)) == []
    text = flat(pdf_text(pdf(protokoll_document(store, meeting_id, False))))
    assert ("Omröstning begärs och verkställs. Voteringsproposition: ja-röst för bifall till ordförandens förslag, "
            "nej-röst för bifall till Anders Göleviks (C) yrkande.") in text
    assert "Omröstningen utfaller med 6 ja-röster mot 3 nej-röster; 0 avstår." in text
    assert ("Socialnämnden har därmed beslutat enligt ja-propositionen, bifall till ordförandens förslag.") in text

    # counts alone, no proposition, no result written: still a complete record, printed as such
    _vote(store, meeting_id, 7, votering_ja=5, votering_nej=4, propositionsordning="Proposition på yrkandena.")
    assert missing_for_justering(store.protokoll(meeting_id)) == []
    assert "Omröstningen utfaller med 5 ja-röster mot 4 nej-röster; 0 avstår." in flat(
        pdf_text(pdf(protokoll_document(store, meeting_id, False))))

    # a tie needs the result written out (the chair's casting vote)
    _vote(store, meeting_id, 8, votering_ja=4, votering_nej=4, propositionsordning="Proposition på yrkandena.")
    p8 = store.paragraf_by_number(meeting_id, 8)
    assert missing_for_justering(store.protokoll(meeting_id)) == [
        f"§ 8 {p8['rubrik']}: omröstningen slutade lika (4–4); skriv resultatet (ordförandens utslagsröst)."]
    _vote(store, meeting_id, 8, votering_ja=4, votering_nej=4, propositionsordning="Proposition på yrkandena.",
          votering_resultat="Ordföranden använder sin utslagsröst för ja-propositionen.")
    assert missing_for_justering(store.protokoll(meeting_id)) == []


def test_the_proposition_goes_through_the_exchange_format_and_back(imported, tmp_path):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    _vote(store, meeting_id, 6, votering_ja=6, votering_nej=3, propositionsordning="Proposition.",
          proposition_ja="bifall till ordförandens förslag", proposition_nej="avslag")
    out = tmp_path / "ut" / "meeting.json"
    text, _ = export_meeting(store, meeting_id, out, public=False)
    data = json.loads(text)
    p6 = next(p for p in data["protokoll"]["paragrafer"] if p["nr"] == 6)
    assert p6["omrostning"]["proposition"] == {"ja": "bifall till ordförandens förslag", "nej": "avslag"}
    assert next(p for p in data["protokoll"]["paragrafer"] if p["nr"] == 5)["omrostning"] is None
    assert {"namn": "Johanna Karlsson", "roll": "vice_ordforande"}.items() <= next(
        n for n in data["protokoll"]["narvaro"] if n["namn"] == "Johanna Karlsson").items()
    with Store.open(tmp_path / "andra.sqlite") as other:
        copied = import_meeting(other, out).meeting_id
        again = other.paragraf_by_number(copied, 6)
        assert (again["proposition_ja"], again["proposition_nej"]) == ("bifall till ordförandens förslag", "avslag")
        assert [n["roll"] for n in other.protokoll(copied)["narvaro"]][:2] == ["ordforande", "vice_ordforande"]
        assert export_meeting(other, copied, None, public=False)[0] == text


# --- the draft, the anslagsbevis ---------------------------------------------------------------------------------------


def test_a_protokoll_before_justering_is_a_draft_on_every_page_and_the_kept_one_is_not(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    for public in (True, False):
        pages = pdf_pages(pdf(protokoll_document(store, meeting_id, public)))
        assert len(pages) > 2 and all(DRAFT_MARKING in page for page in pages)   # §§ run on (issue 14): several pages, each marked
        front = flat(pages[0])
        for role in ("Martin Edgélius (M), ordförande", "Johanna Karlsson (S), vice ordförande",
                     "Anders Gölevik (C), ledamot"):
            assert role in front
        word = docx_text(render_bytes(protokoll_document(store, meeting_id, public), "docx", BRANDING))
        assert DRAFT_MARKING in word and "Utkast – protokollet är inte justerat." in word
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1), BRANDING)
    kept = store.file_path(store.protokoll(meeting_id)["justerad_pdf_sha256"]).read_bytes()
    assert DRAFT_MARKING not in pdf_text(kept) and "Utkast" not in pdf_text(kept)
    assert DRAFT_MARKING not in pdf_text(pdf(protokoll_document(store, meeting_id, True)))


def test_the_anslagsbevis_has_lines_to_fill_until_the_anslag_is_recorded_then_its_dates(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1), BRANDING)
    kept = flat(pdf_text(store.file_path(store.protokoll(meeting_id)["justerad_pdf_sha256"]).read_bytes()))
    bevis = kept[kept.index("Anslagsbevis"):]
    assert "Datum då anslaget sätts upp ………" in bevis and "Datum då anslaget tas ned ………" in bevis
    protokoll.record_anslag(store, meeting_id, dt.date(2023, 3, 2))
    later = flat(pdf_text(pdf(protokoll_document(store, meeting_id, True))))
    bevis = later[later.index("Anslagsbevis"):]
    assert "Datum då anslaget sätts upp 2023-03-02" in bevis and "Datum då anslaget tas ned 2023-03-24" in bevis


# --- the ärenden are decided at justering ---------------------------------------------------------------------------


def test_justering_moves_the_agenda_arenden_to_beslutat_in_the_same_transaction(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    on_agenda = sorted({i["arende_id"] for i in store.agenda(meeting_id) if i["arende_id"]})
    closed = on_agenda[0]
    store.execute("UPDATE arende SET status = 'avslutat', avslutad = '2023-02-23', avslutad_av = 'x' WHERE id = ?",
                  (closed,))
    # a refused justering changes nothing, not the ärenden either
    unchanged(store, lambda: protokoll.justera(store, meeting_id, dt.date(2023, 2, 1), BRANDING),
              match="före sammanträdet")
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1), BRANDING)
    status = {a: store.arende(a)["status"] for a in on_agenda}
    assert status.pop(closed) == "avslutat"
    assert set(status.values()) == {"beslutat"}
    logged = store.value("SELECT count(*) FROM andring WHERE tabell = 'arende' AND efter LIKE '%\"beslutat\"%'")
    assert logged == len(status)
    # what the meeting decided on keeps the status the ärende had before the decision
    assert store.arende_as_decided(meeting_id, on_agenda[1])["status"] != "beslutat"


# --- attendance from the roster ------------------------------------------------------------------------------------


def test_attendance_from_an_ended_mandate_period_with_roles_and_a_warning(store):
    create_demo(store)
    held = next(m for m in store.meetings() if m["datum"] == "2023-02-22")
    organ_id = held["organ_id"]
    found = protokoll.attendance_from_roster(store, held["id"])
    assert found.warning is None
    roles = {r["namn"]: r["roll"] for r in found.rows}
    assert roles["Martin Edgélius"] == "ordforande" and roles["Johanna Karlsson"] == "vice_ordforande"
    assert roles["Anders Gölevik"] == "ledamot" and roles["Eva Lindqvist"] == "ersattare"

    after = store.save_meeting(organ_id, "2027-01-20", {"plats": "Solrosen"})
    assert store.roster(organ_id, "2027-01-20") == []
    found = protokoll.attendance_from_roster(store, after)
    assert found.rows[0]["namn"] == "Martin Edgélius" and found.rows[0]["roll"] == "ordforande"
    assert {r["namn"]: r["roll"] for r in found.rows}["Johanna Karlsson"] == "vice_ordforande"
    assert "mandatperioden i listan slutade 2026-12-31" in found.warning
    assert "lägg in den nya mandatperioden under Personer och mottagare" in found.warning
    protokoll.save_narvaro(store, after, found.rows)
    serving, others = attendance_lines(store.protokoll(after)["narvaro"])
    assert "Martin Edgélius (M), ordförande" in serving and "Johanna Karlsson (S), vice ordförande" in serving
    assert "Anders Gölevik (C), ledamot" in serving and "Eva Lindqvist (S), ersättare" in others

    before_any = store.save_meeting(store.ensure_organ(store.the_namnd()["id"], "Ett nytt utskott"), "2027-02-01", {})
    assert protokoll.attendance_from_roster(store, before_any).rows == []


# --- the kallelse names the chair once --------------------------------------------------------------------------


def test_the_kallelse_prints_the_chair_once(store):
    create_demo(store)
    held = next(m for m in store.meetings() if m["datum"] == "2023-02-22")
    chair = store.ensure_chair("Martin Edgélius (M), ordförande")   # as the meeting dialog's list showed it
    store.save_meeting(held["organ_id"], held["datum"], {"ordforande_id": chair})
    text = flat(pdf_text(pdf(kallelse_document(store, held["id"], True))))
    assert "Martin Edgélius (M) Ordförande" in text and "ordförande" not in text.replace("Ordförande", "")
    assert chair_name("Martin Edgélius (M), ordförande", "M") == "Martin Edgélius (M)"
    assert chair_name("Martin Edgélius", "M") == "Martin Edgélius (M)"
    assert chair_name("Johanna Karlsson (S), vice ordförande", None) == "Johanna Karlsson (S)"
    assert chair_name("Marie-Louise Karlsson", None) == "Marie-Louise Karlsson"


# --- an address confirmed by a named person -------------------------------------------------------------------


def test_an_address_is_confirmed_by_a_named_person_and_the_os_login_stays_in_the_trail(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    p4 = store.paragraf_by_number(meeting_id, 4)
    family = store.ensure_recipient("Vårdnadshavare 1", "Storgatan 12 B, 641 30 Katrineholm", None)
    nobody = store.ensure_recipient("Vårdnadshavare 2", None, None)
    protokoll.save_paragraf(store, p4["id"], {"fields": {"rubrik": p4["rubrik"], "berord": "Barn född 2015"},
                                              "mottagare": [{"mottagare_id": family}, {"mottagare_id": nobody}]})
    unchanged(store, lambda: secrecy.confirm_recipient_address(store, p4["id"], nobody, by="Sara Gibro"),
              match="saknar postadress")
    secrecy.confirm_recipient_address(store, p4["id"], family, by="Sara Gibro", on=dt.date(2023, 2, 23))
    confirmed = store.paragraf(p4["id"])["mottagare"][0]
    assert (confirmed["bekraftad_av"], confirmed["bekraftad_datum"]) == ("Sara Gibro", "2023-02-23")
    trail = store.row("SELECT anvandare, efter FROM andring WHERE tabell = 'paragraf_mottagare' ORDER BY id DESC")
    assert trail["anvandare"] == store.value("SELECT app_user()") and "Sara Gibro" in trail["efter"]
    sheet = flat(pdf_text(pdf(forsattsblad_document(store, meeting_id, 4, "Vårdnadshavare 1"))))
    assert "Adressen bekräftad av Sara Gibro 2023-02-23" in sheet
    with pytest.raises(NamndtoolError, match="person"):
        secrecy.confirm_recipient_address(store, p4["id"], family, by="import")
    assert store_dump(store)   # the store is still readable after the refusal
