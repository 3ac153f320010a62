"""Benchmarks of the desktop app on the ten-year store of make_store.py, offscreen (QT_QPA_PLATFORM=offscreen).

    .venv/bin/python benchmarks/make_store.py                  # once: /tmp/namndtool-tioar/register.sqlite
    .venv/bin/python benchmarks/ui_benchmarks.py               # cold start, diary keystrokes, scrolling
    .venv/bin/python benchmarks/ui_benchmarks.py --only startup --runs 9 --profile

startup   Cold start to a usable main window: a new process per run that imports the app, creates the QApplication
          (fonts, Swedish Qt texts), opens the store, builds the MainWindow (the page on screen reads its data, the
          others when first shown), shows it, and stops at the end of the first paint of the window. Timed from just
          before the process is started (the parent's clock, passed in the environment) to the end of that paint;
          the imports (Qt, the store, the app), the store, the window and each page's reading of its data (its
          ``reload``) are timed separately. One warm-up run first, so Python's bytecode caches and the OS page cache
          are warm, as on the second start of the day (the children may write bytecode even when
          PYTHONDONTWRITEBYTECODE is set, as pip does when it installs the program). QSettings go to a fresh folder (XDG_CONFIG_HOME), so every
          run opens on the default view (Sammanträden) and nothing of the user's settings is read or written.
          Then, in processes of their own (BENCH_AFTER), what the first use after the start costs: opening the
          first ärende of the diary (importing the editor, its PDF preview and the renderers) until painted, and
          switching to each other view for the first time (reading its data) until painted.
diary     The diary page (nämndtool.ui.diary.page.DiaryPage, 1366×768) on the whole diary:
          - keystroke → table: for each of the 200 realistic queries of store_benchmarks.py, the text without its
            last letter is put in the search box silently, then the last letter is typed (a key press and release event); timed
            until the model has been reset and reports the new row count, and separately until the visible rows
            are painted. With the search delay set to 0, so the figure is the work a keystroke causes; the page
            waits SEARCH_DELAY_MS (150 ms) after the last keystroke before it searches, which comes on top and is
            measured separately on 30 queries with the delay as shipped.
          - scroll to the end: on a fresh model (no rows cached), scrollToBottom and a synchronous repaint of the
            viewport (which fetches and paints the last rows).

Peak memory is ru_maxrss of each child process.
"""

import time

T_MAIN = time.time()  # first thing after the docstring: when the interpreter reached this script

import argparse  # noqa: E402
import cProfile  # noqa: E402
import importlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_STORE = Path("/tmp/namndtool-tioar/register.sqlite")
SCENARIOS = ("startup", "diary")
TARGETS = {"startup_s": 0.7, "keystroke_p95_ms": 20.0, "memory_mb": 300.0}   # issue 15, points 6 and 1
AFTER_RUNS = 3
"""Processes per first-use measurement (opening an ärende, switching views) after the start."""
PAGE_CLASSES = (("Sammanträden", "nämndtool.ui.meetings.page", "MeetingsPage"),
                ("Diarium", "nämndtool.ui.diary.page", "DiaryPage"),
                ("Personer och mottagare", "nämndtool.ui.people.page", "PeoplePage"),
                ("Register", "nämndtool.ui.registry.page", "RegistryPage"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * p // 100)))
    return ordered[int(rank) - 1]


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------------------------
# Children


def time_page_reads(reads: dict) -> None:
    """Each page's ``reload`` (its reading of the store and filling its views) timed into ``reads``:
    {view: [seconds, …]}. The page modules are imported by the app anyway; this only wraps a method."""
    for view, module, name in PAGE_CLASSES:
        cls = getattr(importlib.import_module(module), name)

        def timed(self, *args, _reload=cls.reload, _view=view, **kwargs):
            began = time.perf_counter()
            try:
                return _reload(self, *args, **kwargs)
            finally:
                reads.setdefault(_view, []).append(time.perf_counter() - began)
        cls.reload = timed


def first_uses(window, app, after: str) -> dict:
    """What the first use after the start costs, each until the window has painted it (seconds)."""
    from nämndtool.ui.main_window import DIARY, PEOPLE, PROTOKOLL, REGISTRY

    def painted(action) -> float:
        began = time.perf_counter()
        action()
        window.repaint()
        app.processEvents()
        return time.perf_counter() - began

    if after == "arende":
        first = window.store.arende_ids()[0]     # the newest, as at the top of the diary
        return {"Första ärendet öppnas": painted(lambda: window.open_arende(first))}
    return {name: painted(lambda i=index: window.show_view(i))
            for index, name in ((DIARY, "Diarium"), (PEOPLE, "Personer och mottagare"), (REGISTRY, "Register"),
                                (PROTOKOLL, "Protokoll"))}


def child_startup(store_path: Path, profile: bool) -> dict:
    """One cold start; times are seconds since the parent started the process."""
    t0 = float(os.environ["BENCH_T0"])
    after = os.environ.get("BENCH_AFTER", "")
    marks = {"interpreter": T_MAIN - t0}
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    from PySide6.QtCore import QEvent, QObject, QTimer
    for module in ("PySide6.QtGui", "PySide6.QtWidgets"):   # timed as Qt's share of the imports
        importlib.import_module(module)
    marks["imports_qt"] = time.time() - t0

    from nämndtool.store import Store
    marks["imports_store"] = time.time() - t0
    from nämndtool.ui.app import application, create_main_window
    marks["imports"] = time.time() - t0
    reads: dict[str, list[float]] = {}
    time_page_reads(reads)
    app = application()
    marks["application"] = time.time() - t0
    store = Store.open(store_path, create=False)
    marks["store_open"] = time.time() - t0
    window = create_main_window(store)
    marks["window_built"] = time.time() - t0

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched, event):
            if not self.seen and event.type() == QEvent.Type.Paint and (watched is window or (
                    hasattr(watched, "window") and watched.window() is window)):
                self.seen = True
                QTimer.singleShot(0, self.done)   # runs once the paint (and its backing-store flush) has finished
            return False

        def done(self):
            marks["first_paint"] = time.time() - t0
            cpu["first_paint"] = time.process_time()   # the process's CPU time (user + system) since it started
            app.quit()

    cpu: dict[str, float] = {}
    spy = FirstPaint()
    app.installEventFilter(spy)
    window.show()
    marks["shown"] = time.time() - t0
    QTimer.singleShot(20_000, app.quit)
    app.exec()
    if profiler:
        profiler.disable()
    started_reads = {view: sum(times) for view, times in reads.items()}
    view = window.current_view()
    uses = first_uses(window, app, after) if after else {}
    result = {"marks": marks, "cpu_s": cpu.get("first_paint"), "maxrss_mb": maxrss_mb(), "view": view,
              "page_reads": started_reads,
              "first_uses": uses, "meetings": window.meetings_page.meetings_model.rowCount(),
              "loaded_at_start": sorted(started_reads),
              "heavy_at_start": [m for m in HEAVY_MODULES if m in sys.modules] if not after else None}
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        result["profile"] = out.getvalue()
    window.close()
    store.close()
    return result


def type_letter(widget, letter: str) -> None:
    """A key press and release carrying ``letter``, as the keyboard sends it. (QTest.keyClick with a str corrupts
    the reference count of None in PySide6 6.12.0 and crashed the process after some thousand calls.)"""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    key = ord(letter.upper()) if letter.isascii() and letter.isalnum() else Qt.Key.Key_unknown
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, letter))


def child_diary(store_path: Path, runs: int, profile: bool) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(HERE))
    from store_benchmarks import realistic_queries

    from nämndtool.store import Store
    from nämndtool.ui.app import application
    from nämndtool.ui.diary.page import SEARCH_DELAY_MS, DiaryPage
    from nämndtool.ui.common.dialogs import ScriptedDialogs

    app = application()
    store = Store.open(store_path, create=False)
    queries = realistic_queries(store)
    start = time.perf_counter()
    page = DiaryPage(store, ScriptedDialogs())
    page.resize(1366, 768)
    page.reload()
    page.show()
    QTest.qWaitForWindowExposed(page)
    app.processEvents()
    opened = time.perf_counter() - start
    model, view = page.model, page.view

    reset_at: list[float] = []
    cpu_at: list[float] = []
    waiting = QEventLoop()
    timeout = QTimer()            # one timer, restarted per keystroke: a stale timeout must not end a later wait
    timeout.setSingleShot(True)
    timeout.setInterval(10_000)
    timeout.timeout.connect(waiting.quit)
    model.modelReset.connect(lambda: reset_at.append(time.perf_counter()))
    model.modelReset.connect(lambda: cpu_at.append(time.process_time()))
    model.modelReset.connect(waiting.quit)

    def keystroke(query: str) -> tuple[float, float, int, float]:
        page.search.blockSignals(True)
        page.search.setText(query[:-1])
        page.search.blockSignals(False)
        reset_at.clear()
        cpu_at.clear()
        began, cpu_began = time.perf_counter(), time.process_time()
        type_letter(page.search, query[-1])
        if not reset_at:                     # the search runs from the page's timer, in the event loop
            timeout.start()
            waiting.exec()
            timeout.stop()
        rows = model.rowCount()
        view.viewport().repaint()
        painted = time.perf_counter()
        if not reset_at:
            raise RuntimeError(f"the diary did not search for {query!r} within 10 s")
        return reset_at[0] - began, painted - began, rows, cpu_at[0] - cpu_began

    profiler = cProfile.Profile() if profile else None
    page._timer.setInterval(0)     # the work a keystroke causes, without the deliberate wait
    for query in queries[:20]:     # warm-up
        keystroke(query)
    to_count, to_paint, cpu_count = ({q: [] for q in queries} for _ in range(3))
    for _ in range(max(1, runs)):
        for query in queries:
            counted, painted, _rows, cpu_counted = keystroke(query)
            to_count[query].append(counted * 1000)
            to_paint[query].append(painted * 1000)
            cpu_count[query].append(cpu_counted * 1000)
    if profiler:                   # a separate pass, so the profiler does not slow the timed one
        profiler.enable()
        for query in queries:
            keystroke(query)
        profiler.disable()
    count_medians = [statistics.median(v) for v in to_count.values()]
    paint_medians = [statistics.median(v) for v in to_paint.values()]
    cpu_medians = [statistics.median(v) for v in cpu_count.values()]
    slowest = sorted(((statistics.median(v), q) for q, v in to_paint.items()), reverse=True)[:6]

    page._timer.setInterval(SEARCH_DELAY_MS)
    shipped = [keystroke(q)[0] * 1000 for q in queries[:30]]

    # Scroll to the end of the whole diary, on a fresh model each time
    page._timer.setInterval(0)
    page.search.clear()
    page.apply_filters()
    total_rows = model.rowCount()
    scroll, refresh = [], []
    for _ in range(max(3, runs)):
        began = time.perf_counter()
        model.refresh()
        refresh.append(time.perf_counter() - began)
        view.scrollToTop()
        view.viewport().repaint()
        app.processEvents()
        fetches = model.fetches
        began = time.perf_counter()
        view.scrollToBottom()
        view.viewport().repaint()
        scroll.append(time.perf_counter() - began)
        assert model.is_cached(total_rows - 1) and model.fetches > fetches, "the last rows were not fetched"
    result = {
        "page_open_ms": opened * 1000, "queries": len(queries),
        "keystroke_count_p50_ms": percentile(count_medians, 50), "keystroke_count_p95_ms": percentile(count_medians, 95),
        "keystroke_count_max_ms": max(count_medians),
        "keystroke_count_cpu_p50_ms": percentile(cpu_medians, 50), "keystroke_count_cpu_p95_ms": percentile(cpu_medians, 95),
        "keystroke_paint_p50_ms": percentile(paint_medians, 50), "keystroke_paint_p95_ms": percentile(paint_medians, 95),
        "keystroke_paint_max_ms": max(paint_medians),
        "shipped_delay_ms": SEARCH_DELAY_MS, "shipped_p50_ms": percentile(shipped, 50),
        "shipped_p95_ms": percentile(shipped, 95),
        "slowest": [{"query": q, "ms": ms} for ms, q in slowest],
        "scroll_end_ms": statistics.median(scroll) * 1000, "scroll_end_max_ms": max(scroll) * 1000,
        "refresh_ms": statistics.median(refresh) * 1000, "rows": total_rows, "maxrss_mb": maxrss_mb(),
    }
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        result["profile"] = out.getvalue()
    page.close()
    store.close()
    QApplication.processEvents()
    return result


# ---------------------------------------------------------------------------------------------------------------
# Parent


HEAVY_MODULES = ("typst", "pikepdf", "pypdfium2", "reportlab", "docx", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
                 "nämndtool.documents.render_pdf", "nämndtool.documents.render_docx", "nämndtool.documents.pack",
                 "nämndtool.ui.editor.arende_editor", "nämndtool.ui.generate", "nämndtool.ui.protokoll.page",
                 "jinja2", "markdown_it")
"""Imported only when first needed (issue 15); the startup table says if one was imported at start after all."""


def run_child(name: str, store: Path, runs: int, profile: bool, env: dict | None = None) -> dict:
    command = [sys.executable, __file__, "--child", name, "--store", str(store), "--runs", str(runs)]
    if profile:
        command.append("--profile")
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    # Bytecode written by the warm-up, as an installed program has it (pip compiles it): with
    # PYTHONDONTWRITEBYTECODE set, every start compiled each changed module of the checkout again.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["BENCH_T0"] = repr(time.time())
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def startup_runs(store: Path, runs: int, profile: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="namndtool-bench-config-") as config:
        env = {"XDG_CONFIG_HOME": config}
        warm_up = run_child("startup", store, 1, False, env)
        results = [run_child("startup", store, 1, False, env) for _ in range(max(runs, 5))]
        after = [run_child("startup", store, 1, False, {**env, "BENCH_AFTER": kind})
                 for kind in ("arende", "pages") for _ in range(AFTER_RUNS)]
        profiled = run_child("startup", store, 1, True, env) if profile else None
    marks = {key: statistics.median(r["marks"][key] for r in results) for key in results[0]["marks"]}
    reads = {view: statistics.median(r["page_reads"].get(view, 0.0) for r in results)
             for view in {v for r in results for v in r["page_reads"]}}
    uses = {name: statistics.median(r["first_uses"][name] for r in after if name in r["first_uses"])
            for name in {n for r in after for n in r["first_uses"]}}
    out = {"marks": marks, "first": warm_up["marks"], "runs": len(results),
           "cpu_s": statistics.median(r["cpu_s"] for r in results),
           "paint_all": [r["marks"]["first_paint"] for r in results],
           "maxrss_mb": statistics.median(r["maxrss_mb"] for r in results), "view": results[0]["view"],
           "meetings": results[0]["meetings"], "page_reads": reads, "first_uses": uses,
           "after_maxrss_mb": max(r["maxrss_mb"] for r in after), "after_runs": AFTER_RUNS,
           "loaded_at_start": sorted({v for r in results for v in r["loaded_at_start"]}),
           "heavy_at_start": sorted({m for r in results for m in r["heavy_at_start"]})}
    if profiled:
        out["profile"] = profiled["profile"]
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def verdict(value: float, target: float) -> str:
    return "ja" if value < target else "**nej**"


def table(results: dict) -> str:
    lines = ["| Mätning | Median | Mål | Nått | Toppminne (ru_maxrss) |", "|---|---:|---|---|---:|"]
    if "startup" in results:
        s = results["startup"]
        m = s["marks"]
        mem = f"{s['maxrss_mb']:.0f} MB"
        read = sum(s["page_reads"].values())
        shown = ", ".join(s["loaded_at_start"]) or "ingen"
        lines += [
            f"| Kallstart till första målningen av huvudfönstret ({s['runs']} körningar) | {ms(m['first_paint'])} | "
            f"< {TARGETS['startup_s']:g} s | {verdict(m['first_paint'], TARGETS['startup_s'])} | {mem} |",
            f"| – CPU-tid (användare + system) till första målningen | {ms(s['cpu_s'])} | | | |",
            f"| – varav processtart och tolk | {ms(m['interpreter'])} | | | |",
            f"| – varav importer, alla | {ms(m['imports'] - m['interpreter'])} | | | |",
            f"| –– PySide6 (QtCore, QtGui, QtWidgets) | {ms(m['imports_qt'] - m['interpreter'])} | | | |",
            f"| –– registret (nämndtool.store, sqlite-utils) | {ms(m['imports_store'] - m['imports_qt'])} | | | |",
            f"| –– programmet (nämndtool.ui.app och det den importerar) | {ms(m['imports'] - m['imports_store'])} "
            "| | | |",
            f"| – varav QApplication, typsnitt, svenska Qt-texter | {ms(m['application'] - m['imports'])} | | | |",
            f"| – varav Store.open | {ms(m['store_open'] - m['application'])} | | | |",
            f"| – varav MainWindow | {ms(m['window_built'] - m['store_open'])} | | | |",
            f"| –– sidorna läser sina data ({shown}) | {ms(read)} | | | |",
            f"| – varav show() till slutet av första målningen | {ms(m['first_paint'] - m['window_built'])} | | | |",
            f"| Kallstart, uppvärmningskörningen (första i serien) | {ms(s['first']['first_paint'])} | | | |",
            f"| Tunga moduler importerade vid start | {', '.join(s['heavy_at_start']) or 'inga'} | inga | "
            f"{'ja' if not s['heavy_at_start'] else '**nej**'} | |",
        ]
        after_mem = f"{s['after_maxrss_mb']:.0f} MB"
        for name in ("Första ärendet öppnas", "Diarium", "Personer och mottagare", "Register", "Protokoll"):
            if name in s["first_uses"]:
                what = name if name.startswith("Första") else f"Första byte till {name}"
                lines.append(f"| {what} efter start, till målat ({s['after_runs']} processer) | "
                             f"{ms(s['first_uses'][name])} | | | {after_mem} |")
    if "diary" in results:
        d = results["diary"]
        mem = f"{d['maxrss_mb']:.0f} MB"
        lines += [
            f"| Diariet: tangenttryck → nytt radantal, p50 ({d['queries']} frågor, ingen fördröjning) | "
            f"{d['keystroke_count_p50_ms']:.1f} ms | | | {mem} |",
            f"| Diariet: tangenttryck → nytt radantal, p95 | {d['keystroke_count_p95_ms']:.1f} ms | "
            f"< {TARGETS['keystroke_p95_ms']:g} ms | "
            f"{verdict(d['keystroke_count_p95_ms'], TARGETS['keystroke_p95_ms'])} | {mem} |",
            f"| Diariet: tangenttryck → nytt radantal, CPU-tid p50 / p95 | {d['keystroke_count_cpu_p50_ms']:.1f} / "
            f"{d['keystroke_count_cpu_p95_ms']:.1f} ms | | | {mem} |",
            f"| Diariet: tangenttryck → synliga rader målade, p95 | {d['keystroke_paint_p95_ms']:.1f} ms | | | {mem} |",
            f"| Diariet: tangenttryck → radantal med fördröjningen {d['shipped_delay_ms']} ms som levererad, p95 (30 frågor) | "
            f"{d['shipped_p95_ms']:.0f} ms | | | {mem} |",
            f"| Diariet: rulla till slutet ({d['rows']} rader, tom cache) och måla | {d['scroll_end_ms']:.1f} ms | | | {mem} |",
            f"| Diariet: läsa om alla id:n (refresh) | {d['refresh_ms']:.1f} ms | | | {mem} |",
            f"| Diariesidan: skapa, läsa in och visa | {d['page_open_ms']:.0f} ms | | | {mem} |",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mätningar av skrivbordsprogrammet på tioårsregistret (offscreen).")
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--runs", type=int, default=7, help="cold starts (after one warm-up), rounds of queries")
    parser.add_argument("--only", help=f"comma-separated ({', '.join(SCENARIOS)})")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.child == "startup":
        print(json.dumps(child_startup(args.store, args.profile), ensure_ascii=False))
        return 0
    if args.child == "diary":
        print(json.dumps(child_diary(args.store, args.runs, args.profile), ensure_ascii=False))
        return 0
    if not args.store.exists():
        print(f"{args.store} finns inte. Skapa det först: .venv/bin/python benchmarks/make_store.py", file=sys.stderr)
        return 1
    names = args.only.split(",") if args.only else list(SCENARIOS)
    results = {}
    if "startup" in names:
        results["startup"] = startup_runs(args.store, args.runs, args.profile)
    if "diary" in names:
        results["diary"] = run_child("diary", args.store, min(args.runs, 3), args.profile)
    if "startup" in results or "diary" in results:
        print(table(results))
    if "startup" in results:
        s = results["startup"]
        print(f"\nKallstart: alla körningar {', '.join(ms(t) for t in s['paint_all'])}; öppnar på {s['view']} "
              f"({s['meetings']} sammanträden); sidor som läst sina data vid start: "
              f"{', '.join(s['loaded_at_start']) or 'ingen'}")
    if "diary" in results:
        print("\nLångsammast (tangenttryck → målat):")
        for slow in results["diary"]["slowest"]:
            print(f"  {slow['query']!r}: {slow['ms']:.1f} ms")
    for name, result in results.items():
        if "profile" in result:
            print(f"\n--- {name}: profile ---\n{result['profile']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
