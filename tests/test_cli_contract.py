"""The command line changes the store only through nämndtool.operations (issue 12): cli.py calls no store method
that writes and imports none of the core functions that write, only their operations."""

import ast
from pathlib import Path

from test_operations import store_write_methods

CLI = Path(__file__).resolve().parents[1] / "nämndtool" / "cli.py"

# The core functions that change the store, by module; None: every name of the module. Each has its operation in
# nämndtool.operations (maintenance.back_up/restore, exchange.import_meeting/create_demo, protokoll.justera/
# mark_klar_for_justering, the secrecy module).
WRITING_CORE = {
    "nämndtool.backup": {"take_backup", "restore", "daily_backup"},
    "nämndtool.exchange.importer": {"import_meeting"},
    "nämndtool.demo": {"create_demo"},
    "nämndtool.documents.protokoll": {"justera", "mark_klar_for_justering"},
    "nämndtool.secrecy.operations": None,
}


def store_write_calls(source: str) -> list[str]:
    """Calls of a store write method by name; ``diary.register_arende(...)`` is the operation of that name, called
    on a module imported from nämndtool.operations, and is not one."""
    methods, operations = store_write_methods(), operations_imported(source)
    return [f"cli.py:{node.lineno} .{node.func.attr}()" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in methods
            and not (isinstance(node.func.value, ast.Name) and node.func.value.id in operations)]


def writing_core_imports(source: str) -> list[str]:
    """``from M import f`` of a writing function, ``from P import M`` of a writing module, ``import M``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                names = WRITING_CORE.get(node.module, set())
                if names is None or alias.name in names or f"{node.module}.{alias.name}" in WRITING_CORE:
                    found.append(f"cli.py:{node.lineno} from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            found += [f"cli.py:{node.lineno} import {a.name}" for a in node.names if a.name in WRITING_CORE]
    return found


def operations_imported(source: str) -> set[str]:
    """The names the operation modules are bound to (``from nämndtool.operations import protokoll as p``: p)."""
    return {a.asname or a.name for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.module == "nämndtool.operations" for a in node.names}


def test_the_cli_calls_no_store_write_method():
    calls = store_write_calls(CLI.read_text(encoding="utf-8"))
    assert calls == [], "call an operation in nämndtool/operations/ instead:\n" + "\n".join(calls)


def test_the_cli_imports_no_writing_core_function():
    imports = writing_core_imports(CLI.read_text(encoding="utf-8"))
    assert imports == [], "import the operation from nämndtool.operations instead:\n" + "\n".join(imports)


def test_the_cli_changes_the_store_through_the_operations():
    imported = {a.name for node in ast.walk(ast.parse(CLI.read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and node.module == "nämndtool.operations" for a in node.names}
    assert {"diary", "exchange", "maintenance", "meetings", "protokoll", "secrecy"} <= imported


def test_the_checks_find_what_they_look_for():
    """The checks see the ways cli.py used to write (so an empty list above means something)."""
    old = ("def _case_new(store, args):\n    store.register_arende(1, 'X')\n"
           "def _demo(store, args):\n    from nämndtool.demo import create_demo\n    create_demo(store)\n"
           "def _seal(store, args):\n    from nämndtool.secrecy.operations import seal_item\n"
           "    from nämndtool.secrecy import operations\n    import nämndtool.backup\n"
           "    with store.write():\n        pass\n"
           "def _new(store, args):\n    from nämndtool.operations import diary as d\n    d.register_arende(store, 1)\n")
    assert store_write_calls(old) == ["cli.py:2 .register_arende()", "cli.py:10 .write()"]
    assert writing_core_imports(old) == ["cli.py:4 from nämndtool.demo import create_demo",
                                         "cli.py:7 from nämndtool.secrecy.operations import seal_item",
                                         "cli.py:8 from nämndtool.secrecy import operations",
                                         "cli.py:9 import nämndtool.backup"]
