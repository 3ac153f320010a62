"""Issue 13: one transaction per § edit. Two people (or a script and the app) recording the same protokoll keep
each other's yrkanden, votes, reservationer, decisions and attendance rows: each change reads and writes inside one
BEGIN IMMEDIATE transaction, on the command line too."""

import datetime as dt
import threading

import pytest

from nämndtool import cli
from nämndtool.documents.branding import load_branding
from nämndtool.errors import NamndtoolError
from nämndtool.operations import protokoll
from nämndtool.store import Store
from support import run_cli
from test_operations import unchanged
from test_protokoll_issue13 import ready_for_justering

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""


@pytest.fixture
def two(imported):
    """The sample meeting with its §§, open through two connections (two processes on one file)."""
    store, meeting_id = imported
    protokoll.create_paragraphs(store, meeting_id)
    with Store.open(store.location) as other:
        yield store, other, meeting_id


def _meanwhile(edit):
    """An edit by the other connection, started while the first one is inside its transaction: it waits for the
    first to commit (busy timeout) and then reads what the first wrote. Returns the wait for it to finish."""
    errors = []

    def run():
        try:
            edit()
        except Exception as error:   # raised again in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()

    def finished():
        thread.join(timeout=60)
        assert not thread.is_alive()
        if errors:
            raise errors[0]
    return finished


def _paragraph(store, meeting_id, nr=5):
    return store.paragraf_by_number(meeting_id, store.protokoll(meeting_id)["paragrafer"][0]["nr"] + nr - 1)


def test_two_interleaved_edits_of_one_paragraph_both_survive(two):
    first, second, meeting_id = two
    p = _paragraph(first, meeting_id)
    waits = []

    def change(current):
        # the other person adds a yrkande while this edit is inside its transaction
        waits.append(_meanwhile(lambda: protokoll.add_yrkande(second, p["id"], "Anna Ek (S)", "avslag")))
        return {"yrkanden": [*current["yrkanden"], {"av": "Martin Edgélius (M)", "text": "bifall"}]}

    protokoll.edit_paragraf(first, p["id"], change)
    waits[0]()
    assert first.paragraf(p["id"])["yrkanden"] == [{"av": "Martin Edgélius (M)", "text": "bifall"},
                                                  {"av": "Anna Ek (S)", "text": "avslag"}]


def test_each_kind_of_entry_edited_from_two_connections_is_kept(two):
    first, second, meeting_id = two
    p = _paragraph(first, meeting_id)
    protokoll.add_yrkande(first, p["id"], "Martin Edgélius (M)", "bifall till förslaget")
    protokoll.add_yrkande(second, p["id"], "Anna Ek (S)", "avslag", propositionsordning="Ordföranden ställer …")
    protokoll.add_reservation(second, p["id"], ["Anna Ek (S)"], "Vi ville avslå.")
    protokoll.add_reservation(first, p["id"], ["Olle Berg (V)", "Eva Lund (V)"])
    protokoll.record_vote(first, p["id"], {"votering_ja": 6, "votering_nej": 3, "proposition_ja": "bifall",
                                           "proposition_nej": "avslag"})
    protokoll.record_vote(second, p["id"], {"votering_avstar": 0},
                          [{"namn": "Anna Ek (S)", "rost": "nej"}])
    protokoll.record_decision(second, p["id"], ["Socialnämnden godkänner rapporten."])
    stored = first.paragraf(p["id"])
    assert [y["av"] for y in stored["yrkanden"]] == ["Martin Edgélius (M)", "Anna Ek (S)"]
    assert stored["propositionsordning"] == "Ordföranden ställer …"
    assert [r["av"] for r in stored["reservationer"]] == [["Anna Ek (S)"], ["Olle Berg (V)", "Eva Lund (V)"]]
    assert (stored["votering_ja"], stored["votering_nej"], stored["votering_avstar"]) == (6, 3, 0)
    assert stored["proposition_ja"] == "bifall" and stored["roster"] == [{"namn": "Anna Ek (S)", "rost": "nej"}]
    assert stored["beslut"] == ["Socialnämnden godkänner rapporten."]
    removed = protokoll.remove_yrkande(first, p["id"], 1)
    assert removed.removed["av"] == "Martin Edgélius (M)"
    assert [y["av"] for y in second.paragraf(p["id"])["yrkanden"]] == ["Anna Ek (S)"]
    assert protokoll.remove_reservation(second, p["id"], 2).paragraf["reservationer"][0]["av"] == ["Anna Ek (S)"]
    assert protokoll.clear_vote(first, p["id"]).paragraf["roster"] == []


def test_two_interleaved_attendance_edits_both_survive(two):
    first, second, meeting_id = two
    waits = []

    def serving(row, added):
        waits.append(_meanwhile(lambda: protokoll.change_attendance_row(
            second, meeting_id, "Johanna Karlsson", lambda r, a: r.update(roll="vice_ordforande", parti="S"))))
        row.update(roll="ordforande", parti="M")

    protokoll.change_attendance_row(first, meeting_id, "Martin Edgélius", serving)
    waits[0]()
    rows = {r["namn"]: r for r in first.protokoll(meeting_id)["narvaro"]}
    assert rows["Martin Edgélius"]["roll"] == "ordforande" and rows["Johanna Karlsson"]["roll"] == "vice_ordforande"
    protokoll.remove_from_attendance(second, meeting_id, "martin  edgélius")
    assert [r["namn"] for r in first.protokoll(meeting_id)["narvaro"]] == ["Johanna Karlsson"]


def test_the_command_line_keeps_what_was_saved_between_its_read_and_its_write(two, monkeypatch):
    """The command reads the § first (to name it in what it prints); a yrkande and a reservation another person
    saved after that read are still there after the command wrote its own."""
    first, second, meeting_id = two
    p = _paragraph(first, meeting_id)
    read = cli._paragraf

    def read_then_someone_else_writes(store, args):
        found = read(store, args)
        protokoll.add_yrkande(second, p["id"], "Anna Ek (S)", "avslag")
        protokoll.add_reservation(second, p["id"], ["Anna Ek (S)"])
        return found

    monkeypatch.setattr(cli, "_paragraf", read_then_someone_else_writes)
    args = ("--meeting", str(meeting_id), "--paragraph", str(p["nr"]))
    result = run_cli("protokoll", "yrkande", *args, "--by", "Martin Edgélius (M)", "--text", "bifall", db=first.location)
    assert result.returncode == 0, result.stderr
    assert "Yrkande 2 i §" in result.stdout
    result = run_cli("protokoll", "reservation", *args, "--by", "Olle Berg (V)", db=first.location)
    assert result.returncode == 0, result.stderr
    stored = first.paragraf(p["id"])
    assert [y["av"] for y in stored["yrkanden"]] == ["Anna Ek (S)", "Martin Edgélius (M)", "Anna Ek (S)"]
    assert [r["av"] for r in stored["reservationer"]] == [["Anna Ek (S)"], ["Anna Ek (S)"], ["Olle Berg (V)"]]


def test_a_justerat_protokoll_refuses_every_entry_edit_in_one_sentence_and_changes_nothing(imported):
    store, meeting_id = imported
    ready_for_justering(store, meeting_id)
    protokoll.justera(store, meeting_id, dt.date(2023, 3, 1), load_branding())
    p = store.protokoll(meeting_id)["paragrafer"][3]
    refused = "är justerat, så § .* kan inte ändras"
    for edit in (lambda: protokoll.add_yrkande(store, p["id"], "Anna Ek (S)", "avslag"),
                 lambda: protokoll.remove_yrkande(store, p["id"], 1),
                 lambda: protokoll.set_propositionsordning(store, p["id"], "Ja mot nej"),
                 lambda: protokoll.add_reservation(store, p["id"], ["Anna Ek (S)"]),
                 lambda: protokoll.remove_reservation(store, p["id"], 1),
                 lambda: protokoll.record_vote(store, p["id"], {"votering_ja": 5}),
                 lambda: protokoll.clear_vote(store, p["id"]),
                 lambda: protokoll.record_decision(store, p["id"], ["Nytt beslut."])):
        unchanged(store, edit, match=refused)
    unchanged(store, lambda: protokoll.change_attendance_row(store, meeting_id, "Anna Ek", lambda r, a: None),
              match="är justerat, så närvaron kan inte ändras")
    unchanged(store, lambda: protokoll.remove_from_attendance(store, meeting_id, "Anders Gölevik"),
              match="är justerat, så närvaron kan inte ändras")
    result = run_cli("protokoll", "yrkande", "--meeting", str(meeting_id), "--paragraph", str(p["nr"]),
                     "--by", "Anna Ek (S)", "--text", "avslag", db=store.location)
    assert result.returncode == 1 and "är justerat, så §" in result.stderr and "Traceback" not in result.stderr


def test_an_entry_that_is_not_there_is_refused_and_changes_nothing(two):
    store, _, meeting_id = two
    p = _paragraph(store, meeting_id)
    protokoll.add_yrkande(store, p["id"], "Anna Ek (S)", "avslag")
    unchanged(store, lambda: protokoll.remove_yrkande(store, p["id"], 3),
              match=r"§ \d+ har inget yrkande 3; den har 1 yrkande\.")
    unchanged(store, lambda: protokoll.remove_reservation(store, p["id"], 1),
              match=r"§ \d+ har ingen reservation 1; den har inga reservationer\.")
    unchanged(store, lambda: protokoll.add_yrkande(store, p["id"], " ", "avslag"), match="Ange vem som yrkar")
    unchanged(store, lambda: protokoll.add_reservation(store, p["id"], [" "]), match="Ange vem som reserverar")
    unchanged(store, lambda: protokoll.record_vote(store, p["id"], {"votering_ja": -1}), match="negativt")
    unchanged(store, lambda: protokoll.record_decision(store, p["id"], justerare=["Anna Ek (S)"]),
              match="inte paragrafen där justerarna väljs")
    unchanged(store, lambda: protokoll.remove_from_attendance(store, meeting_id, "Ingen Alls"),
              match="står inte i närvaron")
    with pytest.raises(NamndtoolError, match="Beslutstexten är tom"):
        protokoll.record_decision(store, p["id"], ["  "])
