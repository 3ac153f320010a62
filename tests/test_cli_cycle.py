"""The meeting cycle as small command-line verbs (issue 13): README's example run line by line as written, then
each verb with what it prints, its --json and its refusals (one Swedish sentence, exit code 1, nothing written)."""

import json
import re
import shlex
from pathlib import Path

import pytest

from nämndtool.store import Store
from support import SAMPLE_JSON, run_cli, store_dump

README = Path(__file__).resolve().parents[1] / "README.md"
OSL = "26 kap. 1 § OSL"


def _cycle_block() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Ett sammanträde från början till slut")
    return re.search(r"```sh\n(.*?)```", text[start:], re.S).group(1).strip().splitlines()


def test_the_readme_cycle_runs_as_written(tmp_path):
    """Each line of the example, as a shell would read it: ``NAME=$(namndtool …)`` keeps what the command printed,
    ``"$NAME"`` is replaced by it; the default store in a data folder of the test's own."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "HOME": str(tmp_path)}
    variables: dict[str, str] = {}
    lines = _cycle_block()
    assert len(lines) >= 10 and all(line.startswith(("namndtool ", "NR=", "MOTE=")) for line in lines), lines
    for line in lines:
        name, command = None, line
        captured = re.fullmatch(r"([A-Z_]+)=\$\((namndtool .*)\)", line)
        if captured:
            name, command = captured.groups()
        words = shlex.split(re.sub(r"\$([A-Z_]+)", lambda m: variables[m.group(1)], command), comments=True)
        assert words[0] == "namndtool"
        result = run_cli(*words[1:], env=env, cwd=tmp_path)
        assert result.returncode == 0, f"{line}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        if name:
            variables[name] = result.stdout.strip()
    assert re.fullmatch(r"SOCN/\d{4}:1", variables["NR"]) and variables["MOTE"] == "1"
    assert (tmp_path / "kallelse.pdf").stat().st_size > 0 and (tmp_path / "utdrag.pdf").stat().st_size > 0
    with Store.open(tmp_path / "data" / "Nämndtool" / "namndtool.sqlite") as store:
        protokoll = store.protokoll(1)
        assert protokoll["justerad"] == "2026-11-20" and protokoll["anslag_datum"] == "2026-11-20"
        assert protokoll["justerare"] == ["Per Holm (M)"] and protokoll["sekreterare"] == "Eva Lund"
        assert [p["beslut"] for p in protokoll["paragrafer"]] == [
            ["Socialnämnden utser Per Holm (M) att jämte ordföranden justera dagens protokoll."],
            ["Socialnämnden antar budgeten för 2027."]]


# --- helpers ----------------------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "register.sqlite"
    assert run_cli("init", "--name", "Socialnämnden", "--code", "SOCN", db=path).returncode == 0
    return path


def ok(result) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(db, *args, says: str) -> str:
    """The command is refused with one sentence saying ``says``, exit code 1, and the store is as it was."""
    with Store.open(db) as store:
        before = store_dump(store)
    result = run_cli(*args, db=db)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith("Fel: ") and says in message, message
    assert "\n" not in message, message
    with Store.open(db) as store:
        assert store_dump(store) == before
    return message


def meeting(db, *extra) -> str:
    """The first meeting, on 18 November at 13:00 (a later one takes the time from it)."""
    return ok(run_cli("meeting", "create", "--date", "2026-11-18", "--time", "13:00", *extra, db=db)).strip()


def case(db, title, *extra) -> str:
    return ok(run_cli("case", "new", "--title", title, *extra, db=db)).strip()


def agenda(db, meeting_id="1") -> list[tuple]:
    shown = json.loads(ok(run_cli("meeting", "show", meeting_id, "--json", db=db)))
    return [(i["nr"], i["rubrik"], i["typ"]) for i in shown["dagordning"]]


# --- meeting create ---------------------------------------------------------------------------------------------


def test_meeting_create_prints_the_id_and_says_what_it_made(db):
    result = run_cli("meeting", "create", "--date", "2026-11-18", "--time", "9.30", "--place", "Solrosen",
                     "--chair", "Anna Ek", "--forhinder-name", "Eva Lund", "--forhinder-email", "eva@kommun.se",
                     "--forhinder-phone", "0150-123 45", db=db)
    assert ok(result).strip() == "1"
    assert "Sammanträdet är skapat: Socialnämnden 2026-11-18 kl. 09:30, Solrosen, ordförande Anna Ek." \
        in result.stderr
    shown = json.loads(ok(run_cli("meeting", "create", "--date", "2026-12-09", "--json", db=db)))
    # a new meeting takes time, place and förhinder contact from the earlier one, as the app does
    assert shown["id"] == 2 and shown["tid"] == "09:30" and shown["plats"] == "Solrosen"
    assert (shown["forhinder_namn"], shown["forhinder_epost"], shown["forhinder_telefon"]) == (
        "Eva Lund", "eva@kommun.se", "0150-123 45")
    assert shown["varningar"] == [] and shown["ordforande"] is None


def test_meeting_create_for_an_utskott_and_its_refusals(db):
    with Store.open(db) as store:
        from nämndtool.operations import people
        organ_id = store.organs(store.the_namnd()["id"])[0]["id"]
        with store.write():
            store.ensure_organ(store.the_namnd()["id"], "Individutskottet")
        people.add_seat(store, organ_id, None, {"namn": "Anna Ek"}, people.Seat("ordforande", "2023-01-01",
                                                                                   "2026-12-31"))
    refused(db, "meeting", "create", "--date", "2026-11-18", "--organ", "individutskottet",
            says="Ange klockslaget med --time")   # no earlier meeting to take the time from
    shown = json.loads(ok(run_cli("meeting", "create", "--date", "2026-11-18", "--organ", "individutskottet",
                                  "--time", "13:00", "--json", db=db)))
    assert shown["organ"] == "Individutskottet"
    # the chair of the roster is taken when none is given; a date outside the mandate period is warned about
    made = run_cli("meeting", "create", "--date", "2026-11-18", "--time", "13:00", db=db)
    assert "ordförande Anna Ek" in made.stderr
    assert "Hämtat från tidigare sammanträden och ledamotslistan: ordföranden (--chair)." in made.stderr
    late = run_cli("meeting", "create", "--date", "2027-01-13", db=db)
    assert ok(late).strip() == "3" and "Varning: 2027-01-13 ligger utanför mandatperioderna" in late.stderr
    refused(db, "meeting", "create", "--date", "2026-11-18", says="har redan ett sammanträde 2026-11-18")
    refused(db, "meeting", "create", "--date", "2026-11-25", "--organ", "Arbetsutskottet",
            says="har inget organ som heter Arbetsutskottet; välj ett av dessa med --organ: Socialnämnden, "
                 "Individutskottet.")
    refused(db, "meeting", "create", "--date", "18 november", says="ÅÅÅÅ-MM-DD")
    refused(db, "meeting", "create", "--date", "2026-11-25", "--time", "25:00", says="inget klockslag")
    refused(db, "meeting", "create", "--date", "2026-11-25", "--forhinder-email", "eva", says="e-post")


# --- the agenda one item at a time -------------------------------------------------------------------------------


def test_add_move_and_remove_items_of_every_kind(db):
    meeting(db)
    number = case(db, "Budget 2027")
    assert ok(run_cli("meeting", "add-item", "--meeting", "1", "--standard", "Upprop", db=db)) == \
        "Punkt 1 på dagordningen för Socialnämnden 2026-11-18: Upprop.\n"
    assert ok(run_cli("meeting", "add-item", "--meeting", "1", "--case", number, "--note", "Föredragande: Sara",
                      db=db)) == f"Punkt 2 på dagordningen för Socialnämnden 2026-11-18: Budget 2027 ({number}).\n"
    added = json.loads(ok(run_cli("meeting", "add-item", "--meeting", "1", "--title", "Anmälan lex Sarah",
                                  "--secret", "--osl", OSL, "--json", db=db)))
    assert added == {"nr": 3, "rubrik": "Anmälan lex Sarah", "typ": "arende", "diarienummer": None,
                     "sekretess": True, "varningar": []}
    assert "Punkt 1 på" in ok(run_cli("meeting", "add-item", "--meeting", "1", "--tema", "Studiebesök",
                                      "--position", "1", db=db))
    assert agenda(db) == [(1, "Studiebesök", "tema"), (2, "Upprop", "standard"), (3, "Budget 2027", "arende"),
                          (4, "Anmälan lex Sarah", "arende")]

    assert ok(run_cli("meeting", "move-item", "--meeting", "1", "--item", "1", "--to", "4", db=db)) == \
        "Punkt 1 (Studiebesök) är nu punkt 4; punkterna emellan har flyttat ett steg.\n"
    assert "står redan där; inget ändrades" in ok(run_cli("meeting", "move-item", "--meeting", "1", "--item", "2",
                                                          "--to", "2", db=db))
    assert ok(run_cli("meeting", "remove-item", "--meeting", "1", "--item", "2", db=db)) == (
        f"Punkt 2 (Budget 2027 ({number})) är borttagen från dagordningen; punkterna efter den har flyttat upp ett "
        f"steg. Ärendet {number} finns kvar i diariet.\n")
    assert agenda(db) == [(1, "Upprop", "standard"), (2, "Anmälan lex Sarah", "arende"), (3, "Studiebesök", "tema")]
    assert ok(run_cli("meeting", "remove-item", "--meeting", "1", "--item", "3", db=db)) == \
        "Punkt 3 (Studiebesök) är borttagen från dagordningen.\n"
    assert ok(run_cli("meeting", "remove-item", "--meeting", "1", "--item", "2", db=db)) == \
        "Punkt 2 (Anmälan lex Sarah, sekretess (26 kap. 1 § OSL)) är borttagen från dagordningen.\n"


def test_an_arende_on_another_open_agenda_is_added_with_a_warning(db):
    meeting(db)
    ok(run_cli("meeting", "create", "--date", "2026-12-09", db=db))
    number = case(db, "Budget 2027")
    ok(run_cli("meeting", "add-item", "--meeting", "1", "--case", number, db=db))
    result = run_cli("meeting", "add-item", "--meeting", "2", "--case", number, db=db)
    assert "Punkt 1 på dagordningen för Socialnämnden 2026-12-09" in ok(result)
    assert f"Varning: Ärendet {number} står redan som punkt 1 på dagordningen för Socialnämnden 2026-11-18." \
        in result.stderr


def test_agenda_refusals_are_one_sentence_and_change_nothing(db):
    meeting(db)
    number = case(db, "Budget 2027")
    ok(run_cli("meeting", "add-item", "--meeting", "1", "--case", number, db=db))
    refused(db, "meeting", "add-item", "--meeting", "1", "--case", number, says="står redan som punkt 1")
    refused(db, "meeting", "add-item", "--meeting", "1", "--case", number.replace(":1", ":9"), says="finns inte")
    refused(db, "meeting", "add-item", "--meeting", "1", "--case", number, "--secret", "--osl", OSL,
            says="hör till ärendet")
    refused(db, "meeting", "add-item", "--meeting", "1", "--title", "Anmälan", "--secret", says="--osl")
    refused(db, "meeting", "add-item", "--meeting", "1", "--title", "Anmälan 19121212-1212", says="personnummer")
    refused(db, "meeting", "add-item", "--meeting", "1", "--tema", "Tema", "--position", "3",
            says="ingen plats 3: en ny punkt kan stå som punkt 1–2")
    refused(db, "meeting", "add-item", "--meeting", "7", "--tema", "Tema", says="Sammanträdet med id 7 finns inte")
    refused(db, "meeting", "move-item", "--meeting", "1", "--item", "2", "--to", "1", says="ingen punkt 2")
    refused(db, "meeting", "remove-item", "--meeting", "1", "--item", "5", says="ingen punkt 5; den har 1 punkt")
    ok(run_cli("protokoll", "paragraphs", "--meeting", "1", db=db))
    refused(db, "meeting", "remove-item", "--meeting", "1", "--item", "1", says="har redan en paragraf")


def test_copy_agenda_from_another_meeting(db):
    meeting(db)
    ok(run_cli("meeting", "create", "--date", "2026-12-09", db=db))
    number = case(db, "Budget 2027")
    for args in (("--standard", "Upprop"), ("--case", number), ("--tema", "Studiebesök"),
                 ("--standard", "Meddelanden")):
        ok(run_cli("meeting", "add-item", "--meeting", "1", *args, db=db))
    result = run_cli("meeting", "copy-agenda", "--meeting", "2", "--from", "1", db=db)
    assert ok(result) == "3 punkter är kopierade från dagordningen för Socialnämnden 2026-11-18.\n"
    assert "Varning: 1 punkt utan ärende i diariet" in result.stderr
    assert agenda(db, "2") == [(1, "Upprop", "standard"), (2, "Budget 2027", "arende"),
                               (3, "Meddelanden", "standard")]
    refused(db, "meeting", "copy-agenda", "--meeting", "2", "--from", "2", says="Välj ett annat sammanträde")


# --- the protokoll per § ----------------------------------------------------------------------------------------


@pytest.fixture
def held(db):
    """A meeting with Val av justerare and an ärende, its §§ made."""
    meeting(db, "--forhinder-name", "Eva Lund")
    number = case(db, "Budget 2027")
    ok(run_cli("meeting", "add-item", "--meeting", "1", "--standard", "Val av justerare", db=db))
    ok(run_cli("meeting", "add-item", "--meeting", "1", "--case", number, db=db))
    ok(run_cli("protokoll", "paragraphs", "--meeting", "1", db=db))
    return db


def paragraf(db, nr):
    with Store.open(db) as store:
        return store.paragraf_by_number(1, nr)


def test_attendance_per_person(held):
    db = held
    lines = [ok(run_cli("protokoll", "attendance", "--meeting", "1", *args, db=db)).strip() for args in (
        ("--person", "Anna Ek", "--role", "ordforande", "--party", "S"),
        ("--person", "Per Holm", "--party", "M"),
        ("--person", "Lisa Berg", "--forhinder"),
        ("--person", "Bo Ek", "--role", "ersattare", "--replaces", "Lisa Berg"),
        ("--person", "Sara Gibro", "--role", "tjansteperson", "--title", "förvaltningschef"),
        ("--person", "Per Holm", "--to-paragraph", "1"))]
    assert lines == [
        "Anna Ek (S), ordförande, tjänstgör: tillagd i närvaron.",
        "Per Holm (M), ledamot, tjänstgör: tillagd i närvaron.",
        "Lisa Berg, ledamot, förhinder: tillagd i närvaron.",
        "Bo Ek, ersättare, tjänstgör för Lisa Berg: tillagd i närvaron.",
        "Sara Gibro, tjänsteperson, förvaltningschef, närvarande: tillagd i närvaron.",
        "Per Holm (M), ledamot, tjänstgör, till och med § 1: ändrad i närvaron."]
    rows = json.loads(ok(run_cli("protokoll", "attendance", "--meeting", "1", "--remove", "sara gibro", "--json",
                                 db=db)))
    assert [(r["namn"], r["roll"], r["tjanstgor"], r["forhinder"]) for r in rows] == [
        ("Anna Ek", "ordforande", 1, 0), ("Per Holm", "ledamot", 1, 0), ("Lisa Berg", "ledamot", 0, 1),
        ("Bo Ek", "ersattare", 1, 0)]
    refused(db, "protokoll", "attendance", "--meeting", "1", "--remove", "Lisa Berg",
            says="Bo Ek ersätter Lisa Berg, men Lisa Berg står inte som ledamot med förhinder")
    refused(db, "protokoll", "attendance", "--meeting", "1", "--remove", "Nils Nilsson", says="står inte i närvaron")
    refused(db, "protokoll", "attendance", "--meeting", "1", "--from-roster", "--party", "S",
            says="hör ihop med --person NAMN")
    refused(db, "protokoll", "attendance", "--meeting", "1", "--from-roster", says="Ledamotslistan för Socialnämnden "
                                                                                  "har ingen ledamot")


def test_attendance_from_the_roster_adds_those_not_there(held):
    db = held
    with Store.open(db) as store:
        from nämndtool.operations import people
        organ_id = store.organs(store.the_namnd()["id"])[0]["id"]
        for name, role in (("Anna Ek", "ordforande"), ("Per Holm", "ledamot"), ("Bo Ek", "ersattare")):
            people.add_seat(store, organ_id, None, {"namn": name, "parti": "S"}, people.Seat(role, "2023-01-01"))
    ok(run_cli("protokoll", "attendance", "--meeting", "1", "--person", "Per Holm", "--forhinder", db=db))
    assert ok(run_cli("protokoll", "attendance", "--meeting", "1", "--from-roster", db=db)) == \
        "2 personer ur ledamotslistan är tillagda i närvaron; 1 stod redan där.\n"
    shown = json.loads(ok(run_cli("protokoll", "show", "--meeting", "1", "--json", db=db)))
    assert [(n["namn"], n["roll"], n["tjanstgor"], n["forhinder"], n["parti"]) for n in shown["narvaro"]] == [
        ("Per Holm", "ledamot", 0, 1, "S"), ("Anna Ek", "ordforande", 1, 0, "S"), ("Bo Ek", "ersattare", 0, 0, "S")]


def test_decision_with_the_justerare_chosen_in_val_av_justerare(held):
    db = held
    assert ok(run_cli("protokoll", "decision", "--meeting", "1", "--paragraph", "1", "--justerare", "Per Holm (M)",
                      "--justerare", "Lisa Berg (C)", db=db)) == (
        "Beslutet i § 1 Val av justerare är sparat:\n"
        "  Socialnämnden utser Per Holm (M) och Lisa Berg (C) att jämte ordföranden justera dagens protokoll.\n"
        "Justerare: Per Holm (M) och Lisa Berg (C).\n")
    out = ok(run_cli("protokoll", "decision", "--meeting", "1", "--paragraph", "2", "--text", "Budgeten antas.",
                     "--text", "Förvaltningen får i uppdrag att följa upp den.", db=db))
    assert out.splitlines()[1:] == ["  Budgeten antas.", "  Förvaltningen får i uppdrag att följa upp den."]
    assert paragraf(db, 2)["beslut"] == ["Budgeten antas.", "Förvaltningen får i uppdrag att följa upp den."]
    refused(db, "protokoll", "decision", "--meeting", "1", "--paragraph", "2", "--justerare", "Per Holm (M)",
            says="§ 2 Budget 2027 är inte paragrafen där justerarna väljs")
    refused(db, "protokoll", "decision", "--meeting", "1", "--paragraph", "2", says="Skriv beslutet med --text")
    refused(db, "protokoll", "decision", "--meeting", "1", "--paragraph", "2", "--text", " ", says="tom")
    refused(db, "protokoll", "decision", "--meeting", "1", "--paragraph", "9", "--text", "X",
            says="har ingen § 9; dess paragrafer är § 1–2")


def test_yrkanden_vote_and_reservation_in_a_paragraph(held):
    db = held
    out = ok(run_cli("protokoll", "yrkande", "--meeting", "1", "--paragraph", "2", "--by", "Per Holm (M)",
                     "--text", "avslag", db=db))
    assert out == "Yrkande 1 i § 2 är sparat: Per Holm (M) yrkar avslag.\n"
    second = run_cli("protokoll", "yrkande", "--meeting", "1", "--paragraph", "2", "--by", "Anna Ek (S)",
                     "--text", "bifall", db=db)
    assert "Varning: § 2 har 2 yrkanden men ingen propositionsordning" in second.stderr
    ok(run_cli("protokoll", "yrkande", "--meeting", "1", "--paragraph", "2", "--propositionsordning",
               "Ordföranden ställer proposition på yrkandena.", db=db))
    vote = run_cli("protokoll", "vote", "--meeting", "1", "--paragraph", "2", "--vote", "Anna Ek (S)=ja",
                   "--vote", "Per Holm (M)=nej", "--yes-for", "bifall", "--no-for", "avslag", db=db)
    assert ok(vote) == "Omröstningen i § 2 är sparad: 1 ja, 1 nej, 0 avstår.\nJa står för bifall.\nNej står för avslag.\n"
    assert "Varning: § 2: omröstningen slutade lika (1–1)" in vote.stderr
    ok(run_cli("protokoll", "vote", "--meeting", "1", "--paragraph", "2", "--result",
               "Ordförandens utslagsröst avgör till förmån för bifall.", db=db))
    assert ok(run_cli("protokoll", "reservation", "--meeting", "1", "--paragraph", "2", "--by", "Per Holm (M)",
                      "--text", "Till förmån för eget yrkande.", db=db)) == \
        "Reservation 1 i § 2 är sparad: Per Holm (M) reserverar sig (med motivering).\n"
    p = paragraf(db, 2)
    assert p["yrkanden"] == [{"av": "Per Holm (M)", "text": "avslag"}, {"av": "Anna Ek (S)", "text": "bifall"}]
    assert p["roster"] == [{"namn": "Anna Ek (S)", "rost": "ja"}, {"namn": "Per Holm (M)", "rost": "nej"}]
    assert (p["proposition_ja"], p["proposition_nej"]) == ("bifall", "avslag")
    assert p["votering_resultat"].startswith("Ordförandens utslagsröst")
    assert p["reservationer"] == [{"av": ["Per Holm (M)"], "text": "Till förmån för eget yrkande."}]

    refused(db, "protokoll", "yrkande", "--meeting", "1", "--paragraph", "2", "--by", "Per Holm (M)",
            says="Skriv vad som yrkas med --text TEXT.")
    refused(db, "protokoll", "yrkande", "--meeting", "1", "--paragraph", "2", "--remove", "3",
            says="§ 2 har inget yrkande 3; den har 2 yrkanden.")
    refused(db, "protokoll", "vote", "--meeting", "1", "--paragraph", "2", "--vote", "Anna Ek=kanske",
            says='"Anna Ek=kanske" är ingen röst')
    refused(db, "protokoll", "vote", "--meeting", "1", "--paragraph", "2", "--vote", "Anna Ek (S)=ja",
            "--vote", "Anna Ek (S)=nej", says="Samma person har fått två röster.")
    refused(db, "protokoll", "vote", "--meeting", "1", "--paragraph", "2", "--yes", "-1", says="negativt")
    refused(db, "protokoll", "vote", "--meeting", "1", "--paragraph", "2", "--clear", "--yes", "3",
            says="--clear tar bort hela omröstningen")
    refused(db, "protokoll", "reservation", "--meeting", "1", "--paragraph", "2", "--remove", "2",
            says="§ 2 har ingen reservation 2; den har 1 reservation.")

    ok(run_cli("protokoll", "yrkande", "--meeting", "1", "--paragraph", "2", "--remove", "1", db=db))
    ok(run_cli("protokoll", "reservation", "--meeting", "1", "--paragraph", "2", "--remove", "1", db=db))
    assert ok(run_cli("protokoll", "vote", "--meeting", "1", "--paragraph", "2", "--clear", db=db)) == \
        "Omröstningen i § 2 är borttagen.\n"
    p = paragraf(db, 2)
    assert p["yrkanden"] == [{"av": "Anna Ek (S)", "text": "bifall"}] and p["reservationer"] == []
    assert p["roster"] == [] and p["votering_ja"] is None and p["proposition_ja"] is None


def test_header_and_show(held):
    db = held
    out = ok(run_cli("protokoll", "header", "--meeting", "1", "--justerare", "Per Holm (M)", "--justering-place",
                     "Stadshuset", "--justering-date", "2026-11-20", "--kept-at", "Socialförvaltningen", db=db))
    assert out == ("Protokollets huvud för sammanträde 1 är sparat.\nSekreterare: Eva Lund.\n"
                   "Justerare: Per Holm (M).\nJustering: Stadshuset 2026-11-20.\nFörvaras: Socialförvaltningen.\n")
    # the justerare chosen in the header carry into § Val av justerare while it reads as the standard text made it
    assert paragraf(db, 1)["beslut"] == ["Socialnämnden utser Per Holm (M) att jämte ordföranden justera dagens "
                                         "protokoll."]
    ok(run_cli("protokoll", "header", "--meeting", "1", "--sekreterare", "Madelene Sönnerfors", db=db))
    shown = ok(run_cli("protokoll", "show", "--meeting", "1", db=db))
    assert "Sekreterare: Madelene Sönnerfors\nJusterare: Per Holm (M)\n" in shown
    assert "§ 2 Budget 2027" in shown
    refused(db, "protokoll", "header", "--meeting", "1", says="Ange vad som ska sparas")


def test_protokoll_commands_refuse_before_the_paragraphs(db):
    meeting(db)
    refused(db, "protokoll", "decision", "--meeting", "1", "--paragraph", "1", "--text", "X",
            says="Sammanträde 1 har inga paragrafer ännu. Skapa dem med 'namndtool protokoll paragraphs --meeting 1'.")
    assert "Protokollet är inte påbörjat" in ok(run_cli("protokoll", "show", "--meeting", "1", db=db))


def test_paragraphs_json_names_the_item_of_each_new_paragraph(db):
    meeting(db)
    number = case(db, "Budget 2027")
    ok(run_cli("meeting", "add-item", "--meeting", "1", "--standard", "Upprop", db=db))
    ok(run_cli("meeting", "add-item", "--meeting", "1", "--case", number, db=db))
    assert json.loads(ok(run_cli("protokoll", "paragraphs", "--meeting", "1", "--json", db=db))) == [
        {"nr": 1, "punkt": 1, "rubrik": "Upprop", "diarienummer": None},
        {"nr": 2, "punkt": 2, "rubrik": "Budget 2027", "diarienummer": number}]
    ok(run_cli("meeting", "add-item", "--meeting", "1", "--tema", "Studiebesök", db=db))
    assert json.loads(ok(run_cli("protokoll", "paragraphs", "--meeting", "1", "--json", db=db))) == [
        {"nr": 3, "punkt": 3, "rubrik": "Studiebesök", "diarienummer": None}]


def test_the_sample_meeting_through_justering_anslag_utdrag_and_sent(tmp_path):
    db = tmp_path / "register.sqlite"
    ok(run_cli("import", str(SAMPLE_JSON), db=db))
    ok(run_cli("protokoll", "paragraphs", "--meeting", "1", db=db))
    ok(run_cli("protokoll", "attendance", "--meeting", "1", "--person", "Martin Edgélius", "--role", "ordforande",
               db=db))
    ok(run_cli("protokoll", "header", "--meeting", "1", "--justerare", "Anders Gölevik (C)", "--sekreterare",
               "Madelene Sönnerfors", db=db))
    for nr in (4, 12):
        ok(run_cli("protokoll", "decision", "--meeting", "1", "--paragraph", str(nr), "--text", "Beslut.", db=db))
    refused(db, "protokoll", "mark-sent", "--meeting", "1", "--paragraph", "5", "--recipient", "Kommunstyrelsen",
            "--channel", "internpost", says="Protokollet är inte justerat ännu")
    ok(run_cli("protokoll", "justera", "--meeting", "1", "--date", "2023-03-01", db=db))
    ok(run_cli("protokoll", "anslag", "--meeting", "1", "--date", "2023-03-02", db=db))
    ok(run_cli("render", "utdrag", "--meeting", "1", "--paragraph", "5", "--recipient", "Kommunstyrelsen",
               "--bestyrkt-datum", "2023-03-02", "--format", "pdf", "--out", str(tmp_path / "u.pdf"), db=db))
    assert ok(run_cli("protokoll", "mark-sent", "--meeting", "1", "--paragraph", "5", "--recipient",
                      "kommunstyrelsen", "--channel", "internpost", "--date", "2023-03-03", db=db)) == (
        "Utdraget ur § 5 till Kommunstyrelsen är markerat som skickat 2023-03-03 (internpost). Det är registrerat "
        "som utgående handling i SOCN/2023:17.\n")
    refused(db, "protokoll", "mark-sent", "--meeting", "1", "--paragraph", "5", "--recipient", "Kommunstyrelsen",
            "--channel", "post", says="redan markerat som skickat 2023-03-03")
    refused(db, "protokoll", "mark-sent", "--meeting", "1", "--paragraph", "5", "--recipient", "Revisorerna",
            "--channel", "post", says="Revisorerna är inte mottagare av beslutet i § 5 (mottagare: Kommunstyrelsen, "
                                      "akten).")
    refused(db, "protokoll", "mark-sent", "--meeting", "1", "--paragraph", "5", "--recipient", "akten",
            "--channel", "post", "--date", "2999-01-01", says="orimligt långt fram")
    # after the justering the agenda and the protokoll are locked
    refused(db, "meeting", "add-item", "--meeting", "1", "--tema", "Tema", says="justerat")
    refused(db, "protokoll", "decision", "--meeting", "1", "--paragraph", "5", "--text", "X", says="justerat")
    refused(db, "protokoll", "attendance", "--meeting", "1", "--person", "Ny Person", says="justerat")
