"""The registry: handlingar, the public diary (OSL 5 kap. 2 §), Meddelanden, delegationsbeslut, closing."""

import datetime as dt

import pytest

from support import run_cli
from docs_helpers import flat, pdf_outline, pdf_pages, pdf_text
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.documents.public_check import PersonnummerError
from nämndtool.documents.registry import diary_extract_document, meddelanden_period
from nämndtool.documents.service import render_bytes

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


@pytest.fixture
def diary(imported):
    store, meeting_id = imported
    namnd_id = store.the_namnd()["id"]
    public = store.arende_by_number(parse("SOCN/2023:17"))
    secret = store.register_arende(namnd_id, "Placering av Zacharias Svensson", today=dt.date(2023, 2, 1), sekretess=1,
                                   sekretess_lagrum="26 kap. 1 § OSL", offentlig_rubrik="Ansökan om vård")
    hidden = store.register_arende(namnd_id, "Utredning om Lisa", today=dt.date(2023, 2, 1), sekretess=1,
                                   sekretess_lagrum="26 kap. 1 § OSL")
    store.register_handling(public["id"], riktning="in", beskrivning="Verksamhetsberättelse Länsjouren 2022",
                            datum="2023-02-03", motpart="Länsjouren")
    store.register_handling(public["id"], riktning="in", beskrivning="KF § 6 Kommunplan 2023-2026",
                            datum="2023-02-06", motpart="Kommunfullmäktige")
    store.register_handling(secret["id"], riktning="in", beskrivning="Anmälan från skolan om Zacharias",
                            datum="2023-02-07", motpart="Västerskolan, rektor Eva Ek")
    store.register_handling(hidden["id"], riktning="in", beskrivning="Läkarintyg för Lisa", datum="2023-02-08",
                            motpart="Vårdcentralen Nävertorp")
    store.register_handling(public["id"], riktning="ut", beskrivning="Hemlig skrivelse", datum="2023-02-09",
                            motpart="Polisen", sekretess=1, sekretess_lagrum="18 kap. 1 § OSL")
    return store, meeting_id, namnd_id, secret, hidden


def test_public_diary_leaves_out_counterpart_and_description_of_secrets(diary):
    store, _, namnd_id, secret, hidden = diary
    public = flat(pdf_text(render_bytes(diary_extract_document(store, namnd_id, "2023-02-01", "2023-02-28", True),
                                        "pdf", load_branding())))
    for shown in ("Verksamhetsberättelse Länsjouren 2022", "Länsjouren", "Kommunfullmäktige", secret["diarienummer"],
                  hidden["diarienummer"], "Ansökan om vård", "Sekretessärende", "2023-02-07", "2023-02-09"):
        assert shown in public, shown
    for hidden_text in ("Zacharias", "Västerskolan", "Eva Ek", "Lisa", "Vårdcentralen", "Nävertorp", "Polisen",
                        "Hemlig skrivelse", "Placering av"):
        assert hidden_text not in public, hidden_text
    internal = flat(pdf_text(render_bytes(diary_extract_document(store, namnd_id, "2023-02-01", "2023-02-28", False),
                                          "pdf", load_branding())))
    assert "Västerskolan, rektor Eva Ek" in internal and "INTERN VERSION" in internal


def test_public_diary_refuses_a_personnummer(diary):
    store, _, namnd_id, _, _ = diary
    arende = store.arende_by_number(parse("SOCN/2023:16"))
    store.register_handling(arende["id"], riktning="in", beskrivning="Brev om 20150101-1234", datum="2023-02-10")
    with pytest.raises(PersonnummerError, match="2015••••-••••"):
        render_bytes(diary_extract_document(store, namnd_id, "2023-02-01", "2023-02-28", True), "docx", load_branding())


def test_meddelanden_are_generated_from_the_public_diary(diary):
    store, meeting_id, namnd_id, secret, _ = diary
    organ_id = store.meeting(meeting_id)["organ_id"]
    march = store.save_meeting(organ_id, "2023-03-22", {})
    store.save_agenda(march, [{"nr": 1, "rubrik": "Upprop", "typ": "standard", "sekretess": 0},
                              {"nr": 2, "rubrik": "Meddelanden", "typ": "standard", "sekretess": 0}])
    assert meddelanden_period(store, march) == ("2023-02-15", "2023-03-14")
    arende = store.arende_by_number(parse("SOCN/2023:16"))
    store.register_handling(arende["id"], riktning="in", beskrivning="Verksamhetsplan Länsjouren 2023",
                            datum="2023-03-01", motpart="Länsjouren")
    store.register_handling(secret["id"], riktning="in", beskrivning="Ny anmälan om Zacharias", datum="2023-03-02",
                            motpart="Polisen")
    result = build_pack(store, march, True, load_branding())
    text = flat(" ".join(pdf_pages(result.pdf)))
    assert "Utdrag ur socialnämndens diarium över handlingar för perioden 2023-02-15 – 2023-03-14." in text
    assert "Länsjouren Verksamhetsplan Länsjouren 2023 (SOCN/2023:16)" in text
    assert "Zacharias" not in text and "Polisen" not in text
    assert ("2. Meddelanden" in [title for _, title, _ in pdf_outline(result.pdf)])


def test_delegationsbeslut_are_listed_until_reported(diary):
    store, meeting_id, namnd_id, secret, _ = diary
    store.register_delegationsbeslut(namnd_id, {"datum": "2023-01-15", "beslutsfattare": "Enhetschef Anna Berg",
                                                "delegationspunkt": "3.1.4", "beskrivning": "Bistånd till hyra"})
    store.register_delegationsbeslut(namnd_id, {"datum": "2023-01-20", "beslutsfattare": "Socialsekreterare Bo Ek",
                                                "delegationspunkt": "5.2", "beskrivning": "Placering av Zacharias",
                                                "arende_id": secret["id"], "sekretess": 1,
                                                "sekretess_lagrum": "26 kap. 1 § OSL"})
    organ_id = store.meeting(meeting_id)["organ_id"]
    march = store.save_meeting(organ_id, "2023-03-22", {})
    store.save_agenda(march, [{"nr": 1, "rubrik": "Anmälan av delegationsbeslut", "typ": "standard", "sekretess": 0}])
    public = flat(" ".join(pdf_pages(build_pack(store, march, True, load_branding()).pdf)))
    assert "Bistånd till hyra" in public and "3.1.4" in public and "Ansökan om vård" in public
    assert "Zacharias" not in public
    internal = flat(" ".join(pdf_pages(build_pack(store, march, False, load_branding()).pdf)))
    assert "Placering av Zacharias" in internal
    from nämndtool.documents.registry import delegationsbeslut_for_meeting
    ids = [d["id"] for d in delegationsbeslut_for_meeting(store, march)]
    assert store.report_delegationsbeslut(march, ids) == 2
    assert store.delegationsbeslut(namnd_id, unreported=True) == []
    assert len(delegationsbeslut_for_meeting(store, march)) == 2   # still listed at the meeting they were reported


def test_closing_records_who_and_when_and_sent_utdrag_are_registered(imported):
    store, meeting_id = imported
    from test_protokoll import _complete
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    p5 = store.paragraf_by_number(meeting_id, 5)
    store.mark_utdrag_sent(p5["id"], p5["mottagare"][0]["mottagare_id"], "e-post", "2023-03-02", "Madelene")
    arende = store.arende_by_number(parse("SOCN/2023:17"))
    sent = [h for h in store.handlingar(arende["id"]) if h["riktning"] == "ut"]
    assert [(h["motpart"], h["beskrivning"]) for h in sent] == [
        ("Kommunstyrelsen", "Protokollsutdrag § 5 Socialnämndens årsredovisning 2022")]
    assert store.dispatch_list(meeting_id)[0]["skickat"] is None or True
    store.close_arende(arende["id"], by="Madelene Sönnerfors", on="2023-03-10")
    closed = store.arende(arende["id"])
    assert (closed["status"], closed["avslutad"], closed["avslutad_av"]) == ("avslutat", "2023-03-10",
                                                                               "Madelene Sönnerfors")


def test_registry_from_the_command_line(tmp_path):
    db = tmp_path / "demo.sqlite"
    assert run_cli("demo", db=db).returncode == 0
    bilaga = tmp_path / "brev.pdf"
    bilaga.write_bytes(b"%PDF-1.4 brev")
    result = run_cli("case", "add-handling", "SOCN/2023:17", "--description", "Brev från revisorerna",
                     "--counterpart", "Revisorerna", "--date", "2023-02-10", "--file", str(bilaga), db=db)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "diarium.pdf"
    result = run_cli("diary", "extract", "--from", "2023-02-01", "--to", "2023-02-28", "--public", "--format", "pdf",
                     "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    assert "Brev från revisorerna" in flat(pdf_text(out.read_bytes()))
    assert run_cli("delegation", "add", "--date", "2023-02-01", "--by", "Anna Berg", "--point", "3.1",
                   "--description", "Bistånd", db=db).returncode == 0
    result = run_cli("delegation", "add", "--date", "2023-02-01", "--by", "Anna Berg", "--point", "3.1",
                     "--description", "Placering", "--secret", db=db)
    assert result.returncode == 1 and "--osl" in result.stderr
    assert run_cli("delegation", "report", "--meeting", "2", db=db).stdout.startswith("1 delegationsbeslut")
    assert "anmält vid sammanträde 2" in run_cli("delegation", "list", db=db).stdout
    result = run_cli("case", "close", "SOCN/2023:17", "--date", "2023-03-10", db=db)
    assert result.returncode == 0 and "avslutat 2023-03-10" in result.stdout
