"""Benchmark of the meeting pack (handlingar): public and internal pack of a 20-item meeting with 300 pages of
bilagor, against the reference route of converting the same tjänsteskrivelser DOCX→PDF with LibreOffice headless.

    .venv/bin/python benchmarks/pack_benchmark.py                 # both PDF backends, LibreOffice, breakdown
    .venv/bin/python benchmarks/pack_benchmark.py --runs 9 --backend pikepdf --no-libreoffice
    .venv/bin/python benchmarks/pack_benchmark.py --store /tmp/demo.sqlite --meeting 1 --backend pikepdf   # a store's own meeting

Timings are medians of --runs runs (after one untimed warm-up run in the same process, reported separately), each
from a cold PartCache.

The state measured (issue 15, point 2: examining a bilaga is the attach's cost, not the pack's): every PDF bilaga
was examined when the fixture attached it (``store.put_file``: its db/018 row and its made-safe copy in
``.<store>.delar/offentliga``); the rendered parts are cold (a new in-memory PartCache each run, no disk part
cache) and so are the gate's in-process caches (``cold_process``: the copies' page hashes, the readings of rendered
parts, their six-word windows, the secret files' fingerprints), as a new ``render handlingar --both`` process finds
them; only the imports and typst's compiler are warm. The script prints how many bilagor were found examined. Peak memory and the time in a fresh process are measured in a child process per backend:
ru_maxrss of that process (resource.getrusage, RUSAGE_SELF) after building both packs once, and, in a second
child, the tracemalloc peak (Python allocations only: pikepdf's C++ memory does not show there). LibreOffice's
memory is the ru_maxrss of its processes (RUSAGE_CHILDREN of a small wrapper process that runs soffice).

The public pack goes through the secrecy gate (issue 10): each public bilaga is made safe
(secrecy.sanitize.make_public_safe), compared with every secret file of the store (content.secret_content_anywhere:
PDFium page text, sampled six-word windows, the store's index) and read by the gate on its own (gate.findings_in),
and the finished pack is read by the gate once more (gate.check) against the secret facts of the meeting
(secrecy.facts.Scope.facts). The internal pack does none of this. The breakdown shows each of these steps, and
inside the gate the text extraction (PDFium page text, pikepdf's walk of every object and content stream), the
personnummer scan, the matching of titles, names and diary numbers, and the comparison with the secret files'
content, separately for the bilagor and for the whole pack.

LibreOffice is only needed for the reference route; when soffice is missing that part is skipped. Install it with

    apt-get install -y --no-install-recommends libreoffice-writer-nogui

The "what if" rows measure changes that are NOT in the product, with each PDF backend, so their effect can be
judged on the same inputs: tjänsteskrivelser rendered in a second process; each public bilaga made safe and its
text extracted once per stored file (kept by SHA-256, as the store could keep it, since stored files never
change); the final gate reading only the pack's own pages (the bilaga pages were read already); both of those; and,
for scale only, the public pack with no bilaga made safe and no gate at all. The pypdf backend is
benchmarks/pdfmerge_pypdf.py, the former product code; the fixture is benchmarks/meeting_fixture.py.
"""

import argparse
import cProfile
import contextlib
import dataclasses
import functools
import json
import multiprocessing
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import meeting_fixture  # noqa: E402
import pdfmerge_pypdf  # noqa: E402

import nämndtool.documents.pack as pack  # noqa: E402
import nämndtool.documents.pdfmerge as pdfmerge  # noqa: E402
from nämndtool.documents.branding import load_branding  # noqa: E402
from nämndtool.documents.convert import libreoffice  # noqa: E402
from nämndtool.documents.render_docx import render_docx  # noqa: E402
from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document  # noqa: E402
from nämndtool.documents.part_cache import DiskParts  # noqa: E402
from nämndtool.secrecy import content, examined, extract, gate, proof, sanitize  # noqa: E402
from nämndtool.secrecy.facts import Scope  # noqa: E402
from nämndtool.store import Store  # noqa: E402

BACKENDS = {"pikepdf": pdfmerge, "pypdf": pdfmerge_pypdf}
PRODUCT_BACKEND = "pikepdf"  # what nämndtool/documents/pdfmerge.py uses
TARGET_S = 0.8            # issue 15, point 2 (was 1.5 s)
TARGET_REBUILD_S = 0.3    # issue 15, point 3
TARGET_SPEEDUP = 5.0
INSTALL_HINT = "apt-get install -y --no-install-recommends libreoffice-writer-nogui"


# ---------------------------------------------------------------------------------------------------------------
# Choosing what pack.py calls


def use_backend(name: str) -> None:
    """Point pack.py at one PDF backend. pack.py imports assemble and page_count by name, so they are replaced in
    pack's own namespace."""
    module = BACKENDS[name]
    pack.assemble, pack.page_count = module.assemble, module.page_count


@contextlib.contextmanager
def patched(*replacements):
    """Set (owner, name, value) for the duration of the block, and put the originals back."""
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in replacements]
    try:
        for owner, name, value in replacements:
            setattr(owner, name, value)
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


# ---------------------------------------------------------------------------------------------------------------
# Building the packs


def cold_process() -> None:
    """Forget what the process keeps between packs, so each run finds what a new CLI process finds."""
    proof._copy_pages.clear()
    gate._readings.clear()
    gate._kept.clear()
    content._examined_shingles.clear()
    content._word_numbers.clear()
    content._fingerprints.clear()


def attach_state(store, meeting_id) -> dict:
    """How many of the meeting's stored PDF bilagor were examined (db/018) with their made-safe copy kept."""
    from nämndtool.documents.part_cache import safe_copies

    copies, pdfs, examined_rows, kept = safe_copies(store.path), 0, 0, 0
    for item in store.agenda(meeting_id):
        for bilaga in store.bilagor(item["arende_id"]) if item["arende_id"] else []:
            if not bilaga["filnamn"].lower().endswith(".pdf"):
                continue
            pdfs += 1
            found = store.examination(bilaga["sha256"])
            examined_rows += found is not None
            kept += bool(found and found.safe_sha256 and copies.get(found.safe_sha256) is not None)
    return {"pdf_bilagor": pdfs, "examined": examined_rows, "made_safe_copy_kept": kept}


def build_both(store, meeting_id, branding, prefill=None):
    cold_process()
    cache = pack.PartCache()
    if prefill:
        prefill(cache)
    public = pack.build_pack(store, meeting_id, True, branding, cache=cache)
    internal = pack.build_pack(store, meeting_id, False, branding, cache=cache)
    return public, internal


def build_one(public: bool):
    def build(store, meeting_id, branding, prefill=None):
        cold_process()
        cache = pack.PartCache()
        if prefill:
            prefill(cache)
        return (pack.build_pack(store, meeting_id, public, branding, cache=cache),)
    return build


def timed(function, runs: int) -> dict:
    """One untimed warm-up run (its time is kept as "first"), then ``runs`` timed runs."""
    start = time.perf_counter()
    result = function()
    first = time.perf_counter() - start
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "first": first,
            "cpu_median": statistics.median(cpu), "runs": runs, "result": result}


# ---------------------------------------------------------------------------------------------------------------
# What if: tjänsteskrivelser rendered in a second process (not in the product)


def _render_ts(store_path: str, arende_ids: list[int]) -> list[tuple[int, bytes, list[str]]]:
    branding = load_branding()
    out = []
    with Store.open(store_path) as store:
        for arende_id in arende_ids:
            ts = tjansteskrivelse_document(store, arende_id, branding)
            out.append((arende_id, pack._render_public_checked(ts.document, branding), ts.warnings))
    return out


def parallel_prefill(store_path: Path, arende_ids: list[int]):
    """Fill the shared PartCache with the tjänsteskrivelser: half in a forked worker, half here, at once."""
    def prefill(cache):
        half = len(arende_ids) // 2
        context = multiprocessing.get_context("fork")
        with context.Pool(1) as pool:
            other = pool.apply_async(_render_ts, (str(store_path), arende_ids[:half]))
            mine = _render_ts(str(store_path), arende_ids[half:])
            for arende_id, pdf, warnings in other.get() + mine:
                cache.parts[("ts", arende_id)] = (pdf, warnings)
    return prefill


# ---------------------------------------------------------------------------------------------------------------
# What if: the gate's work on bilagor kept per stored file, and the final gate reading only the pack's own pages
# (not in the product)


def rebuild(store, meeting_id, branding, arende_ids, runs: int, folder: Path, profile: bool = False) -> dict:
    """Both packs with the on-disk part cache (``part_cache.DiskParts``, as the app and the CLI use it): built once
    to fill it, then ``runs`` times with nothing changed, then ``runs`` times each after one tjänsteskrivelse
    changed (its first förslag gets a word more, a different ärende in turn), which re-renders that part only.
    The in-process caches are emptied before each build (``cold_process``): what is reused comes from disk, as in a
    new CLI process."""
    disk = DiskParts(folder)

    def both():
        cold_process()
        cache = pack.PartCache(disk)
        return (pack.build_pack(store, meeting_id, True, branding, cache=cache),
                pack.build_pack(store, meeting_id, False, branding, cache=cache))
    start = time.perf_counter()
    both()
    fill = time.perf_counter() - start
    unchanged = timed(both, runs)
    changed, changed_cpu = [], []
    for n in range(runs):
        arende_id = arende_ids[n % len(arende_ids)]
        with store.write():
            store.execute("UPDATE forslag SET text = text || ' ändrat' WHERE nr = 1 AND tjansteskrivelse_id = "
                          "(SELECT id FROM tjansteskrivelse WHERE arende_id = ?)", (arende_id,))
        start, cpu = time.perf_counter(), time.process_time()
        both()
        changed.append(time.perf_counter() - start)
        changed_cpu.append(time.process_time() - cpu)
    if profile:   # one more change, under cProfile
        with store.write():
            store.execute("UPDATE forslag SET text = text || ' ändrat' WHERE nr = 1 AND tjansteskrivelse_id = "
                          "(SELECT id FROM tjansteskrivelse WHERE arende_id = ?)", (arende_ids[0],))
        profiler = cProfile.Profile()
        profiler.enable()
        both()
        profiler.disable()
        print("\n## cProfile of a rebuild after one tjänsteskrivelse changed, top 30 by cumulative time\n\n```")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
        print("```")
    return {"fill": fill, "unchanged": unchanged["median"], "unchanged_cpu": unchanged["cpu_median"],
            "changed": statistics.median(changed), "changed_cpu": statistics.median(changed_cpu),
            "changed_min": min(changed), "changed_max": max(changed), "runs": runs}


def own_pages_final_gate(backend: str):
    """The final gate reads only the pages the pack made itself (kallelse, contents, tjänsteskrivelser, lists):
    the public bilagor were read one by one already. Simulated by assembling those parts alone (with the same stamp
    and footer) and reading that; the assembling and page counting are counted in the figure, a real
    implementation would skip them. Not exactly what a product change would read: see BENCHMARKS.md."""
    module = BACKENDS[backend]
    original_assemble, original_public, original_check = module.assemble, pack._public_bilaga, gate.check
    seen: dict = {"parts": None, "kwargs": None, "bilagor": {}}

    def public_bilaga(*args, **kwargs):
        result = original_public(*args, **kwargs)
        seen["bilagor"][id(result[0])] = result[0]   # keeps the object alive, so its id is not reused
        return result

    def assemble(pdfs, bookmarks, stamps, **kwargs):
        seen["parts"], seen["kwargs"] = list(pdfs), kwargs
        return original_assemble(pdfs, bookmarks, stamps, **kwargs)

    def check(data, kind, output, facts):
        own, listed, old_page, new_page = [], set(), 0, 0   # pages are 1-based, as in facts.listed_pages
        for pdf in seen["parts"]:
            count = module.page_count(pdf)
            if id(pdf) not in seen["bilagor"]:
                own.append(pdf)
                listed |= {new_page + n for n in range(1, count + 1) if old_page + n in facts.listed_pages}
                new_page += count
            old_page += count
        seen["bilagor"] = {}
        own_pdf = original_assemble(own, [], [pdfmerge.Stamp(n, None) for n in range(new_page)], **seen["kwargs"])
        return original_check(own_pdf, kind, output, dataclasses.replace(facts, listed_pages=listed, verdicts={}))

    return [(pack, "_public_bilaga", public_bilaga), (pack, "assemble", assemble), (gate, "check", check)]


def no_gate():
    """For scale only, never acceptable: public bilagor not made safe, not compared with the store's secret files,
    and no gate at all (the facts are still gathered, since pack.py reads them as the gate's argument)."""
    return [(examined, "made_safe", lambda pdf: (pdf, None)),
            (pack, "secret_windows_anywhere", lambda store, windows: False),
            (gate, "findings_in", lambda data, kind, facts: []),
            (gate, "findings_in_pack", lambda *args, **kwargs: []),
            (gate, "findings_in_examined", lambda examination, facts: [])]


# ---------------------------------------------------------------------------------------------------------------
# Breakdown: exclusive time per step, by wrapping the named functions of pack.py, the secrecy gate and pdfmerge


FINAL = "gate, whole pack (gate.check): "
BILAGA = "gate, each public bilaga (findings_in): "
ANYWHERE = "each public bilaga vs every secret file of the store (secret_content_anywhere): "
INDEXING = ANYWHERE + "fingerprinting secret files that lack one (first use, written to the store)"


class Breakdown:
    """Wraps functions where their callers look them up. pack.py imports ``gate`` as a module (so gate.check and
    gate.findings_in are replaced on the gate module, which also catches gate.check's own call of findings_in),
    but ``make_public_safe``, ``secret_content_anywhere``, ``assemble``, ``page_count``, ``kallelse_document`` and
    ``tjansteskrivelse_document`` by name (so they are replaced in pack's namespace). Likewise gate imports
    ``pieces`` and ``scan`` by name, extract calls ``_pdfium_pages`` and ``_PdfObjects.read`` through its own
    globals, and content imports ``pdfmerge.page_texts`` when it is called (so it is replaced on pdfmerge).
    Scope.facts is a cached_property and is replaced on the class; Store.fingerprint_overlap is a mixin's method
    and is set on Store for the run."""

    LABELS = {
        (pack, "_item_parts"): "items (store, cache)",
        (pack, "_generated"): "Meddelanden, delegationsbeslut (registry)",
        (pack, "tjansteskrivelse_document"): "tjänsteskrivelser: template",
        (pack, "_bilaga_pdf"): "reading bilagor (files)",
        (examined, "made_safe"): "public bilagor made safe (make_public_safe): flatten, strip, save",
        (sanitize, "_verify"): "public bilagor made safe (make_public_safe): reading back (_verify)",
        (pack, "_missing_page"): "public bilagor: placeholder pages",
        (pack, "secret_windows_anywhere"): ANYWHERE + "words, rest",
        (content, "_index_secret_files"): INDEXING,
        (pack, "_table_of_contents"): "contents page (render, until stable)",
        (pack, "kallelse_document"): "kallelse (render)",
        (pack, "page_count"): "counting pages",
        (pack, "assemble"): "assemble: bookmarks, metadata, rest",
        (gate, "check"): FINAL + "other",
    }
    GATE_STEPS = {  # the same functions serve the gate on each bilaga and the final gate: labelled by caller
        (gate, "findings_in"): "hashing, verdict cache",
        (gate, "pieces"): "text: opening, bytes outside objects, revisions",
        (extract, "_pdfium_pages"): "text: PDFium page text",
        (extract._PdfObjects, "read"): "text: pikepdf walk of every object and content stream",
        (gate, "_text_findings"): "titles, names, diary numbers, marking (matching)",
        (gate, "scan"): "personnummer scan",
        (content, "secret_content"): "secret files by content: shingles",
        (content, "image_hashes"): "secret files by content: image hashes",
        (content, "_fingerprint"): "secret files by content: fingerprints (once per process)",
        (gate, "findings_in_examined"): "matching what was read before (examination, part reading)",
        (gate, "_reading_of_part"): "reading each rendered part (by SHA-256, kept in the process and on disk)",
        (proof, "residual"): "proof: hashing pages and parts, writing the residual",
        (extract, "pdf_envelope"): "text: the pack's bytes outside objects, revisions",
    }
    ANYWHERE_STEPS = {  # labelled by caller: fingerprinting secret files, comparing a bilaga, or the gate's own
        (pdfmerge, "page_texts"): "text: PDFium page text (pdfmerge.page_texts)",
        (content, "sampled_windows"): "sampled six-word windows (blake2b)",
        (Store, "fingerprint_overlap"): "index query (Store.fingerprint_overlap)",
    }
    ASSEMBLE_STEPS = {
        "_add_pages": "assemble: reading and copying pages",
        "_stamp_overlay": "assemble: stamp overlay (reportlab)",
        "_stamp": "assemble: stamping (merging overlay)",
        "_outline": "assemble: bookmarks, metadata, rest",
        "_write": "assemble: writing",
    }
    FACTS = "gathering the secret facts (Scope.facts: store queries)"
    RENDERERS = {  # _render_public_checked renders for whichever of these called it (innermost wins)
        "contents page (render, until stable)": "contents page (render, until stable)",
        "Meddelanden, delegationsbeslut (registry)": "Meddelanden, delegationsbeslut (render)",
        "items (store, cache)": "tjänsteskrivelser: render (typst)",
    }

    def __init__(self, backend: str):
        self.totals: dict[str, float] = {}
        self.stack: list[list] = []          # [label, start, child time]
        self.saved = []
        targets = dict(self.LABELS)
        module = BACKENDS[backend]
        targets.update({(module, name): label for name, label in self.ASSEMBLE_STEPS.items()})
        for (owner, name), label in targets.items():
            self._wrap(owner, name, label)
        for (owner, name), label in self.GATE_STEPS.items():
            self._wrap(owner, name, functools.partial(self._gate_label, label))
        for (owner, name), label in self.ANYWHERE_STEPS.items():
            self._wrap(owner, name, functools.partial(self._anywhere_label, label))
        self._wrap(pack, "_render_public_checked", self._renderer_label)
        self._wrap_facts()

    def _gate_label(self, step: str) -> str:
        final = any(entry[0].startswith(FINAL) for entry in self.stack)
        return (FINAL if final else BILAGA) + step

    def _anywhere_label(self, step: str) -> str:
        labels = [entry[0] for entry in self.stack]
        if INDEXING in labels:
            return INDEXING
        if any(label.startswith(ANYWHERE) for label in labels):
            return ANYWHERE + step
        if any(label.startswith((FINAL, BILAGA)) for label in labels):   # the gate's secret_content fingerprints
            return self._gate_label("secret files by content: fingerprints (once per process)")
        return "other: " + step

    def _renderer_label(self) -> str:
        for entry in reversed(self.stack):
            if entry[0] in self.RENDERERS:
                return self.RENDERERS[entry[0]]
        return "kallelse (render)"

    def _timed(self, original, label):
        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            entry = [label() if callable(label) else label, time.perf_counter(), 0.0]
            self.stack.append(entry)
            try:
                return original(*args, **kwargs)
            finally:
                self.stack.pop()
                spent = time.perf_counter() - entry[1]
                self.totals[entry[0]] = self.totals.get(entry[0], 0.0) + spent - entry[2]
                if self.stack:
                    self.stack[-1][2] += spent
        return wrapper

    def _wrap(self, owner, name, label):
        own = not isinstance(owner, type) or name in owner.__dict__   # a class may inherit it from a mixin
        original = owner.__dict__[name] if isinstance(owner, type) and own else getattr(owner, name)
        self.saved.append((owner, name, original if own else None))
        setattr(owner, name, self._timed(original, label))

    def _wrap_facts(self):
        original = Scope.__dict__["facts"]
        timed_property = functools.cached_property(self._timed(original.func, self.FACTS))
        timed_property.__set_name__(Scope, "facts")
        self.saved.append((Scope, "facts", original))
        Scope.facts = timed_property

    def restore(self):
        for owner, name, original in reversed(self.saved):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def breakdown(backend, store, meeting_id, branding, runs: int) -> tuple[dict[str, float], float]:
    use_backend(backend)
    build_both(store, meeting_id, branding)  # warm-up
    sums: dict[str, float] = {}
    total = 0.0
    for _ in range(runs):
        timers = Breakdown(backend)
        start = time.perf_counter()
        try:
            build_both(store, meeting_id, branding)
        finally:
            timers.restore()
        total += time.perf_counter() - start
        for label, spent in timers.totals.items():
            sums[label] = sums.get(label, 0.0) + spent
    steps = {label: spent / runs for label, spent in sums.items()}
    steps["other (store queries, templates, bookmark and stamp lists)"] = total / runs - sum(steps.values())
    return steps, total / runs


# ---------------------------------------------------------------------------------------------------------------
# Memory and the first build in a fresh process, in a child process each


def child_memory(args) -> None:
    use_backend(args.backend)
    branding = load_branding()
    with Store.open(args.store) as store:
        if args.child_memory == "tracemalloc":
            tracemalloc.start()
        before_kib = _vm_rss_kib()
        start = time.perf_counter()
        public, internal = build_both(store, args.meeting, branding)
        seconds = time.perf_counter() - start
        result = {"rss_before_kib": before_kib, "seconds": seconds,
                  "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "pages": [pdfmerge.page_count(public.pdf), pdfmerge.page_count(internal.pdf)],
                  "bytes": [len(public.pdf), len(internal.pdf)]}
        if args.child_memory == "tracemalloc":
            result["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    print(json.dumps(result))


def _vm_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory(backend, store_path, meeting_id) -> dict:
    out = {}
    for kind in ("rss", "tracemalloc"):
        done = subprocess.run(
            [sys.executable, __file__, "--child-memory", kind, "--backend", backend,
             "--store", str(store_path), "--meeting", str(meeting_id)],
            capture_output=True, text=True, check=True)
        measured = json.loads(done.stdout.strip().splitlines()[-1])
        if kind == "tracemalloc":
            measured.pop("seconds")   # tracemalloc slows the build down: only the rss child's time counts
        out.update(measured)
    return out


# ---------------------------------------------------------------------------------------------------------------
# The LibreOffice route


_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"seconds": time.perf_counter() - start, "rc": done.returncode, "stderr": done.stderr[-500:],
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def soffice_convert(program: str, profile: Path, files: list[Path], outdir: Path) -> dict:
    """One soffice invocation converting ``files``; time and peak memory of its processes, measured by a wrapper."""
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
               "--outdir", str(outdir), *map(str, files)]
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, check=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    if measured["rc"] != 0:
        raise RuntimeError(f"soffice misslyckades ({measured['rc']}): {measured['stderr']}")
    missing = [f.name for f in files if not (outdir / (f.stem + ".pdf")).exists()]
    if missing:
        raise RuntimeError(f"soffice skrev ingen PDF för {missing}")
    return measured


def libreoffice_route(store, meeting_id, arende_ids, branding, work: Path, runs: int, per_file: bool) -> dict | None:
    program = libreoffice()
    if program is None:
        print(f"\nLibreOffice (soffice) saknas: referensvägen hoppas över. Installera med\n    {INSTALL_HINT}\n")
        return None
    docx_dir = work / "docx"
    docx_dir.mkdir(exist_ok=True)
    profile = work / "lo-profil"

    def render_all() -> list[tuple[int, Path, list[str]]]:
        files = []
        for arende_id in arende_ids:
            ts = tjansteskrivelse_document(store, arende_id, branding)
            path = docx_dir / f"ts-{arende_id:03d}.docx"
            path.write_bytes(render_docx(ts.document, branding))
            files.append((arende_id, path, ts.warnings))
        return files

    def render_pdfs():  # the pack's own route for the same documents, for a like-for-like figure
        for arende_id in arende_ids:
            pack._render_public_checked(tjansteskrivelse_document(store, arende_id, branding).document, branding)

    def convert(files, keep=False):
        outdir = Path(tempfile.mkdtemp(dir=work, prefix="lo-ut-"))
        measured = soffice_convert(program, profile, [path for _, path, _ in files], outdir)
        pdfs = {arende_id: (outdir / (path.stem + ".pdf")).read_bytes() for arende_id, path, _ in files}
        measured["pages"] = sum(pdfmerge.page_count(pdf) for pdf in pdfs.values())
        shutil.rmtree(outdir)
        return (measured, pdfs) if keep else measured

    def packs_through_libreoffice():
        """Both packs, their tjänsteskrivelser made as DOCX and converted by LibreOffice (one invocation)."""
        files = render_all()
        _, pdfs = convert(files, keep=True)
        warnings = {arende_id: w for arende_id, _, w in files}

        def prefill(cache):
            for arende_id, pdf in pdfs.items():
                cache.parts[("ts", arende_id)] = (pdf, warnings[arende_id])
        build_both(store, meeting_id, branding, prefill)

    docx = timed(render_all, runs)
    files = docx["result"]
    out = {"docx_render": docx, "files": len(files), "pdf_render": timed(render_pdfs, runs)}
    out["cold_profile"] = convert(files)              # first start: LibreOffice creates its user profile
    warm = [convert(files) for _ in range(runs)]      # the profile exists: the favourable case for LibreOffice
    seconds = [w["seconds"] for w in warm]
    out["batch"] = {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds), "runs": runs,
                    "maxrss_kib": max(w["maxrss_kib"] for w in warm), "pages": warm[0]["pages"]}
    out["packs"] = timed(packs_through_libreoffice, runs)
    if per_file:
        singles = []
        for file in files:  # one soffice per file, as nämndtool.documents.convert.word_to_pdf does for a bilaga
            singles.append(convert([file])["seconds"])
        out["single"] = {"median": statistics.median(singles), "min": min(singles), "max": max(singles),
                         "total": sum(singles), "files": len(singles)}
    return out


# ---------------------------------------------------------------------------------------------------------------
# Report


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    versions = {}
    for name in ("pypdf", "pikepdf", "reportlab", "python-docx", "pypdfium2"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    try:
        import pikepdf
        versions["qpdf"] = pikepdf.__libqpdf_version__
    except ImportError:
        pass
    lo = libreoffice()
    if lo:
        versions["LibreOffice"] = subprocess.run([lo, "--version"], capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "versions": versions,
            "loadavg_start": os.getloadavg()}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms".replace(",", " ")


def mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB".replace(",", " ")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median), default 5")
    parser.add_argument("--lo-runs", type=int, default=3, help="timed LibreOffice runs, default 3")
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both",
                        help=f"PDF library for assembling (the product uses {PRODUCT_BACKEND}); default both")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice reference route")
    parser.add_argument("--no-per-file", action="store_true", help="skip one soffice invocation per file")
    parser.add_argument("--no-what-if", action="store_true", help="skip the what-if rows (changes not in the product)")
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top functions")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    parser.add_argument("--keep", type=Path, help="build the meeting in this folder and keep it")
    parser.add_argument("--child-memory", choices=["rss", "tracemalloc"], help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path,
                        help="measure a meeting of this existing store (for example the demo store of `namndtool "
                             "demo`) instead of building the benchmark meeting; the packs are not written, but the "
                             "product fills the store's index of secret files' content on first use, as it does in "
                             "the app")
    parser.add_argument("--meeting", type=int, help="the meeting's id, with --store")
    args = parser.parse_args(argv)
    if (args.store is None) != (args.meeting is None):
        parser.error("--store and --meeting go together")
    if args.child_memory:
        child_memory(args)
        return 0

    work = args.keep or Path(tempfile.mkdtemp(prefix="pack-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return run(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> int:
    figures: dict = {"machine": machine(), "runs": args.runs}
    start = time.perf_counter()
    if args.store:
        store_path, meeting_id = args.store, args.meeting
    else:
        store_path, meeting_id = meeting_fixture.build_meeting(work)
    figures["fixture_seconds"] = time.perf_counter() - start
    branding = load_branding()
    backends = list(BACKENDS) if args.backend == "both" else [args.backend]
    print(f"# Pack benchmark\n\nMachine: {figures['machine']['nproc']} cores, {figures['machine']['cpu']}, "
          f"Python {figures['machine']['python']}; {json.dumps(figures['machine']['versions'], ensure_ascii=False)}")
    made = (f"Meeting {meeting_id} of {store_path}" if args.store
            else f"Meeting built in {ms(figures['fixture_seconds'])} (not timed below)")
    print(f"{made}. Runs per figure: {args.runs} (median; one untimed warm-up run first).\n")

    with Store.open(store_path) as store:
        agenda = store.agenda(meeting_id)
        arende_ids = [i["arende_id"] for i in agenda if i["arende_id"] and store.tjansteskrivelse(i["arende_id"])]
        bilaga_pages = sum(pdfmerge.page_count(store.file_path(b["sha256"]).read_bytes())
                           for i in agenda if i["arende_id"] for b in store.bilagor(i["arende_id"]))
        figures["meeting"] = {"items": len(agenda), "secret": sum(bool(i["sekretess"]) for i in agenda),
                              "standard": sum(i["typ"] == "standard" for i in agenda),
                              "tjansteskrivelser": len(arende_ids), "bilaga_pages": bilaga_pages}
        figures["state"] = attach_state(store, meeting_id)
        print(f"Meeting: {json.dumps(figures['meeting'])}")
        print(f"State: PDF bilagor examined at attach: {json.dumps(figures['state'])}; rendered parts and the "
              "gate's in-process caches cold each run (see the docstring).\n")

        rows = []
        figures["packs"] = {}
        for backend in backends:
            use_backend(backend)
            both = timed(lambda: build_both(store, meeting_id, branding), args.runs)
            public = timed(lambda: build_one(True)(store, meeting_id, branding), args.runs)
            internal = timed(lambda: build_one(False)(store, meeting_id, branding), args.runs)
            pages = [pdfmerge.page_count(r.pdf) for r in both["result"]]
            mem = memory(backend, store_path, meeting_id)
            figures["packs"][backend] = {
                "both": {k: v for k, v in both.items() if k != "result"}, "pages": pages,
                "public": {k: v for k, v in public.items() if k != "result"},
                "internal": {k: v for k, v in internal.items() if k != "result"}, "memory": mem}
            rows.append((backend, both, public, internal, pages, mem))

        print("## Packs (public + internal sharing one PartCache, cold cache each run)\n")
        print("| backend | both packs | public alone | internal alone | both: min–max | both: CPU time | first run "
              "| both, fresh process | pages (public, internal) | peak RSS (child) | RSS before | tracemalloc peak |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for backend, both, public, internal, pages, mem in rows:
            label = backend + (" (product)" if backend == PRODUCT_BACKEND else "")
            print(f"| {label} | **{ms(both['median'])}** | {ms(public['median'])} | {ms(internal['median'])} | "
                  f"{ms(both['min'])}–{ms(both['max'])} | {ms(both['cpu_median'])} | {ms(both['first'])} | "
                  f"{ms(mem['seconds'])} | {pages[0]}, {pages[1]} | "
                  f"{mib(mem['ru_maxrss_kib'])} | {mib(mem['rss_before_kib'])} | "
                  f"{mib(mem['tracemalloc_peak'] / 1024)} |")

        print("\n## Breakdown of both packs (exclusive time per step, mean of the runs, timers on)\n")
        steps_by_backend = {}
        for backend in backends:
            steps, total = breakdown(backend, store, meeting_id, branding, args.runs)
            steps_by_backend[backend] = (steps, total)
        figures["breakdown"] = {b: {"steps": s, "total": t} for b, (s, t) in steps_by_backend.items()}
        labels = sorted({label for steps, _ in steps_by_backend.values() for label in steps},
                        key=lambda l: -steps_by_backend[backends[0]][0].get(l, 0))
        print("| step | " + " | ".join(backends) + " |")
        print("|---|" + "---:|" * len(backends))
        for label in labels:
            cells = []
            for backend in backends:
                steps, total = steps_by_backend[backend]
                spent = steps.get(label, 0.0)
                cells.append(f"{ms(spent)} ({spent / total:.0%})")
            print(f"| {label} | " + " | ".join(cells) + " |")
        print("| **total** | " + " | ".join(f"**{ms(steps_by_backend[b][1])}**" for b in backends) + " |")

        print("\nThe secrecy work of the public pack (the internal pack has none), from the breakdown above:\n")
        groups = [("public bilagor made safe (make_public_safe)", ("public bilagor made safe",)),
                  ("each public bilaga compared with every secret file of the store (secret_content_anywhere)",
                   (ANYWHERE,)),
                  ("gate on each public bilaga (findings_in from _public_bilaga)", (BILAGA,)),
                  ("final gate over the whole pack (gate.check)", (FINAL,)),
                  ("gathering the secret facts (Scope.facts)", (Breakdown.FACTS,)),
                  ("placeholder pages for refused bilagor", ("public bilagor: placeholder",))]
        print("| part | " + " | ".join(backends) + " |")
        print("|---|" + "---:|" * len(backends))
        secrecy = {b: 0.0 for b in backends}
        for name, prefixes in groups:
            cells = []
            for backend in backends:
                steps, total = steps_by_backend[backend]
                spent = sum(v for k, v in steps.items() if k.startswith(prefixes))
                secrecy[backend] += spent
                cells.append(f"{ms(spent)} ({spent / total:.0%})")
            print(f"| {name} | " + " | ".join(cells) + " |")
        print("| **all of it** | " + " | ".join(
            f"**{ms(secrecy[b])}** ({secrecy[b] / steps_by_backend[b][1]:.0%})" for b in backends) + " |")
        figures["secrecy_work"] = secrecy

        if args.cprofile:
            use_backend(backends[0])
            profiler = cProfile.Profile()
            profiler.enable()
            build_both(store, meeting_id, branding)
            profiler.disable()
            print(f"\n## cProfile ({backends[0]}), top 25 by cumulative time\n\n```")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
            print("```")

        product = PRODUCT_BACKEND if PRODUCT_BACKEND in backends else backends[0]
        best = figures["packs"][product]["both"]["median"]
        use_backend(product)
        again = rebuild(store, meeting_id, branding, arende_ids, args.runs, work / "delar", args.cprofile)
        figures["rebuild"] = again
        print(f"\n## Rebuilt with the on-disk part cache ({product}; {again['runs']} runs, median)\n")
        print("| both packs | time |\n|---|---:|")
        print(f"| first build, filling the cache | {ms(again['fill'])} |")
        print(f"| again, nothing changed | {ms(again['unchanged'])} (CPU {ms(again['unchanged_cpu'])}) |")
        print(f"| **after one tjänsteskrivelse changed** (target < 300 ms) | **{ms(again['changed'])}** "
              f"({ms(again['changed_min'])}–{ms(again['changed_max'])}; CPU {ms(again['changed_cpu'])}) |")
        what_if: dict = {}
        if not args.no_what_if:
            print("\n## What if (NOT in the product): cold PartCache each run, median (first run)\n")
            print("| change | " + " | ".join(f"{b}: both packs | {b}: public alone" for b in backends) + " |")
            print("|---|" + "---:|---:|" * len(backends))
            print("| none (as the product builds them) | " + " | ".join(
                f"{ms(figures['packs'][b]['both']['median'])} ({ms(figures['packs'][b]['both']['first'])}) | "
                f"{ms(figures['packs'][b]['public']['median'])} ({ms(figures['packs'][b]['public']['first'])})"
                for b in backends) + " |")
            cases = [  # (label, what replaces what, each made after the one before it is in place; parallel)
                ("tjänsteskrivelser rendered in 2 processes (fork) into the shared PartCache", [], True),
                ("final gate reads only the pack's own pages, not the bilaga pages already read "
                 "(simulated: those parts assembled alone and read)", [own_pages_final_gate], False),
                ("for scale only, never acceptable: no bilaga made safe, no gate", [lambda backend: no_gate()],
                 False),
            ]
            for label, factories, parallel in cases:
                cells = []
                for backend in backends:
                    use_backend(backend)
                    prefill = parallel_prefill(store_path, arende_ids) if parallel else None
                    row = {}
                    for name, build in (("both", build_both), ("public", build_one(True))):
                        with contextlib.ExitStack() as stack:
                            for factory in factories:
                                stack.enter_context(patched(*factory(backend)))
                            measured = timed(lambda: build(store, meeting_id, branding, prefill), args.runs)
                        row[name] = {k: v for k, v in measured.items() if k != "result"}
                        cells.append(f"{ms(measured['median'])} ({ms(measured['first'])})")
                    what_if.setdefault(label, {})[backend] = row
                print(f"| {label} | " + " | ".join(cells) + " |")
            use_backend(product)
        figures["what_if"] = what_if

        lo = None
        if not args.no_libreoffice:
            lo = libreoffice_route(store, meeting_id, arende_ids, branding, work, args.lo_runs,
                                    not args.no_per_file)
        figures["libreoffice"] = lo and {k: ({kk: vv for kk, vv in v.items() if kk != "result"}
                                             if isinstance(v, dict) else v) for k, v in lo.items()}

    if lo:
        n = lo["files"]
        batch = lo["batch"]
        docx, pdf = lo["docx_render"], lo["pdf_render"]
        print(f"\n## LibreOffice route: the same {n} tjänsteskrivelser, DOCX → PDF\n")
        print("| step | median | min–max | per file | peak RSS (soffice) |")
        print("|---|---:|---:|---:|---:|")
        print(f"| render {n} DOCX (render_docx) | {ms(docx['median'])} | {ms(docx['min'])}–{ms(docx['max'])} | "
              f"{ms(docx['median'] / n)} | |")
        print(f"| soffice --convert-to pdf, one invocation for all {n}, first start (creates its profile) | "
              f"{ms(lo['cold_profile']['seconds'])} | | {ms(lo['cold_profile']['seconds'] / n)} | "
              f"{mib(lo['cold_profile']['maxrss_kib'])} |")
        print(f"| soffice --convert-to pdf, one invocation for all {n}, profile exists ({batch['runs']} runs) | "
              f"**{ms(batch['median'])}** | {ms(batch['min'])}–{ms(batch['max'])} | {ms(batch['median'] / n)} | "
              f"{mib(batch['maxrss_kib'])} |")
        if "single" in lo:
            single = lo["single"]
            print(f"| soffice, one invocation per file ({single['files']} files) | {ms(single['total'])} total | "
                  f"{ms(single['min'])}–{ms(single['max'])} | {ms(single['median'])} (median) | |")
        print(f"| both packs with the tjänsteskrivelser through DOCX + soffice (all of it) | "
              f"{ms(lo['packs']['median'])} | {ms(lo['packs']['min'])}–{ms(lo['packs']['max'])} | | |")
        print(f"| for comparison: the same {n} tjänsteskrivelser → PDF with render_pdf (the pack's route) | "
              f"{ms(pdf['median'])} | {ms(pdf['min'])}–{ms(pdf['max'])} | {ms(pdf['median'] / n)} | |")
        print(f"\nLibreOffice wrote {batch['pages']} pages of tjänsteskrivelser.")

    figures["loadavg_end"] = os.getloadavg()
    print(f"\nLoad average (1, 5, 15 min) at the start: {figures['machine']['loadavg_start']}, at the end: "
          f"{figures['loadavg_end']} (other work on the machine disturbs the figures).")
    print("\n## Targets\n")
    print(f"- Both packs ({product}), bilagor examined at attach: {ms(best)} median, CPU "
          f"{ms(figures['packs'][product]['both']['cpu_median'])}; target < {ms(TARGET_S)}: "
          f"{'met' if best < TARGET_S else 'NOT met'}.")
    print(f"- Both packs rebuilt after one tjänsteskrivelse changed: {ms(figures['rebuild']['changed'])}; target < "
          f"{ms(TARGET_REBUILD_S)}: {'met' if figures['rebuild']['changed'] < TARGET_REBUILD_S else 'NOT met'}.")
    if lo:
        literal = lo["batch"]["median"] / best
        like = (lo["batch"]["median"] + lo["docx_render"]["median"]) / lo["pdf_render"]["median"]
        whole = lo["packs"]["median"] / best
        figures["speedup"] = {"packs_vs_conversion": literal, "ts_like_for_like": like, "packs_vs_packs": whole}
        print(f"- Both packs vs LibreOffice converting the {lo['files']} tjänsteskrivelser (one invocation, profile "
              f"exists): {literal:.1f}×; target ≥ {TARGET_SPEEDUP:.0f}×: "
              f"{'met' if literal >= TARGET_SPEEDUP else 'NOT met'}.")
        print(f"- Both packs vs both packs with the tjänsteskrivelser through DOCX + LibreOffice: {whole:.1f}×.")
        print(f"- The {lo['files']} tjänsteskrivelser alone, render_pdf vs DOCX + LibreOffice: {like:.1f}×.")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
