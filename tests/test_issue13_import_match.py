"""Issue 13: an import finds the recipients and persons already in the store as the duplicate detection does
(identity_key: Unicode form, case and spaces aside), so a merge is not undone by the next import; but a namesake
at another address or e-mail stays a recipient of its own: a decision must never go to the wrong address."""

import json

from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import people

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


def _recipients(store, arende: str) -> list[dict]:
    return store.rows(
        """SELECT m.* FROM beslutsmottagare b JOIN tjansteskrivelse t ON t.id = b.tjansteskrivelse_id
           JOIN arende_nummer an ON an.arende_id = t.arende_id JOIN mottagare m ON m.id = b.mottagare_id
           WHERE an.diarienummer = ? ORDER BY b.nr""", (arende,))


def _with_recipients(sample_copy, arende: str, recipients: list[dict]):
    data = json.loads(sample_copy.read_text())
    (found,) = [a for a in data["arenden"] if a["diarienummer"] == arende]
    found["tjansteskrivelse"]["beslutet_skickas_till"] = recipients
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    return sample_copy


def test_an_import_finds_akten_merged_into_akten_and_does_not_recreate_it(store, sample_copy):
    akten = people.save_recipient(store, None, "Akten", None, None)
    import_meeting(store, sample_copy)
    assert [r["namn"] for r in store.address_book() if r["namn"].casefold() == "akten"] == ["Akten"]
    assert [r["id"] for r in _recipients(store, "SOCN/2023:17")][1] == akten   # written "akten" in the file
    # spaces and Unicode form do not matter either; the same line is not listed twice
    _with_recipients(sample_copy, "SOCN/2023:17", [
        {"namn": "  KOMMUNSTYRELSEN ", "adress": None, "epost": None}, {"namn": "akten"}, {"namn": "AKTEN"}])
    import_meeting(store, sample_copy)
    assert [r["namn"] for r in _recipients(store, "SOCN/2023:17")] == ["Kommunstyrelsen", "Akten"]
    assert len([r for r in store.address_book() if r["namn"].casefold() == "kommunstyrelsen"]) == 1


def test_a_namesake_at_another_address_or_e_mail_stays_a_recipient_of_its_own(store, sample_copy):
    family = people.save_recipient(store, None, "Vårdnadshavare 1", "Storgatan 12 B, 641 30 Katrineholm", None)
    ks = people.save_recipient(store, None, "Kommunstyrelsen", None, "ks@katrineholm.se")
    _with_recipients(sample_copy, "SOCN/2023:17", [
        {"namn": "vårdnadshavare 1", "adress": "Västra vägen 3, 641 32 Katrineholm"},
        {"namn": "VÅRDNADSHAVARE 1", "adress": "storgatan 12 b,  641 30 katrineholm"},
        {"namn": "kommunstyrelsen", "epost": "registrator@katrineholm.se"},
        {"namn": "Kommunstyrelsen"}])
    import_meeting(store, sample_copy)
    found = _recipients(store, "SOCN/2023:17")
    assert [(r["namn"], r["adress"], r["epost"]) for r in found] == [
        ("vårdnadshavare 1", "Västra vägen 3, 641 32 Katrineholm", None),
        ("Vårdnadshavare 1", "Storgatan 12 B, 641 30 Katrineholm", None),   # the same address, written otherwise
        ("kommunstyrelsen", None, "registrator@katrineholm.se"),
        ("Kommunstyrelsen", None, None)]   # no e-mail given is not the entry with one
    assert found[1]["id"] == family and ks not in [r["id"] for r in found]
    stored = store.recipient(family)
    assert stored["adress"] == "Storgatan 12 B, 641 30 Katrineholm"   # never rewritten by an import


def test_an_import_finds_a_person_by_name_in_any_case_but_not_one_with_another_e_mail(store, sample_copy):
    julia = store.ensure_person("Julia Lindberg", telefon="0150-570 00", epost="julia.lindberg@katrineholm.se",
                                roll="tjansteperson")
    data = json.loads(sample_copy.read_text())
    (plan,) = [a for a in data["arenden"] if a["diarienummer"] == "SOCN/2023:16"]
    plan["tjansteskrivelse"]["handlaggare"]["namn"] = "julia  LINDBERG"
    (other,) = [a for a in data["arenden"] if a["diarienummer"] == "SOCN/2022:100"]
    other["tjansteskrivelse"]["handlaggare"] = {"namn": "Julia Lindberg", "telefon": "0150-570 00",
                                                "epost": "julia.lindberg2@katrineholm.se"}
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    import_meeting(store, sample_copy)
    handlaggare = {r["diarienummer"]: r["handlaggare_id"] for r in store.rows(
        """SELECT an.diarienummer, t.handlaggare_id FROM tjansteskrivelse t
           JOIN arende_nummer an ON an.arende_id = t.arende_id""")}
    assert handlaggare["SOCN/2023:16"] == julia
    assert handlaggare["SOCN/2022:100"] not in (julia, None)
    assert store.person(handlaggare["SOCN/2022:100"])["epost"] == "julia.lindberg2@katrineholm.se"
