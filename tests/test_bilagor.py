"""Issue 13, point 1: a handling with a file is a bilaga to the tjänsteskrivelse when it is marked so. The operations
on a real store (every refusal changes nothing), the order the pack follows, the pack's warnings, the exchange
round trip, and a secret handling of a public ärende kept out of everything public."""

import datetime as dt
import io
import json

import pytest
from reportlab.pdfgen.canvas import Canvas

from docs_helpers import flat, pdf_outline, pdf_pages
from nämndtool.documents.branding import load_branding
from nämndtool.documents.pack import build_pack
from nämndtool.errors import ConflictError, NotFoundError
from nämndtool.exchange.exporter import export_meeting
from nämndtool.exchange.importer import import_meeting
from nämndtool.operations import diary, secrecy
from nämndtool.store import Store
from test_operations import unchanged

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

OSL = "26 kap. 1 § OSL"
TODAY = dt.date(2026, 1, 12)


def pdf(path, text: str):
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def case(store, tmp_path):
    """A public ärende on a coming meeting, with a tjänsteskrivelse that lists "Plan 2027" and no bilaga yet:
    what the nämndsekreterare found. Yields (store, meeting_id, arende_id, folder)."""
    namnd_id = store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen")
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = store.save_meeting(organ_id, "2026-02-18", {"tid": "13:00", "plats": "Solrosen"})
    arende = store.register_arende(namnd_id, "Internkontrollplan 2027", today=TODAY, status="klart_for_namnd")
    store.save_tjansteskrivelse(arende["id"], {"rubrik": "Internkontrollplan 2027"},
                                forslag=["Socialnämnden godkänner planen."], avsnitt=[], handlingar=["Plan 2027"],
                                undertecknare=[], mottagare_ids=[])
    store.save_agenda(meeting_id, [{"nr": 1, "rubrik": arende["rubrik"], "typ": "arende", "arende_id": arende["id"],
                                    "sekretess": 0}])
    return store, meeting_id, arende["id"], tmp_path


def handling(store, arende_id, folder, title, *, bilaga=False, secret=False, riktning="in", file=True) -> int:
    path = pdf(folder / f"{title}.pdf", f"Innehåll i {title}") if file else None
    return diary.add_handling(store, diary.NewHandling(
        arende_id, title, riktning=riktning, datum=TODAY, motpart="Polisen", secret=secret,
        lagrum=OSL if secret else None, path=path, bilaga=bilaga), by="sara")


def titles(store, arende_id) -> list[str]:
    return [b["titel"] for b in store.bilagor(arende_id)]


def agenda_counts(store, meeting_id) -> tuple[int, int]:
    item = store.agenda(meeting_id)[0]
    return item["antal_listade"], item["antal_bilagor"]


# --- the user's path: a registered PDF becomes a bilaga ---------------------------------------------------------


def test_a_registered_handling_made_a_bilaga_goes_into_the_pack(case):
    store, meeting_id, arende_id, folder = case
    handling_id = handling(store, arende_id, folder, "Plan 2027")
    assert titles(store, arende_id) == [] and agenda_counts(store, meeting_id) == (1, 0)

    before = build_pack(store, meeting_id, False, load_branding())
    assert [w.split(": ", 1)[1] for w in before.warnings] == [
        "”Plan 2027” står under Ärendets handlingar och är registrerad i ärendet, men är ingen bilaga och kommer "
        "därför inte med i handlingarna. Öppna ärendet, välj handlingen under fliken Handlingar och klicka på Gör "
        "till bilaga."]
    assert "Plan 2027" not in [title for _, title, _ in pdf_outline(before.pdf)]

    bilagor = diary.mark_bilaga(store, handling_id)
    assert [(b["id"], b["nr"], b["titel"]) for b in bilagor] == [(handling_id, 1, "Plan 2027")]
    assert agenda_counts(store, meeting_id) == (1, 1)
    kept = store.handling(handling_id)   # still the registered letter: direction, date, sender, who registered it
    assert (kept["riktning"], kept["datum"], kept["motpart"], kept["registrerad_av"]) == \
        ("in", TODAY.isoformat(), "Polisen", "sara")
    for public in (False, True):
        after = build_pack(store, meeting_id, public, load_branding())
        assert after.warnings == []
        assert "Plan 2027" in [title for _, title, _ in pdf_outline(after.pdf)]
        assert "Innehåll i Plan 2027" in flat(" ".join(pdf_pages(after.pdf)))


def test_registering_a_handling_as_a_bilaga_puts_it_last(case):
    store, _meeting_id, arende_id, folder = case
    first = handling(store, arende_id, folder, "Plan 2027", bilaga=True)
    handling(store, arende_id, folder, "Följebrev")
    second = handling(store, arende_id, folder, "Riskanalys", bilaga=True)
    assert [(b["id"], b["nr"]) for b in store.bilagor(arende_id)] == [(first, 1), (second, 2)]


def test_unmarking_a_bilaga_keeps_the_handling_and_closes_up_the_order(case):
    store, _meeting_id, arende_id, folder = case
    ids = [handling(store, arende_id, folder, t, bilaga=True) for t in ("A", "B", "C")]
    assert diary.mark_bilaga(store, ids[1], False) == store.bilagor(arende_id)
    assert [(b["titel"], b["nr"]) for b in store.bilagor(arende_id)] == [("A", 1), ("C", 2)]
    assert store.handling(ids[1])["bilaga_nr"] is None
    diary.mark_bilaga(store, ids[0])   # already a bilaga: nothing moves
    assert titles(store, arende_id) == ["A", "C"]


def test_dropped_files_become_bilagor_in_the_order_given(case):
    store, _meeting_id, arende_id, folder = case
    handling(store, arende_id, folder, "Plan 2027", bilaga=True)
    files = [(pdf(folder / "b.pdf", "b"), "Riskanalys"), (pdf(folder / "c.pdf", "c"), "Följebrev")]
    ids = diary.register_files(store, arende_id, files, datum="2026-01-13", bilagor=True)
    assert titles(store, arende_id) == ["Plan 2027", "Riskanalys", "Följebrev"]
    dropped = [diary.DroppedFile(pdf(folder / "d.pdf", "d"), "Yttrande", True),
               diary.DroppedFile(pdf(folder / "e.pdf", "e"), "Kvitto", False)]
    more = diary.register_files(store, arende_id, dropped, datum="2026-01-13")
    assert titles(store, arende_id)[-1] == "Yttrande" and store.handling(more[1])["bilaga_nr"] is None
    assert {store.handling(i)["registrerad_av"] is not None for i in ids + more} == {True}


def test_dropped_files_in_a_secret_arende_are_secret_bilagor(store, tmp_path):
    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    arende = store.register_arende(namnd_id, "Ansökan om vård enligt LVU", today=TODAY, sekretess=1,
                                   sekretess_lagrum=OSL, offentlig_rubrik="Sekretess")
    diary.register_files(store, arende["id"], [(pdf(tmp_path / "u.pdf", "u"), "Utredning")], bilagor=True)
    (bilaga,) = store.bilagor(arende["id"])
    assert (bilaga["titel"], bilaga["sekretess"], bilaga["sekretess_lagrum"]) == ("Utredning", 1, OSL)


# --- refusals change nothing ------------------------------------------------------------------------------------


def test_a_handling_without_a_file_cannot_be_a_bilaga(case):
    store, _meeting_id, arende_id, folder = case
    letter = handling(store, arende_id, folder, "Telefonanteckning", file=False)
    unchanged(store, lambda: diary.mark_bilaga(store, letter), match="behöver en fil")
    new = diary.NewHandling(arende_id, "Telefonanteckning", bilaga=True)
    assert diary.handling_problems(new, store.arende(arende_id)) == [
        "En bilaga behöver en fil, för den följer med tjänsteskrivelsen i handlingarna. Välj filen, eller "
        "registrera handlingen utan att göra den till bilaga."]
    unchanged(store, lambda: diary.add_handling(store, new), match="behöver en fil")


def test_a_secret_handling_cannot_be_a_bilaga_of_a_public_arende(case):
    store, _meeting_id, arende_id, folder = case
    secret = handling(store, arende_id, folder, "Läkarintyg", secret=True)
    unchanged(store, lambda: diary.mark_bilaga(store, secret), match="omfattas av sekretess men ärendet är offentligt")
    path = pdf(folder / "intyg.pdf", "Intyg")
    new = diary.NewHandling(arende_id, "Intyg", secret=True, lagrum=OSL, path=path, bilaga=True)
    assert any("version utan de sekretessbelagda uppgifterna" in p
               for p in diary.handling_problems(new, store.arende(arende_id)))
    unchanged(store, lambda: diary.add_handling(store, new), match="ärendet är offentligt")
    assert titles(store, arende_id) == []


def test_a_secret_handling_of_a_secret_arende_may_be_a_bilaga(store, tmp_path):
    namnd_id = store.save_namnd("SOCN", "Socialnämnden")
    arende = store.register_arende(namnd_id, "Ansökan om vård enligt LVU", today=TODAY, sekretess=1,
                                   sekretess_lagrum=OSL, offentlig_rubrik="Sekretess")
    secret = handling(store, arende["id"], tmp_path, "Utredning", secret=True)
    assert [b["id"] for b in diary.mark_bilaga(store, secret)] == [secret]


def test_moving_and_ordering_refusals(case):
    store, _meeting_id, arende_id, folder = case
    ids = [handling(store, arende_id, folder, t, bilaga=True) for t in ("A", "B")]
    plain = handling(store, arende_id, folder, "C")
    unchanged(store, lambda: diary.move_bilaga(store, plain, -1), match="ingen bilaga")
    unchanged(store, lambda: diary.order_bilagor(store, arende_id, [ids[1]]), error=ConflictError)
    unchanged(store, lambda: diary.order_bilagor(store, arende_id, [ids[1], plain]), error=ConflictError)
    unchanged(store, lambda: diary.order_bilagor(store, arende_id, [ids[0], ids[0]]), error=ConflictError)
    unchanged(store, lambda: diary.mark_bilaga(store, 9999), error=NotFoundError)


# --- the order the handläggare sets ------------------------------------------------------------------------------


def test_moving_a_bilaga_reorders_the_pack(case):
    store, meeting_id, arende_id, folder = case
    ids = [handling(store, arende_id, folder, t, bilaga=True) for t in ("Plan 2027", "Riskanalys", "Följebrev")]
    diary.move_bilaga(store, ids[2], -1)
    assert titles(store, arende_id) == ["Plan 2027", "Följebrev", "Riskanalys"]
    diary.move_bilaga(store, ids[0], 5)    # stops at the end
    assert titles(store, arende_id) == ["Följebrev", "Riskanalys", "Plan 2027"]
    diary.order_bilagor(store, arende_id, [ids[1], ids[0], ids[2]])
    outline = [title for level, title, _ in pdf_outline(build_pack(store, meeting_id, False, load_branding()).pdf)
               if level == 1]
    assert outline == ["Riskanalys", "Plan 2027", "Följebrev"]


def test_the_order_of_arendets_handlingar_orders_the_bilagor_when_the_editor_saves(case):
    store, _meeting_id, arende_id, folder = case
    for t in ("Plan 2027", "Riskanalys", "Följebrev"):
        handling(store, arende_id, folder, t, bilaga=True)
    versions = store.editor_versions(arende_id)
    ts = store.tjansteskrivelse(arende_id)
    payload = {"header": {"rubrik": ts["rubrik"]}, "forslag": ts["forslag"], "avsnitt": [], "undertecknare": [],
               "mottagare_ids": [], "handlingar": ["Tjänsteskrivelse", "följebrev", "Plan 2027"]}
    diary.save_arende(store, arende_id, versions, arende_changes={}, tjansteskrivelse=payload)
    # the two listed take the list's order in the places they held; Riskanalys, not listed, keeps its place
    assert titles(store, arende_id) == ["Följebrev", "Riskanalys", "Plan 2027"]


def test_listed_titles_follow_the_bilagor():
    assert diary.listed_with_bilagor(["Tjänsteskrivelse", "A", "B"], ["A", "B"], ["B", "A", "C"]) == \
        ["Tjänsteskrivelse", "B", "A", "C"]
    assert diary.listed_with_bilagor(["A", "B", "Protokoll"], ["A", "B"], ["B"]) == ["B", "Protokoll"]
    assert diary.listed_with_bilagor([], [], ["Plan"]) == ["Plan"]
    assert diary.listed_with_bilagor(["Yttrande"], ["A"], ["A", "Z"]) == ["Yttrande", "Z"]   # A was left out
    bilagor = [{"id": 1, "titel": "A"}, {"id": 2, "titel": "B"}, {"id": 3, "titel": "C"}]
    assert diary.bilagor_in_listed_order(bilagor, ["c", "Annat", "A"]) == [3, 2, 1]
    assert diary.bilagor_in_listed_order(bilagor, []) == [1, 2, 3]


# --- the pack's warnings say what to do ------------------------------------------------------------------------------


def test_the_pack_warns_only_where_the_secretary_can_act(case):
    store, meeting_id, arende_id, folder = case
    handling(store, arende_id, folder, "Riskanalys", bilaga=True)
    warnings = [w.split(": ", 1)[1] for w in build_pack(store, meeting_id, False, load_branding()).warnings]
    # issue 14: a bilaga in the pack that the list does not name (Riskanalys) is no warning on every build
    assert warnings == [
        "”Plan 2027” står under Ärendets handlingar men finns inte som bilaga i ärendet. Registrera filen under "
        "fliken Handlingar i ärendet och gör den till bilaga, eller ta bort raden ur Ärendets handlingar."]
    handling(store, arende_id, folder, "Plan 2027", secret=True)
    warnings = [w.split(": ", 1)[1] for w in build_pack(store, meeting_id, False, load_branding()).warnings]
    assert warnings[0] == (
        "”Plan 2027” står under Ärendets handlingar men är en handling med sekretess i ett offentligt ärende, så den "
        "kan inte bli bilaga. Registrera en version utan de sekretessbelagda uppgifterna och gör den till bilaga, "
        "eller ta bort raden ur Ärendets handlingar.")
    store.set_meeting_status(meeting_id, "justerat")
    assert build_pack(store, meeting_id, False, load_branding()).warnings == []   # decided: nothing to do


# --- a secret handling in a public ärende: kept out of public outputs ---------------------------------------------


@pytest.fixture
def secret_bilaga(store, tmp_path):
    """A secret ärende whose secret handling is a bilaga, then made public by a recorded decision: its handling
    stays secret, so a public ärende now has a secret bilaga."""
    namnd_id = store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen")
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = store.save_meeting(organ_id, "2026-02-18", {"tid": "13:00", "plats": "Solrosen"})
    arende = store.register_arende(namnd_id, "Ersättning till familjehem", today=TODAY, sekretess=1,
                                   sekretess_lagrum=OSL, offentlig_rubrik="Ersättning till familjehem")
    store.save_tjansteskrivelse(arende["id"], {"rubrik": "Ersättning till familjehem"}, forslag=["Nämnden beslutar."],
                                avsnitt=[], handlingar=["Riktlinje"], undertecknare=[], mottagare_ids=[])
    handling(store, arende["id"], tmp_path, "Riktlinje", bilaga=True)
    handling(store, arende["id"], tmp_path, "Familjehemsutredning Kvarnbacken", bilaga=True, secret=True)
    store.save_agenda(meeting_id, [{"nr": 1, "rubrik": arende["rubrik"], "typ": "arende", "arende_id": arende["id"],
                                    "sekretess": 1, "sekretess_lagrum": OSL}])
    secrecy.unseal_arende(store, arende["id"], "Beslutet om ersättningsnivåer är inte sekretess.")
    assert not store.arende(arende["id"])["sekretess"] and not store.agenda(meeting_id)[0]["sekretess"]
    return store, meeting_id, arende["id"], tmp_path


def test_a_secret_bilaga_of_a_public_arende_stays_out_of_the_public_pack(secret_bilaga):
    store, meeting_id, arende_id, _folder = secret_bilaga
    public = build_pack(store, meeting_id, True, load_branding())
    text = flat(" ".join(pdf_pages(public.pdf))) + " ".join(t for _, t, _ in pdf_outline(public.pdf))
    assert "Riktlinje" in text
    assert "Kvarnbacken" not in text and b"Kvarnbacken" not in public.pdf
    assert any("”Familjehemsutredning Kvarnbacken” omfattas av sekretess och är bara med i den interna versionen"
               in w for w in public.warnings)
    internal = build_pack(store, meeting_id, False, load_branding())
    assert "Familjehemsutredning Kvarnbacken" in [t for _, t, _ in pdf_outline(internal.pdf)]
    # Ärendets handlingar of the public ärende may not name it, and no warning asks for it there
    assert diary.listable_bilagor(store.bilagor(arende_id), False) == ["Riktlinje"]
    assert not any("Kvarnbacken" in w and "Hämta från bilagorna" in w for w in internal.warnings)


def test_a_secret_bilaga_keeps_its_secrecy_through_export_and_import(secret_bilaga, tmp_path):
    store, meeting_id, arende_id, _folder = secret_bilaga
    text, _files = export_meeting(store, meeting_id, tmp_path / "ut" / "mote.json", public=False)
    exported = json.loads(text)["arenden"][0]["bilagor"]
    assert [(b["titel"], b.get("sekretess")) for b in exported] == [
        ("Riktlinje", None), ("Familjehemsutredning Kvarnbacken", {"lagrum": OSL})]
    public_text, _ = export_meeting(store, meeting_id, tmp_path / "offentlig" / "mote.json", public=True)
    assert "Kvarnbacken" not in public_text

    with Store.open(tmp_path / "annan.sqlite") as other:
        import_meeting(other, tmp_path / "ut" / "mote.json")
        (other_arende,) = [a["id"] for a in other.list_arenden()]
        assert [(b["titel"], b["sekretess"], b["sekretess_lagrum"]) for b in other.bilagor(other_arende)] == [
            ("Riktlinje", 0, None), ("Familjehemsutredning Kvarnbacken", 1, OSL)]
        other_meeting = other.meetings()[0]["id"]
        public = build_pack(other, other_meeting, True, load_branding())
        assert b"Kvarnbacken" not in public.pdf


# --- the exchange round trip keeps the marking and the order ----------------------------------------------------


def test_export_and_import_keep_which_handlingar_are_bilagor_and_their_order(case, tmp_path):
    store, meeting_id, arende_id, folder = case
    ids = [handling(store, arende_id, folder, t, bilaga=True) for t in ("Plan 2027", "Riskanalys", "Följebrev")]
    plain = handling(store, arende_id, folder, "Kvitto")
    diary.order_bilagor(store, arende_id, [ids[2], ids[0], ids[1]])
    out = tmp_path / "ut" / "mote.json"
    export_meeting(store, meeting_id, out, public=False)
    rows_before = store.handlingar(arende_id)

    import_meeting(store, out)    # into the same store: the same handlingar, nothing added, nothing moved
    assert store.handlingar(arende_id) == rows_before
    assert titles(store, arende_id) == ["Följebrev", "Plan 2027", "Riskanalys"]

    with Store.open(tmp_path / "annan.sqlite") as other:
        import_meeting(other, out)
        (other_arende,) = [a["id"] for a in other.list_arenden()]
        assert titles(other, other_arende) == ["Följebrev", "Plan 2027", "Riskanalys"]

    data = json.loads(out.read_text("utf-8"))   # the file reordered and one dropped: the store follows it
    data["arenden"][0]["bilagor"] = [data["arenden"][0]["bilagor"][i] for i in (2, 0)]
    out.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    import_meeting(store, out)
    assert titles(store, arende_id) == ["Riskanalys", "Följebrev"]
    assert store.handling(ids[0])["bilaga_nr"] is None          # a registered handling is unmarked, never removed
    assert store.handling(plain)["bilaga_nr"] is None


def test_an_imported_bilaga_that_matches_a_registered_handling_is_that_handling(case, tmp_path):
    store, meeting_id, arende_id, folder = case
    letter = handling(store, arende_id, folder, "Plan 2027")
    export_meeting(store, meeting_id, tmp_path / "ut" / "mote.json", public=False)
    out = tmp_path / "ut" / "mote.json"
    data = json.loads(out.read_text("utf-8"))
    (folder / "ut").mkdir(exist_ok=True)
    data["arenden"][0]["bilagor"] = [{"titel": "Plan 2027", "fil": "plan.pdf"}]
    (out.parent / "plan.pdf").write_bytes((folder / "Plan 2027.pdf").read_bytes())
    out.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    count = len(store.handlingar(arende_id))
    import_meeting(store, out)
    assert len(store.handlingar(arende_id)) == count
    assert [b["id"] for b in store.bilagor(arende_id)] == [letter]
    data["arenden"][0]["bilagor"] = []
    out.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    import_meeting(store, out)
    assert store.bilagor(arende_id) == [] and len(store.handlingar(arende_id)) == count


def test_an_import_never_lifts_the_secrecy_of_a_bilaga(secret_bilaga, tmp_path):
    store, meeting_id, arende_id, _folder = secret_bilaga
    out = tmp_path / "ut" / "mote.json"
    export_meeting(store, meeting_id, out, public=False)
    data = json.loads(out.read_text("utf-8"))
    for bilaga in data["arenden"][0]["bilagor"]:
        bilaga["sekretess"] = None
    out.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    import_meeting(store, out)
    assert [b["sekretess"] for b in store.bilagor(arende_id)] == [0, 1]


def test_the_command_line_registers_a_file_as_a_bilaga(tmp_path):
    from nämndtool import diarienummer
    from support import run_cli

    db, brev = tmp_path / "r.sqlite", tmp_path / "yttrande.pdf"
    brev.write_bytes(b"%PDF-1.4 yttrande")
    assert run_cli("demo", db=db).returncode == 0
    result = run_cli("case", "add-handling", "SOCN/2023:17", "--description", "Yttrande från revisorerna",
                     "--file", str(brev), "--bilaga", db=db)
    assert result.returncode == 0, result.stderr
    assert "som bilaga till tjänsteskrivelsen" in result.stdout
    with Store.open(db) as store:
        bilagor = store.bilagor(store.arende_id_by_number(diarienummer.parse("SOCN/2023:17")))
    assert bilagor[-1]["titel"] == "Yttrande från revisorerna" and bilagor[-1]["nr"] == len(bilagor)
