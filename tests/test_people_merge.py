"""Merging duplicate persons and address-book entries, finding likely duplicates, and renewing an organ's seats for a
new mandate period (nämndtool.operations.people), each on a real store: every reference moves, the audit trail
keeps the removed rows, and a refusal changes nothing."""

import datetime as dt

import pytest

from nämndtool.demo import create_demo
from nämndtool.errors import NamndtoolError
from nämndtool.operations import diary, people, protokoll
from test_operations import ready, unchanged  # noqa: F401 — ready is a fixture

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


@pytest.fixture
def demo(store):
    create_demo(store)
    return store


def refers_to(store, table: str, row_id: int) -> list[str]:
    """Every column of the schema that still names the row."""
    return [f"{t}.{c}" for t, c in store.foreign_keys_to(table)
            if store.value(f'SELECT count(*) FROM "{t}" WHERE "{c}" = ?', (row_id,))]


def recipient_ids(store, table: str, owner: str, owner_id: int) -> list[int]:
    return [r["mottagare_id"] for r in store.rows(
        f"SELECT mottagare_id FROM {table} WHERE {owner} = ? ORDER BY nr", (owner_id,))]


def test_the_schema_names_every_reference_the_merge_presents(store):
    assert {("arende", "handlaggare_id"), ("tjansteskrivelse", "handlaggare_id"), ("sammantrade", "ordforande_id"),
            ("narvaro", "person_id"), ("uppdrag", "person_id")} <= set(store.foreign_keys_to("person"))
    assert {("beslutsmottagare", "mottagare_id"), ("paragraf_mottagare", "mottagare_id"),
            ("utskick", "mottagare_id")} <= set(store.foreign_keys_to("mottagare"))


def test_likely_duplicates_are_the_ones_the_secretary_found(demo):
    persons = {g.rows[0]["namn"]: g for g in people.likely_duplicates(demo, "person")}
    assert set(persons) == {"Julia Lindberg", "Matilda Johansson"}
    assert {r["titel"] for r in persons["Julia Lindberg"].rows} == {None, "Controller"}
    assert persons["Julia Lindberg"].reason == "samma namn och e-post"
    recipients = people.likely_duplicates(demo, "mottagare")
    by_name = {g.rows[0]["namn"].casefold(): g for g in recipients}
    assert set(by_name) == {"revisorerna", "akten", "kommunstyrelsen", "kommunfullmäktige"}
    assert len(by_name["revisorerna"].rows) == 2   # the import found "revisorerna" as "Revisorerna" (issue 13)
    assert sorted(r["namn"] for r in by_name["akten"].rows) == ["Akten", "akten"]
    assert {r["adress"] for r in by_name["kommunstyrelsen"].rows} == {
        None, "Kommunledningsförvaltningen, 641 80 Katrineholm"}


def test_same_email_groups_but_a_tjansteperson_never_with_a_ledamot(store):
    a = store.ensure_person("Eva Ek", epost="eva.ek@kommun.se", roll="tjansteperson")
    b = store.ensure_person("Eva Ekström", epost="EVA.EK@kommun.se", roll="tjansteperson")
    store.ensure_person("Eva Ek", roll="ledamot")
    (group,) = people.likely_duplicates(store, "person")
    assert [r["id"] for r in group.rows] == [a, b] and group.reason == "samma e-post"


# --- persons ----------------------------------------------------------------------------------------------------


def test_merging_handlaggare_moves_every_reference_fills_details_and_keeps_history(demo):
    julia = sorted((p for p in demo.all_persons() if p["namn"] == "Julia Lindberg"), key=lambda p: p["id"])
    imported, with_title = julia
    arende_id = demo.person_uses(imported["id"])["arenden"][0]["id"]
    demo.update_person(with_title["id"], {"telefon": None})
    preview = people.person_merge_preview(demo, with_title["id"], [imported["id"]])
    assert preview.problems == [] and preview.kept["telefon"] == "0150-570 00"
    assert preview.moves == [("Handläggare för 1 ärende", ["SOCN/2023:16"]),
                             ("Handläggare i 1 tjänsteskrivelse", ["SOCN/2023:16"])]

    people.merge_persons(demo, with_title["id"], [imported["id"]])
    assert demo.person(imported["id"]) is None and refers_to(demo, "person", imported["id"]) == []
    kept = demo.person(with_title["id"])
    assert (kept["titel"], kept["epost"], kept["telefon"]) == (
        "Controller", "julia.lindberg@katrineholm.se", "0150-570 00")
    assert demo.arende(arende_id)["handlaggare_id"] == with_title["id"]
    assert [p["namn"] for p in demo.tjanstepersoner()].count("Julia Lindberg") == 1
    record = demo.merged_record("person", imported["id"])
    assert record["fore"]["namn"] == "Julia Lindberg" and record["efter"]["sammanslagen_med"] == with_title["id"]
    assert record["efter"]["flyttat"] == {"arende.handlaggare_id": 1, "tjansteskrivelse.handlaggare_id": 1}
    assert record["anvandare"]
    changed = [c for c in demo.history(arende_id=arende_id) if "handlaggare_id" in c["fält"]]
    assert changed[0]["fält"]["handlaggare_id"] == (imported["id"], with_title["id"])
    assert people.likely_duplicates(demo, "person")[0].rows[0]["namn"] == "Matilda Johansson"


def two_namesakes(store, organ_id: int) -> tuple[int, int]:
    """Two ledamöter called Anna Berg, each with a seat in the organ from 2023 (the same seat twice)."""
    first = store.ensure_person("Anna Berg", parti="S", roll="ledamot")
    second = store.ensure_person("Anna  berg", epost="anna.berg@politik.se", roll="ledamot")
    for person in (first, second):
        store.add_seat(person, organ_id, "vice_ordforande", "2023-01-01", "2026-12-31")
    return first, second


def test_merging_elected_namesakes_drops_an_identical_seat_and_moves_the_rest(demo):
    nämnd, utskott = demo.all_organs()[:2]
    first, second = two_namesakes(demo, nämnd["id"])
    demo.add_seat(second, utskott["id"], "ledamot", "2023-01-01", None)
    meeting = demo.meetings()[-1]
    demo.save_meeting(meeting["organ_id"], meeting["datum"], {"ordforande_id": second})
    preview = people.person_merge_preview(demo, first, [second])
    assert preview.problems == []
    assert any("finns redan hos den som behålls; dubbletten tas bort" in n for n in preview.notes)
    assert ("1 uppdrag", [f"ledamot i {utskott['namn']} 2023-01-01 – tills vidare"]) in preview.moves

    people.merge_persons(demo, first, [second])
    seats = demo.person_uses(first)["uppdrag"]
    assert {(s["organ_id"], s["roll"]) for s in seats} == {(nämnd["id"], "vice_ordforande"),
                                                           (utskott["id"], "ledamot")}
    assert demo.person(first)["epost"] == "anna.berg@politik.se"
    assert demo.meeting(meeting["id"])["ordforande_id"] == first
    assert refers_to(demo, "person", second) == []
    assert "uppdrag borttagna som dubbletter" in demo.merged_record("person", second)["efter"]["flyttat"]


def test_person_merges_that_are_refused_change_nothing(demo):
    nämnd = demo.all_organs()[0]
    first, second = two_namesakes(demo, nämnd["id"])
    demo.update_person(second, {})
    seat = demo.person_uses(second)["uppdrag"][0]
    demo.update_seat(seat["id"], "ledamot", "2023-01-01", "2026-12-31")   # no longer the same seat: both at once
    unchanged(demo, lambda: people.merge_persons(demo, first, [second]), match="har uppdrag i Socialnämnden")
    staff = next(p for p in demo.tjanstepersoner())
    unchanged(demo, lambda: people.merge_persons(demo, first, [staff["id"]]), match="tjänsteperson och en förtroendevald")
    unchanged(demo, lambda: people.merge_persons(demo, first, [first]), match="behållas")
    unchanged(demo, lambda: people.merge_persons(demo, first, []), match="minst två")
    unchanged(demo, lambda: people.merge_persons(demo, first, [99999]), match="finns inte längre")


def test_a_person_in_a_justerat_protokoll_is_kept_and_not_merged_away(ready):
    store, meeting_id = ready
    martin = store.row("SELECT * FROM person WHERE namn = 'Martin Edgélius'")
    protokoll.save_narvaro(store, meeting_id, [
        {"person_id": martin["id"], "namn": "Martin Edgélius", "roll": "ordforande", "parti": "M", "tjanstgor": 1},
        {"namn": "Anders Gölevik", "roll": "ledamot", "parti": "C", "tjanstgor": 1}])
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1))
    twin = store.ensure_person("Martin Edgelius", parti="M", epost="martin@politik.se", roll="ledamot")
    preview = people.person_merge_preview(store, twin, [martin["id"]])
    assert "står i det justerade protokollet från Socialnämnden 2023-02-22" in preview.problems[0]
    unchanged(store, lambda: people.merge_persons(store, twin, [martin["id"]]), match="justerade protokollet")
    assert people.suggested_keep(store, "person", [twin, martin["id"]]) == martin["id"]
    people.merge_persons(store, martin["id"], [twin])   # the other way round changes nothing justerat
    assert store.person(martin["id"])["epost"] == "martin@politik.se" and store.person(twin) is None


def test_two_namesakes_in_one_attendance_list_are_not_merged(ready):
    store, meeting_id = ready
    first = store.ensure_person("Anders Gölevik", parti="C", roll="ledamot")
    second = store.ensure_person("Anders Gölevik", parti="C", epost="ag@politik.se", roll="ledamot")
    protokoll.save_narvaro(store, meeting_id, [
        {"person_id": first, "namn": "Anders Gölevik", "roll": "ledamot", "parti": "C", "tjanstgor": 1},
        {"person_id": second, "namn": "A. Gölevik", "roll": "ersattare", "parti": "C", "tjanstgor": 0}])
    unchanged(store, lambda: people.merge_persons(store, first, [second]), match="står i närvaron för")


# --- recipients -------------------------------------------------------------------------------------------------


def test_merging_recipients_moves_decisions_without_doubling_a_line(ready):
    store, _meeting_id = ready
    old, revisorerna, akten = (store.row("SELECT id FROM mottagare WHERE lower(namn) = lower(?)", (n,))["id"]
                               for n in ("Kommunstyrelsen", "Revisorerna", "Akten"))
    new = people.save_recipient(store, None, "Kommunstyrelsen", "Box 1, 641 80 Katrineholm", "ks@katrineholm.se")
    ts = store.row("SELECT tjansteskrivelse_id AS id FROM beslutsmottagare WHERE mottagare_id = ? AND nr = 1 "
                   "AND tjansteskrivelse_id IN (SELECT tjansteskrivelse_id FROM beslutsmottagare WHERE nr = 3)",
                   (old,))["id"]
    paragraf = store.value("SELECT paragraf_id FROM paragraf_mottagare WHERE mottagare_id = ? AND nr = 1 "
                           "AND paragraf_id IN (SELECT paragraf_id FROM paragraf_mottagare WHERE nr = 3)", (old,))
    confirmed = store.value("SELECT paragraf_id FROM paragraf_mottagare WHERE mottagare_id = ? AND paragraf_id != ?",
                            (old, paragraf))
    with store.write():
        store.execute("INSERT INTO beslutsmottagare (tjansteskrivelse_id, nr, mottagare_id) VALUES (?, 4, ?)", (ts, new))
        store.execute("INSERT INTO paragraf_mottagare (paragraf_id, nr, mottagare_id) VALUES (?, 4, ?)",
                      (paragraf, new))
        store.execute("UPDATE paragraf_mottagare SET adress_bekraftad = 1, bekraftad_av = 'Eva', "
                      "bekraftad_datum = '2023-03-01' WHERE paragraf_id = ? AND mottagare_id = ?", (confirmed, old))
    assert recipient_ids(store, "beslutsmottagare", "tjansteskrivelse_id", ts) == [old, revisorerna, akten, new]
    assert people.suggested_keep(store, "mottagare", [old, new]) == new
    preview = people.recipient_merge_preview(store, new, [old])
    assert preview.problems == []
    assert preview.notes[0] == ("De besluten skickas i fortsättningen till Kommunstyrelsen, Box 1, 641 80 Katrineholm, "
                                "ks@katrineholm.se.")
    assert any("behöver bekräftas på nytt" in n for n in preview.notes)
    assert any("raden med Kommunstyrelsen tas bort" in n for n in preview.notes)

    people.merge_recipients(store, new, [old])
    assert recipient_ids(store, "beslutsmottagare", "tjansteskrivelse_id", ts) == [revisorerna, akten, new]
    assert recipient_ids(store, "paragraf_mottagare", "paragraf_id", paragraf) == [revisorerna, akten, new]
    line = store.row("SELECT * FROM paragraf_mottagare WHERE paragraf_id = ? AND mottagare_id = ?", (confirmed, new))
    assert (line["adress_bekraftad"], line["bekraftad_av"]) == (0, None)   # confirmed for another address
    assert refers_to(store, "mottagare", old) == []
    assert store.merged_record("mottagare", old)["fore"] == {"id": old, "namn": "Kommunstyrelsen", "adress": None,
                                                             "epost": None}
    logged = store.rows("SELECT * FROM andring WHERE tabell = 'beslutsmottagare' AND handelse = 'borttagen' "
                        "AND json_extract(fore, '$.mottagare_id') = ?", (old,))
    assert logged   # the line that went is in the ärende's history


def test_a_recipient_of_a_justerat_protokoll_is_not_merged_away(ready):
    store, meeting_id = ready
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1))
    old = store.row("SELECT id FROM mottagare WHERE namn = 'Kommunstyrelsen'")["id"]
    new = people.save_recipient(store, None, "Kommunstyrelsen", "Box 1, 641 80 Katrineholm", None)
    preview = people.recipient_merge_preview(store, new, [old])
    assert "står bland mottagarna i justerade protokoll (Socialnämnden 2023-02-22 § 5, " in preview.problems[0]
    unchanged(store, lambda: people.merge_recipients(store, new, [old]), match="justerade protokoll")
    assert people.suggested_keep(store, "mottagare", [new, old]) == old
    people.merge_recipients(store, old, [new])   # keeping the justerat one changes no justerat protokoll
    assert store.recipient(old)["adress"] is None and refers_to(store, "mottagare", new) == []


def test_a_recipient_an_utdrag_was_sent_to_is_not_merged_away(ready):
    store, meeting_id = ready
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1))
    row = next(r for r in store.dispatch_list(meeting_id) if not r["sekretess"])
    protokoll.mark_utdrag_sent(store, meeting_id, row["paragraf_id"], row["mottagare_id"], row["kanal"], by="test")
    twin = people.save_recipient(store, None, "Någon annan", None, None)
    assert any("Protokollsutdrag har redan skickats" in p
               for p in people.recipient_merge_preview(store, twin, [row["mottagare_id"]]).problems)


def test_recipient_merge_needs_two_existing_entries(demo):
    akten = demo.address_book()[0]["id"]
    unchanged(demo, lambda: people.merge_recipients(demo, akten, [akten]), match="behållas")
    unchanged(demo, lambda: people.merge_recipients(demo, akten, [99999]), match="finns inte")


# --- a new mandate period ---------------------------------------------------------------------------------------


def test_renewing_an_organs_seats_keeps_every_role(store):
    create_demo(store, today=dt.date(2026, 6, 1))
    nämnd = store.all_organs()[0]
    renewals = people.renewal_preview(store, nämnd["id"], "2027-01-01", "2030-12-31")
    assert len(renewals) == 13 and all(r.problem is None for r in renewals)
    leaving = next(r.seat for r in renewals if r.seat["namn"] == "Mats Ekholm")
    chosen = [r.seat["uppdrag_id"] for r in renewals if r.seat is not leaving]
    created = people.renew_seats(store, nämnd["id"], chosen, "2027-01-01", "2030-12-31")
    assert len(created) == 12
    roster = store.organ_seats(nämnd["id"], "2027-02-01")
    assert [(s["namn"], s["uppdrag_roll"]) for s in roster[:2]] == [
        ("Martin Edgélius", "ordforande"), ("Johanna Karlsson", "vice_ordforande")]
    assert "Mats Ekholm" not in [s["namn"] for s in roster] and all(s["till"] == "2030-12-31" for s in roster)
    assert len(store.organ_seats(nämnd["id"], "2026-12-31")) == 13   # the old period as it was

    again = {r.seat["namn"]: r.problem for r in people.renewal_preview(store, nämnd["id"], "2027-01-01", None)}
    assert again.pop("Mats Ekholm") is None
    assert again["Johanna Karlsson"] == ("Johanna Karlsson har redan ett uppdrag i organet från 2027-01-01 under "
                                         "den nya perioden.")
    unchanged(store, lambda: people.renew_seats(store, nämnd["id"], chosen[:1], "2027-01-01", None),
              match="har redan ett uppdrag")
    unchanged(store, lambda: people.renew_seats(store, nämnd["id"], created[:1], "2027-01-01", None),
              match="gäller inte i organet dagen före")


def test_renewing_ends_an_open_seat_and_refuses_what_would_overlap(store):
    create_demo(store, today=dt.date(2026, 6, 1))
    utskott = store.all_organs()[1]
    seats = store.organ_seats(utskott["id"], "2024-01-01")
    open_seat = seats[0]["uppdrag_id"]
    store.update_seat(open_seat, seats[0]["uppdrag_roll"], seats[0]["fran"], None)
    people.renew_seats(store, utskott["id"], [open_seat], "2025-01-01", "2026-12-31")
    assert store.seat(open_seat)["till"] == "2024-12-31"
    person = seats[1]["id"]
    store.end_seat(seats[1]["uppdrag_id"], "2024-06-30")
    store.add_seat(person, utskott["id"], "ledamot", "2024-07-01", None)
    problem = next(r.problem for r in people.renewal_preview(store, utskott["id"], "2024-06-01", None)
                   if r.seat["id"] == person)
    assert "har redan ett uppdrag i organet från 2024-07-01" in problem
    unchanged(store, lambda: people.renew_seats(store, utskott["id"], [seats[1]["uppdrag_id"]], "2024-06-01", None),
              match="Inga uppdrag har förnyats")
    unchanged(store, lambda: people.renew_seats(store, utskott["id"], [], "2027-01-01", None), match="Välj vilka")
    unchanged(store, lambda: people.renew_seats(store, utskott["id"], [open_seat], "2027-01-01", "2026-01-01"),
              match="kan inte sluta")
    with pytest.raises(NamndtoolError, match="ÅÅÅÅ-MM-DD"):
        people.renewal_preview(store, utskott["id"], "1 januari", None)


def test_register_arende_still_finds_a_merged_handlaggare_by_name(demo):
    matilda = sorted(p["id"] for p in demo.all_persons() if p["namn"] == "Matilda Johansson")
    people.merge_persons(demo, matilda[1], [matilda[0]])
    namnd_id = demo.namnder()[0]["id"]
    arende = diary.register_arende(demo, diary.NewArende(namnd_id, "Remiss", handlaggare="matilda johansson"))
    assert arende["handlaggare_id"] == matilda[1]


def test_an_id_given_again_after_a_merge_is_not_taken_for_the_merged_row(store):
    first = people.save_recipient(store, None, "Akten", None, None)
    second = people.save_recipient(store, None, "akten", None, None)
    people.merge_recipients(store, first, [second])
    assert store.merged_record("mottagare", second)["efter"]["sammanslagen_med"] == first
    again = people.save_recipient(store, None, "Vårdnadshavare 1", "Storgatan 1", None)
    assert again > second   # db/016: an id is never given again (before it, SQLite gave the highest id again)
    assert store.merged_record("mottagare", again) is None


def test_a_private_recipient_of_a_secret_case_never_changes_address_through_a_merge(demo):
    family = next(r for r in demo.address_book() if r["namn"] == "Vårdnadshavare 1")
    other_family = people.save_recipient(demo, None, "Vårdnadshavare 1", "Västra vägen 3, 641 32 Katrineholm", None)
    assert "vårdnadshavare 1" not in {g.rows[0]["namn"].casefold() for g in people.likely_duplicates(demo, "mottagare")}
    preview = people.recipient_merge_preview(demo, other_family, [family["id"]])
    assert "får beslut i sekretessärenden" in preview.problems[0] and "annan postadress" in preview.problems[0]
    unchanged(demo, lambda: people.merge_recipients(demo, other_family, [family["id"]]), match="sekretessärenden")
    same_address = people.save_recipient(demo, None, "vårdnadshavare 1", family["adress"], None)
    assert people.recipient_merge_preview(demo, family["id"], [same_address]).problems == []
    assert [len(g.rows) for g in people.likely_duplicates(demo, "mottagare")
            if g.rows[0]["namn"].casefold() == "vårdnadshavare 1"] == [2]
