"""Secrecy with one source of truth: derived everywhere, lifted only by a recorded decision, files and names that
stay secret wherever they turn up, and address confirmations made by a person."""

import datetime as dt
import json

import pytest

from support import SAMPLE_JSON, bypass, refused_by_database, run_cli
from docs_helpers import flat, pdf_pages
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.documents.protokoll import protokoll_document, utdrag_document
from nämndtool.documents.service import render_bytes
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.exporter import export_meeting
from nämndtool.exchange.importer import import_meeting
from nämndtool.secrecy import gate, operations
from test_protokoll import _complete

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

BUDGET = "SOCN/2023:16"          # item 6, public, with two bilagor
BUDGET_TITLE = "Socialnämndens plan med budget 2023"
OSL = "26 kap. 1 § OSL"


def _item(store, meeting_id, nr):
    return next(i for i in store.agenda(meeting_id) if i["nr"] == nr)


def _public_protokoll_text(store, meeting_id, **kwargs) -> str:
    document = protokoll_document(store, meeting_id, True, **kwargs)
    return flat(" ".join(pdf_pages(render_bytes(document, "pdf", load_branding()))))


# --- 1. one source of truth -------------------------------------------------------------------------------------


def test_secret_after_the_paragraph_exists_hides_it_everywhere_at_once(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    budget = _item(store, meeting_id, 6)
    p6 = store.paragraf_by_number(meeting_id, 6)
    store.save_paragraf(p6["id"], {"omedelbart_justerad": 1})
    assert BUDGET_TITLE in _public_protokoll_text(store, meeting_id)

    operations.seal_arende(store, budget["arende_id"], OSL)

    assert store.paragraf_by_number(meeting_id, 6)["sekretess"] == 1
    assert _item(store, meeting_id, 6)["sekretess"] == 1
    for kwargs in ({}, {"only_omedelbara": True}):
        text = _public_protokoll_text(store, meeting_id, **kwargs)
        assert BUDGET_TITLE not in text and BUDGET not in text and "Sekretessärende" in text
    # The utdrag of the § now follows the address rule of a secret §.
    with pytest.raises(NamndtoolError, match="sekretess"):
        utdrag_document(store, meeting_id, 6, "Akten")


def test_sealing_says_where_public_versions_already_went(imported, tmp_path):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    from nämndtool.documents.protokoll import justera
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    store.record_anslag(meeting_id, "2023-03-02")
    p6 = store.paragraf_by_number(meeting_id, 6)
    store.mark_utdrag_sent(p6["id"], p6["mottagare"][0]["mottagare_id"], "e-post", "2023-03-03", "sekreteraren")
    from nämndtool.documents.kallelse import kallelse_document
    from nämndtool.documents.service import write_document
    write_document(kallelse_document(store, meeting_id, True), "pdf", tmp_path / "kallelse.pdf", load_branding())

    sealed = operations.seal_arende(store, _item(store, meeting_id, 6)["arende_id"], OSL)

    assert sealed.newly_secret
    text = "\n".join(sealed.published)
    assert "§ 6" in text and "2023-03-02" in text and "akten 2023-03-03" in text.lower()   # one Akten (issue 13)
    assert str(tmp_path / "kallelse.pdf") in text
    # The justerat protokoll's stored PDF stays as it was justerat.
    stored = store.file_path(store.protokoll(meeting_id)["justerad_pdf_sha256"]).read_bytes()
    assert BUDGET_TITLE in flat(" ".join(pdf_pages(stored)))


# --- 2. lifting is one explicit act ---------------------------------------------------------------------------


def test_secrecy_is_lifted_only_with_a_recorded_reason(imported):
    store, meeting_id = imported
    arende_id = _item(store, meeting_id, 6)["arende_id"]
    store.seal_arende(arende_id, OSL)
    with pytest.raises(NamndtoolError, match="eget beslut"):
        store.update_arende(arende_id, {"sekretess": 0, "sekretess_lagrum": None})
    with pytest.raises(refused_by_database(), match="eget beslut"):
        bypass(store, "UPDATE arende SET sekretess = 0, sekretess_lagrum = NULL WHERE id = ?", (arende_id,))
    with pytest.raises(NamndtoolError, match="skälet"):
        operations.unseal_arende(store, arende_id, "  ")
    assert store.arende(arende_id)["sekretess"] == 1

    operations.unseal_arende(store, arende_id, "Sekretessen har upphört enligt beslut 2023-03-10")

    assert store.arende(arende_id)["sekretess"] == 0
    decision = store.unseal_decisions(arende_id=arende_id)[0]
    assert decision["skal"].startswith("Sekretessen har upphört") and decision["av"] and decision["tid"]
    assert decision["tidigare_lagrum"] == OSL
    with pytest.raises(refused_by_database()):
        bypass(store, "DELETE FROM sekretess_havd")
    with pytest.raises(refused_by_database()):
        bypass(store, "UPDATE sekretess_havd SET skal = 'annat'")
    change = next(c for c in store.history(arende_id=arende_id) if "sekretess" in c["fält"])
    assert change["fält"]["sekretess"] == (1, 0) and change["anvandare"]
    # A decision is used up by the change it allowed: making it secret again needs a new one to lift.
    store.seal_arende(arende_id, OSL)
    with pytest.raises(refused_by_database()):
        bypass(store, "UPDATE arende SET sekretess = 0, sekretess_lagrum = NULL WHERE id = ?", (arende_id,))


def test_a_reimport_never_lifts_a_stand_alone_items_secrecy(store, sample_copy):
    meeting_id = import_meeting(store, sample_copy).meeting_id
    assert _item(store, meeting_id, 4)["sekretess"] == 1
    data = json.loads(sample_copy.read_text())
    data["dagordning"][3]["sekretess"] = None
    data["dagordning"][3]["rubrik"] = "Placering av Kalle Anka"      # a title edit does not lift it either
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    result = import_meeting(store, sample_copy)
    assert _item(store, meeting_id, 4)["sekretess"] == 1
    assert any("punkt 4" in w.casefold() and "förblir sekretess" in w for w in result.warnings)
    assert "Kalle Anka" not in " ".join(result.warnings)
    from nämndtool.documents.kallelse import kallelse_document
    text = flat(" ".join(pdf_pages(render_bytes(kallelse_document(store, meeting_id, True), "pdf",
                                                load_branding()))))
    assert "Kalle Anka" not in text and "Sekretessärende" in text


def test_an_agenda_reorder_keeps_the_item_and_its_secrecy(imported):
    store, meeting_id = imported
    items = store.agenda(meeting_id)
    secret = items[3]
    moved = [items[0], {**secret, "sekretess": 0}, *items[1:3], *items[4:]]
    warnings = store.replace_agenda(meeting_id, moved)
    again = store.agenda(meeting_id)
    assert again[1]["id"] == secret["id"] and again[1]["sekretess"] == 1
    assert warnings and "förblir sekretess" in warnings[0]
    with pytest.raises(refused_by_database(), match="eget beslut"):
        bypass(store, "UPDATE dagordningspunkt SET sekretess = 0 WHERE id = ?", (secret["id"],))
    operations.unseal_item(store, meeting_id, 2, "Punkten gäller en allmän information")
    assert store.agenda(meeting_id)[1]["sekretess"] == 0
    assert store.unseal_decisions(meeting_id=meeting_id)[0]["punkt_rubrik"] == secret["rubrik"]


def test_cli_seal_and_unseal(tmp_path):
    db = tmp_path / "r.sqlite"
    assert run_cli("import", str(SAMPLE_JSON), db=db).returncode == 0
    result = run_cli("case", "unseal", BUDGET, "--reason", "x y z", db=db)
    assert result.returncode == 1 and "omfattas inte av sekretess" in result.stderr
    assert run_cli("case", "seal", BUDGET, "--osl", OSL, db=db).returncode == 0
    shown = json.loads(run_cli("case", "show", BUDGET, "--json", db=db).stdout)
    assert shown["sekretess"] is True and shown["sekretess_lagrum"] == OSL
    result = run_cli("case", "unseal", BUDGET, db=db)
    assert result.returncode == 2 and "--reason" in result.stderr
    result = run_cli("case", "unseal", BUDGET, "--reason", "Uppgifterna är inte längre hemliga", db=db)
    assert result.returncode == 0, result.stderr
    history = run_cli("case", "history", BUDGET, db=db).stdout
    assert "hävde sekretessen" in history and "Uppgifterna är inte längre hemliga" in history
    result = run_cli("meeting", "unseal-item", "--meeting", "1", "--item", "4", "--reason", "Allmän info", db=db)
    assert result.returncode == 0, result.stderr


# --- 3. and 4. secret files and names -----------------------------------------------------------------------------


def test_a_file_on_a_secret_and_a_public_item_stays_out_of_every_public_output(imported, tmp_path):
    store, meeting_id = imported
    budget = _item(store, meeting_id, 6)
    sha = store.bilagor(budget["arende_id"])[0]["sha256"]
    secret = store.register_arende(store.the_namnd()["id"], "Utredning om Kalle Anka", today=dt.date(2023, 2, 1),
                                   sekretess=1, sekretess_lagrum=OSL)
    store.add_handling(secret["id"], {"riktning": "in", "beskrivning": "Utredning", "motpart": "Kalle Anka"},
                       by="test", path=store.file_path(sha))

    result = build_pack(store, meeting_id, True, load_branding())

    warning = next(w for w in result.warnings if "omfattas av sekretess" in w)
    assert "Punkt 6" in warning and BUDGET_TITLE in warning and "Kalle" not in warning
    internal = build_pack(store, meeting_id, False, load_branding())
    assert len(pdf_pages(result.pdf)) < len(pdf_pages(internal.pdf))
    _, written = export_meeting(store, meeting_id, tmp_path / "ut.json", public=True)
    assert all(p.read_bytes() != store.file_path(sha).read_bytes() for p in written)


def test_a_counterpart_of_a_secret_arende_in_a_public_text_is_refused(imported):
    store, meeting_id = imported
    secret = store.register_arende(store.the_namnd()["id"], "Ansökan om kontaktfamilj", today=dt.date(2023, 2, 1),
                                   sekretess=1, sekretess_lagrum=OSL)
    store.add_handling(secret["id"], {"riktning": "in", "beskrivning": "Ansökan", "motpart": "Lisa Brandt"}, by="t")
    budget = _item(store, meeting_id, 6)
    with store.write():
        store.execute("UPDATE tjansteskrivelse SET sammanfattning = ? WHERE arende_id = ?",
                      ("Lisa\u00a0 Brandt har synpunkter.", budget["arende_id"]))
    with pytest.raises(gate.GateError, match="namn") as refused:
        build_pack(store, meeting_id, True, load_branding())
    assert "Lisa" not in str(refused.value) and "L. B." in str(refused.value)
    build_pack(store, meeting_id, False, load_branding())   # the internal pack is made


# --- 10. a person confirms the address ------------------------------------------------------------------------


def test_an_imported_confirmation_is_a_claim_that_does_not_allow_the_utdrag(store, sample_copy):
    data = json.loads(sample_copy.read_text())
    data["protokoll"] = {"sekreterare": "Madelene Sönnerfors", "justerare": ["Anders Gölevik"], "paragrafer": [
        {"nr": 4, "dagordning_nr": 4, "beslut": ["Beslut enligt förslag."], "beslutet_skickas_till": [
            {"namn": "Vårdnadshavare 1", "adress": "Storgatan 12 B, 641 30 Katrineholm", "adress_bekraftad": True}]}]}
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    recipient = store.paragraf_by_number(meeting_id, 4)["mottagare"][0]
    assert recipient["adress_bekraftad"] == 0 and recipient["bekraftad_enligt_import"] == 1
    with pytest.raises(NamndtoolError, match="inte bekräftad"):
        utdrag_document(store, meeting_id, 4, "Vårdnadshavare 1")
    with pytest.raises(NamndtoolError, match="person"):
        store.confirm_address(store.paragraf_by_number(meeting_id, 4)["id"], recipient["mottagare_id"], by="import")

    confirmed = operations.confirm_address(store, meeting_id, 4, "vårdnadshavare 1", by="Matilda Johansson",
                                           on=dt.date(2023, 2, 24))

    assert confirmed["adress_bekraftad"] == 1 and confirmed["bekraftad_av"] == "Matilda Johansson"
    utdrag_document(store, meeting_id, 4, "Vårdnadshavare 1")
    from nämndtool.documents.protokoll import forsattsblad_document
    sheet = flat(" ".join(pdf_pages(render_bytes(forsattsblad_document(store, meeting_id, 4, "Vårdnadshavare 1"),
                                                 "pdf", load_branding()))))
    assert "Matilda Johansson" in sheet and "2023-02-24" in sheet
    # Re-importing the same file keeps the person's confirmation.
    import_meeting(store, sample_copy)
    assert store.paragraf_by_number(meeting_id, 4)["mottagare"][0]["bekraftad_av"] == "Matilda Johansson"


def test_cli_confirm_address_records_the_os_user(tmp_path, sample_copy):
    data = json.loads(sample_copy.read_text())
    data["protokoll"] = {"paragrafer": [{"nr": 4, "dagordning_nr": 4, "beslutet_skickas_till": [
        {"namn": "Vårdnadshavare 1", "adress": "Storgatan 12 B", "adress_bekraftad": True}]}]}
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    db = tmp_path / "r.sqlite"
    assert run_cli("import", str(sample_copy), db=db).returncode == 0
    anonymous = run_cli("confirm-address", "--meeting", "1", "--paragraph", "4", "--recipient", "Vårdnadshavare 1",
                        db=db, env={"NAMNDTOOL_NAMN": ""})
    assert anonymous.returncode == 1 and "Ange vem som har kontrollerat adressen" in anonymous.stderr
    result = run_cli("confirm-address", "--meeting", "1", "--paragraph", "4", "--recipient", "Vårdnadshavare 1",
                     "--by", "Madelene Sönnerfors", db=db)
    assert result.returncode == 0, result.stderr
    assert "bekräftad av Madelene Sönnerfors" in result.stdout and dt.date.today().isoformat() in result.stdout


# --- 8. the exchange file knows its version ----------------------------------------------------------------------


def test_public_exchange_file_leaves_secrets_out_and_says_what_it_is(imported, tmp_path):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    operations.seal_arende(store, _item(store, meeting_id, 6)["arende_id"], OSL)
    text, written = export_meeting(store, meeting_id, tmp_path / "offentlig.json", public=True)
    data = json.loads(text)
    assert data["utgava"] == "offentlig"
    assert [i["nr"] for i in data["dagordning"]] == [n for n in range(1, 16) if n not in (4, 6)]
    assert BUDGET not in text and BUDGET_TITLE not in text
    assert all(g["dagordning_nr"] not in (4, 6) for g in data["protokoll"]["paragrafer"])
    assert not any("budget" in p.name for p in written)
    # Both forms import; a public file does not delete the secret items it leaves out.
    result = import_meeting(store, tmp_path / "offentlig.json")
    assert result.meeting_id == meeting_id and _item(store, meeting_id, 4)["sekretess"] == 1
    internal, _ = export_meeting(store, meeting_id, None, public=False)
    assert json.loads(internal)["utgava"] == "intern" and BUDGET in internal


def test_a_stand_alone_item_can_be_made_secret_after_justering(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    from nämndtool.documents.protokoll import justera
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    store.record_anslag(meeting_id, "2023-03-02")
    assert "Verksamhetsinformation" in _public_protokoll_text(store, meeting_id)

    sealed = operations.seal_item(store, meeting_id, 13, OSL)

    assert sealed.newly_secret and any("2023-03-02" in line for line in sealed.published)
    assert "Verksamhetsinformation" not in _public_protokoll_text(store, meeting_id)
    with pytest.raises(refused_by_database(), match="justerat"):   # the lock still holds for everything else
        bypass(store, "UPDATE dagordningspunkt SET rubrik = 'x' WHERE sammantrade_id = ? AND nr = 13",
                           (meeting_id,))


def test_a_reimport_that_calls_a_secret_arende_public_keeps_it_secret_and_says_so(store, sample_copy):
    meeting_id = import_meeting(store, sample_copy).meeting_id
    operations.seal_arende(store, _item(store, meeting_id, 6)["arende_id"], OSL)
    result = import_meeting(store, sample_copy)
    assert _item(store, meeting_id, 6)["sekretess"] == 1
    warning = next(w for w in result.warnings if BUDGET in w)
    assert "förblir sekretess" in warning and BUDGET_TITLE not in warning


def test_a_secret_number_may_stand_only_in_the_lists_the_law_allows(imported):
    """OSL 5:2: Meddelanden may list a secret ärende by number; anywhere else in a public output it is a leak."""
    store, meeting_id = imported
    budget = _item(store, meeting_id, 6)
    operations.seal_arende(store, budget["arende_id"], OSL)
    items = store.agenda(meeting_id)
    items[4] = {**items[4], "anteckning": f"Hänger ihop med {BUDGET}"}
    store.save_agenda(meeting_id, items)
    from nämndtool.documents.kallelse import kallelse_document
    with pytest.raises(gate.GateError, match="diarienumret"):
        render_bytes(kallelse_document(store, meeting_id, True), "pdf", load_branding())
    with pytest.raises(gate.GateError, match="diarienumret"):
        build_pack(store, meeting_id, True, load_branding())
    items[4] = {**items[4], "anteckning": None}
    store.save_agenda(meeting_id, items)
    # An incoming handling in the Meddelanden period puts the number in the public list: allowed.
    store.register_handling(budget["arende_id"], riktning="in", beskrivning="Synpunkter", datum="2023-02-10",
                            motpart="Revisorerna")
    from nämndtool.documents.registry import meddelanden_period
    assert meddelanden_period(store, meeting_id)[0] <= "2023-02-10" <= meddelanden_period(store, meeting_id)[1]
    from nämndtool.secrecy.facts import facts_for_meeting
    facts = facts_for_meeting(store, meeting_id, osl_lists=True)
    assert BUDGET in facts.listed_numbers and BUDGET in facts.numbers   # allowed on the list's pages only
    assert not facts_for_meeting(store, meeting_id).listed_numbers
    # … so the number typed elsewhere in the pack is still refused, even though the list shows it.
    items[4] = {**items[4], "anteckning": f"Hänger ihop med {BUDGET}"}
    store.save_agenda(meeting_id, items)
    with pytest.raises(gate.GateError, match="diarienumret"):
        build_pack(store, meeting_id, True, load_branding())


def test_the_generated_meddelanden_list_shows_a_secret_number_and_the_drafts_still_go(store, tmp_path):
    """OSL 5:2: the public Meddelanden list shows a secret ärende's number with a masked title; the e-mail drafts
    are not blocked by it."""
    from nämndtool.demo import create_demo
    from nämndtool.distribution import write_eml_drafts
    from nämndtool.documents.registry import meddelanden_period
    create_demo(store)
    meeting = next(m for m in store.meetings() if m["organ"] == "Socialnämnden" and m["datum"] > "2024-01-01")
    for person in store.roster(meeting["organ_id"], meeting["datum"]):
        store.update_person(person["id"], {"epost": f"p{person['id']}@example.se"})
    fran, till = meddelanden_period(store, meeting["id"])
    secret = store.register_arende(store.the_namnd()["id"], "Anmälan om oro för barn", sekretess=1,
                                   sekretess_lagrum=OSL, today=dt.date.fromisoformat(till))
    store.register_handling(secret["id"], riktning="in", beskrivning="Orosanmälan", datum=till, motpart="Skolan X")
    written = write_eml_drafts(store, meeting["id"], tmp_path)
    assert written.drafts
    import email
    from email import policy
    message = email.message_from_bytes(written.drafts[0].read_bytes(), policy=policy.default)
    text = " ".join(pdf_pages(next(message.iter_attachments()).get_content()))
    assert secret["diarienummer"] in text
    assert "Anmälan om oro för barn" not in text and "Skolan X" not in text and "Orosanmälan" not in text


def test_a_secret_paragraphs_own_title_typed_into_a_public_one_is_refused(imported):
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    p4 = store.paragraf_by_number(meeting_id, 4)
    store.save_paragraf(p4["id"], {"rubrik": "Placering av Kalle Anka i familjehem"})
    p6 = store.paragraf_by_number(meeting_id, 6)
    store.save_paragraf(p6["id"], {}, beslut=["Jämför beslutet om placering av Kalle  Anka i\nfamiljehem."])
    with pytest.raises(gate.GateError, match="rubriken på en sekretesspunkt"):
        protokoll_document_bytes = render_bytes(protokoll_document(store, meeting_id, True), "pdf", load_branding())
        assert protokoll_document_bytes is None
