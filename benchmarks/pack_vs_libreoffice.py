"""Both packs of the demo meeting from the command line against LibreOffice converting only that meeting's
tjänsteskrivelser from Word (issue 15, point 2: the program at least 2× faster).

    .venv/bin/python benchmarks/pack_vs_libreoffice.py            # 5 alternating rounds, about 30 s
    .venv/bin/python benchmarks/pack_vs_libreoffice.py --runs 9

A demo store is made in a temporary folder (`namndtool --db X demo`). Each round runs, one after the other:
(a) `namndtool --db X render handlingar --meeting 1 --both --out pub.pdf --internal-out int.pdf` as a new process
(imports, store, both packs, files written), with the store's on-disk part cache emptied first, so every part is
rendered and read again (the made-safe copies of the PDF bilagor, kept in ``offentliga/`` of the same folder when
the demo attached them, stay: examining a bilaga is the attach's cost, not the pack's); and (b) `soffice --headless --convert-to pdf` of the meeting's tjänsteskrivelser, rendered to DOCX
beforehand (not timed), in one invocation with a profile made before the first round. Medians and their ratio
are printed, with the CPU time (user + sys) of the child processes; ``--json FILE`` writes the medians and the
ratio. Without soffice the LibreOffice part is skipped with a line that says so.
"""

import argparse
import json
import os
import resource
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


def timed(command) -> tuple[float, float]:
    """Wall time and CPU time (user + sys of the child processes) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def empty_part_cache(cache: Path) -> None:
    """Every rendered part and reading gone; the made-safe copies of the bilagor (``offentliga/``) stay."""
    for folder in cache.glob("??"):
        shutil.rmtree(folder, ignore_errors=True)


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
    parser.add_argument("--json", type=Path, help="write the medians (ms), CPU times and the ratio to this file")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()
    print(f"Load average at the start: {load_start}")
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
        packs, lo, warm = [], [], []
        packs_cpu, lo_cpu, warm_cpu = [], [], []
        for _ in range(args.runs):
            empty_part_cache(cache)   # every part rendered and read again
            wall, cpu = timed(lambda: namndtool(db, *pack_command))
            packs.append(wall)
            packs_cpu.append(cpu)
            if lo_command:
                for old in pdf_dir.iterdir():
                    old.unlink()
                wall, cpu = timed(lambda: subprocess.run(lo_command, capture_output=True, check=True))
                lo.append(wall)
                lo_cpu.append(cpu)
        for _ in range(args.runs):   # the same with the part cache left in place (nothing changed)
            wall, cpu = timed(lambda: namndtool(db, *pack_command))
            warm.append(wall)
            warm_cpu.append(cpu)
        print(f"\nDemo meeting {MEETING}: {len(files)} tjänsteskrivelser; {args.runs} alternating rounds, medians.\n")
        print("| route | median | min–max | CPU (user + sys), median |\n|---|---:|---:|---:|")
        rows = [("CLI, both packs (`render handlingar --both`), part cache emptied", packs, packs_cpu),
                ("CLI, both packs, part cache kept", warm, warm_cpu)]
        if lo:
            rows.append((f"soffice --convert-to pdf of the {len(files)} tjänsteskrivelser (DOCX made beforehand)",
                         lo, lo_cpu))
        for label, walls, cpus in rows:
            print(f"| {label} | {statistics.median(walls) * 1000:.0f} ms | {min(walls) * 1000:.0f}–"
                  f"{max(walls) * 1000:.0f} ms | {statistics.median(cpus) * 1000:.0f} ms |")
        figures = {"runs": args.runs, "tjansteskrivelser": len(files),
                   "packs_ms": statistics.median(packs) * 1000, "packs_cpu_ms": statistics.median(packs_cpu) * 1000,
                   "packs_kept_ms": statistics.median(warm) * 1000,
                   "packs_kept_cpu_ms": statistics.median(warm_cpu) * 1000,
                   "libreoffice_ms": statistics.median(lo) * 1000 if lo else None,
                   "libreoffice_cpu_ms": statistics.median(lo_cpu) * 1000 if lo else None,
                   "ratio": statistics.median(lo) / statistics.median(packs) if lo else None,
                   "ratio_kept": statistics.median(lo) / statistics.median(warm) if lo else None,
                   "target_ratio": 2.0, "loadavg_start": load_start}
        if lo:
            print(f"\nRatio LibreOffice / both packs (cache emptied): {figures['ratio']:.2f}× (target ≥ 2×: "
                  f"{'met' if figures['ratio'] >= 2 else 'NOT met'}); with the part cache kept: "
                  f"{figures['ratio_kept']:.2f}×.")
        figures["loadavg_end"] = os.getloadavg()
        print(f"Load average at the end: {figures['loadavg_end']}")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
