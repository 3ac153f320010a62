"""Both packs of the demo meeting from the command line against LibreOffice converting only that meeting's
tjänsteskrivelser from Word (issue 15, point 2: the program at least 2× faster).

    .venv/bin/python benchmarks/pack_vs_libreoffice.py            # 5 alternating rounds, about 30 s
    .venv/bin/python benchmarks/pack_vs_libreoffice.py --runs 9

A demo store is made in a temporary folder (`namndtool --db X demo`). Each round runs, one after the other:
(a) `namndtool --db X render handlingar --meeting 1 --both --out pub.pdf --internal-out int.pdf` as a new process
(imports, store, both packs, files written), with the store's on-disk part cache emptied first, so every part is
made again; and (b) `soffice --headless --convert-to pdf` of the meeting's tjänsteskrivelser, rendered to DOCX
beforehand (not timed), in one invocation with a profile made before the first round. Medians and their ratio
are printed. Without soffice the LibreOffice part is skipped with a line that says so.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-c", "import sys; from nämndtool.cli import main; sys.exit(main())"]
MEETING = 1


def namndtool(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "--db", str(db), *args], capture_output=True, text=True, check=True)


def docx_files(db: Path, out: Path) -> list[Path]:
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.render_docx import render_docx
    from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document
    from nämndtool.store import Store

    branding, files = load_branding(), []
    with Store.open(db) as store:
        for item in store.agenda(MEETING):
            if item["arende_id"] and store.tjansteskrivelse_as_decided(MEETING, item["arende_id"]):
                ts = tjansteskrivelse_document(store, item["arende_id"], branding, MEETING)
                path = out / f"tjansteskrivelse-{item['nr']:02d}.docx"
                path.write_bytes(render_docx(ts.document, branding))
                files.append(path)
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="alternating rounds, default 5")
    args = parser.parse_args(argv)
    print(f"Load average at the start: {os.getloadavg()}")
    work = Path(tempfile.mkdtemp(prefix="pack-vs-lo-"))
    try:
        db = work / "demo.sqlite"
        namndtool(db, "demo")
        docx_dir, pdf_dir = work / "docx", work / "lo-pdf"
        docx_dir.mkdir()
        pdf_dir.mkdir()
        files = docx_files(db, docx_dir)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        lo_command = None
        if soffice is None:
            print("LibreOffice (soffice) saknas: jämförelsen med LibreOffice hoppas över. Installera med "
                  "apt-get install -y --no-install-recommends libreoffice-writer-nogui")
        else:
            lo_command = [soffice, f"-env:UserInstallation={(work / 'lo-profil').as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, files)]
            subprocess.run(lo_command, capture_output=True, check=True)   # makes the profile; not timed
        pack_command = ["render", "handlingar", "--meeting", str(MEETING), "--both", "--out", str(work / "pub.pdf"),
                        "--internal-out", str(work / "int.pdf")]
        namndtool(db, *pack_command)   # warm-up: the store's examination of its bilagor is made once (db/018)
        cache = db.with_name(f".{db.name}.delar")
        packs, lo = [], []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)   # every part made again
            start = time.perf_counter()
            namndtool(db, *pack_command)
            packs.append(time.perf_counter() - start)
            if lo_command:
                for old in pdf_dir.iterdir():
                    old.unlink()
                start = time.perf_counter()
                subprocess.run(lo_command, capture_output=True, check=True)
                lo.append(time.perf_counter() - start)
        warm = []
        for _ in range(args.runs):   # the same with the part cache left in place (nothing changed)
            start = time.perf_counter()
            namndtool(db, *pack_command)
            warm.append(time.perf_counter() - start)
        print(f"\nDemo meeting {MEETING}: {len(files)} tjänsteskrivelser; {args.runs} alternating rounds, medians.\n")
        print("| route | median | min–max |\n|---|---:|---:|")
        print(f"| CLI, both packs (`render handlingar --both`), part cache emptied | "
              f"{statistics.median(packs) * 1000:.0f} ms | {min(packs) * 1000:.0f}–{max(packs) * 1000:.0f} ms |")
        print(f"| CLI, both packs, part cache kept | {statistics.median(warm) * 1000:.0f} ms | "
              f"{min(warm) * 1000:.0f}–{max(warm) * 1000:.0f} ms |")
        if lo:
            print(f"| soffice --convert-to pdf of the {len(files)} tjänsteskrivelser (DOCX made beforehand) | "
                  f"{statistics.median(lo) * 1000:.0f} ms | {min(lo) * 1000:.0f}–{max(lo) * 1000:.0f} ms |")
            ratio = statistics.median(lo) / statistics.median(packs)
            print(f"\nRatio LibreOffice / both packs (cache emptied): {ratio:.2f}× (target ≥ 2×: "
                  f"{'met' if ratio >= 2 else 'NOT met'}); with the part cache kept: "
                  f"{statistics.median(lo) / statistics.median(warm):.2f}×.")
        print(f"Load average at the end: {os.getloadavg()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
