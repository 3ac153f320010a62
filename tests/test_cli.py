"""The command line as a user meets it: Swedish messages, no tracebacks. The commands run in this process
(support.run_cli); a few run as real processes, for the entry point and what only a process shows."""

import json
import sys
from pathlib import Path

import pytest

from support import SAMPLE_JSON, run_cli, run_cli_process


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "register.sqlite"
    assert run_cli("init", "--namn", "Socialnämnden", "--kod", "SOCN", "--forvaltning", "Socialförvaltningen",
                   "--kommun", "Katrineholms kommun", db=path).returncode == 0
    return path


def _ok(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _fails(result, *fragments):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    return result.stderr


def test_case_new_prints_the_next_diary_number(db):
    import datetime as dt
    year = dt.date.today().year
    assert _ok(run_cli("case", "new", "--title", "Årsredovisning", db=db)).strip() == f"SOCN/{year}:1"
    assert _ok(run_cli("case", "new", "--title", "Budget", "--handlaggare", "Julia Lindberg", db=db)).strip() \
        == f"SOCN/{year}:2"
    shown = json.loads(_ok(run_cli("case", "show", f"socn{year}:2", "--json", db=db)))
    assert shown["handlaggare"] == "Julia Lindberg" and shown["status"] == "inkommet"


def test_secret_case_needs_its_osl_provision(db):
    _fails(run_cli("case", "new", "--title", "Placering", "--secret", db=db), "--osl", "26 kap. 1 § OSL")
    _fails(run_cli("case", "new", "--title", "Placering", "--osl", "26 kap. 1 § OSL", db=db), "--secret")
    # the operation is stricter than the old command: a secret ärende needs its public title too
    _fails(run_cli("case", "new", "--title", "Placering", "--secret", "--osl", "26 kap. 1 § OSL", db=db),
           "offentlig rubrik")
    number = _ok(run_cli("case", "new", "--title", "Placering", "--secret", "--osl", "26 kap. 1 § OSL",
                         "--public-title", "Placering av barn", db=db)).strip()
    shown = json.loads(_ok(run_cli("case", "show", number, "--json", db=db)))
    assert shown["sekretess"] is True and shown["sekretess_lagrum"] == "26 kap. 1 § OSL"


def test_case_new_needs_namnd_when_there_are_several(db):
    _ok(run_cli("init", "--namn", "Barn- och ungdomsnämnden", "--kod", "BUN", db=db))
    _fails(run_cli("case", "new", "--title", "X", db=db), "--namnd", "BUN", "SOCN")
    assert _ok(run_cli("case", "new", "--title", "X", "--namnd", "bun", db=db)).startswith("BUN/")
    _fails(run_cli("case", "new", "--title", "X", "--namnd", "KS", db=db), "KS", "finns inte")


def test_import_prints_the_meeting_id_and_lists_work(db):
    meeting_id = _ok(run_cli("import", str(SAMPLE_JSON), db=db)).strip()
    assert meeting_id == "1"
    meetings = json.loads(_ok(run_cli("meeting", "list", "--json", db=db)))
    assert meetings == [{"id": 1, "organ": "Socialnämnden", "datum": "2023-02-22", "tid": "13:00",
                         "plats": "Solrosen", "status": "planerat", "ordforande": "Martin Edgélius",
                         "antal_punkter": 15}]
    shown = json.loads(_ok(run_cli("meeting", "show", "1", "--json", db=db)))
    assert [i["nr"] for i in shown["dagordning"]] == list(range(1, 16))
    assert shown["dagordning"][3]["sekretess"] is True
    text = _ok(run_cli("meeting", "show", "1", db=db))
    assert "Martin Edgélius (M)" in text and "SOCN/2022:111" in text
    cases = json.loads(_ok(run_cli("case", "list", "--year", "2022", "--json", db=db)))
    assert {c["diarienummer"] for c in cases} == {"SOCN/2022:15", "SOCN/2022:26", "SOCN/2022:42",
                                                 "SOCN/2022:100", "SOCN/2022:111"}
    shown = _ok(run_cli("case", "show", "SOCN/2022:26", db=db))
    assert "1.2.7 - Återkoppla till förtroendevalda" in shown and "Klart för nämnd" in shown


def test_case_list_search_with_and_without_diacritics(db):
    _ok(run_cli("import", str(SAMPLE_JSON), db=db))
    for query in ("årsredovisning", "arsredovisning"):
        found = json.loads(_ok(run_cli("case", "list", "--search", query, "--json", db=db)))
        assert found[0]["rubrik"] == "Socialnämndens årsredovisning 2022"
    assert "SOCN/2023:17" in _ok(run_cli("case", "list", "--search", "arsredovisning", db=db))


def test_export_to_file_and_to_stdout(db, tmp_path):
    _ok(run_cli("import", str(SAMPLE_JSON), db=db))
    out = tmp_path / "export" / "moete.json"
    _ok(run_cli("export", "--meeting", "1", "--internal", "--out", str(out), db=db))
    assert json.loads(out.read_text())["sammantrade"]["datum"] == "2023-02-22"
    assert json.loads(out.read_text())["utgava"] == "intern"
    assert len(list((out.parent / "bilagor").glob("*.pdf"))) == 11
    result = run_cli("export", "--meeting", "1", "--internal", db=db)
    assert json.loads(_ok(result))["format"] == "namndtool.meeting/1"
    assert "--out" in result.stderr
    result = run_cli("export", "--meeting", "1", db=db)
    assert result.returncode == 2 and "--public" in result.stderr and "--internal" in result.stderr


def test_invalid_import_lists_problems_and_exits_non_zero(db, tmp_path):
    bad = tmp_path / "fel.json"
    bad.write_text(json.dumps({"format": "namndtool.meeting/1", "namnd": {"namn": "Socialnämnden", "kod": "SOCN"},
                               "sammantrade": {"organ": "Socialnämnden", "datum": "2023-02-30"},
                               "dagordning": [{"nr": 1, "rubrik": "Upprop", "typ": "möte"}]}))
    stderr = _fails(run_cli("import", str(bad), db=db), "$.sammantrade.datum", "$.dagordning[0].typ",
                    "Inget har sparats")
    assert "standard" in stderr


@pytest.mark.parametrize("args, fragment", [
    (["case", "show", "SOCN/2022:015"], "KOD/ÅÅÅÅ:N"),
    (["case", "show", "SOU2021:93"], "okänd"),
    (["case", "show", "SOCN/2022:999"], "finns inte"),
    (["meeting", "show", "42"], "finns inte"),
    (["export", "--meeting", "42", "--public"], "finns inte"),
    (["import", "finns-inte.json"], "finns inte"),
    (["init", "--namn", "X", "--kod", "S1"], "nämndkod"),
    (["case", "new", "--title", "   "], "rubrik"),
])
def test_user_mistakes_give_swedish_messages(db, args, fragment):
    _fails(run_cli(*args, db=db), fragment)


@pytest.mark.parametrize("args, fragment", [
    (["case"], "följande argument måste anges"),
    (["case", "neww"], "ogiltigt val"),
    (["meeting", "show", "ett"], "ska vara ett heltal"),
    (["export"], "följande argument måste anges: --meeting"),
    (["case", "list", "--okand"], "okända argument"),
])
def test_usage_errors_are_swedish(db, args, fragment):
    result = run_cli(*args, db=db)
    assert result.returncode == 2
    assert fragment in result.stderr and "användning:" in result.stderr


def test_help_is_swedish(tmp_path):
    text = _ok(run_cli("--help"))
    assert "kommandon" in text
    assert "visa den här hjälpen" in text
    assert "registrera ett nytt ärende" in _ok(run_cli("case", "--help"))


def test_demo_creates_a_store_and_refuses_one_with_data(tmp_path, db):
    demo = tmp_path / "demo" / "demo.sqlite"
    assert "Demoregistret är skapat" in _ok(run_cli("demo", db=demo))
    assert len(json.loads(_ok(run_cli("meeting", "list", "--json", db=demo)))) == 3
    _fails(run_cli("demo", db=demo), "innehåller redan")
    _ok(run_cli("case", "new", "--title", "X", db=db))
    _fails(run_cli("demo", db=db), "innehåller redan")


def test_default_store_is_in_the_per_user_data_directory(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    _ok(run_cli("init", "--namn", "Socialnämnden", "--kod", "SOCN", env=env))
    assert (tmp_path / "data" / "Nämndtool" / "namndtool.sqlite").exists()


def test_the_real_program_and_the_in_process_runner_agree(tmp_path):
    """python -m nämndtool answers as support.run_cli does: help, version, usage errors, a refusal."""
    missing = tmp_path / "saknas.sqlite"
    for args in (["--help"], ["protokoll", "--help"], ["--version"], ["case", "neww"], ["case", "show", "X"],
                 ["case", "list"]):
        real, here = run_cli_process(*args, db=missing), run_cli(*args, db=missing)
        assert (here.returncode, here.stdout, here.stderr) == (real.returncode, real.stdout, real.stderr), args


def test_demo_and_a_public_kallelse_in_a_real_process(tmp_path):
    db, out = tmp_path / "demo.sqlite", tmp_path / "kallelse.pdf"
    made = run_cli_process("demo", db=db)
    assert made.returncode == 0 and "Demoregistret är skapat" in made.stdout, made.stderr
    rendered = run_cli_process("render", "kallelse", "--meeting", "1", "--public", "--format", "pdf", "--out", str(out),
                               db=db)
    assert rendered.returncode == 0, rendered.stderr
    assert out.read_bytes().startswith(b"%PDF") and "offentliga kallelsen" in rendered.stderr


def test_the_in_process_runner_puts_back_what_it_changed(db):
    import os

    environ, cwd, argv = dict(os.environ), os.getcwd(), list(sys.argv)
    made = run_cli("case", "new", "--title", "Relativ", db=Path(db.name), cwd=db.parent, env={"NAMNDTOOL_X": "1"})
    assert made.returncode == 0, made.stderr                        # the relative --db is found in cwd
    assert (dict(os.environ), os.getcwd(), sys.argv) == (environ, cwd, argv)
    failed = run_cli("case", "show", "SOCN/1999:1", db=db)
    assert failed.returncode == 1 and failed.stderr.startswith("Fel: ") and failed.stdout == ""
    assert run_cli("case", "neww", db=db).stderr == run_cli("case", "neww", db=db).stderr


def test_the_core_never_imports_qt(tmp_path):
    code = (
        "import sys, nämndtool.cli, nämndtool.store, nämndtool.exchange.importer, nämndtool.exchange.exporter, "
        "nämndtool.demo\n"
        f"nämndtool.cli.main(['--db', {str(tmp_path / 'x.sqlite')!r}, 'demo'])\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'nämndtool.ui'))], 'Qt imported'\n"
    )
    import subprocess
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_output_into_a_closed_pipe_ends_quietly(db):
    """`namndtool case list | head -1`: the reader goes away, the command ends without a word (issue 11, point 10)."""
    import os
    import subprocess

    for n in range(30):
        _ok(run_cli("case", "new", "--title", f"Ärende {n}", db=db))
    reader, writer = os.pipe()
    os.close(reader)   # the reader is gone before the first line is written
    try:
        done = subprocess.run([sys.executable, "-m", "nämndtool", "--db", str(db), "case", "list"], stdout=writer,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(writer)
    assert done.stderr == ""
    assert done.returncode == 141
