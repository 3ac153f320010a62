"""The command line and its documentation agree: README's "Kommandoraden" names every command and option the parser
has, and nothing the parser lacks; old spellings still parse; the Swedish messages stay with this program's parser;
``namndtool-gui [--db FIL] [FIL]`` opens the store it is given."""

import argparse
import re
import sys
from pathlib import Path

import pytest

from nämndtool import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Kommandoraden")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _subcommands(parser) -> dict:
    """The shown subcommands of ``parser`` (old names left out)."""
    for action in parser._actions:
        if action.choices is not None and hasattr(action, "add_parser"):
            old = getattr(action, "old_names", set())
            return {name: sub for name, sub in action.choices.items() if name not in old}
    return {}


def _options(parser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings
            if o.startswith("--") and o != "--help" and a.help != cli.SUPPRESS}


def _runs(parser) -> bool:
    """Whether the command runs by itself: it has a handler (``archive``) even when it also has subcommands
    (``archive verify``)."""
    return parser.get_default("handler") is not None


def _leaves(parser, path=("namndtool",)):
    subs = _subcommands(parser)
    if not subs or _runs(parser):
        yield path, parser
    for name, sub in subs.items():
        yield from _leaves(sub, (*path, name))


def _resolve(words: list[str]):
    """The parser a README line names and the command path it resolves to."""
    parser, path = cli.build_parser(), ["namndtool"]
    for word in words:
        subs = _subcommands(parser)
        if word not in subs:
            break
        parser, path = subs[word], [*path, word]
    return parser, tuple(path)


def _readme_lines() -> list[list[str]]:
    block = re.search(r"```sh\n(.*?)```", _section(), re.S).group(1)
    return [line.split("#")[0].split()[1:] for line in block.splitlines() if line.startswith("namndtool ")]


def test_every_command_and_option_is_in_the_readme():
    top = _options(cli.build_parser())
    documented: dict[tuple, set[str]] = {}
    for words in _readme_lines():
        _, path = _resolve([w for w in words if not w.startswith(("-", "[", "FIL]"))])
        documented.setdefault(path, set()).update(re.findall(r"--[a-z][a-z0-9-]*", " ".join(words)))
    missing = []
    for path, parser in _leaves(cli.build_parser()):
        if path not in documented:
            missing.append(" ".join(path))
            continue
        missing += [f"{' '.join(path)} {o}" for o in sorted(_options(parser) - documented[path])]
    missing += [f"namndtool {o}" for o in sorted(top - set().union(*documented.values()))]
    assert not missing, f"README:s Kommandoraden saknar: {missing}"


def test_the_readme_names_nothing_the_parser_lacks():
    top = _options(cli.build_parser())
    wrong = []
    for words in _readme_lines():
        parser, path = _resolve([w for w in words if not w.startswith(("-", "[", "FIL]"))])
        only_top_options = len(path) == 1 and words and set(words) <= top
        if _subcommands(parser) and not only_top_options and not _runs(parser):
            wrong.append(f"{' '.join(words)}: inget kommando")
        wrong += [f"{' '.join(path)} {o}" for o in re.findall(r"--[a-z][a-z0-9-]*", " ".join(words))
                  if o not in _options(parser) | top]
    every_option = set().union(*(_options(p) for _, p in _leaves(cli.build_parser()))) | top
    prose = re.sub(r"```sh\n.*?```", "", _section(), flags=re.S)
    old = {"--namn", "--kod", "--kommun", "--adress"}   # named in the prose as old spellings
    wrong += [o for o in re.findall(r"--[a-z][a-z0-9-]*", prose) if o not in every_option | old]
    for command in re.findall(r"`namndtool ([a-z -]+?)`", prose):
        parser, path = _resolve(command.split())
        if (_subcommands(parser) and not _runs(parser)) or len(path) != len(command.split()) + 1:
            wrong.append(f"namndtool {command}")
    assert not wrong, f"README:s Kommandoraden nämner det som parsern saknar: {wrong}"


@pytest.mark.parametrize("old, new", [
    (["init", "--namn", "N", "--kod", "K", "--kommun", "M", "--adress", "A"],
     ["init", "--name", "N", "--code", "K", "--municipality", "M", "--address", "A"]),
    (["justera", "--meeting", "1", "--date", "2023-03-01"], ["protokoll", "justera", "--meeting", "1", "--date", "2023-03-01"]),
    (["anslag", "--meeting", "1", "--date", "2023-03-02", "--omedelbara"],
     ["protokoll", "anslag", "--meeting", "1", "--date", "2023-03-02", "--omedelbara"]),
    (["correct-date", "--meeting", "1", "--anslag", "2023-03-02", "--reason", "R"],
     ["protokoll", "correct-date", "--meeting", "1", "--anslag", "2023-03-02", "--reason", "R"]),
    (["confirm-address", "--meeting", "1", "--paragraph", "4", "--recipient", "X"],
     ["protokoll", "confirm-address", "--meeting", "1", "--paragraph", "4", "--recipient", "X"]),
    (["distribute", "--meeting", "1", "--out", "m"], ["meeting", "distribute", "--meeting", "1", "--out", "m"]),
])
def test_old_spellings_parse_as_the_new_names_and_are_not_shown(old, new, capsys):
    assert vars(cli.build_parser().parse_args(old)) == vars(cli.build_parser().parse_args(new))
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args([new[0], "--help"])
    shown = capsys.readouterr().out
    assert not {"--namn", "--kod", "--kommun", "--adress"} & set(re.findall(r"--[a-z]+", shown))
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--help"])
    listed = capsys.readouterr().out
    assert not re.search(r"^\s+(justera|anslag|correct-date|confirm-address|distribute)\s", listed, re.M)


def test_swedish_stays_with_this_programs_parser(tmp_path, capsys):
    assert cli.main(["--db", str(tmp_path / "r.sqlite"), "init", "--name", "Socialnämnden", "--code", "SOCN"]) == 0
    with pytest.raises(SystemExit):
        cli.main(["case", "neww"])
    assert "användning:" in capsys.readouterr().err
    plain = argparse.ArgumentParser(prog="annat")
    plain.add_argument("--count", type=int, required=True)
    with pytest.raises(SystemExit):
        plain.parse_args(["--count", "ett"])
    err = capsys.readouterr().err
    assert "usage: annat" in err and "error:" in err and "invalid int value" in err
    assert "options:" in plain.format_help()


@pytest.mark.parametrize("argv, expected", [
    (["--db", "a.sqlite"], "a.sqlite"),
    (["b.sqlite"], "b.sqlite"),        # a double-clicked file
    (["--db", "c.sqlite", "c.sqlite"], "c.sqlite"),
    ([], None),
])
def test_namndtool_gui_opens_the_store_it_is_given(argv, expected, monkeypatch):
    opened = []
    monkeypatch.setattr(sys, "argv", ["namndtool-gui", *argv])
    monkeypatch.setattr("nämndtool.display.missing_display_message", lambda: None)
    monkeypatch.setattr(cli.importlib, "import_module", lambda name: type("App", (), {"run": staticmethod(
        lambda path: opened.append(path) or 0)}))
    assert cli.gui_main() == 0
    assert opened == [Path(expected) if expected else cli.default_store_path()]


def test_namndtool_gui_refuses_two_different_stores(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["namndtool-gui", "--db", "a.sqlite", "b.sqlite"])
    monkeypatch.setattr("nämndtool.display.missing_display_message", lambda: None)
    assert cli.gui_main() == 1
    assert "Ange registret en gång" in capsys.readouterr().err
