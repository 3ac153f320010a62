"""Issue 14, point 2 and the bilaga part of point 3: the meeting pack takes every item's own bilagor (linked by
diary number or by title) and invents no tjänsteskrivelse; an agenda diary number the store does not know is
refused on import, nothing saved; the pack warns only where the secretary can act; the contents page names the
nämnd and the kommun; every PDF registered as a handling is checked for accessibility (PDF/UA-1) and the agenda's
readiness notes a bilaga that is not."""

import datetime as dt
import json

import pytest
import typst

from docs_helpers import flat, pdf_outline, pdf_pages
from nämndtool.diarienummer import parse
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.errors import ValidationError
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import diary
from nämndtool.readiness import item_notes, notes_summary
from support import run_cli
from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

DELEGATION = "Anmälan av delegationsbeslut"
STATISTICS = ["Statistik försörjningsstöd januari 2023",
              "Beslutsstatistik – orsaker till försörjningsstöd januari 2023",
              "Statistik barn, unga och vuxna samt öppenvård januari 2023"]


def _edit(sample_copy, change) -> dict:
    data = json.loads(sample_copy.read_text())
    change(data)
    sample_copy.write_text(json.dumps(data, ensure_ascii=False))
    return data


def _delegation(data: dict) -> tuple[dict, dict]:
    item = next(i for i in data["dagordning"] if i["rubrik"] == DELEGATION)
    arende = next(a for a in data["arenden"] if a["rubrik"] == DELEGATION)
    return item, arende


def _item_bookmarks(pdf: bytes, heading: str) -> list[str]:
    """The bilagor bookmarked under an item of the pack."""
    outline = pdf_outline(pdf)
    start = next(n for n, (level, title, _) in enumerate(outline) if level == 0 and title == heading)
    children = []
    for level, title, _ in outline[start + 1:]:
        if level == 0:
            break
        children.append(title)
    return children


def _pack_text(pdf: bytes) -> str:
    return flat(" ".join(pdf_pages(pdf)))


# --- the pack takes the item's own bilagor and invents nothing ------------------------------------------------------


def test_a_delegation_item_with_its_own_bilagor_and_nothing_registered_keeps_them(store, sample_copy):
    """The real pack's case: the ärende has the month's statistics as bilagor, no tjänsteskrivelse, and the store
    has no delegationsbeslut. The pack has the statistics and no generated 'Redovisning av 0 beslut'."""
    _edit(sample_copy, lambda data: _delegation(data)[1].pop("tjansteskrivelse"))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    for public in (False, True):
        pack = build_pack(store, meeting_id, public, load_branding())
        assert _item_bookmarks(pack.pdf, f"14. {DELEGATION}") == STATISTICS
        text = _pack_text(pack.pdf)
        assert "Redovisning av 0 beslut" not in text and "Redovisning av" not in text
        assert not any("står inte under Ärendets handlingar" in w for w in pack.warnings)


def test_a_registered_delegationsbeslut_list_comes_with_the_items_own_bilagor(store, sample_copy):
    _edit(sample_copy, lambda data: _delegation(data)[1].pop("tjansteskrivelse"))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    namnd_id = store.meeting(meeting_id)["namnd_id"]
    diary.register_delegationsbeslut(store, diary.NewDelegationsbeslut(
        namnd_id, dt.date(2023, 1, 20), "Matilda Johansson", "3.1.2", "Beviljat försörjningsstöd"))
    pack = build_pack(store, meeting_id, False, load_branding())
    assert _item_bookmarks(pack.pdf, f"14. {DELEGATION}") == STATISTICS
    assert "Redovisning av 1 beslut" in _pack_text(pack.pdf)


def test_an_item_without_tjansteskrivelse_bilagor_or_registry_entries_gets_no_pages(store, sample_copy):
    def change(data):
        _delegation(data)[1].pop("tjansteskrivelse")
        _delegation(data)[1]["bilagor"] = []
    _edit(sample_copy, change)
    meeting_id = import_meeting(store, sample_copy).meeting_id
    pack = build_pack(store, meeting_id, False, load_branding())
    assert f"14. {DELEGATION}" not in [title for _, title, _ in pdf_outline(pack.pdf)]
    assert "Redovisning av" not in _pack_text(pack.pdf)


def test_an_item_numbered_in_the_agenda_links_by_title_to_its_unnumbered_arende(store, sample_copy):
    """The agenda gives the item a diary number, the file's ärende has none: they are one ärende by title, which
    takes the number; the kallelse prints it and the pack has the bilagor."""
    def change(data):
        _delegation(data)[0]["diarienummer"] = "SOCN/2023:5"
        _delegation(data)[1].pop("tjansteskrivelse")
    _edit(sample_copy, change)
    meeting_id = import_meeting(store, sample_copy).meeting_id
    item = next(i for i in store.agenda(meeting_id) if i["rubrik"] == DELEGATION)
    assert item["diarienummer"] == "SOCN/2023:5"
    assert [b["titel"] for b in store.bilagor(item["arende_id"])] == STATISTICS
    assert _item_bookmarks(build_pack(store, meeting_id, False, load_branding()).pdf,
                           f"14. {DELEGATION}") == STATISTICS
    again = import_meeting(store, sample_copy).meeting_id   # the same ärende again, not a second one
    assert store.value("SELECT count(*) FROM arende WHERE rubrik = ?", (DELEGATION,)) == 1
    assert next(i for i in store.agenda(again) if i["rubrik"] == DELEGATION)["arende_id"] == item["arende_id"]


def test_an_unnumbered_item_links_by_title_to_a_numbered_arende(store, sample_copy):
    _edit(sample_copy, lambda data: _delegation(data)[1].update(diarienummer="SOCN/2023:5"))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    item = next(i for i in store.agenda(meeting_id) if i["rubrik"] == DELEGATION)
    assert item["diarienummer"] == "SOCN/2023:5"
    pack = build_pack(store, meeting_id, False, load_branding())
    assert _item_bookmarks(pack.pdf, f"14. {DELEGATION}") == STATISTICS
    text = _pack_text(pack.pdf)   # the item's own tjänsteskrivelse, not a list made from the registry
    assert "Redovisning av delegationsbeslut tagna på socialnämndens vägnar under januari" in text
    assert "Redovisning av 0 beslut" not in text


# --- an unknown diary number is refused, never dropped ---------------------------------------------------------------


def test_an_agenda_number_unknown_to_the_store_and_the_file_is_refused_and_nothing_is_saved(store, sample_copy):
    import_meeting(store, sample_copy)   # a meeting already there: the refusal must leave it as it was

    def change(data):
        item = next(i for i in data["dagordning"] if i["rubrik"] == "Verksamhetsinformation")
        item["diarienummer"] = "SOCN/2023:88"
        item["rubrik"] = "Verksamhetsinformation från enheten"
    _edit(sample_copy, change)
    unchanged(store, lambda: import_meeting(store, sample_copy), ValidationError)
    with pytest.raises(ValidationError) as refused:
        import_meeting(store, sample_copy)
    message = str(refused.value)
    assert "Inget har sparats" in message
    assert ("punkt 13 (Verksamhetsinformation från enheten) har diarienumret SOCN/2023:88, men det ärendet finns "
            "varken i diariet eller i filen") in message
    assert "Registrera ärendet i diariet" in message


def test_a_number_the_diary_has_is_linked(store, sample_copy):
    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    arende_id = store.save_arende_by_number(namnd_id, parse("SOCN/2023:88"), {"rubrik": "Verksamhetsinformation"})
    _edit(sample_copy, lambda data: next(i for i in data["dagordning"] if i["rubrik"] == "Verksamhetsinformation")
          .update(diarienummer="SOCN/2023:88"))
    meeting_id = import_meeting(store, sample_copy).meeting_id
    assert next(i for i in store.agenda(meeting_id) if i["nr"] == 13)["arende_id"] == arende_id


# --- warnings and the contents page ----------------------------------------------------------------------------------


def test_the_pack_warns_only_about_what_the_secretary_can_act_on(store, sample_copy):
    """SOCN/2022:100 as in the seed: Ärendets handlingar names the tjänsteskrivelse and a report, the ärende's one
    bilaga is an earlier § under another title. The bilaga is in the pack and the tjänsteskrivelse is the pack's
    own page, so neither is a warning; the report, listed but nowhere in the ärende, is one that says what to do."""
    def change(data):
        arende = next(a for a in data["arenden"] if a["diarienummer"] == "SOCN/2022:100")
        arende["tjansteskrivelse"]["handlingar"] = [
            "Tjänsteskrivelse från socialförvaltningen, 2022-12-01",
            "Rapport från kontroll av dataskyddsefterlevnad för socialnämnden 2022"]
    _edit(sample_copy, change)
    meeting_id = import_meeting(store, sample_copy).meeting_id
    warnings = build_pack(store, meeting_id, False, load_branding()).warnings
    assert warnings == [
        "Punkt 12 (Åtterrapporering - socialnämndens dataskyddsefterlevnad): ”Rapport från kontroll av "
        "dataskyddsefterlevnad för socialnämnden 2022” står under Ärendets handlingar men finns inte som "
        "bilaga i ärendet. Registrera filen under fliken Handlingar i ärendet och gör den till bilaga, eller ta bort raden "
        "ur Ärendets handlingar."]


def test_the_contents_page_names_the_namnd_and_the_kommun(store, sample_copy):
    meeting_id = import_meeting(store, sample_copy).meeting_id
    pdf = build_pack(store, meeting_id, False, load_branding()).pdf
    page = next(p for _, title, p in pdf_outline(pdf) if title == "Innehåll")
    lines = [line.strip() for line in pdf_pages(pdf)[page].splitlines() if line.strip()]
    assert "Socialnämnden" in lines and "Katrineholms kommun" in lines
    assert sum(line.startswith("Socialnämnden") for line in lines[:4]) == 1, lines[:4]
    assert "Handlingar till Socialnämndens sammanträde 2023-02-22" in flat(" ".join(lines))


# --- accessibility of bilagor ----------------------------------------------------------------------------------------


def accessible_pdf(path, title: str):
    source = path.with_suffix(".typ")
    source.write_text(f'#set document(title: "{title}")\n#set text(lang: "sv")\n= {title}\n\nSiffror för månaden.\n')
    path.write_bytes(typst.compile(str(source), pdf_standards=["ua-1"]))
    return path


def test_each_bilaga_is_checked_for_accessibility_on_import(store, sample_copy):
    first, second, third = STATISTICS
    accessible_pdf(sample_copy.parent / "bilagor" / "statistik-forsorjningsstod-januari-2023.pdf", first)
    (sample_copy.parent / "bilagor" / "trasig.pdf").write_bytes(b"%PDF-1.4\n1 0 obj trasig")

    def change(data):
        _delegation(data)[1]["bilagor"][2]["fil"] = "bilagor/trasig.pdf"
    _edit(sample_copy, change)
    meeting_id = import_meeting(store, sample_copy).meeting_id    # a broken PDF is imported, not a crash
    item = next(i for i in store.agenda(meeting_id) if i["rubrik"] == DELEGATION)
    assert {b["titel"]: b["tillganglig"] for b in store.bilagor(item["arende_id"])} == {
        first: 1, second: 0, third: 0}
    assert item["antal_ej_tillgangliga"] == 2
    assert item_notes(item) == ["bilaga ej tillgänglighetsanpassad"]


def test_the_readiness_notes_an_inaccessible_bilaga_and_the_pack_is_still_built(store, sample_copy, tmp_path):
    meeting_id = import_meeting(store, sample_copy).meeting_id
    agenda = {i["nr"]: i for i in store.agenda(meeting_id)}
    assert item_notes(agenda[12]) == ["bilaga ej tillgänglighetsanpassad"]   # a reportlab PDF, untagged
    assert item_notes(agenda[9]) == []                                        # no bilaga
    assert item_notes(agenda[1]) == []                                        # no ärende
    assert notes_summary(list(agenda.values())) == (
        "Bilaga ej tillgänglighetsanpassad i punkterna 5, 6, 7, 8, 10, 11, 12 och 14: be handläggaren om en "
        "tillgänglig version före publiceringen.")
    assert build_pack(store, meeting_id, True, load_branding()).pdf   # a note, not a blocker

    # an accessible version registered in the app (or with the CLI) and made the bilaga instead: the note goes
    arende_id = agenda[9]["arende_id"]
    diary.add_handling(store, diary.NewHandling(arende_id, "Rapport", riktning="upprattad",
                                                path=accessible_pdf(tmp_path / "rapport.pdf", "Rapport"),
                                                bilaga=True), by="sara")
    assert item_notes(next(i for i in store.agenda(meeting_id) if i["nr"] == 9)) == []
    diary.add_handling(store, diary.NewHandling(arende_id, "Skannad rapport", riktning="in",
                                                path=sample_copy.parent / "bilagor" / "arsredovisning-2022.pdf",
                                                bilaga=True), by="sara")
    assert item_notes(next(i for i in store.agenda(meeting_id) if i["nr"] == 9)) == [
        "bilaga ej tillgänglighetsanpassad"]


def test_a_file_that_is_no_pdf_is_not_checked(store, tmp_path):
    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    arende = store.register_arende(namnd_id, "Yttrande", today=dt.date(2026, 1, 12))
    note = tmp_path / "yttrande.txt"
    note.write_text("Ett yttrande.")
    handling_id = diary.add_handling(store, diary.NewHandling(arende["id"], "Yttrande", path=note), by="sara")
    sha = store.handling(handling_id)["fil_sha256"]
    assert store.value("SELECT tillganglig FROM fil WHERE sha256 = ?", (sha,)) is None



def test_an_unknown_number_given_on_the_command_line_is_refused_with_the_number(store, sample_copy):
    meeting_id = import_meeting(store, sample_copy).meeting_id
    before = store.agenda(meeting_id)
    result = run_cli("meeting", "add-item", "--meeting", str(meeting_id), "--case", "SOCN/2023:88",
                     db=store.location)
    assert result.returncode == 1 and "SOCN/2023:88 finns inte i diariet" in result.stderr
    assert store.agenda(meeting_id) == before
