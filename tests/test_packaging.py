"""The real wheel carries ui/, resources/ and db/, every package is listed in pyproject.toml, and the installed
program runs from any directory."""

import json
import os
import subprocess
import sys
import tomllib
import unicodedata
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_folder_with_python_files_is_a_listed_package():
    """A new folder under nämndtool/ or ui/ that pyproject.toml does not list would be missing from the wheel
    while the editable install used in development still finds it."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    roots = {"nämndtool": "nämndtool", **{folder: package for package, folder in setuptools["package-dir"].items()}}
    found = set()
    for folder, package in roots.items():
        for source in (ROOT / folder).rglob("*.py"):
            if "__pycache__" not in source.parts:
                inner = source.parent.relative_to(ROOT / folder).parts
                found.add(unicodedata.normalize("NFC", ".".join((package, *inner))))
    assert sorted(found - set(setuptools["packages"])) == []


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (found,) = out.glob("namndtool-*.whl")
    return found


def test_wheel_holds_every_package_and_data_file(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    for required in [
        "nämndtool/cli.py", "nämndtool/store/base.py", "nämndtool/exchange/importer.py",
        "nämndtool/documents/render_pdf.py", "nämndtool/documents/render_docx.py", "nämndtool/documents/pack.py",
        "nämndtool/resources/branding.toml", "nämndtool/resources/templates/kallelse.xml",
        "nämndtool/resources/templates/tjansteskrivelse.xml", "nämndtool/resources/templates/innehall.xml",
        "nämndtool/resources/fonts/DejaVuSans-Oblique.ttf",
        "nämndtool/ui/app.py", "nämndtool/ui/common/dialogs.py", "nämndtool/ui/editor/arende_editor.py",
        "nämndtool/db/001_grund.sql", "nämndtool/db/002_sok.sql",
        "nämndtool/resources/fonts/DejaVuSans.ttf", "nämndtool/resources/fonts/LICENSE-DejaVu.txt",
        "nämndtool/resources/schema/meeting-1.schema.json", "nämndtool/resources/schema/e-ark/ERMS_v3.xsd",
        "nämndtool/resources/schema/e-ark/erms_v3.sch", "nämndtool/earkiv/package.py",
        "nämndtool/db/003_protokoll.sql", "nämndtool/db/004_register.sql",
        "nämndtool/resources/templates/protokoll.xml", "nämndtool/resources/templates/meddelanden.xml", "nämndtool/resources/demo/meeting-2023.json",
    ]:
        assert required in names, required
    sample = json.loads((ROOT / "resources/demo/meeting-2023.json").read_text())
    bilagor = {f"nämndtool/resources/demo/{b['fil']}" for a in sample["arenden"] for b in a["bilagor"]}
    assert bilagor <= set(names)
    app = {f"nämndtool/ui/{p.relative_to(ROOT / 'ui').as_posix()}" for p in (ROOT / "ui").rglob("*.py")
           if "__pycache__" not in p.parts}
    assert sorted(app - set(names)) == []
    # every file the repository keeps under resources/ and db/ (templates, help, fonts, schemas, migrations)
    kept = subprocess.run(["git", "ls-files", "resources", "db"], cwd=ROOT, capture_output=True, text=True).stdout
    data = {f"nämndtool/{unicodedata.normalize('NFC', line)}" for line in kept.splitlines()
            if not line.endswith((".py", ".gitignore"))} if kept else set()
    assert sorted(data - set(names)) == []
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/"))]
    entry_points = next(zipfile.ZipFile(wheel).read(n).decode() for n in names if n.endswith("entry_points.txt"))
    assert "namndtool = nämndtool.cli:main" in entry_points
    assert "[gui_scripts]" in entry_points and "namndtool-gui = nämndtool.cli:gui_main" in entry_points


def test_the_installed_wheel_runs_from_another_directory(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "annan-mapp"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "nämndtool", "--db", str(elsewhere / "demo.sqlite"), *args],
                              cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)

    where = subprocess.run([sys.executable, "-c", "import nämndtool.ui, nämndtool.db; print(nämndtool.db.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert where.stdout.startswith(str(site)), where.stderr
    assert run("demo").returncode == 0
    meetings = json.loads(run("meeting", "list", "--json").stdout)
    assert {m["organ"] for m in meetings} == {"Socialnämnden", "Socialnämndens individutskott"}
    exported = elsewhere / "ut" / "m.json"
    assert run("export", "--meeting", "1", "--public", "--out", str(exported)).returncode == 0
    assert len(list((exported.parent / "bilagor").glob("*.pdf"))) == 11
    pack = elsewhere / "handlingar.pdf"
    result = run("render", "handlingar", "--meeting", "1", "--public", "--out", str(pack))
    assert result.returncode == 0, result.stderr
    assert pack.read_bytes().startswith(b"%PDF")
