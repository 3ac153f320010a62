"""The protokoll: § numbering, attendance, the KL check before justering, the lock, anslag dates, utdrag."""

import datetime as dt

import pytest

from docs_helpers import flat, pdf_text
from support import bypass, refused_by_database, store_dump
from nämndtool.documents.branding import load_branding
from nämndtool.documents.protokoll import (
    attendance_lines, forsattsblad_document, justera, mark_klar_for_justering, protokoll_document, utdrag_document,
)
from nämndtool.documents.service import render_bytes
from nämndtool.errors import NamndtoolError
from nämndtool.justering import deadline_warnings, deadlines, justering_deadline_text, missing_for_justering

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


def _meeting(store, organ_id, datum, titles):
    meeting_id = store.save_meeting(organ_id, datum, {"plats": "Solrosen", "tid": "13:00"})
    store.save_agenda(meeting_id, [{"nr": n, "rubrik": t, "typ": "standard", "sekretess": 0}
                                   for n, t in enumerate(titles, 1)])
    return meeting_id


def _numbers(store, meeting_id):
    return [p["nr"] for p in store.protokoll(meeting_id)["paragrafer"]]


def test_paragraphs_number_through_the_year_per_organ(imported):
    store, first = imported
    namnd_id = store.the_namnd()["id"]
    organ_id = store.meeting(first)["organ_id"]
    utskott = store.ensure_organ(namnd_id, "Socialnämndens individutskott")
    store.create_paragraphs(first)
    assert _numbers(store, first) == list(range(1, 16))
    march = _meeting(store, organ_id, "2023-03-22", ["Upprop", "Val av justerare", "Budget"])
    store.create_paragraphs(march)
    assert _numbers(store, march) == [16, 17, 18]
    own_series = _meeting(store, utskott, "2023-03-01", ["Upprop", "Placering"])
    store.create_paragraphs(own_series)
    assert _numbers(store, own_series) == [1, 2]
    next_year = _meeting(store, organ_id, "2024-01-24", ["Upprop"])
    store.create_paragraphs(next_year)
    assert _numbers(store, next_year) == [1]
    store.create_paragraphs(march)   # nothing new: every item already has its §
    assert _numbers(store, march) == [16, 17, 18]


def test_a_meeting_before_one_with_paragraphs_is_refused(imported):
    store, first = imported
    organ_id = store.meeting(first)["organ_id"]
    later = _meeting(store, organ_id, "2023-05-10", ["Upprop"])
    store.create_paragraphs(later)
    with pytest.raises(NamndtoolError, match="datumordning"):
        store.create_paragraphs(first)


def test_paragraph_prefilled_from_the_tjansteskrivelse(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    p5 = store.paragraf_by_number(meeting_id, 5)
    assert p5["diarienummer"] == "SOCN/2023:17"
    assert p5["beslut"][0].startswith("Socialnämnden beslutar att godkänna socialförvaltningens årsredovisning")
    assert [m["namn"] for m in p5["mottagare"]] == ["Kommunstyrelsen", "akten"]
    assert store.paragraf_by_number(meeting_id, 4)["sekretess"] == 1


def _complete(store, meeting_id):
    store.save_protokoll_header(meeting_id, sekreterare="Madelene Sönnerfors", justering_plats="Socialförvaltningen",
                                justering_datum="2023-03-01", forvaringsplats="Socialförvaltningen",
                                justerare=["Anders Gölevik (C)"])
    store.save_narvaro(meeting_id, [
        {"namn": "Martin Edgélius", "roll": "ordforande", "parti": "M", "tjanstgor": 1},
        {"namn": "Johanna Karlsson", "roll": "ledamot", "parti": "S", "forhinder": 1},
        {"namn": "Eva Lindqvist", "roll": "ersattare", "parti": "S", "tjanstgor": 1, "ersatter": "Johanna Karlsson"},
        {"namn": "Anders Gölevik", "roll": "ledamot", "parti": "C", "tjanstgor": 1, "till_paragraf": 11},
        {"namn": "Jonas Sjöberg", "roll": "ersattare", "parti": "M"},
        {"namn": "Marie Lundqvist", "roll": "tjansteperson", "titel": "T.f. förvaltningschef"},
    ])
    for p in store.protokoll(meeting_id)["paragrafer"]:
        if not p["beslut"]:
            store.save_paragraf(p["id"], {}, beslut=[f"Socialnämnden lägger punkt {p['dagordning_nr']} till handlingarna."])


def test_attendance_lines_name_serving_ersattare_and_changes():
    beslutande, ovriga = attendance_lines([
        {"namn": "Martin Edgélius", "roll": "ordforande", "parti": "M", "tjanstgor": 1, "forhinder": 0,
         "ersatter": None},
        {"namn": "Johanna Karlsson", "roll": "ledamot", "parti": "S", "tjanstgor": 0, "forhinder": 1, "ersatter": None},
        {"namn": "Eva Lindqvist", "roll": "ersattare", "parti": "S", "tjanstgor": 1, "forhinder": 0,
         "ersatter": "Johanna Karlsson"},
        {"namn": "Anders Gölevik", "roll": "ledamot", "parti": "C", "tjanstgor": 1, "forhinder": 0, "ersatter": None,
         "till_paragraf": 11},
        {"namn": "Jonas Sjöberg", "roll": "ersattare", "parti": "M", "tjanstgor": 0, "forhinder": 0, "ersatter": None},
        {"namn": "Marie Lundqvist", "roll": "tjansteperson", "titel": "T.f. förvaltningschef", "tjanstgor": 0,
         "forhinder": 0, "ersatter": None},
    ])
    assert beslutande == ["Martin Edgélius (M), ordförande",
                          "Eva Lindqvist (S), tjänstgörande ersättare för Johanna Karlsson",
                          "Anders Gölevik (C), ledamot (till och med § 11)"]
    assert ovriga == ["Jonas Sjöberg (M), ersättare", "Marie Lundqvist, T.f. förvaltningschef"]


def test_the_check_before_justering_finds_each_missing_element(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    missing = missing_for_justering(store.protokoll(meeting_id))
    assert "Närvaron är inte ifylld." in missing and "Ingen justerare är utsedd." in missing
    assert any(m.startswith("§ 1 Upprop: beslutstext saknas") for m in missing)
    _complete(store, meeting_id)
    assert missing_for_justering(store.protokoll(meeting_id)) == []
    p = store.paragraf_by_number(meeting_id, 6)
    store.save_paragraf(p["id"], {"votering_ja": 6, "votering_nej": 3}, yrkanden=[
        {"av": "Wahid Moosawi (M)", "text": "bifall till förvaltningens förslag"},
        {"av": "Anders Gölevik (C)", "text": "avslag"}])
    missing = missing_for_justering(store.protokoll(meeting_id))
    assert not any("§ 6" in m and "omröstningen" in m for m in missing)   # the counts are the result (issue 13)
    assert any("§ 6" in m and "propositionsordning" in m for m in missing)
    p7 = store.paragraf_by_number(meeting_id, 7)
    store.save_paragraf(p7["id"], {}, beslut=[], yrkanden=[{"av": "Anders Gölevik (C)", "text": "återremiss"}])
    assert any("§ 7" in m and "yrkanden finns men inget beslut" in m
               for m in missing_for_justering(store.protokoll(meeting_id)))
    with pytest.raises(NamndtoolError, match="inte klart för justering"):
        mark_klar_for_justering(store, meeting_id)
    assert not store.protokoll(meeting_id)["klar_for_justering"]


def test_a_justerat_protokoll_cannot_change(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    sha = justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    protokoll = store.protokoll(meeting_id)
    assert protokoll["justerad"] == "2023-03-01" and protokoll["justerad_pdf_sha256"] == sha
    assert store.file_path(sha).read_bytes().startswith(b"%PDF")
    p = protokoll["paragrafer"][4]
    with pytest.raises(NamndtoolError, match="justerat"):
        store.save_paragraf(p["id"], {}, beslut=["Ändrat beslut"])
    with pytest.raises(NamndtoolError, match="justerat"):
        store.save_narvaro(meeting_id, [])
    for sql in ("UPDATE beslut SET text = 'x'", "DELETE FROM narvaro", "UPDATE paragraf SET rubrik = 'x'",
                "DELETE FROM dagordningspunkt", "UPDATE protokoll SET justerad = NULL, justerad_pdf_sha256 = NULL",
                "UPDATE sammantrade SET plats = 'Annan'", "INSERT INTO jav VALUES (%d, 'X')" % p["id"]):
        with pytest.raises(refused_by_database(), match="justerat|har en paragraf i protokollet"):
            bypass(store, sql)
    assert store.protokoll(meeting_id)["paragrafer"][4]["beslut"] == p["beslut"]
    store.record_anslag(meeting_id, "2023-03-02")   # the anslag is recorded after justering
    store.record_dispatch(p["id"], p["mottagare"][0]["mottagare_id"], "e-post", "2023-03-02", "Madelene")


def test_anslag_dates_and_deadlines():
    d = deadlines(dt.date(2018, 3, 21), dt.date(2018, 3, 28), dt.date(2018, 3, 29))
    assert d.justering_senast == dt.date(2018, 4, 4)
    assert d.anslag_senast == dt.date(2018, 4, 3)   # 30 March 2018 was långfredagen, then påskafton, påskdagen, annandag påsk
    assert d.overklagande_till == dt.date(2018, 4, 19)
    assert d.anslag_ned_tidigast == dt.date(2018, 4, 20)
    assert deadline_warnings(dt.date(2018, 3, 21), None, None, dt.date(2018, 4, 5)) == [
        "Protokollet skulle ha justerats senast 2018-04-04 (14 dagar efter sammanträdet)."]
    on_time = deadline_warnings(dt.date(2018, 3, 21), dt.date(2018, 3, 28), dt.date(2018, 4, 3), dt.date(2018, 4, 3))
    assert on_time == []
    late = deadline_warnings(dt.date(2018, 3, 21), dt.date(2018, 3, 28), dt.date(2018, 4, 4), dt.date(2018, 4, 4))
    assert late == ["Anslaget sattes upp 2018-04-04, efter sista dag 2018-04-03."]


@pytest.mark.parametrize("meeting, justerad, anslag, expected", [
    # the appeal period's 21st day on a Saturday: it ends on Monday, the notice comes down on Tuesday
    (dt.date(2023, 2, 22), dt.date(2023, 3, 1), dt.date(2023, 3, 4),
     {"overklagande_till": dt.date(2023, 3, 27), "anslag_ned_tidigast": dt.date(2023, 3, 28)}),
    # ... on midsommarafton 2024 (Friday 21 June): Monday 24 June
    (dt.date(2024, 5, 15), dt.date(2024, 5, 29), dt.date(2024, 5, 31),
     {"overklagande_till": dt.date(2024, 6, 24), "anslag_ned_tidigast": dt.date(2024, 6, 25)}),
    # ... on julafton 2025 (Wednesday): past juldagen and annandag jul (Thu, Fri) and the weekend to Monday 29 Dec
    (dt.date(2025, 11, 19), dt.date(2025, 12, 1), dt.date(2025, 12, 3),
     {"overklagande_till": dt.date(2025, 12, 29), "anslag_ned_tidigast": dt.date(2025, 12, 30)}),
    # ... on nyårsafton 2026 (Thursday): nyårsdagen is a Friday, so Monday 4 January 2027
    (dt.date(2026, 11, 25), dt.date(2026, 12, 8), dt.date(2026, 12, 10),
     {"overklagande_till": dt.date(2027, 1, 4), "anslag_ned_tidigast": dt.date(2027, 1, 5)}),
    # the justering's 14th day on Kristi himmelsfärdsdag 2025 (Thursday 29 May): Friday 30 May
    (dt.date(2025, 5, 15), None, None, {"justering_senast": dt.date(2025, 5, 30)}),
    # the 14th day on nationaldagen 2025 (Friday 6 June): Monday 9 June; before 2005 6 June was a working day
    (dt.date(2025, 5, 23), None, None, {"justering_senast": dt.date(2025, 6, 9)}),
    (dt.date(2003, 5, 23), None, None, {"justering_senast": dt.date(2003, 6, 6)}),
    # the anslag's second day on trettondedag jul 2027 (Wednesday): Thursday 7 January
    (dt.date(2026, 12, 16), dt.date(2027, 1, 4), None, {"anslag_senast": dt.date(2027, 1, 7)}),
    # an ordinary Tuesday stays where it is
    (dt.date(2023, 2, 22), dt.date(2023, 3, 1), dt.date(2023, 3, 2),
     {"justering_senast": dt.date(2023, 3, 8), "anslag_senast": dt.date(2023, 3, 3),
      "overklagande_till": dt.date(2023, 3, 23), "anslag_ned_tidigast": dt.date(2023, 3, 24)}),
])
def test_deadlines_that_end_on_a_day_off_move_to_the_next_weekday(meeting, justerad, anslag, expected):
    """Lag (1930:173) om beräkning av lagstadgad tid, applied to every deadline the program computes."""
    d = deadlines(meeting, justerad, anslag)
    assert {name: getattr(d, name) for name in expected} == expected


def test_the_justering_deadline_says_why_it_moved():
    assert justering_deadline_text(dt.date(2023, 2, 22)) == "2023-03-08 (14 dagar efter sammanträdet)"
    assert justering_deadline_text(dt.date(2025, 5, 15)) == (
        "2025-05-30 (14 dagar efter sammanträdet; den 14:e dagen, 2025-05-29, är Kristi himmelsfärdsdag)")
    assert deadline_warnings(dt.date(2025, 5, 15), None, None, dt.date(2025, 6, 2)) == [
        "Protokollet skulle ha justerats senast 2025-05-30 (14 dagar efter sammanträdet; den 14:e dagen, "
        "2025-05-29, är Kristi himmelsfärdsdag)."]


def _secret_paragraph(store, meeting_id):
    """Make § 4 (the secret item) a real secret decision sent to a family at a postal address."""
    p4 = store.paragraf_by_number(meeting_id, 4)
    family = store.ensure_recipient("Vårdnadshavare 1", "Storgatan 12 B, 641 30 Katrineholm", None)
    store.save_paragraf(p4["id"], {"rubrik": "Placering av barn enligt LVU", "berord": "Barn född 2015",
                                   "sekretess_lagrum": "26 kap. 1 § OSL"},
                        beslut=["Individutskottet beslutar om vård enligt 2 § LVU."],
                        mottagare=[{"mottagare_id": family}])
    return store.paragraf_by_number(meeting_id, 4), family


def test_no_utdrag_for_a_secret_paragraph_without_a_confirmed_address(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    p4, family = _secret_paragraph(store, meeting_id)
    with pytest.raises(NamndtoolError, match="inte bekräftad"):
        utdrag_document(store, meeting_id, 4, "Vårdnadshavare 1")
    store.confirm_address(p4["id"], family, by="Matilda Johansson", on=dt.date(2023, 2, 23))
    document = utdrag_document(store, meeting_id, 4, "Vårdnadshavare 1")
    text = flat(pdf_text(render_bytes(document, "pdf", load_branding())))
    for expected in ("PROTOKOLLSUTDRAG", "§ 4 Placering av barn enligt LVU", "Storgatan 12 B", "Utdragsbestyrkande",
                     "kan bestyrkas först när protokollet har justerats", "SEKRETESS 26 kap. 1 § OSL"):
        assert expected in text
    sheet = flat(pdf_text(render_bytes(forsattsblad_document(store, meeting_id, 4, "Vårdnadshavare 1"), "pdf",
                                       load_branding())))
    for expected in ("Försättsblad", "Barn född 2015", "Storgatan 12 B, 641 30 Katrineholm", "Matilda Johansson",
                     "Nämndsekreteraren"):
        assert expected in sheet
    public_utdrag = utdrag_document(store, meeting_id, 5, "Kommunstyrelsen")
    assert "Kommunstyrelsen" in flat(pdf_text(render_bytes(public_utdrag, "docx" and "pdf", load_branding())))


def test_public_protokoll_shows_only_number_and_provision_of_a_secret_paragraph(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    _secret_paragraph(store, meeting_id)
    public = flat(pdf_text(render_bytes(protokoll_document(store, meeting_id, True), "pdf", load_branding())))
    assert "§ 4 Sekretessärende" in public and "26 kap. 1 § OSL" in public
    for leaked in ("Placering av barn", "LVU", "Vårdnadshavare", "Storgatan", "Barn född"):
        assert leaked not in public
    for expected in ("Beslutande", "Martin Edgélius (M), ordförande", "Övriga närvarande", "Utses att justera",
                     "Anders Gölevik (C)", "Justeringens plats och tid", "Underskrifter", "Sekreterare",
                     "§§ 1–15", "Anslagsbevis", "Datum då anslaget sätts upp", "Förvaringsplats för protokollet",
                     "Socialnämndens beslut"):
        assert expected in public
    internal = flat(pdf_text(render_bytes(protokoll_document(store, meeting_id, False), "pdf", load_branding())))
    assert "Placering av barn enligt LVU" in internal and "INTERN VERSION" in internal


def test_omedelbart_justerade_paragraphs_get_their_own_extract(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    p11 = store.paragraf_by_number(meeting_id, 11)
    store.save_paragraf(p11["id"], {"omedelbart_justerad": 1})
    store.record_anslag(meeting_id, "2023-02-23", omedelbara=True)
    text = flat(pdf_text(render_bytes(protokoll_document(store, meeting_id, True, only_omedelbara=True), "pdf",
                                      load_branding())))
    assert "§ 11 Yttrande över remiss av Platsvarumärket Katrineholm" in text
    assert "§ 10" not in text and "Paragrafen justeras omedelbart." in text
    assert "Omedelbart vid sammanträdet 2023-02-22" in text
    assert "2023-02-23" in text and "2023-03-17" in text   # anslag up, and down the day after three weeks


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.booleans(), st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=5)),
                min_size=1, max_size=8, unique_by=lambda item: item[1]))   # a public § may not share a secret's words
def test_public_protokoll_never_shows_a_secret_paragraph(tmp_path_factory, items):
    import tempfile
    from pathlib import Path
    from nämndtool.store import Store
    with tempfile.TemporaryDirectory() as work, Store.open(Path(work) / "s.sqlite") as store:
        namnd_id = store.save_namnd("SOCN", "Socialnämnden")
        organ_id = store.organs(namnd_id)[0]["id"]
        meeting_id = store.save_meeting(organ_id, "2024-05-15", {})
        agenda = []
        for nr, (secret, token) in enumerate(items, 1):
            fields = {"sekretess": 1, "sekretess_lagrum": "26 kap. 1 § OSL"} if secret else {}
            arende = store.register_arende(namnd_id, f"Ärende Q{token}", today=dt.date(2024, 5, 1), **fields)
            agenda.append({"nr": nr, "rubrik": f"Ärende Q{token}", "typ": "arende", "arende_id": arende["id"],
                           "sekretess": int(secret), "sekretess_lagrum": fields.get("sekretess_lagrum")})
        store.save_agenda(meeting_id, agenda)
        store.create_paragraphs(meeting_id)
        person = store.ensure_recipient(f"Person Q{items[0][1]}X", f"Gatan {items[0][1]} 1", None)
        for p, (secret, token) in zip(store.protokoll(meeting_id)["paragrafer"], items):
            store.save_paragraf(p["id"], {"berord": f"Barnet Q{token}B", "propositionsordning": f"Prop Q{token}P"},
                                beslut=[f"Beslut Q{token}D"], yrkanden=[{"av": f"Ledamot Q{token}Y", "text": "bifall"}],
                                reservationer=[{"av": [f"Res Q{token}R"], "text": f"Motiv Q{token}M"}],
                                mottagare=[{"mottagare_id": person}] if secret else [])
        public = flat(pdf_text(render_bytes(protokoll_document(store, meeting_id, True), "pdf", load_branding())))
        docx = render_bytes(protokoll_document(store, meeting_id, True), "docx", load_branding())
    from docs_helpers import docx_text
    public_docx = docx_text(docx)
    for secret, token in items:
        for text in (public, public_docx):
            if secret:
                assert f"Q{token}" not in text
            else:
                assert f"Beslut Q{token}D" in text.replace("\n", " ")
    if any(secret for secret, _ in items):
        assert "Sekretessärende" in public and "Gatan" not in public


def test_an_address_can_be_confirmed_after_justering_and_sending_twice_registers_once(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    p4, family = _secret_paragraph(store, meeting_id)
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    store.confirm_address(p4["id"], family, by="Matilda Johansson", on=dt.date(2023, 3, 2))
    assert store.paragraf(p4["id"])["mottagare"][0]["adress_bekraftad"] == 1
    with pytest.raises(refused_by_database(), match="justerat"):
        bypass(store, "UPDATE paragraf_mottagare SET mottagare_id = mottagare_id + 0, nr = 2 WHERE paragraf_id = ?",
               (p4["id"],))
    utdrag_document(store, meeting_id, 4, "Vårdnadshavare 1", bestyrkt_datum=dt.date(2023, 3, 2))
    p5 = store.paragraf_by_number(meeting_id, 5)
    for _ in range(2):
        store.mark_utdrag_sent(p5["id"], p5["mottagare"][0]["mottagare_id"], "e-post", "2023-03-03", "Madelene")
    sent = [h for h in store.handlingar(p5["arende_id"]) if h["riktning"] == "ut"]
    assert len(sent) == 1


def test_items_with_paragraphs_keep_their_place_in_the_agenda(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    items = store.agenda(meeting_id)
    moved = [items[1], items[0], *items[2:]]
    with pytest.raises(NamndtoolError, match="har redan en paragraf"):
        store.replace_agenda(meeting_id, moved)
    assert [i["rubrik"] for i in store.agenda(meeting_id)][:2] == ["Upprop", "Val av justerare"]
    store.replace_agenda(meeting_id, [*items, {"rubrik": "Övrig fråga", "typ": "standard", "sekretess": 0}])
    assert store.agenda(meeting_id)[-1]["rubrik"] == "Övrig fråga"


def test_a_refused_justering_changes_nothing_not_even_klar_for_justering(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    assert not store.protokoll(meeting_id)["klar_for_justering"]
    before = store_dump(store)
    for datum, message in ((dt.date(9999, 12, 31), "orimligt långt fram"), (dt.date(2023, 2, 21), "före sammanträdet"),
                           (dt.date.today() + dt.timedelta(days=1), "ligger i framtiden")):
        with pytest.raises(NamndtoolError, match=message):
            justera(store, meeting_id, datum, load_branding())
        assert store_dump(store) == before
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    assert store.protokoll(meeting_id)["klar_for_justering"] and store.is_justerat(meeting_id)
