"""The operations layer (nämndtool/operations/): each operation on a real store, its rules, and that a refused or
failing operation leaves the store exactly as it was."""

import ast
import datetime as dt
from pathlib import Path

import pytest

from nämndtool.errors import NamndtoolError, NotFoundError
from nämndtool.operations import diary, exchange, maintenance, meetings, people, protokoll, secrecy
from nämndtool.store import Store
from support import store_dump

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

ROOT = Path(__file__).resolve().parent.parent


def unchanged(store, operation, error=NamndtoolError, match=None):
    before = store_dump(store)
    with pytest.raises(error, match=match):
        operation()
    assert store_dump(store) == before


@pytest.fixture
def namnd(store):
    return store, meetings.save_namnd(store, "socn", "Socialnämnden", forvaltning="Socialförvaltningen").namnd_id


# --- diary ----------------------------------------------------------------------------------------------------


def test_save_namnd_creates_then_updates_and_refuses_a_bad_code(store):
    first = meetings.save_namnd(store, "socn", "Socialnämnden")
    assert first.created and first.kod == "SOCN"
    again = meetings.save_namnd(store, "SOCN", kommun="Katrineholms kommun")
    assert not again.created and again.namnd_id == first.namnd_id
    unchanged(store, lambda: meetings.save_namnd(store, "S0CN!", "X"), match="ingen nämndkod")


def test_register_arende_adds_a_new_handlaggare_in_the_same_transaction(namnd):
    store, namnd_id = namnd
    arende = diary.register_arende(store, diary.NewArende(namnd_id, " Ansökan ", handlaggare="Eva Ek"),
                                   today=dt.date(2024, 3, 1))
    assert arende["diarienummer"] == "SOCN/2024:1" and arende["rubrik"] == "Ansökan"
    assert arende["handlaggare"] == "Eva Ek"


def test_register_arende_rules(namnd):
    store, namnd_id = namnd
    unchanged(store, lambda: diary.register_arende(store, diary.NewArende(namnd_id, "  ")), match="rubrik")
    unchanged(store, lambda: diary.register_arende(store, diary.NewArende(namnd_id, "LVU", secret=True,
                                                                          offentlig_rubrik="Vård")),
              match="sekretessgrunden")
    unchanged(store, lambda: diary.register_arende(store, diary.NewArende(namnd_id, "LVU", secret=True,
                                                                          lagrum="26 kap. 1 § OSL")),
              match="offentlig rubrik")
    unchanged(store, lambda: diary.register_arende(store, diary.NewArende(namnd_id, "Ansökan 19121212-1212")),
              match="personnummer")


def test_a_failing_register_arende_does_not_keep_the_new_handlaggare(namnd):
    store, _namnd_id = namnd
    unchanged(store, lambda: diary.register_arende(store, diary.NewArende(9999, "Ansökan", handlaggare="Ny Person")))


def test_add_handling_with_and_without_a_file(namnd, tmp_path):
    store, namnd_id = namnd
    arende = diary.register_arende(store, diary.NewArende(namnd_id, "Ansökan"))
    file = tmp_path / "yttrande.txt"
    file.write_text("Yttrande", encoding="utf-8")
    handling_id = diary.add_handling(store, diary.NewHandling(arende["id"], "Yttrande", path=file), by="test")
    assert store.handlingar(arende["id"])[0]["id"] == handling_id
    unchanged(store, lambda: diary.add_handling(store, diary.NewHandling(arende["id"], "X", path=tmp_path / "nej")),
              match="finns inte")
    unchanged(store, lambda: diary.add_handling(store, diary.NewHandling(arende["id"], "X", path=tmp_path)))
    unchanged(store, lambda: diary.add_handling(store, diary.NewHandling(arende["id"], "X", secret=True)),
              match="sekretessgrunden")


def test_close_and_reopen(namnd):
    store, namnd_id = namnd
    arende = diary.register_arende(store, diary.NewArende(namnd_id, "Ansökan"))
    unchanged(store, lambda: diary.reopen_arende(store, arende["id"]), match="inte avslutat")
    diary.close_arende(store, arende["id"], by="test")
    assert store.arende(arende["id"])["status"] == "avslutat"
    unchanged(store, lambda: diary.close_arende(store, arende["id"]), match="redan avslutat")
    diary.reopen_arende(store, arende["id"])
    assert store.arende(arende["id"])["status"] != "avslutat"


def test_log_read_only_for_a_secret_arende(namnd):
    store, namnd_id = namnd
    public = diary.register_arende(store, diary.NewArende(namnd_id, "Ansökan"))
    secret = diary.register_arende(store, diary.NewArende(namnd_id, "LVU", secret=True, lagrum="26 kap. 1 § OSL",
                                                          offentlig_rubrik="Vård"))
    diary.log_read(store, public["id"], "test")
    diary.log_read(store, secret["id"], "test")
    assert not store.reads(public["id"]) and len(store.reads(secret["id"])) == 1


def test_delegationsbeslut_registered_pending_and_reported_once(imported):
    store, meeting_id = imported
    namnd_id = store.meeting(meeting_id)["namnd_id"]
    datum = dt.date.fromisoformat(store.meeting(meeting_id)["datum"]) - dt.timedelta(days=3)
    new = diary.NewDelegationsbeslut(namnd_id, datum, "Eva Ek", "3.1", "Beviljat bistånd")
    unchanged(store, lambda: diary.register_delegationsbeslut(store, new.__class__(namnd_id, datum, "", "", "")),
              match="delegationsordningen")
    unchanged(store, lambda: diary.register_delegationsbeslut(
        store, diary.NewDelegationsbeslut(namnd_id, datum, "Eva Ek", "3.1", "Beslut", secret=True)),
        match="sekretessgrunden")
    unchanged(store, lambda: diary.register_delegationsbeslut(
        store, diary.NewDelegationsbeslut(namnd_id, datum, "Eva Ek", "3.1", "Beslut", arende_id=9999)),
        error=NotFoundError)
    decision_id = diary.register_delegationsbeslut(store, new)
    pending = diary.pending_delegationsbeslut(store, meeting_id)
    assert decision_id in [d["id"] for d in pending]
    assert diary.report_delegationsbeslut(store, meeting_id) == len(pending)
    assert diary.pending_delegationsbeslut(store, meeting_id) == []
    assert diary.report_delegationsbeslut(store, meeting_id) == 0


# --- meetings and people --------------------------------------------------------------------------------------


def test_meeting_created_changed_and_deleted(namnd):
    store, namnd_id = namnd
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = meetings.create_meeting(store, organ_id, "2024-05-02", {"plats": "Rum 1"})
    unchanged(store, lambda: meetings.create_meeting(store, organ_id, "2024-05-02", {}))
    meetings.update_meeting(store, meeting_id, organ_id, "2024-05-03", {"plats": "Rum 2"})
    assert store.meeting(meeting_id)["plats"] == "Rum 2"
    meetings.replace_agenda(store, meeting_id, [{"nr": 1, "rubrik": "Mötets öppnande", "typ": "standard"}])
    assert [i["rubrik"] for i in store.agenda(meeting_id)] == ["Mötets öppnande"]
    meetings.delete_meeting(store, meeting_id)
    assert store.meetings() == []


def test_seats_and_recipients(namnd):
    store, namnd_id = namnd
    organ_id = store.organs(namnd_id)[0]["id"]
    unchanged(store, lambda: people.add_seat(store, organ_id, None, {"namn": "Anna"},
                                             people.Seat("ledamot", "2024-01-01", "2023-01-01")), match="sluta")
    seat_id = people.add_seat(store, organ_id, None, {"namn": "Anna Berg"}, people.Seat("ledamot", "2024-01-01"))
    person_id = store.seat(seat_id)["id"]
    # a refused change of the seat keeps the person's details as they were: both or neither
    unchanged(store, lambda: people.change_seat(store, person_id, seat_id, {"namn": "Anna B"},
                                                people.Seat("ledamot", "2024-01-01", "2023-12-31")))
    unchanged(store, lambda: people.change_seat(store, person_id, 9999, {"namn": "Anna B"},
                                                people.Seat("ledamot", "2024-01-01")), error=NotFoundError)
    people.change_seat(store, person_id, seat_id, {"namn": "Anna B"}, people.Seat("ersattare", "2024-01-01"))
    assert store.seat(seat_id)["namn"] == "Anna B" and store.seat(seat_id)["uppdrag_roll"] == "ersattare"
    people.end_seat(store, seat_id, "2024-12-31")
    assert store.seat(seat_id)["till"] == "2024-12-31"
    recipient_id = people.save_recipient(store, None, "Akten", None, None)
    assert people.save_recipient(store, recipient_id, "Akten", "Box 1", None) == recipient_id
    unchanged(store, lambda: people.ensure_recipient(store, "X", epost="inte en adress"))
    unchanged(store, lambda: people.ensure_recipient(store, " "), match="namn")
    assert people.ensure_recipient(store, "Akten", "Box 1") == recipient_id
    people.delete_recipient(store, recipient_id)
    assert store.address_book() == []


# --- protokoll --------------------------------------------------------------------------------------------------


@pytest.fixture
def ready(imported):
    """The sample meeting with its §§, header, attendance and a decision in every §, written by the operations."""
    store, meeting_id = imported
    protokoll.create_paragraphs(store, meeting_id)
    protokoll.save_protokoll_header(store, meeting_id, sekreterare="Madelene Sönnerfors",
                                    justering_plats="Socialförvaltningen", justering_datum="2023-03-01",
                                    forvaringsplats="Socialförvaltningen", justerare=["Anders Gölevik (C)"])
    protokoll.save_narvaro(store, meeting_id, [
        {"namn": "Martin Edgélius", "roll": "ordforande", "parti": "M", "tjanstgor": 1},
        {"namn": "Anders Gölevik", "roll": "ledamot", "parti": "C", "tjanstgor": 1}])
    for p in store.protokoll(meeting_id)["paragrafer"]:
        if not p["beslut"]:
            protokoll.save_paragraf(store, p["id"], {"fields": {"rubrik": p["rubrik"]},
                                                     "beslut": [f"Punkt {p['dagordning_nr']} läggs till handlingarna."]})
    return store, meeting_id


def test_paragraph_problems_refuse_a_save_and_change_nothing(ready):
    store, meeting_id = ready
    p = store.protokoll(meeting_id)["paragrafer"][0]
    values = {"fields": {"rubrik": ""}, "yrkanden": [{"av": "", "text": "x"}]}
    unchanged(store, lambda: protokoll.save_paragraf(store, p["id"], values), match="Rubriken saknas")
    assert protokoll.paragraph_problems({"fields": {"rubrik": "R"}, "roster": [{"namn": "A"}, {"namn": "A"}]}) == [
        "Samma person har fått två röster."]


def test_justera_anslag_and_correction(ready):
    store, meeting_id = ready
    unchanged(store, lambda: protokoll.justera(store, meeting_id, dt.date(2000, 1, 1)))
    done = protokoll.justera(store, meeting_id, dt.date(2023, 3, 1))
    assert store.is_justerat(meeting_id) and len(done.sha256) == 64
    unchanged(store, lambda: protokoll.justera(store, meeting_id, dt.date(2023, 3, 1)), match="redan justerat")
    unchanged(store, lambda: meetings.delete_meeting(store, meeting_id), match="justerat")
    anslag = protokoll.record_anslag(store, meeting_id, dt.date(2023, 3, 2))
    assert anslag.deadlines.overklagande_till == dt.date(2023, 3, 23)
    unchanged(store, lambda: protokoll.record_anslag(store, meeting_id, dt.date(2023, 3, 3)), match="redan")
    with pytest.raises(NamndtoolError):
        protokoll.date_column(justering=True, omedelbara=True)
    column = protokoll.date_column(justering=False)
    unchanged(store, lambda: protokoll.correct_date(store, meeting_id, column, dt.date(2023, 3, 3), "x"))


def test_dispatch_rules(ready):
    store, meeting_id = ready
    row = store.dispatch_list(meeting_id)[0]
    key = (meeting_id, row["paragraf_id"], row["mottagare_id"])
    unchanged(store, lambda: protokoll.mark_utdrag_sent(store, *key, row["kanal"]), match="inte justerat")
    unchanged(store, lambda: protokoll.set_dispatch_channel(store, meeting_id, row["paragraf_id"], 9999, "post"),
              error=NotFoundError)
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1))
    public = next(r for r in store.dispatch_list(meeting_id) if not r["sekretess"])
    kanal = "internpost"
    protokoll.set_dispatch_channel(store, meeting_id, public["paragraf_id"], public["mottagare_id"], kanal)
    protokoll.mark_utdrag_sent(store, meeting_id, public["paragraf_id"], public["mottagare_id"], kanal, by="test")
    unchanged(store, lambda: protokoll.mark_utdrag_sent(store, meeting_id, public["paragraf_id"],
                                                        public["mottagare_id"], kanal), match="redan")
    secret = [r for r in store.dispatch_list(meeting_id) if r["sekretess"]]
    if secret:
        unchanged(store, lambda: protokoll.set_dispatch_channel(store, meeting_id, secret[0]["paragraf_id"],
                                                                secret[0]["mottagare_id"], "e-post"),
                  match="e-post")


def test_create_paragraphs_and_header_on_a_new_meeting(namnd):
    store, namnd_id = namnd
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = meetings.create_meeting(store, organ_id, "2024-05-02", {})
    meetings.replace_agenda(store, meeting_id, [{"nr": 1, "rubrik": "Budget", "typ": "standard"}])
    assert len(protokoll.create_paragraphs(store, meeting_id)) == 1
    assert protokoll.create_paragraphs(store, meeting_id) == []
    protokoll.save_protokoll_header(store, meeting_id, sekreterare="Sara", justering_plats=None,
                                    justering_datum=None, forvaringsplats=None, justerare=["Anna"])
    protokoll.save_narvaro(store, meeting_id, [])
    unchanged(store, lambda: protokoll.mark_klar_for_justering(store, meeting_id), match="saknas")


# --- secrecy, exchange, maintenance -----------------------------------------------------------------------------


def test_seal_and_unseal_through_the_operations(namnd):
    store, namnd_id = namnd
    arende = diary.register_arende(store, diary.NewArende(namnd_id, "Ansökan"))
    assert secrecy.seal_arende(store, arende["id"], "26 kap. 1 § OSL").newly_secret
    unchanged(store, lambda: secrecy.unseal_arende(store, arende["id"], ""))
    secrecy.unseal_arende(store, arende["id"], "Sekretessen har upphört")
    assert not store.arende(arende["id"])["sekretess"]


def test_confirm_recipient_address_by_id(ready):
    store, meeting_id = ready
    p = next(g for g in store.protokoll(meeting_id)["paragrafer"] if store.paragraf(g["id"])["mottagare"])
    m = store.paragraf(p["id"])["mottagare"][0]
    unchanged(store, lambda: secrecy.confirm_recipient_address(store, p["id"], 9999), error=NotFoundError)
    if (m["adress"] or "").strip():
        stored = secrecy.confirm_recipient_address(store, p["id"], m["mottagare_id"], by="Sara")
        assert next(r for r in stored["mottagare"] if r["mottagare_id"] == m["mottagare_id"])["adress_bekraftad"]


def test_import_demo_backup_check_and_restore(store, tmp_path, sample_copy, request):
    meeting_id = exchange.create_demo(store)
    assert store.meeting(meeting_id)
    unchanged(store, lambda: exchange.create_demo(store), match="innehåller redan")
    assert exchange.import_meeting(store, sample_copy).meeting_id == meeting_id
    assert maintenance.check(store) == []
    assert maintenance.repair(store) == []
    result = maintenance.check_and_back_up(store, daily=False)
    assert result.problems == [] and result.backup is not None
    assert maintenance.check_and_back_up(store, daily=True).backup is None   # already one today
    backup = maintenance.back_up(store, tmp_path / "kopior")
    if store.dialect == "postgresql":   # restored into an empty database, proven whole there
        target = request.getfixturevalue("pg_cluster").create_database()
        maintenance.restore(backup.path, target)
        with Store.open(target, create=False) as restored:
            assert restored.table_counts() == store.table_counts()
        with pytest.raises(NamndtoolError, match="inte tom"):
            maintenance.restore(backup.path, target)
        return
    target = tmp_path / "other.sqlite"
    maintenance.restore(backup.path, target)
    assert target.exists()


# --- the contract: the command line and the app change the store only through operations ------------------------


def store_write_methods() -> set[str]:
    """The Store methods that open a write transaction (``self.write()``), read from nämndtool/store/."""
    found = set()
    for path in (ROOT / "nämndtool" / "store").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for method in node.body:
                    if isinstance(method, ast.FunctionDef) and any(
                            isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                            and call.func.attr == "write" and isinstance(call.func.value, ast.Name)
                            and call.func.value.id == "self" for call in ast.walk(method)):
                        found.add(method.name)
    return found | {"write"}


def test_the_store_write_methods_are_found():
    methods = store_write_methods()
    assert {"register_arende", "add_handling", "save_agenda", "record_anslag", "write"} <= methods
    assert "meeting" not in methods and "agenda" not in methods


def store_write_calls(path: Path, methods: set[str]) -> list[str]:
    """Calls in ``path`` of a store write method on a store (``store.x``, ``self.store.x``, ``worker_store.x``);
    an operation of the same name (``diary.register_arende``) is what callers are meant to use."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in methods \
                and ast.unparse(node.func.value).lower().endswith("store"):
            calls.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node.func)}")
    return calls


def test_ui_and_cli_call_no_store_write_method():
    methods = store_write_methods()
    sources = [ROOT / "nämndtool" / "cli.py", *sorted((ROOT / "ui").rglob("*.py"))]
    calls = [call for path in sources for call in store_write_calls(path, methods)]
    assert calls == [], "call an operation in nämndtool/operations/ instead:\n" + "\n".join(calls)


def test_the_contract_sees_a_store_write(tmp_path):
    sample = tmp_path / "view.py"
    sample.write_text("self.store.register_arende(x)\nworker_store.write()\ndiary.register_arende(store, x)\n",
                      encoding="utf-8")
    methods, original = store_write_methods(), globals()["ROOT"]
    try:
        globals()["ROOT"] = tmp_path
        found = sorted(store_write_calls(sample, methods))
    finally:
        globals()["ROOT"] = original
    assert found == ["view.py:1 self.store.register_arende", "view.py:2 worker_store.write"]
