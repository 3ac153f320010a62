"""The meeting exchange format: import validates first and writes in one transaction; export gives it back."""

import hashlib
import json
from pathlib import Path

import pytest

from support import SAMPLE_DIR, SAMPLE_JSON, store_dump
from nämndtool.diarienummer import parse
from nämndtool.errors import NamndtoolError, ValidationError
from nämndtool.exchange.exporter import export_meeting
from nämndtool.exchange.importer import import_meeting
from nämndtool.text import identity_key

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


def _meaning(value):
    """Null and absent are the same; key order does not matter (dicts compare unordered); a recipient is known by
    its name compared as a name (the sample spells "Akten" in two ways, the store keeps the first)."""
    if isinstance(value, dict):
        return {k: _meaning(v) for k, v in _recipients_as_names(value).items() if v is not None}
    if isinstance(value, list):
        return [_meaning(v) for v in value]
    return value


def _recipients_as_names(value: dict) -> dict:
    if "beslutet_skickas_till" in value and isinstance(value["beslutet_skickas_till"], list):
        value = {**value, "beslutet_skickas_till": [{**r, "namn": identity_key(r["namn"])}
                                                    for r in value["beslutet_skickas_till"]]}
    return value


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with_file_content(data: dict, base: Path) -> dict:
    for arende in data["arenden"]:
        for bilaga in arende.get("bilagor") or []:
            bilaga["fil"] = _sha(base / bilaga["fil"])
    return data


def _store_bytes(store):
    """The store as it stands: the file's bytes (SQLite), every row (the server store)."""
    if store.dialect != "sqlite":
        return store_dump(store)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.path.read_bytes()


def test_import_then_export_is_lossless_bilagor_included(imported, tmp_path):
    store, meeting_id = imported
    out = tmp_path / "ut" / "moete.json"
    export_meeting(store, meeting_id, public=False, out=out)
    original = _with_file_content(json.loads(SAMPLE_JSON.read_text()), SAMPLE_DIR)
    exported = _with_file_content(json.loads(out.read_text()), out.parent)
    assert exported.pop("utgava") == "intern"   # the sample does not say; a file that does not say is internal
    assert _meaning(exported) == _meaning(original)
    assert len(list((out.parent / "bilagor").iterdir())) == 11


def test_export_of_reimported_export_is_identical(imported, tmp_path):
    store, meeting_id = imported
    first = tmp_path / "a" / "m.json"
    export_meeting(store, meeting_id, public=False, out=first)
    again = import_meeting(store, first)
    assert again.meeting_id == meeting_id and not again.created
    text, _ = export_meeting(store, meeting_id, public=False, out=None)
    assert json.loads(text) == json.loads(first.read_text())


def test_reimport_updates_the_same_meeting_in_place(imported):
    store, meeting_id = imported
    counts = {t: store.value(f"SELECT count(*) FROM {t}") for t in
              ("sammantrade", "dagordningspunkt", "arende", "handling", "person", "mottagare", "tjansteskrivelse")}
    result = import_meeting(store, SAMPLE_JSON)
    assert (result.meeting_id, result.created) == (meeting_id, False)
    assert counts == {t: store.value(f"SELECT count(*) FROM {t}") for t in counts}


def test_changed_reimport_updates_items_and_existing_arende(imported, sample_copy):
    store, meeting_id = imported
    data = json.loads(sample_copy.read_text())
    data["sammantrade"]["plats"] = "Sammanträdesrummet"
    data["dagordning"] = [i for i in data["dagordning"] if i["nr"] != 13]
    data["arenden"][0]["rubrik"] = "Socialnämndens årsredovisning för 2022"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    assert import_meeting(store, sample_copy).meeting_id == meeting_id
    assert store.meeting(meeting_id)["plats"] == "Sammanträdesrummet"
    assert [i["nr"] for i in store.agenda(meeting_id)] == [n for n in range(1, 16) if n != 13]
    assert store.arende_by_number(parse("SOCN/2023:17"))["rubrik"] == "Socialnämndens årsredovisning för 2022"
    assert store.value("SELECT count(*) FROM arende WHERE ar = 2023 AND lopnr = 17") == 1


def test_import_prints_structure_as_stored(imported):
    store, meeting_id = imported
    agenda = store.agenda(meeting_id)
    assert [i["nr"] for i in agenda] == list(range(1, 16))
    assert agenda[3]["rubrik"] == "Sekretessärende" and agenda[3]["sekretess"] == 1 and agenda[3]["arende_id"] is None
    meddelanden = agenda[14]
    assert meddelanden["diarienummer"] is None
    assert store.arende(meddelanden["arende_id"])["rubrik"] == "Meddelanden"
    assert store.tjansteskrivelse(meddelanden["arende_id"])["forslag"] == [
        "Socialnämnden lägger meddelandena till handlingarna."]
    ts = store.tjansteskrivelse(store.arende_by_number(parse("SOCN/2023:16"))["id"])
    assert ts["handlaggare"]["epost"] == "julia.lindberg@katrineholm.se"
    assert [b["titel"] for b in store.bilagor(ts["arende_id"])] == [
        "Socialnämndens plan med budget 2023", "Investeringsbudget 2023 med plan 2024-2027"]


def test_next_diary_number_after_import_is_one_above_the_highest(imported):
    import datetime as dt
    store, _ = imported
    namnd = store.the_namnd()
    assert store.register_arende(namnd["id"], "Nytt", today=dt.date(2023, 3, 1))["diarienummer"] == "SOCN/2023:20"
    assert store.register_arende(namnd["id"], "Nytt", today=dt.date(2022, 12, 30))["diarienummer"] == "SOCN/2022:112"


def test_invalid_import_writes_nothing_and_lists_every_problem(imported, sample_copy):
    store, _ = imported
    before = _store_bytes(store)
    data = json.loads(sample_copy.read_text())
    data["dagordning"][4]["diarienummer"] = "SOCN/2022:015"
    data["dagordning"][5]["nr"] = "sex"
    data["arenden"][1]["bilagor"][0]["fil"] = "bilagor/finns-inte.pdf"
    data["arenden"][2]["diarienummer"] = "SOU2021:93"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(ValidationError) as caught:
        import_meeting(store, sample_copy)
    paths = [p for p, _ in caught.value.problems]
    assert "$.dagordning[5].nr" in paths
    # Structural problems come first; once the shape is right, the rest are all reported together.
    data["dagordning"][5]["nr"] = 6
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(ValidationError) as caught:
        import_meeting(store, sample_copy)
    problems = dict(caught.value.problems)
    assert "KOD/ÅÅÅÅ:N" in problems["$.dagordning[4].diarienummer"]
    assert "finns-inte.pdf" in problems["$.arenden[1].bilagor[0].fil"]
    assert "SOU" in problems["$.arenden[2].diarienummer"]
    assert "Inget har sparats" in str(caught.value)
    assert _store_bytes(store) == before


def test_invalid_import_into_new_store_leaves_it_empty(store, sample_copy):
    data = json.loads(sample_copy.read_text())
    data["arenden"][0]["bilagor"][0]["fil"] = "bilagor/saknas.pdf"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(ValidationError):
        import_meeting(store, sample_copy)
    assert store.is_empty()
    assert not store.files_dir.exists() or not any(store.files_dir.rglob("*"))


@pytest.mark.parametrize("text, expected", [
    ("{", "rad 1"),
    ("", "ingen giltig JSON"),
    ('{"format": "namndtool.meeting/1",}', "kommatecken"),
])
def test_damaged_json_gets_a_swedish_message(store, tmp_path, text, expected):
    broken = tmp_path / "trasig.json"
    broken.write_text(text)
    with pytest.raises(NamndtoolError, match=expected):
        import_meeting(store, broken)


def test_meeting_without_date_is_refused(store, sample_copy):
    data = json.loads(sample_copy.read_text())
    data["sammantrade"]["datum"] = None
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(ValidationError) as caught:
        import_meeting(store, sample_copy)
    assert "saknar datum" in dict(caught.value.problems)["$.sammantrade.datum"]


def test_damaged_bilaga_is_stored_and_reported(store, sample_copy):
    damaged = sample_copy.parent / "bilagor" / "arsredovisning-2022.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    result = import_meeting(store, sample_copy)
    assert any("Socialnämndens årsredovisning 2022" in w and "skadad" in w for w in result.warnings)
    arende = store.arende_by_number(parse("SOCN/2023:17"))
    (bilaga,) = store.bilagor(arende["id"])
    assert bilaga["skadad"] and store.file_path(bilaga["sha256"]).read_bytes() == damaged.read_bytes()


def test_secret_flag_on_item_or_arende_makes_both_secret(store, sample_copy):
    data = json.loads(sample_copy.read_text())
    data["dagordning"][4]["sekretess"] = {"lagrum": "26 kap. 1 § OSL"}   # SOCN/2023:17, ärende not flagged
    data["arenden"][1]["sekretess"] = True                               # SOCN/2023:16, item not flagged
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    a17 = store.arende_by_number(parse("SOCN/2023:17"))
    a16 = store.arende_by_number(parse("SOCN/2023:16"))
    assert (a17["sekretess"], a17["sekretess_lagrum"]) == (1, "26 kap. 1 § OSL")
    assert a16["sekretess"] == 1
    items = {i["nr"]: i for i in store.agenda(meeting_id)}
    assert items[5]["sekretess"] == 1 and items[6]["sekretess"] == 1
    assert items[7]["sekretess"] == 0


def test_justerat_meeting_refuses_a_changing_reimport(imported, tmp_path):
    import datetime as dt
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import justera
    from test_protokoll import _complete
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    exported = tmp_path / "justerat" / "m.json"
    export_meeting(store, meeting_id, public=False, out=exported)
    assert import_meeting(store, exported).meeting_id == meeting_id   # the same content is fine
    before = _store_bytes(store)
    data = json.loads(exported.read_text())
    data["arenden"][0]["tjansteskrivelse"]["forslag_till_beslut"][0] = "Socialnämnden beslutar något annat."
    exported.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(NamndtoolError, match="justerat protokoll"):
        import_meeting(store, exported)
    data = json.loads(export_meeting(store, meeting_id, public=False, out=None)[0])
    data["protokoll"]["paragrafer"][4]["beslut"] = ["Ett annat beslut."]
    exported.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(NamndtoolError, match="justerat protokoll"):
        import_meeting(store, exported)
    assert _store_bytes(store) == before


def test_protokoll_section_round_trips(imported, tmp_path):
    from test_protokoll import _complete
    store, meeting_id = imported
    store.create_paragraphs(meeting_id)
    _complete(store, meeting_id)
    p6 = store.paragraf_by_number(meeting_id, 6)
    store.save_paragraf(p6["id"], {"votering_ja": 2, "votering_nej": 1, "votering_resultat": "Bifall",
                                   "propositionsordning": "Ordföranden ställer proposition på förslagen."},
                        yrkanden=[{"av": "Wahid Moosawi (M)", "text": "bifall"}, {"av": "Anders Gölevik (C)", "text": "avslag"}],
                        roster=[{"namn": "A", "rost": "ja"}, {"namn": "B", "rost": "ja"}, {"namn": "C", "rost": "nej"}],
                        reservationer=[{"av": ["Anders Gölevik (C)"], "text": "Till förmån för eget yrkande."}],
                        jav=["Jonas Sjöberg"])
    first = tmp_path / "a" / "m.json"
    export_meeting(store, meeting_id, public=False, out=first)
    exported = json.loads(first.read_text())
    assert exported["protokoll"]["paragrafer"][5]["omrostning"]["ja"] == 2
    assert exported["protokoll"]["narvaro"][2]["ersatter"] == "Johanna Karlsson"
    from nämndtool.store import Store
    with Store.open(tmp_path / "ny.sqlite") as other:
        new_id = import_meeting(other, first).meeting_id
        again = json.loads(export_meeting(other, new_id, None, public=False)[0])
    assert again["protokoll"] == exported["protokoll"]


def test_an_arende_already_in_the_store_is_the_same_arende(store, sample_copy):
    import datetime as dt
    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    for n in range(1, 18):
        existing = store.register_arende(namnd_id, f"Tidigare {n}", today=dt.date(2023, 1, 2))
    assert existing["diarienummer"] == "SOCN/2023:17"
    import_meeting(store, sample_copy)
    assert store.arende(existing["id"])["rubrik"] == "Socialnämndens årsredovisning 2022"
    # 2023:1–17 were there; the file brings 2023:16 and 2023:17 (updated) and 2023:19 (new).
    assert store.value("SELECT count(*) FROM arende WHERE ar = 2023") == 18


def test_item_with_number_but_no_arende_in_file_links_to_the_diary(store, sample_copy):
    # issue 14: the number must be in the diary (an unknown one is refused: tests/test_issue14_pack.py)
    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    store.save_arende_by_number(namnd_id, parse("SOCN/2017:31"), {"rubrik": "Verksamhetsinformation"})
    data = json.loads(sample_copy.read_text())
    verksamhet = next(i for i in data["dagordning"] if i["rubrik"] == "Verksamhetsinformation")
    verksamhet["diarienummer"] = "SOCN/2017:31"
    verksamhet["anteckning"] = "handlingarna dukas"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    item = next(i for i in store.agenda(meeting_id) if i["rubrik"] == "Verksamhetsinformation")
    assert item["diarienummer"] == "SOCN/2017:31" and item["anteckning"] == "handlingarna dukas"
    assert store.arende_by_number(parse("SOCN/2017:31"))["rubrik"] == "Verksamhetsinformation"


def test_unlinked_unnumbered_arende_is_a_validation_error(store, sample_copy):
    data = json.loads(sample_copy.read_text())
    data["arenden"][-1]["rubrik"] = "Meddelanden SOCN"
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(ValidationError) as caught:
        import_meeting(store, sample_copy)
    assert "ingen punkt på dagordningen" in str(caught.value)


def test_export_to_stdout_text_has_relative_bilaga_paths(imported):
    store, meeting_id = imported
    text, written = export_meeting(store, meeting_id, public=False, out=None)
    data = json.loads(text)
    assert written == []
    assert data["format"] == "namndtool.meeting/1"
    assert all(b["fil"].startswith("bilagor/") and "sha256" not in b
               for a in data["arenden"] for b in a["bilagor"])


def test_reimporting_an_old_file_never_lifts_secrecy(imported):
    store, meeting_id = imported
    arende = store.arende_by_number(parse("SOCN/2023:17"))
    with store.write():
        store.update("arende", {"id": arende["id"]}, {"sekretess": 1, "sekretess_lagrum": "26 kap. 1 § OSL"})
    import_meeting(store, SAMPLE_JSON)   # the file still says public
    again = store.arende(arende["id"])
    assert (again["sekretess"], again["sekretess_lagrum"]) == (1, "26 kap. 1 § OSL")
    item = next(i for i in store.agenda(meeting_id) if i["arende_id"] == arende["id"])
    assert item["sekretess"] == 1
