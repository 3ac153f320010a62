"""The audit trail on the ten-year store (issue 15, point 4): its share of the file, reading a history, and db/019.

    .venv/bin/python benchmarks/audit_benchmark.py                    # all three, about a minute
    .venv/bin/python benchmarks/audit_benchmark.py --only share,history

  share      ``andring`` and its indexes against the whole file (dbstat), and the bytes per row
  history    store.history and store.net_history of 200 ärenden (seeded sample) and of the largest meeting: the
             medians and the slowest, in ms
  migration  db/019 alone on a copy of a store at schema 18, wall and CPU time, and the rows before and after (the
             copy the runner keeps aside before migrating is timed apart). The store at schema 18 is ``--old PATH``,
             else the one the runner left beside the ten-year store when it migrated it
             (``register.fore-schema-19.sqlite``), else the one ``--make-old`` built; without one it is skipped.

    .venv/bin/python benchmarks/audit_benchmark.py --make-old         # once, about 80 s: the ten-year store made
                                                                      # at schema 18 by make_store.py, in OLD_STORE

The store is only read, except that the migration runs on a copy in a temporary folder next to it.
"""

import argparse
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_STORE = Path("/tmp/namndtool-tioar/register.sqlite")
OLD_STORE = Path("/tmp/namndtool-tioar-schema18/register.sqlite")
BEFORE = 18


def share(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sizes = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        rows = conn.execute("SELECT count(*) FROM andring").fetchone()[0]
    finally:
        conn.close()
    trail = {name: size for name, size in sizes.items() if name == "andring" or name.startswith("andring_")}
    total = path.stat().st_size
    parts = ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sorted(trail.items(), key=lambda i: -i[1]))
    return [f"| Ändringsloggen med index, andel av registerfilen | {sum(trail.values()) / 1e6:.1f} MB av "
            f"{total / 1e6:.1f} MB = {100 * sum(trail.values()) / total:.1f} % | högst 25 % |",
            f"| … per rad ({rows} rader) | {sum(trail.values()) / rows:.0f} byte ({parts}) | |"]


def history(path: Path) -> list[str]:
    from nämndtool.store import Store

    store = Store.open(path, create=False)
    try:
        ids = [r["id"] for r in store.rows("SELECT id FROM arende ORDER BY id")]
        sample = random.Random(15).sample(ids, min(200, len(ids)))
        meeting = store.value("SELECT sammantrade_id FROM dagordningspunkt GROUP BY sammantrade_id "
                              "ORDER BY count(*) DESC, sammantrade_id DESC LIMIT 1")
        lines = []
        for name, read in (("history", store.history), ("net_history", store.net_history)):
            times = []
            for arende_id in sample:
                start = time.perf_counter()
                read(arende_id=arende_id)
                times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            shown = read(meeting_id=meeting)
            whole = (time.perf_counter() - start) * 1000
            lines.append(f"| store.{name} av ett ärende ({len(sample)} st) | median {statistics.median(times):.1f} "
                         f"ms, max {max(times):.1f} ms | |")
            lines.append(f"| store.{name} av största sammanträdet ({len(shown)} ändringar) | {whole:.1f} ms | |")
        return lines
    finally:
        store.close()


def migration(path: Path, old: Path | None) -> list[str]:
    from nämndtool.store import migrations as runner
    from nämndtool.store.connection import connect, use_wal

    beside = path.with_name(f"{path.stem}.fore-schema-{BEFORE + 1}{path.suffix}")
    old = old or (beside if beside.exists() else OLD_STORE)
    if not old.exists():
        return [f"| db/019 på tioårsregistret | – (ingen kopia med schema {BEFORE}: {old}) | |"]
    with tempfile.TemporaryDirectory(prefix="namndtool-019-", dir=path.parent) as tmp:
        copy = Path(tmp) / "register.sqlite"
        shutil.copyfile(old, copy)
        conn = connect(copy)
        try:
            use_wal(conn)
            if runner.current_version(conn) != BEFORE:
                return [f"| db/019 på tioårsregistret | – ({old} har schema {runner.current_version(conn)}, "
                        f"inte {BEFORE}) | |"]
            start = time.perf_counter()
            runner._keep_copy(conn, copy, BEFORE)
            aside = time.perf_counter() - start
            before = conn.execute("SELECT count(*) FROM andring").fetchone()[0]
            cpu, start = time.process_time(), time.perf_counter()
            applied = runner.migrate(conn, copy)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            after = conn.execute("SELECT count(*) FROM andring").fetchone()[0]
        finally:
            conn.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [f"| db/019 på tioårsregistret (migrationerna {applied}) | {wall:.1f} s ({cpu:.1f} s CPU), "
            f"{before} → {after} rader, toppminne {peak:.0f} MB | |",
            f"| … kopian före migreringen | {aside:.1f} s | |"]


def make_old() -> int:
    """The ten-year store as make_store.py makes it, with the migrations up to schema 18 only."""
    from nämndtool.assets import migrations
    from nämndtool.store import migrations as runner

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_store

    runner.migrations = lambda: migrations()[:BEFORE]
    return make_store.main(["--out", str(OLD_STORE), "--force"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ändringsloggen på tioårsregistret.")
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--old", type=Path, help=f"ett register med schema {BEFORE} för att mäta db/019")
    parser.add_argument("--only", default="share,history,migration")
    parser.add_argument("--make-old", action="store_true", help=f"bygg tioårsregistret med schema {BEFORE} i {OLD_STORE}")
    args = parser.parse_args(argv)
    if args.make_old:
        return make_old()
    if not args.store.exists():
        print(f"{args.store} finns inte: bygg det med benchmarks/make_store.py", file=sys.stderr)
        return 1
    with open("/proc/loadavg") as load:
        print(f"Belastning (loadavg): {load.read().split()[0]}", file=sys.stderr)
    lines = ["| Mått | Värde | Mål |", "|---|---|---|"]
    wanted = args.only.split(",")
    if "share" in wanted:
        lines += share(args.store)
    if "history" in wanted:
        lines += history(args.store)
    if "migration" in wanted:
        lines += migration(args.store, args.old)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
