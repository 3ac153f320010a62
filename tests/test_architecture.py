"""Rules of the code's shape that a review would otherwise have to catch: all SQL lives in `nämndtool/store/`, and
the words that show secrecy come from `nämndtool/secrecy/labels.py`. Each test names every offending file:line."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "nämndtool"

SQL_START = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|PRAGMA|WITH|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|SAVEPOINT)\s")
CONNECTION_CALLS = {"execute", "executemany", "executescript"}
QUERY_HELPERS = {"rows", "row", "value"}     # StoreBase's helpers, looked for on a store; Qt has row() and value()
TABLE_HELPERS = {"insert", "update"}         # StoreBase.insert/update("table", …); lists and dicts take no name


def _sources(*, outside: tuple[str, ...]) -> list[Path]:
    """Every .py file of the core (except the folders ``outside``) and of the app."""
    core = [p for p in sorted(CORE.rglob("*.py")) if p.relative_to(CORE).parts[0] not in outside]
    return core + sorted((ROOT / "ui").rglob("*.py"))


def _string_start(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return None


def _receiver(func: ast.Attribute) -> str:
    """The name a method is called on: "store" for store.rows, "self.store" for self.store.rows, else ""."""
    try:
        return ast.unparse(func.value)
    except Exception:  # noqa: BLE001
        return ""


def _sql_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
        text = _string_start(node)
        if text is not None and SQL_START.match(text):
            found.append(f"{where}: SQL text {text.strip()[:50]!r}")
        elif isinstance(node, ast.Attribute) and node.attr == "conn":
            found.append(f"{where}: the store's connection (.conn)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, first = node.func.attr, node.args[0] if node.args else None
            if name in CONNECTION_CALLS:
                found.append(f"{where}: .{name}(…)")
            elif name in QUERY_HELPERS and first is not None and _receiver(node.func).endswith("store"):
                found.append(f"{where}: {_receiver(node.func)}.{name}(…)")
            elif name in TABLE_HELPERS and first is not None and _string_start(first) is not None:
                found.append(f"{where}: .{name}({_string_start(first)[:40]!r}, …)")
    return found


def test_no_sql_outside_the_store():
    """A query outside store/ would be a second definition of a fact, and out of reach of a server database."""
    found = [hit for path in _sources(outside=("store", "db")) for hit in _sql_in(path)]
    assert not found, "SQL outside nämndtool/store/ (move it into a store method):\n" + "\n".join(found)


def test_the_scan_sees_sql(tmp_path):
    """The scan itself: each shape of SQL it must catch is caught, and Qt's row()/value() is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'store.execute("UPDATE x SET y = 1")\n'
        'store.rows("SELECT * FROM x")\n'
        'store.value(f"SELECT count(*) FROM {table}")\n'
        'store.conn.total_changes\n'
        'store.update("person", {"id": 1}, {})\n'
        'self.store.row(query)\n'
        'index.row()\nsettings.value("geometry")\nbox.value()\nrows.insert(0, row)\n',
        encoding="utf-8")
    original = ROOT
    try:
        globals()["ROOT"] = tmp_path
        found = _sql_in(sample)
    finally:
        globals()["ROOT"] = original
    lines = sorted({int(hit.split(":")[1]) for hit in found})
    assert lines == [1, 2, 3, 4, 5, 6], found


DIARY_NUMBER = re.compile(r"\|\|\s*'/'\s*\|\|")


def test_the_diary_number_is_written_once():
    """``KOD/ÅÅÅÅ:N`` is made by one SQL definition, the view arende_nummer (db/013); no query spells it out."""
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((CORE / "store").rglob("*.py"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if DIARY_NUMBER.search(line)]
    assert not found, "the diary number spelt out in SQL (join arende_nummer instead):\n" + "\n".join(found)


SECRECY_WORDS = ("Sekretessärende", "SEKRETESS ", "INTERN VERSION –")

def test_secrecy_words_come_from_labels():
    """How secrecy is shown is decided in secrecy/labels.py: no other code writes the title placeholder, the
    page marking or the internal marking itself. (Messages that mention secrecy in a sentence are not markings:
    only the exact forms above are looked for, in string literals.)"""
    found = []
    for path in _sources(outside=("secrecy", "resources")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                for word in SECRECY_WORDS:
                    if word in node.value and _as_marking(node.value, word):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.strip()[:60]!r}")
    assert not found, "secrecy shown without secrecy/labels.py:\n" + "\n".join(found)


def _as_marking(text: str, word: str) -> bool:
    """The word used as the marking or placeholder itself, not inside a Swedish sentence about it."""
    if word == "Sekretessärende":
        return text.strip() in ("Sekretessärende", "Sekretessärenden")
    if word == "SEKRETESS ":
        return text.lstrip().startswith("SEKRETESS ")
    return text.lstrip().startswith(word)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants of every module, class and function in ``tree``."""
    return {id(body[0].value) for parent in ast.walk(tree)
            if isinstance(body := getattr(parent, "body", None), list) and body and isinstance(body[0], ast.Expr)}


def test_the_core_never_imports_qt():
    """The core runs without a display and on a server: Qt and the app are imported only under ui/."""
    found = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(ROOT)}:{node.lineno}: {n}" for n in names
                      if n.split(".")[0] in ("PySide6", "shiboken6") or n.startswith("nämndtool.ui")]
    assert not found, "Qt or the app imported by the core:\n" + "\n".join(found)


def test_ui_tests_wait_for_a_condition_not_a_time():
    """A fixed wait (``qtbot.wait(900)``, ``time.sleep``) is either too long (a slow suite) or too short on a busy
    machine (a flaky one): UI tests wait for what they need (``qtbot.waitUntil``, ``qtbot.waitSignal``,
    ``tasks.idle``)."""
    found = []
    for path in sorted((ROOT / "tests" / "ui").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and ast.unparse(node.func) in ("qtbot.wait", "time.sleep", "QTest.qWait"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "fixed waits in UI tests:\n" + "\n".join(found)
