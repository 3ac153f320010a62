"""Rendering speed and standards conformance of single documents: the kallelse, each tjänsteskrivelse and the
protokoll of the sample meeting, as PDF (typst, the product) and DOCX, warm (the first rendering, which loads
fonts and the layout, reported apart), with the rules page-validation finds failed for PDF/UA-1 and PDF/A-2a.

    .venv/bin/python benchmarks/document_benchmark.py [--runs 20] [--reportlab COMMIT]

``--reportlab COMMIT`` also measures the reportlab renderer as it was at that commit (read with ``git show``,
for the comparison in BENCHMARKS.md; it is no longer part of the product).
"""

import argparse
import datetime as dt
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import page  # noqa: E402

from nämndtool.documents.branding import load_branding  # noqa: E402
from nämndtool.documents.kallelse import kallelse_document  # noqa: E402
from nämndtool.documents.protokoll import protokoll_document  # noqa: E402
from nämndtool.documents.render_docx import render_docx  # noqa: E402
from nämndtool.documents.render_pdf import render_pdf  # noqa: E402
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document  # noqa: E402
from nämndtool.exchange.importer import import_meeting  # noqa: E402
from nämndtool.store import Store  # noqa: E402
from support import SAMPLE_JSON  # noqa: E402


def documents(store, meeting_id, branding) -> dict:
    docs = {"kallelse (intern)": kallelse_document(store, meeting_id, False),
            "kallelse (offentlig)": kallelse_document(store, meeting_id, True)}
    for item in store.agenda(meeting_id):
        if item["arende_id"] and store.tjansteskrivelse(item["arende_id"]):
            docs[f"tjänsteskrivelse {item.get('diarienummer') or item['nr']}"] = tjansteskrivelse_document(
                store, item["arende_id"], branding).document
    store.create_paragraphs(meeting_id)
    docs["protokoll (utkast)"] = protokoll_document(store, meeting_id, public=False)
    return docs


def median_ms(render, runs: int) -> tuple[float, float, bytes]:
    start = time.perf_counter()
    data = render()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(times), data


def failed_rules(pdf: bytes, profile: str) -> int:
    return page.validate_pdf_bytes(pdf, profile=profile).rules.failed


def old_renderer(commit: str):
    source = subprocess.run(["git", "show", f"{commit}:nämndtool/documents/render_pdf.py"], cwd=ROOT,
                            capture_output=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "render_pdf_reportlab.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("render_pdf_reportlab", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render_pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reportlab", metavar="COMMIT")
    args = parser.parse_args()
    branding = load_branding(Path("/nonexistent/profil.toml"))
    engines = {"typst (pdf)": render_pdf, "docx": render_docx}
    if args.reportlab:
        engines["reportlab (pdf)"] = old_renderer(args.reportlab)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.sqlite")
        meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
        docs = documents(store, meeting_id, branding)
        print(f"{dt.date.today()}, {args.runs} runs per figure, median; first = the process's first rendering")
        print("| document | engine | first | warm | pages/bytes | PDF/UA-1 failed | PDF/A-2a failed |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for name, doc in docs.items():
            for engine, render in engines.items():
                first, warm, data = median_ms(lambda: render(doc, branding), args.runs)
                ua = a2 = "–"
                if engine != "docx":
                    ua, a2 = failed_rules(data, "ua1"), failed_rules(data, "2a")
                print(f"| {name} | {engine} | {first:.0f} ms | {warm:.1f} ms | {len(data):,} | {ua} | {a2} |")
        store.close()


if __name__ == "__main__":
    main()
